// Purchasing's access rules: who may plan, draft, finalise and receive (purchasing.manage /
// purchasing.finalize); another company's ids on every purchasing route look like no ids at all and
// change nothing; parallel receipts of one line never exceed what was ordered; parallel finalises
// get distinct consecutive numbers, each on its own PDF.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompany, createRole, createUser, type TestCompany, type TestUser } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { fillPath, snapshot } from '../helpers.js';
import { ledgerMismatches, makePart } from '../inventory-fixtures.js';
import { pdfPages } from '../pdf-text.js';
import { makeSetup, makeVendor, ok, plan, type Setup, sentOrder } from '../purchasing-fixtures.js';

const BOUNDARY = 'xBOUNDARYx';
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const LOGO_FORM = {
  body: Buffer.concat([Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="logo.png"\r\nContent-Type: image/png\r\n\r\n`), PNG, Buffer.from(`\r\n--${BOUNDARY}--\r\n`)]),
  headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
};
const PURCHASING = /^\/api\/v1\/(purchase-orders|planned-items|buying-companies|ship-to|settings\/purchasing)/;

describe('purchasing access', () => {
  let h: Harness;
  let acme: TestCompany;
  let globex: TestCompany;
  let setup: Setup;
  let vendorId: string;

  beforeAll(async () => {
    h = await harness();
    acme = await createCompany(h);
    globex = await createCompany(h);
    setup = await makeSetup(h, acme.id, acme.admin.client);
    vendorId = (await makeVendor(acme.admin.client)).id;
  });
  afterAll(() => h.close());

  it('lets Admin and Manager do everything, a planner draft but not finalise, and others nothing', async () => {
    const manager = await createUser(h, acme, { role: 'Manager' });
    const technician = await createUser(h, acme, { role: 'Technician' });
    const planner = await createUser(h, acme, { roleId: await createRole(h, acme, ['purchasing.manage', 'inventory.view']) });
    const approver = await createUser(h, acme, { roleId: await createRole(h, acme, ['purchasing.finalize']) });

    const item = await plan(planner.client, { vendorId });
    const draft = (await ok(planner.client.post('/api/v1/purchase-orders/drafts', { plannedItemIds: [item.id], buyingCompanyId: setup.buyingCompanyId, shipToId: setup.shipToId }), 201)).purchaseOrders[0];
    expect(draft.can).toMatchObject({ edit: true, finalize: false });
    expect((await planner.client.post(`/api/v1/purchase-orders/${draft.id}/finalize`)).status).toBe(403);
    expect((await technician.client.get('/api/v1/purchase-orders')).status).toBe(403);
    expect((await technician.client.get('/api/v1/planned-items')).status).toBe(403);
    expect((await technician.client.post('/api/v1/planned-items', { description: 'x', quantity: 1, unitPrice: 1 })).status).toBe(403);
    // Finalising alone does not let one read or edit the plan.
    expect((await approver.client.get(`/api/v1/purchase-orders/${draft.id}`)).status).toBe(403);
    expect((await approver.client.post(`/api/v1/purchase-orders/${draft.id}/finalize`)).status).toBe(200);
    const sent = (await ok(planner.client.get(`/api/v1/purchase-orders/${draft.id}`))).purchaseOrder;
    expect(sent).toMatchObject({ status: 'sent', can: { receive: true, send: false, cancel: false } });
    expect((await planner.client.post(`/api/v1/purchase-orders/${draft.id}/cancel`, { reason: 'no' })).status).toBe(403);

    // Manager (a built-in role) holds both permissions.
    const managerPo = await sentOrder(manager.client, setup, vendorId, [{ quantity: 1, unitPrice: 3 }]);
    expect(managerPo.can).toMatchObject({ send: true, cancel: true, receive: true });
    const me = (await ok(manager.client.get('/api/v1/me'))).permissions;
    expect(me).toEqual(expect.arrayContaining(['purchasing.manage', 'purchasing.finalize']));
  });

  it('lets a buyer without inventory.view pick vendors for the plan, and no one else through that route', async () => {
    const buyer = await createUser(h, acme, { roleId: await createRole(h, acme, ['purchasing.manage']) });
    const technician = await createUser(h, acme, { role: 'Technician' });
    expect((await buyer.client.get('/api/v1/vendors')).status).toBe(403);
    const choices = await ok(buyer.client.get('/api/v1/purchasing/vendors'));
    expect(choices.items.map((v: { id: string }) => v.id)).toContain(vendorId);
    const vendor = choices.items.find((v: { id: string }) => v.id === vendorId);
    const found = await ok(buyer.client.get(`/api/v1/purchasing/vendors?q=${encodeURIComponent(vendor.name.slice(0, 4))}`));
    expect(found.items.map((v: { id: string }) => v.id)).toContain(vendorId);
    const denied = await technician.client.get('/api/v1/purchasing/vendors');
    expect(denied.status).toBe(403);
    expect(denied.body.error.details.permission).toBe('purchasing.manage');
    // Another company's vendors are not among the choices.
    expect((await ok(globex.admin.client.get('/api/v1/purchasing/vendors'))).items.map((v: { id: string }) => v.id)).not.toContain(vendorId);
  });

  it("answers 404 (or a field error for referenced ids) for another company's ids on every purchasing route, and changes nothing", async () => {
    const c = acme.admin.client;
    const partId = (await makePart(c)).id;
    const po = await sentOrder(c, setup, vendorId, [{ partId, quantity: 5, unitPrice: 2 }]);
    const draftItem = await plan(c, { vendorId });
    const draft = (await ok(c.post('/api/v1/purchase-orders/drafts', { plannedItemIds: [draftItem.id], buyingCompanyId: setup.buyingCompanyId, shipToId: setup.shipToId }), 201)).purchaseOrders[0];
    const item = await plan(c, { vendorId });
    const before = await snapshot(h, acme.id);

    const intruder = globex.admin.client;
    const ownSetup = await makeSetup(h, globex.id, intruder);
    const routes = h.routes.filter((r) => PURCHASING.test(r.url));
    expect(routes.length).toBeGreaterThanOrEqual(25);
    const idFor = (url: string) =>
      url.startsWith('/api/v1/buying-companies') ? setup.buyingCompanyId : url.startsWith('/api/v1/ship-to') ? setup.shipToId : url.startsWith('/api/v1/planned-items') ? item.id : url.includes('finalize') || url.endsWith('/:id') ? draft.id : po.id;
    const bodies: Record<string, unknown> = {
      'POST /api/v1/purchase-orders/drafts': { plannedItemIds: [item.id], buyingCompanyId: ownSetup.buyingCompanyId, shipToId: ownSetup.shipToId },
      'POST /api/v1/planned-items': { description: 'x', quantity: 1, unitPrice: 1, vendorId, partId },
      'POST /api/v1/planned-items/delete': { ids: [item.id, draftItem.id] },
      'POST /api/v1/ship-to': { name: 'Theirs', taxRate: 1, locationId: setup.storeId },
      'PATCH /api/v1/planned-items/:id': { quantity: 2 },
      'PATCH /api/v1/purchase-orders/:id': { lines: [{ id: draft.lines[0].id, description: 'x', quantity: 1, unitPrice: 1 }] },
      'POST /api/v1/purchase-orders/:id/receive': { lines: [{ lineId: po.lines[0].id, quantity: 1 }] },
      'POST /api/v1/purchase-orders/:id/cancel': { reason: 'mine now' },
      'PATCH /api/v1/buying-companies/:id': { name: 'Taken' },
      'PATCH /api/v1/ship-to/:id': { taxRate: 50 },
    };
    const seen: string[] = [];
    for (const r of routes) {
      const key = `${r.method} ${r.url}`;
      const url = r.url.includes(':id') ? fillPath(r.url, { id: idFor(r.url) }) : r.url;
      const res =
        r.method === 'PUT'
          ? await intruder.request('PUT', url, LOGO_FORM.body, LOGO_FORM.headers)
          : await intruder.request(r.method, url, bodies[key] ?? (r.method === 'GET' || r.method === 'DELETE' ? undefined : {}));
      seen.push(`${key} ${res.status}`);
      if (r.url.includes(':id')) expect(res.status, key).toBe(404);
      else if (key === 'POST /api/v1/purchase-orders/drafts') expect(res.status, key).toBe(404);
      else if (key === 'POST /api/v1/planned-items') expect(res.body.error?.details?.fields, key).toEqual({ vendorId: 'no such vendor', partId: 'no such part' });
      else if (key === 'POST /api/v1/ship-to') expect(res.body.error?.details?.fields, key).toEqual({ locationId: 'no such location' });
      else if (key === 'POST /api/v1/planned-items/delete') expect(res.body, key).toEqual({ deleted: 0 });
      else if (r.method === 'GET') {
        expect(res.status, key).toBe(200);
        if (res.body.items) expect(res.body.items.every((i: { id: string }) => ![item.id, po.id, draft.id, setup.buyingCompanyId, setup.shipToId].includes(i.id)), key).toBe(true);
      }
    }
    expect(seen.length).toBe(routes.length);
    expect(await snapshot(h, acme.id)).toEqual(before);
  });

  it('never receives more than ordered when people receive the same line at once', async () => {
    const c = acme.admin.client;
    const receivers = [c, ...(await Promise.all([1, 2, 3].map(() => createUser(h, acme, { role: 'Manager' })))).map((u: TestUser) => u.client)];
    const partId = (await makePart(c)).id;
    const po = await sentOrder(c, setup, vendorId, [{ partId, quantity: 10, unitPrice: 2 }]);
    const line = po.lines[0].id;
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => receivers[i % receivers.length].post(`/api/v1/purchase-orders/${po.id}/receive`, { lines: [{ lineId: line, quantity: 3 }] })),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([200, 200, 200, 422, 422, 422, 422, 422]);
    for (const a of answers.filter((x) => x.status === 422)) expect(a.body.error.code).toBe('over_receipt');
    const after = (await ok(c.get(`/api/v1/purchase-orders/${po.id}`))).purchaseOrder;
    expect(after).toMatchObject({ status: 'partly_received', lines: [{ receivedQuantity: 9 }] });
    expect((await ok(c.get(`/api/v1/parts/${partId}`))).part.totalQuantity).toBe(9);
    expect((await ok(c.get(`/api/v1/purchase-orders/${po.id}/history`))).receipts).toHaveLength(3);
    expect(await ledgerMismatches(h, acme.id)).toEqual([]);
  });

  it('gives drafts finalised at once distinct consecutive numbers, each printed on its own PDF', async () => {
    const c = acme.admin.client;
    const people = [c, ...(await Promise.all([1, 2, 3].map(() => createUser(h, acme, { role: 'Manager' })))).map((u: TestUser) => u.client)];
    const drafts = [];
    for (let i = 0; i < 8; i++) {
      const item = await plan(c, { vendorId });
      const body = { plannedItemIds: [item.id], buyingCompanyId: setup.buyingCompanyId, shipToId: setup.shipToId };
      drafts.push((await ok(c.post('/api/v1/purchase-orders/drafts', body), 201)).purchaseOrders[0].id);
    }
    const answers = await Promise.all(drafts.map((id, i) => people[i % people.length].post(`/api/v1/purchase-orders/${id}/finalize`)));
    expect(answers.map((a) => a.status)).toEqual(drafts.map(() => 200));
    const numbers: string[] = answers.map((a) => a.body.purchaseOrder.number);
    const seqs = numbers.map((n) => Number(n.slice(n.lastIndexOf('-') + 1))).sort((a, b) => a - b);
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0] + i));
    for (const [i, id] of drafts.entries()) {
      const text = pdfPages((await c.get(`/api/v1/purchase-orders/${id}/pdf`)).raw.rawPayload).join('\n');
      expect(text).toContain(`${numbers[i]} · Page 1 of 1`);
    }
  });

  it('drafts each planned item once when two people draft it at once', async () => {
    const c = acme.admin.client;
    const other = (await createUser(h, acme, { role: 'Manager' })).client;
    const item = await plan(c, { vendorId });
    const body = { plannedItemIds: [item.id], buyingCompanyId: setup.buyingCompanyId, shipToId: setup.shipToId };
    const answers = await Promise.all([c.post('/api/v1/purchase-orders/drafts', body), other.post('/api/v1/purchase-orders/drafts', body)]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 404]);
  });
});
