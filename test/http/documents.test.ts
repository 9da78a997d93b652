// Documents over HTTP: file and link documents with categories, search (title and file name),
// filters by category, asset and ticket, keyset pages; links to tickets shown only to those who may
// read the ticket (and kept when someone who cannot see them edits the links); documents.view and
// documents.manage enforced; file safety (sniffed type, HTML refused, never inline unless safe,
// 413 over the limit leaving nothing behind); the document_categories picklist.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompany, createRole, createUser, type TestCompany, type TestUser } from '../factories.js';
import type { Client } from '../harness.js';
import { type Harness, harness } from '../harness.js';
import { count } from '../helpers.js';
import { type MultipartFile, multipart } from '../multipart.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

function upload(client: Client, file: MultipartFile | null, fields: Record<string, string> = {}) {
  const { body, headers } = multipart(file ? [file] : [], fields);
  return client.request('POST', '/api/v1/documents', body, headers);
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe('documents', () => {
  let h: Harness;
  let acme: TestCompany;
  let manager: TestUser;
  let requester: TestUser;
  let viewer: TestUser;
  let noDocs: TestUser;
  let manuals: string;
  let policies: string;
  let assetId: string;
  let managerTicket: number;
  let requesterTicket: number;

  beforeAll(async () => {
    h = await harness();
    acme = await createCompany(h);
    manager = await createUser(h, acme, { role: 'Manager' });
    requester = await createUser(h, acme, { role: 'Requester' });
    viewer = await createUser(h, acme, { role: 'Viewer' });
    noDocs = await createUser(h, acme, { roleId: await createRole(h, acme, ['tickets.create', 'assets.view']) });
    const cats = await manager.client.get('/api/v1/picklists/document_categories');
    expect(cats.status).toBe(200);
    const byName = new Map(cats.body.items.map((i: { name: string; id: string }) => [i.name, i.id]));
    manuals = byName.get('Manuals') as string;
    policies = byName.get('Policies') as string;
    expect(manuals && policies).toBeTruthy();
    const category = (await acme.admin.client.get('/api/v1/picklists/categories')).body.items[0].id;
    const asset = await manager.client.post('/api/v1/assets', { name: 'Boiler 3', categoryId: category });
    expect(asset.status).toBe(201);
    assetId = asset.body.id;
    managerTicket = (await manager.client.post('/api/v1/tickets', { kind: 'incident', title: 'Boiler noise' })).body.ticket.number;
    requesterTicket = (await requester.client.post('/api/v1/tickets', { kind: 'incident', title: 'My desk lamp' })).body.ticket.number;
  });
  afterAll(() => h.close());

  it('uploads a file document with its category and links, and serves the identical bytes with safe headers', async () => {
    const res = await upload(
      manager.client,
      { filename: 'Boiler manual.pdf', content: PDF, contentType: 'text/html' },
      {
        title: 'Boiler manual',
        categoryId: manuals,
        assetIds: assetId,
        ticketNumbers: String(managerTicket),
      },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.document).toMatchObject({
      title: 'Boiler manual',
      kind: 'file',
      url: null,
      category: { id: manuals, name: 'Manuals' },
      file: { name: 'Boiler manual.pdf', size: PDF.length, contentType: 'application/pdf' },
      assets: [{ id: assetId, name: 'Boiler 3' }],
      tickets: [{ number: managerTicket, title: 'Boiler noise' }],
      can: { update: true, delete: true },
    });
    const id = res.body.document.id;
    const { rows } = await h.deps.database.query<{ storage_key: string }>(
      'select storage_key from documents where tenant_id = $1 and id = $2',
      [acme.id, id],
    );
    expect(rows[0].storage_key).toMatch(new RegExp(`^t${acme.id}/documents/[0-9a-f-]{36}$`));
    const down = await viewer.client.get(`/api/v1/documents/${id}/file`);
    expect(down.status).toBe(200);
    expect(Buffer.compare(down.raw.rawPayload, PDF)).toBe(0);
    expect(down.headers['content-type']).toBe('application/pdf');
    expect(down.headers['content-disposition']).toBe(`inline; filename="Boiler manual.pdf"; filename*=UTF-8''Boiler%20manual.pdf`);
    expect(down.headers['x-content-type-options']).toBe('nosniff');
    expect(String(down.headers['content-security-policy'])).toContain('sandbox');
    expect(await count(h, "select count(*) from audit_log where tenant_id = $1 and action = 'document.created'", [acme.id])).toBe(1);
  });

  it('makes link documents from JSON; only http(s) links; a file and a URL at once is refused', async () => {
    const res = await manager.client.post('/api/v1/documents', {
      title: 'Travel policy',
      categoryId: policies,
      url: 'https://intranet.example.com/travel',
    });
    expect(res.status).toBe(201);
    expect(res.body.document).toMatchObject({
      kind: 'url',
      url: 'https://intranet.example.com/travel',
      file: null,
      category: { name: 'Policies' },
    });
    const file = await manager.client.get(`/api/v1/documents/${res.body.document.id}/file`);
    expect(file.status).toBe(404);
    for (const url of ['javascript:alert(1)', 'data:text/html,<b>x</b>', 'not a url']) {
      const bad = await manager.client.post('/api/v1/documents', { title: 'Bad', url });
      expect(bad.status, url).toBe(400);
      expect(bad.body.error.details.fields.url).toBeTruthy();
    }
    expect((await manager.client.post('/api/v1/documents', { title: 'No url' })).status).toBe(400);
    const both = await upload(manager.client, { filename: 'a.txt', content: 'text' }, { title: 'Both', url: 'https://example.com' });
    expect(both.status).toBe(400);
    const neither = await upload(manager.client, null, { title: 'Neither' });
    expect(neither.status).toBe(400);
    const unknownCategory = await manager.client.post('/api/v1/documents', {
      title: 'X',
      url: 'https://example.com',
      categoryId: '999999',
    });
    expect(unknownCategory.status).toBe(400);
    const assetCategory = (await manager.client.get('/api/v1/picklists/categories')).body.items[0].id;
    const wrongList = await manager.client.post('/api/v1/documents', { title: 'X', url: 'https://example.com', categoryId: assetCategory });
    expect(wrongList.status).toBe(400);
  });

  it('refuses HTML and scripts (415), serves text as an attachment, and answers 413 over the limit leaving nothing', async () => {
    const before = await count(h, 'select count(*) from documents where tenant_id = $1', [acme.id]);
    const html = await upload(
      manager.client,
      { filename: 'notes.txt', content: '<!doctype html><script>alert(1)</script>', contentType: 'text/plain' },
      { title: 'Evil' },
    );
    expect(html.status).toBe(415);
    const svg = await upload(
      manager.client,
      { filename: 'logo.png', content: '<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>' },
      { title: 'Evil svg' },
    );
    expect(svg.status).toBe(415);
    expect(await count(h, 'select count(*) from documents where tenant_id = $1', [acme.id])).toBe(before);

    const text = await upload(manager.client, { filename: 'howto.html', content: 'plain words, no markup', contentType: 'text/html' });
    expect(text.status).toBe(201);
    // The title defaults to the file name.
    expect(text.body.document).toMatchObject({ title: 'howto.html', file: { contentType: 'text/plain' } });
    const down = await manager.client.get(`/api/v1/documents/${text.body.document.id}/file`);
    expect(down.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(String(down.headers['content-disposition'])).toMatch(/^attachment;/);

    const small = await harness({ uploadLimitBytes: 1024 });
    try {
      const co = await createCompany(small);
      const big = await upload(co.admin.client, { filename: 'big.txt', content: 'x'.repeat(5000) }, { title: 'Too big' });
      expect(big.status).toBe(413);
      expect(big.body.error.code).toBe('payload_too_large');
      expect(await count(small, 'select count(*) from documents where tenant_id = $1', [co.id])).toBe(0);
      const left = (await filesUnder(path.join(small.deps.config.dataDir, 'files'))).filter((f) =>
        f.includes(`${path.sep}t${co.id}${path.sep}`),
      );
      expect(left).toEqual([]);
    } finally {
      await small.close();
    }
  });

  it('searches title and file name, filters by category, asset and ticket, and pages newest first', async () => {
    const search = async (qs: string) => {
      const res = await viewer.client.get(`/api/v1/documents?${qs}`);
      expect(res.status, qs).toBe(200);
      return res.body.items.map((d: { title: string }) => d.title) as string[];
    };
    expect(await search('q=boiler')).toEqual(['Boiler manual']);
    expect(await search('q=MANUAL.PDF')).toEqual(['Boiler manual']);
    expect(await search('q=100%25')).toEqual([]);
    expect(await search(`categoryId=${policies}`)).toEqual(['Travel policy']);
    expect(await search(`assetId=${assetId}`)).toEqual(['Boiler manual']);
    // Search and filters together (the category inside the search function, asset and ticket after it).
    expect(await search(`q=boiler&categoryId=${manuals}`)).toEqual(['Boiler manual']);
    expect(await search(`q=boiler&categoryId=${policies}`)).toEqual([]);
    expect(await search(`q=boiler&assetId=${assetId}`)).toEqual(['Boiler manual']);
    expect(await search(`q=travel&assetId=${assetId}`)).toEqual([]);
    expect(
      (await manager.client.get(`/api/v1/documents?ticketNumber=${managerTicket}`)).body.items.map((d: { title: string }) => d.title),
    ).toEqual(['Boiler manual']);

    for (let i = 0; i < 5; i++)
      expect((await manager.client.post('/api/v1/documents', { title: `Paged ${i}`, url: `https://example.com/${i}` })).status).toBe(201);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: Array<{ title: string }>; nextCursor: string | null } } = await viewer.client.get(
        `/api/v1/documents?q=Paged&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...res.body.items.map((d) => d.title));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['Paged 4', 'Paged 3', 'Paged 2', 'Paged 1', 'Paged 0']);
  });

  it('shows ticket links only to those who may read the ticket, and keeps hidden links when the links are edited', async () => {
    const made = await manager.client.post('/api/v1/documents', {
      title: 'Lamp guide',
      url: 'https://example.com/lamp',
      ticketNumbers: [managerTicket, requesterTicket],
    });
    expect(made.status).toBe(201);
    const id = made.body.document.id;
    expect(made.body.document.tickets.map((t: { number: number }) => t.number).sort()).toEqual([managerTicket, requesterTicket].sort());
    // The requester reads the document (company knowledge) but sees only their own ticket on it.
    const mine = await requester.client.get(`/api/v1/documents/${id}`);
    expect(mine.status).toBe(200);
    expect(mine.body.document.tickets).toEqual([{ number: requesterTicket, title: 'My desk lamp' }]);
    expect(mine.body.document.can).toEqual({ update: false, delete: false });
    // The ticket filter is for tickets one may read.
    expect((await requester.client.get(`/api/v1/documents?ticketNumber=${managerTicket}`)).status).toBe(404);
    expect(
      (await requester.client.get(`/api/v1/documents?ticketNumber=${requesterTicket}`)).body.items.map((d: { id: string }) => d.id),
    ).toEqual([id]);

    // A document manager who can read neither ticket replaces the links: both stay.
    const editor = await createUser(h, acme, {
      roleId: await createRole(h, acme, ['documents.view', 'documents.manage', 'tickets.create']),
    });
    const edited = await editor.client.patch(`/api/v1/documents/${id}`, { ticketNumbers: [] });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body.document.tickets).toEqual([]);
    const after = await manager.client.get(`/api/v1/documents/${id}`);
    expect(after.body.document.tickets.map((t: { number: number }) => t.number).sort()).toEqual([managerTicket, requesterTicket].sort());
    // Someone who sees both replaces them.
    const cleared = await manager.client.patch(`/api/v1/documents/${id}`, { ticketNumbers: [requesterTicket] });
    expect(cleared.body.document.tickets).toEqual([{ number: requesterTicket, title: 'My desk lamp' }]);
    // Linking a ticket the editor cannot read is refused like an unknown one.
    const hidden = await editor.client.patch(`/api/v1/documents/${id}`, { ticketNumbers: [managerTicket] });
    expect(hidden.status).toBe(400);
    expect((await manager.client.patch(`/api/v1/documents/${id}`, { ticketNumbers: [999999] })).status).toBe(400);
    expect((await manager.client.patch(`/api/v1/documents/${id}`, { assetIds: ['999999'] })).status).toBe(400);
  });

  it('edits and deletes (the file goes too); the category in use cannot be deleted', async () => {
    const made = await upload(manager.client, { filename: 'cert.pdf', content: PDF }, { title: 'Certificate', categoryId: manuals });
    const id = made.body.document.id;
    const patched = await manager.client.patch(`/api/v1/documents/${id}`, {
      title: 'Gas certificate',
      categoryId: policies,
      assetIds: [assetId],
    });
    expect(patched.status).toBe(200);
    expect(patched.body.document).toMatchObject({ title: 'Gas certificate', category: { id: policies }, assets: [{ id: assetId }] });
    expect((await manager.client.patch(`/api/v1/documents/${id}`, { url: 'https://example.com' })).status).toBe(400);
    const unlinked = await manager.client.patch(`/api/v1/documents/${id}`, { categoryId: null, assetIds: [] });
    expect(unlinked.body.document).toMatchObject({ category: null, assets: [] });

    const inUse = await acme.admin.client.delete(`/api/v1/picklists/document_categories/${manuals}`);
    expect(inUse.status).toBe(422);
    expect(inUse.body.error.code).toBe('picklist_in_use');

    const { rows } = await h.deps.database.query<{ storage_key: string }>(
      'select storage_key from documents where tenant_id = $1 and id = $2',
      [acme.id, id],
    );
    const file = path.join(h.deps.config.dataDir, 'files', rows[0].storage_key);
    expect((await filesUnder(path.dirname(file))).includes(file)).toBe(true);
    expect((await manager.client.delete(`/api/v1/documents/${id}`)).status).toBe(204);
    expect((await manager.client.get(`/api/v1/documents/${id}`)).status).toBe(404);
    expect((await filesUnder(path.dirname(file))).includes(file)).toBe(false);
  });

  it('enforces documents.view and documents.manage, also on the document categories', async () => {
    const any = (await manager.client.get('/api/v1/documents')).body.items[0].id;
    expect((await noDocs.client.get('/api/v1/documents')).status).toBe(403);
    expect((await noDocs.client.get(`/api/v1/documents/${any}`)).status).toBe(403);
    expect((await noDocs.client.get(`/api/v1/documents/${any}/file`)).status).toBe(403);
    expect((await noDocs.client.get('/api/v1/picklists/document_categories')).status).toBe(403);
    // Asset lists stay with assets.view.
    expect((await noDocs.client.get('/api/v1/picklists/categories')).status).toBe(200);
    for (const who of [viewer, requester]) {
      expect((await who.client.get('/api/v1/documents')).status).toBe(200);
      expect((await who.client.post('/api/v1/documents', { title: 'X', url: 'https://example.com' })).status).toBe(403);
      expect((await who.client.patch(`/api/v1/documents/${any}`, { title: 'X' })).status).toBe(403);
      expect((await who.client.delete(`/api/v1/documents/${any}`)).status).toBe(403);
      expect((await who.client.post('/api/v1/picklists/document_categories', { name: 'Mine' })).status).toBe(403);
    }
    const made = await manager.client.post('/api/v1/picklists/document_categories', { name: 'Floor plans' });
    expect(made.status).toBe(201);
    expect((await manager.client.delete(`/api/v1/picklists/document_categories/${made.body.id}`)).status).toBe(204);
    // A manager without assets.manage could not edit the asset lists.
    const docsOnly = await createUser(h, acme, {
      roleId: await createRole(h, acme, ['documents.view', 'documents.manage', 'assets.view']),
    });
    expect((await docsOnly.client.post('/api/v1/picklists/manufacturers', { name: 'Nope' })).status).toBe(403);
    expect((await docsOnly.client.post('/api/v1/picklists/document_categories', { name: 'Yes' })).status).toBe(201);
  });
});
