// The public QR report: no login, the asset's name and location only, reports that enter the
// approval flow with checked photos, spam defences (honeypot, rate limits), and links that stop
// working when regenerated. Tokens are global: each works for its own asset, whatever the company.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { assets, picklistItems } from '../../src/server/db/schema/index.js';
import { findOrCreateLocation } from '../../src/server/modules/locations/locations.service.js';
import { createCompany, createUser, type TestCompany, type TestUser } from '../factories.js';
import { type Client, type Harness, harness } from '../harness.js';
import { count, outbox } from '../helpers.js';
import { multipart } from '../multipart.js';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(200)]);
const LIMIT = 64 * 1024;

async function makeAsset(h: Harness, tenantId: number, opts: { name: string; ticketCategoryId?: string | null }) {
  return h.deps.database.system(async ({ tx }) => {
    const site = await findOrCreateLocation(tx, tenantId, 'Head office', null);
    const room = await findOrCreateLocation(tx, tenantId, 'Room 2.14', site);
    const [category] = await tx
      .insert(picklistItems)
      .values({ tenantId, list: 'categories', name: `Printers ${randomBytes(3).toString('hex')}`, ticketCategoryId: opts.ticketCategoryId ? Number(opts.ticketCategoryId) : null })
      .returning();
    const token = randomBytes(24).toString('base64url');
    const [asset] = await tx
      .insert(assets)
      .values({ tenantId, tag: `AST-${randomBytes(3).toString('hex')}`, name: opts.name, categoryId: category.id, locationId: room.id, locationPath: room.path, publicToken: token })
      .returning();
    return { id: asset.id, token };
  });
}

let ips = 0;
/** An anonymous caller with its own address (the per-IP limit is per test unless a test wants it shared). */
function anonymous(h: Harness): Client {
  const c = h.client();
  c.remoteAddress = `10.1.${Math.floor(++ips / 250)}.${ips % 250}`;
  return c;
}

function report(c: Client, token: string, fields: Record<string, string>, files: Parameters<typeof multipart>[0] = []) {
  const body = multipart(files, fields);
  return c.request('POST', `/api/v1/public/assets/${token}/reports`, body.body, body.headers);
}

