// The asset registry over HTTP: CRUD with typed custom fields and generated tags, check-out/in with
// history, the asset page (children, tickets, can), ticket links, files, QR, labels and exports.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompany, createUser, type TestCompany, type TestUser } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { multipart } from '../multipart.js';

describe('assets', () => {
  let h: Harness;
  let co: TestCompany;
  let tech: TestUser;
  let requester: TestUser;
  let laptop: string;
  let hvac: string;

  beforeAll(async () => {
    h = await harness();
    co = await createCompany(h);
    tech = await createUser(h, co, { role: 'Technician' });
    requester = await createUser(h, co, { role: 'Requester' });
    const cats = await co.admin.client.get('/api/v1/picklists/categories');
    expect(cats.status).toBe(200);
    laptop = cats.body.items.find((c: { name: string }) => c.name === 'Laptop').id;
    hvac = cats.body.items.find((c: { name: string }) => c.name === 'HVAC').id;
    const conditions = await co.admin.client.get('/api/v1/picklists/conditions');
    expect(conditions.body.items.map((c: { name: string }) => c.name).sort()).toEqual(['Fair', 'Good', 'New', 'Poor']);
  });
  afterAll(() => h.close());

  it('creates with a generated tag, typed custom fields, and a public link; 409 on a duplicate tag', async () => {
    const admin = co.admin.client;
    const a = await admin.post('/api/v1/assets', { name: 'ThinkPad', categoryId: laptop, customFields: { ram_gb: '32', os: 'linux' }, purchaseCost: '1299.5' });
    expect(a.status).toBe(201);
    expect(a.body.asset).toMatchObject({ tag: 'AST-00001', status: 'in_stock', customFields: { ram_gb: 32, os: 'Linux' }, purchaseCost: 1299.5, version: 1 });
    expect(a.body.asset.publicUrl).toMatch(/\/r\/[A-Za-z0-9_-]{20,}$/);
    const b = await admin.post('/api/v1/assets', { name: 'Second', categoryId: laptop });
    expect(b.body.asset.tag).toBe('AST-00002');
    const dup = await admin.post('/api/v1/assets', { tag: 'ast-00001', name: 'Dup', categoryId: laptop });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('duplicate');
    const bad = await admin.post('/api/v1/assets', { name: 'Bad', categoryId: laptop, customFields: { ram_gb: 'lots', os: 'BeOS', colour: 'red' } });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.details.fields).sort()).toEqual(['customFields.colour', 'customFields.os', 'customFields.ram_gb']);
    // A required field on a category is enforced.
    const cat = await admin.post('/api/v1/picklists/categories', { name: 'Server', customFields: [{ key: 'rack', label: 'Rack', type: 'text', required: true }] });
    expect(cat.status).toBe(201);
    expect((await admin.post('/api/v1/assets', { name: 'Srv', categoryId: cat.body.id })).body.error.details.fields).toEqual({ 'customFields.rack': 'is required' });
    expect((await admin.post('/api/v1/assets', { name: 'Srv', categoryId: cat.body.id, customFields: { rack: 'R1' } })).status).toBe(201);
    expect((await admin.post('/api/v1/picklists/manufacturers', { name: 'Acme', customFields: [{ key: 'x', label: 'X', type: 'text' }] })).status).toBe(400);
    // Requesters see but may not create.
    expect((await requester.client.get('/api/v1/assets')).status).toBe(200);
    expect((await requester.client.post('/api/v1/assets', { name: 'Nope', categoryId: laptop })).status).toBe(403);
  });

  it('edits with If-Match (409 stale_version), records history, refuses parent cycles, lists with filters', async () => {
    const admin = co.admin.client;
    const parent = (await admin.post('/api/v1/assets', { tag: 'RACK-1', name: 'Rack one', categoryId: hvac })).body.asset;
    const child = (await admin.post('/api/v1/assets', { tag: 'PSU-1', name: 'Power unit', categoryId: hvac, parentId: parent.id, serial: 'XYZ-778' })).body.asset;
    const ok = await admin.request('PATCH', `/api/v1/assets/${child.id}`, { status: 'in_repair', name: 'Power unit 1' }, { 'if-match': '1' });
    expect(ok.status).toBe(200);
    expect(ok.body.asset).toMatchObject({ status: 'in_repair', version: 2 });
    const stale = await admin.request('PATCH', `/api/v1/assets/${child.id}`, { name: 'Late' }, { 'if-match': '1' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('stale_version');
    const cycle = await admin.patch(`/api/v1/assets/${parent.id}`, { parentId: child.id });
    expect(cycle.status).toBe(422);
    expect(cycle.body.error.code).toBe('asset_cycle');
    const hist = await admin.get(`/api/v1/assets/${child.id}/history`);
    expect(hist.body.items.map((x: { event: string }) => x.event)).toEqual(['created', 'status_changed']);
    expect(hist.body.items[1].changes).toEqual(
      expect.arrayContaining([
        { field: 'status', before: 'in_stock', after: 'in_repair', beforeLabel: null, afterLabel: null },
        { field: 'name', before: 'Power unit', after: 'Power unit 1', beforeLabel: null, afterLabel: null },
      ]),
    );
    const page = await admin.get(`/api/v1/assets/${parent.id}`);
    expect(page.body.asset.children).toEqual([{ id: child.id, tag: 'PSU-1', name: 'Power unit 1' }]);
    expect(page.body.asset.can.update).toBe(true);
    expect((await admin.get('/api/v1/assets?q=xyz-778')).body.items.map((x: { id: string }) => x.id)).toEqual([child.id]);
    expect((await admin.get('/api/v1/assets?q=power')).body.items.map((x: { id: string }) => x.id)).toEqual([child.id]);
    expect((await admin.get('/api/v1/assets?status=in_repair')).body.items.map((x: { id: string }) => x.id)).toEqual([child.id]);
    const first = await admin.get('/api/v1/assets?limit=2');
    expect(first.body.items).toHaveLength(2);
    const second = await admin.get(`/api/v1/assets?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items[0].id < first.body.items[1].id || Number(second.body.items[0].id) < Number(first.body.items[1].id)).toBe(true);
  });

  it('checks out and in, with overdue, 422s and history', async () => {
    const admin = co.admin.client;
    const a = (await admin.post('/api/v1/assets', { name: 'Loaner', categoryId: laptop })).body.asset;
    const out = await admin.post(`/api/v1/assets/${a.id}/checkout`, { userId: String(tech.id), expectedReturn: new Date(Date.now() + 86_400_000 * 3).toISOString().slice(0, 10) });
    expect(out.status).toBe(200);
    expect(out.body.asset).toMatchObject({ status: 'in_use', assignedToId: String(tech.id), overdue: false });
    const again = await admin.post(`/api/v1/assets/${a.id}/checkout`, { userId: String(tech.id) });
    expect(again.status).toBe(422);
    expect(again.body.error.code).toBe('already_checked_out');
    // Overdue once the expected return is past (moved back in the database).
    await h.deps.database.query("update assets set expected_return = current_date - 2 where id = $1", [a.id]);
    expect((await admin.get(`/api/v1/assets/${a.id}`)).body.asset.overdue).toBe(true);
    expect((await admin.get(`/api/v1/assets?assignedToId=${tech.id}`)).body.items.map((x: { id: string }) => x.id)).toEqual([a.id]);
    const back = await admin.post(`/api/v1/assets/${a.id}/checkin`, { note: 'Returned with charger' });
    expect(back.body.asset).toMatchObject({ status: 'in_stock', assignedToId: null, overdue: false });
    const twice = await admin.post(`/api/v1/assets/${a.id}/checkin`, {});
    expect(twice.status).toBe(422);
    expect(twice.body.error.code).toBe('not_checked_out');
    const ghost = await admin.post(`/api/v1/assets/${a.id}/checkout`, { userId: '999999' });
    expect(ghost.status).toBe(400);
    const hist = (await admin.get(`/api/v1/assets/${a.id}/history`)).body.items;
    expect(hist.map((x: { event: string }) => x.event)).toEqual(['created', 'checked_out', 'checked_in']);
    expect(hist[2].actor.name).toBeTruthy();
    expect(hist[2].changes).toContainEqual({ field: 'note', before: null, after: 'Returned with charger', beforeLabel: null, afterLabel: null });
  });

  it('links tickets from the asset side, showing only visible ones', async () => {
    const admin = co.admin.client;
    const a = (await admin.post('/api/v1/assets', { name: 'Printer', categoryId: hvac })).body.asset;
    const mine = (await requester.client.post('/api/v1/tickets', { kind: 'incident', title: 'Paper jam' })).body.ticket.number;
    const other = (await admin.post('/api/v1/tickets', { kind: 'incident', title: 'Admin only' })).body.ticket.number;
    expect((await admin.post(`/api/v1/assets/${a.id}/tickets`, { number: mine })).status).toBe(200);
    const linked = await admin.post(`/api/v1/assets/${a.id}/tickets`, { number: other });
    expect(linked.body.asset.tickets.map((t: { number: number }) => t.number).sort()).toEqual([mine, other].sort());
    const seen = await requester.client.get(`/api/v1/assets/${a.id}`);
    expect(seen.body.asset.tickets.map((t: { number: number }) => t.number)).toEqual([mine]);
    expect(seen.body.asset.can.update).toBe(false);
    const ticket = await admin.get(`/api/v1/tickets/${mine}`);
    expect(ticket.body.ticket.assetIds).toEqual([a.id]);
    const history = await admin.get(`/api/v1/tickets/${mine}/history`);
    expect(JSON.stringify(history.body)).toContain('"assets"');
    expect((await admin.delete(`/api/v1/assets/${a.id}/tickets/${mine}`)).status).toBe(200);
    expect((await admin.delete(`/api/v1/assets/${a.id}/tickets/${mine}`)).status).toBe(404);
    expect((await admin.post(`/api/v1/assets/${a.id}/tickets`, { number: 99999 })).status).toBe(404);
    // The database holds links to assets of the same company only (ticket_assets_asset_fk).
    const ticketId = Number((await admin.get(`/api/v1/tickets/${mine}`)).body.ticket.id);
    const dangling = h.deps.database.withTenant(co.id, ({ tx }) => tx.execute(sql`insert into ticket_assets (tenant_id, ticket_id, asset_id) values (${co.id}, ${ticketId}, ${Number(a.id) + 1000})`));
    await expect(dangling).rejects.toMatchObject({ cause: { message: expect.stringContaining('ticket_assets_asset_fk') } });
  });

  it('stores files, regenerates the public link, draws the QR code, labels and exports', async () => {
    const admin = co.admin.client;
    const a = (await admin.post('/api/v1/assets', { name: '=Camera', categoryId: laptop })).body.asset;
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const up = multipart([{ filename: 'photo.png', content: png }]);
    const file = await admin.request('POST', `/api/v1/assets/${a.id}/files`, up.body, up.headers);
    expect(file.status).toBe(201);
    expect(file.body.file).toMatchObject({ name: 'photo.png', contentType: 'image/png' });
    const html = multipart([{ filename: 'x.txt', content: '<html><script>1</script></html>' }]);
    expect((await admin.request('POST', `/api/v1/assets/${a.id}/files`, html.body, html.headers)).status).toBe(415);
    expect((await admin.get(`/api/v1/assets/${a.id}/files`)).body.items).toHaveLength(1);
    const got = await admin.get(`/api/v1/asset-files/${file.body.file.id}`);
    expect(got.raw.rawPayload.equals(png)).toBe(true);
    expect((await admin.delete(`/api/v1/asset-files/${file.body.file.id}`)).status).toBe(204);
    expect((await admin.get(`/api/v1/asset-files/${file.body.file.id}`)).status).toBe(404);

    const renewed = await admin.post(`/api/v1/assets/${a.id}/public-token`);
    expect(renewed.body.asset.publicUrl).not.toBe(a.publicUrl);
    const qr = await admin.get(`/api/v1/assets/${a.id}/qr.png`);
    expect(qr.headers['content-type']).toBe('image/png');
    expect(qr.raw.rawPayload.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');

    const all = (await admin.get('/api/v1/assets?limit=200')).body.items.map((x: { id: string }) => x.id);
    const pdf = await admin.get(`/api/v1/assets/labels.pdf?ids=${all.join(',')}&paper=letter`);
    expect(pdf.status).toBe(200);
    expect(pdf.raw.rawPayload.subarray(0, 4).toString()).toBe('%PDF');
    expect((await admin.get('/api/v1/assets/labels.pdf?ids=999999')).status).toBe(404);

    const csv = await admin.get('/api/v1/assets/export.csv?q=camera');
    expect(csv.status).toBe(200);
    const lines = csv.raw.body.replace(/^\ufeff/, '').trim().split('\n');
    expect(lines[0]).toContain('Asset Tag,Name,Category');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain("'=Camera");
    const xlsx = await admin.get('/api/v1/assets/export.xlsx');
    expect(xlsx.raw.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const template = await admin.get('/api/v1/assets/import/template.csv');
    expect(template.raw.body).toContain('Asset Tag,Name,Category');
  });

  it('lists the files of an asset a page at a time, oldest first', async () => {
    const admin = co.admin.client;
    const a = (await admin.post('/api/v1/assets', { name: 'Projector', categoryId: laptop })).body.asset;
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    for (const name of ['one.png', 'two.png', 'three.png']) {
      const up = multipart([{ filename: name, content: png }]);
      expect((await admin.request('POST', `/api/v1/assets/${a.id}/files`, up.body, up.headers)).status).toBe(201);
    }
    const first = await admin.get(`/api/v1/assets/${a.id}/files?limit=2`);
    expect(first.body.items.map((f: { name: string }) => f.name)).toEqual(['one.png', 'two.png']);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await admin.get(`/api/v1/assets/${a.id}/files?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body).toMatchObject({ items: [{ name: 'three.png' }], nextCursor: null });
    expect((await admin.get(`/api/v1/assets/${a.id}/files?limit=201`)).status).toBe(400);
    expect((await admin.get(`/api/v1/assets/${a.id}/files?cursor=nonsense`)).status).toBe(400);
  });

  it('refuses deleting a picklist value in use', async () => {
    const admin = co.admin.client;
    const del = await admin.delete(`/api/v1/picklists/categories/${laptop}`);
    expect(del.status).toBe(422);
    expect(del.body.error.code).toBe('picklist_in_use');
    const m = await admin.post('/api/v1/picklists/manufacturers', { name: 'Unused Inc' });
    expect((await admin.post('/api/v1/picklists/manufacturers', { name: 'unused inc' })).status).toBe(409);
    expect((await admin.patch(`/api/v1/picklists/manufacturers/${m.body.id}`, { name: 'Unused Ltd' })).body.name).toBe('Unused Ltd');
    expect((await admin.delete(`/api/v1/picklists/manufacturers/${m.body.id}`)).status).toBe(204);
  });
});
