// Attachments over HTTP: round trip with identical bytes, types sniffed from content, active content
// refused (415), size limit (413) leaving nothing behind, internal-note files hidden, other companies 404.
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompany, createUser, type TestCompany, type TestUser } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { count, eventually } from '../helpers.js';
import { openLive } from '../live.js';
import { type MultipartFile, multipart } from '../multipart.js';
import type { Client } from '../harness.js';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(3000)]);
const ZIP = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), randomBytes(200)]);

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

function upload(client: Client, number: number, file: MultipartFile, fields: Record<string, string> = {}) {
  const { body, headers } = multipart([file], fields);
  return client.request('POST', `/api/v1/tickets/${number}/attachments`, body, headers);
}

describe('attachments', () => {
  let h: Harness;
  let acme: TestCompany;
  let requester: TestUser;
  let stranger: TestUser;
  let manager: TestUser;
  let n: number;

  const stored = async () => ({
    rows: await count(h, 'select count(*) from attachments where tenant_id = $1', [acme.id]),
    files: (await filesUnder(path.join(h.deps.config.dataDir, 'files'))).filter((f) => f.includes(`${path.sep}t${acme.id}${path.sep}`)).length,
  });

  beforeAll(async () => {
    h = await harness();
    acme = await createCompany(h);
    requester = await createUser(h, acme, { role: 'Requester' });
    stranger = await createUser(h, acme, { role: 'Requester' });
    manager = await createUser(h, acme, { role: 'Manager' });
    const t = await requester.client.post('/api/v1/tickets', { kind: 'incident', title: 'Broken door', description: 'photo attached' });
    expect(t.status).toBe(201);
    n = t.body.ticket.number;
  });
  afterAll(() => h.close());

  it('uploads a photo and downloads the identical bytes, with safe headers and a server-made storage key', async () => {
    const live = await openLive(h, manager.client.cookie!);
    try {
      const res = await upload(requester.client, n, { filename: '../../etc/IMG 0001.png', content: PNG, contentType: 'text/html' });
      expect(res.status).toBe(201);
      expect(res.body.attachment).toMatchObject({ name: 'IMG 0001.png', size: PNG.length, contentType: 'image/png', commentId: null });
      const id = res.body.attachment.id;
      const { rows } = await h.deps.database.query<{ storage_key: string }>('select storage_key from attachments where tenant_id = $1 and id = $2', [acme.id, id]);
      const ticketId = await count(h, 'select id from tickets where tenant_id = $1 and number = $2', [acme.id, n]);
      expect(rows[0].storage_key).toMatch(new RegExp(`^t${acme.id}/tickets/${ticketId}/[0-9a-f-]{36}$`));

      for (const who of [requester, manager]) {
        const down = await who.client.get(`/api/v1/attachments/${id}`);
        expect(down.status).toBe(200);
        expect(Buffer.compare(down.raw.rawPayload, PNG)).toBe(0);
        expect(down.headers['content-type']).toBe('image/png');
        expect(down.headers['content-disposition']).toBe(`inline; filename="IMG 0001.png"; filename*=UTF-8''IMG%200001.png`);
        expect(down.headers['x-content-type-options']).toBe('nosniff');
        expect(String(down.headers['cache-control'])).toContain('private');
      }
      const list = await requester.client.get(`/api/v1/tickets/${n}/attachments`);
      expect(list.body.items.map((a: { id: string }) => a.id)).toEqual([id]);
      const history = await requester.client.get(`/api/v1/tickets/${n}/history`);
      expect(history.body.items.find((x: { event: string }) => x.event === 'attachment_added')).toMatchObject({ after: { id, name: 'IMG 0001.png' } });
      expect(await eventually(async () => live.messages.some((m) => m.type === 'ticket.updated' && (m.data as { what: string }).what === 'attachment'))).toBe(true);
    } finally {
      await live.close();
    }
  });

  it('sniffs the type from the bytes, never from the name or the client', async () => {
    const cases: Array<[string, Buffer | string, string]> = [
      ['notes.txt', 'plain text, ünïcödé\n', 'text/plain'],
      ['data.csv', 'a,b\n1,2\n', 'text/csv'],
      ['report.docx', ZIP, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      ['sheet.xlsx', ZIP, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      ['archive.zip', ZIP, 'application/zip'],
      ['scan.pdf', Buffer.from('%PDF-1.7\n%âãÏÓ\n'), 'application/pdf'],
      ['photo.txt', Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(100)]), 'image/jpeg'],
      ['anim.gif', Buffer.from('GIF89a\x01\x00\x01\x00'), 'image/gif'],
      ['pic.webp', Buffer.concat([Buffer.from('RIFF'), Buffer.from([1, 0, 0, 0]), Buffer.from('WEBPVP8 ')]), 'image/webp'],
      ['blob.png', Buffer.concat([Buffer.from([0, 1, 2, 3, 0xfe]), randomBytes(64)]), 'application/octet-stream'],
    ];
    for (const [filename, content, type] of cases) {
      const res = await upload(manager.client, n, { filename, content, contentType: 'image/png' });
      expect(res.status, filename).toBe(201);
      expect(res.body.attachment.contentType, filename).toBe(type);
    }
    const csv = (await manager.client.get(`/api/v1/tickets/${n}/attachments`)).body.items.find((a: { name: string }) => a.name === 'data.csv');
    const down = await manager.client.get(`/api/v1/attachments/${csv.id}`);
    expect(down.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(down.headers['content-disposition']).toMatch(/^attachment; /);
    // A long, odd name is cut to 200 characters and keeps its extension.
    const long = await upload(manager.client, n, { filename: `${'é'.repeat(300)}.txt`, content: 'x' });
    expect(long.status).toBe(201);
    expect([...long.body.attachment.name].length).toBe(200);
    expect(long.body.attachment.name.endsWith('.txt')).toBe(true);
    const dl = await manager.client.get(`/api/v1/attachments/${long.body.attachment.id}`);
    expect(dl.headers['content-disposition']).toContain(`filename*=UTF-8''${'%C3%A9'.repeat(3)}`);
  });

  it('refuses scripts, HTML and SVG whatever their name (415) and keeps nothing', async () => {
    const before = await stored();
    for (const content of [
      '#!/bin/sh\nrm -rf /\n',
      '<script>alert(document.cookie)</script>',
      '  <SCRIPT src="x.js"></SCRIPT>',
      '<!DOCTYPE html><html><body>hi</body></html>',
      '<html><body onload=alert(1)>',
      '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
      '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>',
      '\ufeff<script>alert(1)</script>',
    ]) {
      const res = await upload(requester.client, n, { filename: 'holiday.jpg', content, contentType: 'image/jpeg' });
      expect(res.status, content).toBe(415);
      expect(res.body.error.code).toBe('unsupported_media_type');
    }
    expect(await stored()).toEqual(before);
  });

  it('refuses what is not a multipart upload with a file, and more than one file', async () => {
    const before = await stored();
    const json = await requester.client.post(`/api/v1/tickets/${n}/attachments`, { file: 'aGVsbG8=' });
    expect(json.status).toBe(415);
    const noFile = multipart([], { commentId: '' });
    const empty = await requester.client.request('POST', `/api/v1/tickets/${n}/attachments`, noFile.body, noFile.headers);
    expect(empty.status).toBe(400);
    expect(empty.body.error.details.fields.file).toBeDefined();
    const two = multipart([
      { filename: 'a.txt', content: 'a' },
      { filename: 'b.txt', content: 'b' },
    ]);
    expect((await requester.client.request('POST', `/api/v1/tickets/${n}/attachments`, two.body, two.headers)).status).toBe(400);
    expect((await upload(requester.client, n, { filename: 'zero.txt', content: '' })).status).toBe(400);
    expect(await stored()).toEqual(before);
  });

  it('files on internal notes reach only those who may read internal notes', async () => {
    const note = await manager.client.post(`/api/v1/tickets/${n}/comments`, { body: 'supplier quote', internal: true });
    expect(note.status).toBe(201);
    const res = await upload(manager.client, n, { filename: 'quote.pdf', content: Buffer.from('%PDF-1.4 quote') }, { commentId: note.body.comment.id });
    expect(res.status).toBe(201);
    expect(res.body.attachment).toMatchObject({ commentId: note.body.comment.id, internal: true });
    const id = res.body.attachment.id;
    const down = await requester.client.get(`/api/v1/attachments/${id}`);
    expect(down.status).toBe(404);
    expect(down.body.error.code).toBe('not_found');
    expect((await requester.client.delete(`/api/v1/attachments/${id}`)).status).toBe(404);
    const list = await requester.client.get(`/api/v1/tickets/${n}/attachments`);
    expect(list.body.items.map((a: { id: string }) => a.id)).not.toContain(id);
    const history = await requester.client.get(`/api/v1/tickets/${n}/history`);
    expect(JSON.stringify(history.body)).not.toContain('quote.pdf');
    expect((await manager.client.get(`/api/v1/attachments/${id}`)).status).toBe(200);
    // The requester cannot hang a file on the note either.
    const sneaky = await upload(requester.client, n, { filename: 'x.txt', content: 'x' }, { commentId: note.body.comment.id });
    expect(sneaky.status).toBe(400);
    // A reply of the ticket is fine.
    const reply = await requester.client.post(`/api/v1/tickets/${n}/comments`, { body: 'here is another photo', internal: false });
    const onReply = await upload(requester.client, n, { filename: 'p.png', content: PNG }, { commentId: reply.body.comment.id });
    expect(onReply.status).toBe(201);
    expect(onReply.body.attachment.internal).toBe(false);
  });

  it('only those who may see the ticket reach its files; the uploader or an editor may delete', async () => {
    const mine = await upload(requester.client, n, { filename: 'mine.txt', content: 'mine' });
    const theirs = await upload(manager.client, n, { filename: 'theirs.txt', content: 'theirs' });
    expect((await stranger.client.get(`/api/v1/attachments/${mine.body.attachment.id}`)).status).toBe(404);
    expect((await stranger.client.get(`/api/v1/tickets/${n}/attachments`)).status).toBe(404);
    expect((await upload(stranger.client, n, { filename: 's.txt', content: 's' })).status).toBe(404);
    expect((await stranger.client.delete(`/api/v1/attachments/${mine.body.attachment.id}`)).status).toBe(404);
    const refused = await requester.client.delete(`/api/v1/attachments/${theirs.body.attachment.id}`);
    expect(refused.status).toBe(403);
    const filesBefore = (await stored()).files;
    expect((await requester.client.delete(`/api/v1/attachments/${mine.body.attachment.id}`)).status).toBe(204);
    expect((await manager.client.delete(`/api/v1/attachments/${theirs.body.attachment.id}`)).status).toBe(204);
    expect((await stored()).files).toBe(filesBefore - 2);
    expect((await manager.client.get(`/api/v1/attachments/${theirs.body.attachment.id}`)).status).toBe(404);
    const history = await manager.client.get(`/api/v1/tickets/${n}/history`);
    expect(history.body.items.filter((x: { event: string }) => x.event === 'attachment_removed')).toHaveLength(2);
  });

  it("another company's attachment is a 404, like one that does not exist", async () => {
    const other = await createCompany(h);
    const res = await upload(requester.client, n, { filename: 'secret.txt', content: 'acme secret' });
    const id = res.body.attachment.id;
    for (const [method, url] of [
      ['GET', `/api/v1/attachments/${id}`],
      ['DELETE', `/api/v1/attachments/${id}`],
    ]) {
      const r = await other.admin.client.request(method, url);
      expect(r.status, url).toBe(404);
      expect(r.body.error.code).toBe('not_found');
    }
    expect((await acme.admin.client.get(`/api/v1/attachments/${id}`)).status).toBe(200);
  });
});

describe('attachment size limit', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await harness({ uploadLimitBytes: 1024 });
  });
  afterAll(() => h.close());

  it('answers 413 to a file over the limit and keeps no row and no file', async () => {
    const acme = await createCompany(h);
    const t = await acme.admin.client.post('/api/v1/tickets', { kind: 'incident', title: 'Big file', description: '' });
    const n = t.body.ticket.number;
    const big = await upload(acme.admin.client, n, { filename: 'big.png', content: Buffer.concat([PNG, PNG]) });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('payload_too_large');
    expect(await count(h, 'select count(*) from attachments where tenant_id = $1', [acme.id])).toBe(0);
    expect(await filesUnder(path.join(h.deps.config.dataDir, 'files'))).toEqual([]);
    const history = await acme.admin.client.get(`/api/v1/tickets/${n}/history`);
    expect(history.body.items.some((x: { event: string }) => x.event === 'attachment_added')).toBe(false);
    // Exactly at the limit is fine.
    const fits = await upload(acme.admin.client, n, { filename: 'fits.png', content: PNG.subarray(0, 1024) });
    expect(fits.status).toBe(201);
    expect(fits.body.attachment.size).toBe(1024);
    expect(await filesUnder(path.join(h.deps.config.dataDir, 'files'))).toHaveLength(1);
  });
});