describe('public QR reports', () => {
  let h: Harness;
  let acme: TestCompany;
  let globex: TestCompany;
  let manager: TestUser;
  let printer: { id: number; token: string };
  const tickets = () => count(h, 'select count(*) from tickets');
  const files = () => count(h, 'select count(*) from attachments');
  const stored = async () => (await readdir(path.join(h.deps.config.dataDir), { recursive: true }).catch(() => [])).filter((f) => String(f).includes('qr/'));

  beforeAll(async () => {
    h = await harness({ uploadLimitBytes: LIMIT });
    acme = await createCompany(h);
    globex = await createCompany(h);
    manager = await createUser(h, acme, { role: 'Manager' });
    const category = await acme.admin.client.post('/api/v1/categories', {
      name: 'Printer faults',
      approvalSteps: [{ type: 'role', roleId: String(acme.roleIds.get('Manager')) }],
    });
    printer = await makeAsset(h, acme.id, { name: 'Printer 2nd floor', ticketCategoryId: category.body.id });
  });
  afterAll(() => h.close());

  it('shows the name and location path of the asset, and nothing for unknown links', async () => {
    const c = anonymous(h);
    const res = await c.get(`/api/v1/public/assets/${printer.token}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ asset: { name: 'Printer 2nd floor', location: 'Head office / Room 2.14' } });
    for (const token of ['x'.repeat(32), 'short', `${printer.token}x`]) {
      const missing = await c.get(`/api/v1/public/assets/${token}`);
      expect(missing.status).toBe(404);
      expect(missing.body.error.code).toBe('not_found');
    }
  });

  it('a report with a photo opens a QR request in the approval flow, and the reporter is mailed its number and later changes', async () => {
    const res = await report(anonymous(h), printer.token, { description: 'Paper jam on tray 2\nIt makes a grinding noise.', name: 'Visitor Vera', email: 'vera@example.org' }, [
      { field: 'photos', filename: 'jam.png', content: PNG, contentType: 'image/png' },
    ]);
    expect(res.status).toBe(201);
    const number = res.body.ticketNumber;
    expect(number).toBeGreaterThan(0);

    const got = await acme.admin.client.get(`/api/v1/tickets/${number}`);
    expect(got.body.ticket).toMatchObject({
      kind: 'incident',
      source: 'qr',
      status: 'pending_approval',
      title: 'Printer 2nd floor: Paper jam on tray 2',
      contact: { name: 'Visitor Vera', email: 'vera@example.org' },
      requester: null,
      assetIds: [String(printer.id)],
      category: { name: 'Printer faults' },
    });
    const attachments = await acme.admin.client.get(`/api/v1/tickets/${number}/attachments`);
    expect(attachments.body.items).toMatchObject([{ name: 'jam.png', contentType: 'image/png', size: PNG.length, uploadedBy: null }]);
    const file = await acme.admin.client.get(`/api/v1/attachments/${attachments.body.items[0].id}`);
    expect(Buffer.compare(file.raw.rawPayload, PNG)).toBe(0);

    const [received] = await outbox(h, { to: 'vera@example.org' });
    expect(received.subject).toContain(`#${number}`);
    expect(received.text).toContain(`#${number}`);

    expect((await manager.client.post(`/api/v1/tickets/${number}/approve`, {})).status).toBe(200);
    expect((await acme.admin.client.post(`/api/v1/tickets/${number}/status`, { status: 'in_progress' })).status).toBe(200);
    const mails = await outbox(h, { to: 'vera@example.org' });
    expect(mails).toHaveLength(2);
    expect(mails[1].subject).toBe(`Your report #${number} is in progress`);
  });

  it('without e-mail or ticket route: a direct request, and no mail', async () => {
    const plain = await makeAsset(h, acme.id, { name: 'Coffee machine' });
    const mailsBefore = (await outbox(h)).length;
    const res = await report(anonymous(h), plain.token, { description: 'No water', name: 'Sam' });
    expect(res.status).toBe(201);
    const got = await acme.admin.client.get(`/api/v1/tickets/${res.body.ticketNumber}`);
    expect(got.body.ticket).toMatchObject({ status: 'open', category: null, contact: { name: 'Sam', email: null } });
    expect((await outbox(h)).filter((m) => m.template.startsWith('public_report'))).toHaveLength(1);
    expect((await outbox(h)).length).toBeGreaterThanOrEqual(mailsBefore);
  });

  it('refuses non-images (415) and oversized photos (413), creating nothing', async () => {
    const before = { tickets: await tickets(), files: await files(), stored: await stored() };
    expect(before.stored.length).toBeGreaterThan(0); // the good report's photo: the check below can see files
    const script = await report(anonymous(h), printer.token, { description: 'Broken', name: 'Mallory' }, [
      { field: 'photos', filename: 'photo.png', content: PNG },
      { field: 'photos', filename: 'photo.jpg', content: '#!/bin/sh\nrm -rf /\n', contentType: 'image/jpeg' },
    ]);
    expect(script.status).toBe(415);
    const text = await report(anonymous(h), printer.token, { description: 'Broken', name: 'Mallory' }, [{ field: 'photos', filename: 'notes.png', content: 'just text' }]);
    expect(text.status).toBe(415);
    expect(text.body.error.code).toBe('unsupported_media_type');
    const pdf = await report(anonymous(h), printer.token, { description: 'Broken', name: 'Mallory' }, [{ field: 'photos', filename: 'a.jpg', content: '%PDF-1.7 ...' }]);
    expect(pdf.status).toBe(415);
    const big = await report(anonymous(h), printer.token, { description: 'Broken', name: 'Mallory' }, [
      { field: 'photos', filename: 'huge.png', content: Buffer.concat([PNG, Buffer.alloc(LIMIT + 10)]) },
    ]);
    expect(big.status).toBe(413);
    const six = await report(
      anonymous(h),
      printer.token,
      { description: 'Broken', name: 'Mallory' },
      Array.from({ length: 6 }, (_, i) => ({ field: 'photos', filename: `p${i}.png`, content: PNG })),
    );
    expect(six.status).toBe(413);
    const missing = await report(anonymous(h), printer.token, { name: 'Mallory' }, [{ field: 'photos', filename: 'p.png', content: PNG }]);
    expect(missing.status).toBe(400);
    expect(missing.body.error.details.fields.description).toBeTruthy();
    const long = await report(anonymous(h), printer.token, { description: 'x'.repeat(5001), name: 'Mallory' });
    expect(long.status).toBe(400);
    const json = await anonymous(h).post(`/api/v1/public/assets/${printer.token}/reports`, { description: 'x', name: 'y' });
    expect(json.status).toBe(415);
    expect({ tickets: await tickets(), files: await files(), stored: await stored() }).toEqual(before);
  });

  it('the honeypot answers like a success and creates nothing', async () => {
    const before = { tickets: await tickets(), files: await files(), stored: await stored() };
    const res = await report(anonymous(h), printer.token, { description: 'Buy cheap watches', name: 'Bot', website: 'https://spam.example' }, [
      { field: 'photos', filename: 'x.png', content: PNG },
    ]);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ ticketNumber: 0 });
    expect({ tickets: await tickets(), files: await files(), stored: await stored() }).toEqual(before);
  });

  it('rate-limits per address and per link (429 with Retry-After)', async () => {
    const c = anonymous(h);
    for (let i = 0; i < 10; i++) expect((await report(c, printer.token, { description: 'x', name: 'Bot', website: 'x' })).status).toBe(201);
    const limited = await report(c, printer.token, { description: 'x', name: 'Bot', website: 'x' });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Unknown links count against the address too (no guessing at full speed).
    expect((await report(c, 'y'.repeat(32), { description: 'x', name: 'Bot' })).status).toBe(429);

    const link = await makeAsset(h, acme.id, { name: 'Door 4' });
    const answers: number[] = [];
    for (let i = 0; i < 31; i++) {
      const caller = anonymous(h);
      answers.push((await report(caller, link.token, { description: 'x', name: 'Bot', website: 'x' })).status);
    }
    expect(answers.slice(0, 30).every((s) => s === 201)).toBe(true);
    expect(answers[30]).toBe(429);
  });

  it("another company's link works for its own asset only, in its own company; a regenerated link is dead", async () => {
    const forklift = await makeAsset(h, globex.id, { name: 'Forklift 3' });
    const res = await report(anonymous(h), forklift.token, { description: 'Hydraulic leak', name: 'Driver Dan' });
    expect(res.status).toBe(201);
    expect(await count(h, "select count(*) from tickets where tenant_id = $1 and source = 'qr'", [globex.id])).toBe(1);
    expect(await count(h, 'select count(*) from ticket_assets where tenant_id = $1 and asset_id = $2', [globex.id, forklift.id])).toBe(1);
    expect(await count(h, 'select count(*) from tickets where tenant_id = $1 and title like $2', [acme.id, '%Forklift%'])).toBe(0);

    const old = forklift.token;
    await h.deps.database.query('update assets set public_token = $1 where id = $2 and tenant_id = $3', [randomBytes(24).toString('base64url'), forklift.id, globex.id]);
    const before = await tickets();
    expect((await anonymous(h).get(`/api/v1/public/assets/${old}`)).status).toBe(404);
    const dead = await report(anonymous(h), old, { description: 'Still leaking', name: 'Driver Dan' }, [{ field: 'photos', filename: 'p.png', content: PNG }]);
    expect(dead.status).toBe(404);
    expect(dead.body.error.code).toBe('not_found');
    expect(await tickets()).toBe(before);
  });

  it('the web client serves its page for /r/<token> (SPA fallback)', async () => {
    const webDir = await mkdtemp(path.join(tmpdir(), 'steward-web-'));
    await writeFile(path.join(webDir, 'index.html'), '<!doctype html><title>Steward</title><div id="root"></div>');
    const app = await buildApp(h.deps, { webDir });
    try {
      const page = await app.inject({ method: 'GET', url: `/r/${printer.token}` });
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.body).toContain('id="root"');
    } finally {
      await app.close();
      await rm(webDir, { recursive: true, force: true });
    }
  });
});
