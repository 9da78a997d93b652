// Supply requests: a requester asks for parts, the category's approval applies, and fulfilment
// issues every line from one location in one transaction (all or nothing) and closes the ticket.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompany, createRole, createUser, type TestCompany, type TestUser } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { count, snapshot } from '../helpers.js';
import { ledgerMismatches, makeLocation, makePart, receive } from '../inventory-fixtures.js';

describe('supply requests', () => {
  let h: Harness;
  let acme: TestCompany;
  let admin: TestUser;
  let manager: TestUser;
  let requester: TestUser;
  let store: string;
  let categoryId: string;
  let toner: { id: string; sku: string };
  let paper: { id: string; sku: string };

  beforeAll(async () => {
    h = await harness();
    acme = await createCompany(h);
    admin = acme.admin;
    manager = await createUser(h, acme, { role: 'Manager' });
    requester = await createUser(h, acme, { role: 'Requester', department: 'Finance' });
    store = await makeLocation(h, acme.id, 'Main store');
    const category = await admin.client.post('/api/v1/categories', {
      name: 'Office supplies',
      approvalSteps: [{ type: 'role', roleId: String(acme.roleIds.get('Manager')) }],
    });
    categoryId = category.body.id;
    toner = await makePart(admin.client, { name: 'Toner 42A', unitCost: 80 });
    paper = await makePart(admin.client, { name: 'Paper A4 (box)', unitCost: 25 });
    await receive(admin.client, toner.id, store, 4);
    await receive(admin.client, paper.id, store, 3);
  });
  afterAll(() => h.close());

  it('shows requesters what they may ask for, without costs', async () => {
    const res = await requester.client.get('/api/v1/supply/parts?q=toner');
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      { id: toner.id, sku: toner.sku, name: 'Toner 42A', unit: 'pcs', available: 4, stock: [{ location: { id: store, name: 'Main store' }, quantity: 4 }] },
    ]);
    // The full catalogue (with costs) needs inventory.view.
    expect((await requester.client.get('/api/v1/parts')).status).toBe(403);
  });

  it('refuses lines with unknown parts', async () => {
    const res = await requester.client.post('/api/v1/supply-requests', { lines: [{ partId: '999999', quantity: 1 }] });
    expect(res.status).toBe(400);
    expect((await requester.client.post('/api/v1/supply-requests', { lines: [] })).status).toBe(400);
  });

  it('goes through approval, refuses an impossible fulfilment without changing anything, then issues and closes', async () => {
    const made = await requester.client.post('/api/v1/supply-requests', {
      categoryId,
      description: 'For the month-end print run',
      lines: [
        { partId: toner.id, quantity: 2 },
        { partId: paper.id, quantity: 5 },
      ],
    });
    expect(made.status).toBe(201);
    expect(made.body.ticket).toMatchObject({ kind: 'supply', status: 'pending_approval', title: 'Supplies: Toner 42A, Paper A4 (box)' });
    expect(made.body.lines.map((l: { part: { sku: string }; quantity: number; available: number }) => [l.part.sku, l.quantity, l.available])).toEqual([
      [toner.sku, 2, 4],
      [paper.sku, 5, 3],
    ]);
    const number = made.body.ticket.number;

    const seen = await requester.client.get(`/api/v1/tickets/${number}/supply`);
    expect(seen.status).toBe(200);
    expect(seen.body.can.fulfil).toBe(false);
    expect(seen.body.items[0]).toMatchObject({ issuedQuantity: 0, stock: [{ location: { id: store, name: 'Main store' }, quantity: 4 }] });

    const early = await admin.client.post(`/api/v1/tickets/${number}/fulfil`, { locationId: store });
    expect(early.status).toBe(422);
    expect(early.body.error).toMatchObject({ code: 'not_fulfillable', details: { status: 'pending_approval' } });

    expect((await manager.client.post(`/api/v1/tickets/${number}/approve`, {})).body.ticket.status).toBe('open');
    expect((await manager.client.get(`/api/v1/tickets/${number}/supply`)).body.can.fulfil).toBe(true);

    // Permissions: inventory.issue is declared (inventory.manage alone is not it); tickets.update is needed as well.
    expect((await requester.client.post(`/api/v1/tickets/${number}/fulfil`, { locationId: store })).status).toBe(403);
    const receiver = await createUser(h, acme, { roleId: await createRole(h, acme, ['inventory.view', 'inventory.manage', 'tickets.view_all', 'tickets.update']) });
    const notIssue = await receiver.client.post(`/api/v1/tickets/${number}/fulfil`, { locationId: store });
    expect(notIssue.status).toBe(403);
    expect(notIssue.body.error.details.permission).toBe('inventory.issue');
    const storekeeper = await createUser(h, acme, { roleId: await createRole(h, acme, ['inventory.view', 'inventory.issue', 'tickets.view_all']) });
    const noUpdate = await storekeeper.client.post(`/api/v1/tickets/${number}/fulfil`, { locationId: store });
    expect(noUpdate.status).toBe(403);

    // Not enough paper: nothing is issued, not even the toner.
    const before = await snapshot(h, acme.id, { skip: ['presence', 'sessions', 'audit_log'] });
    const short = await manager.client.post(`/api/v1/tickets/${number}/fulfil`, { locationId: store });
    expect(short.status).toBe(422);
    expect(short.body.error).toMatchObject({ code: 'insufficient_stock', details: { partId: paper.id, sku: paper.sku, available: 3, requested: 5 } });
    expect(short.body.error.message).toContain('Paper A4 (box)');
    expect(await snapshot(h, acme.id, { skip: ['presence', 'sessions', 'audit_log'] })).toEqual(before);

    await receive(admin.client, paper.id, store, 10);
    const done = await manager.client.post(`/api/v1/tickets/${number}/fulfil`, { locationId: store });
    expect(done.status).toBe(200);
    expect(done.body.ticket.status).toBe('closed');
    expect(done.body.lines.map((l: { issuedQuantity: number; available: number }) => [l.issuedQuantity, l.available])).toEqual([
      [2, 2],
      [5, 8],
    ]);

    const used = await requester.client.get(`/api/v1/tickets/${number}/parts`);
    expect(used.body.items.map((i: { part: { sku: string }; quantity: number }) => [i.part.sku, i.quantity]).sort()).toEqual(
      [
        [toner.sku, 2],
        [paper.sku, 5],
      ].sort(),
    );
    expect(used.body.totalCost).toBe(2 * 80 + 5 * 25);
    const history = await requester.client.get(`/api/v1/tickets/${number}/history`);
    const statuses = history.body.items.filter((i: { field: string }) => i.field === 'status').map((i: { after: string }) => i.after);
    expect(statuses.slice(-2)).toEqual(['resolved', 'closed']);
    expect(history.body.items.filter((i: { event: string }) => i.event === 'part_used')).toHaveLength(2);
    expect(
      await count(h, "select count(*) from notifications where tenant_id = $1 and user_id = $2 and event = 'ticket.status_changed' and ticket_number = $3", [
        acme.id,
        requester.id,
        number,
      ]),
    ).toBe(2);
    expect(await ledgerMismatches(h, acme.id)).toEqual([]);

    const again = await manager.client.post(`/api/v1/tickets/${number}/fulfil`, { locationId: store });
    expect(again.status).toBe(422);
  });

  it('a technician fulfils a request assigned to them, but cannot receive or adjust the stock', async () => {
    const tech = await createUser(h, acme, { role: 'Technician' });
    const made = await requester.client.post('/api/v1/supply-requests', { lines: [{ partId: toner.id, quantity: 1 }] });
    const number = made.body.ticket.number;
    expect(made.body.ticket.status).toBe('open');
    // Not theirs yet: they do not see it.
    expect((await tech.client.post(`/api/v1/tickets/${number}/fulfil`, { locationId: store })).status).toBe(404);
    expect((await manager.client.post(`/api/v1/tickets/${number}/assign`, { assigneeId: String(tech.id) })).status).toBe(200);
    expect((await tech.client.get(`/api/v1/tickets/${number}/supply`)).body.can.fulfil).toBe(true);
    const stockBefore = (await admin.client.get(`/api/v1/parts/${toner.id}`)).body.totalQuantity;
    const done = await tech.client.post(`/api/v1/tickets/${number}/fulfil`, { locationId: store });
    expect(done.status).toBe(200);
    expect(done.body.ticket.status).toBe('closed');
    expect((await admin.client.get(`/api/v1/parts/${toner.id}`)).body.totalQuantity).toBe(stockBefore - 1);
    for (const body of [
      { type: 'receive', quantity: 5, locationId: store },
      { type: 'adjust', quantity: 5, locationId: store, note: 'found a box' },
    ]) {
      const refused = await tech.client.post(`/api/v1/parts/${toner.id}/movements`, body);
      expect(refused.status).toBe(403);
      expect(refused.body.error.details.permission).toBe('inventory.manage');
    }
    expect(await ledgerMismatches(h, acme.id)).toEqual([]);
  });

  it('without a category with steps, a request is open at once; other kinds of tickets are not fulfilled from stock', async () => {
    const made = await requester.client.post('/api/v1/supply-requests', { title: 'Toner for the 2nd floor', lines: [{ partId: toner.id, quantity: 1 }] });
    expect(made.body.ticket).toMatchObject({ status: 'open', title: 'Toner for the 2nd floor' });
    const fulfilled = await admin.client.post(`/api/v1/tickets/${made.body.ticket.number}/fulfil`, { locationId: store });
    expect(fulfilled.status).toBe(200);
    expect(fulfilled.body.ticket.status).toBe('closed');

    const incident = await admin.client.post('/api/v1/tickets', { kind: 'incident', title: 'Printer jam' });
    const wrong = await admin.client.post(`/api/v1/tickets/${incident.body.ticket.number}/fulfil`, { locationId: store });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.code).toBe('not_a_supply_request');
    // Another requester's ticket stays invisible.
    const other = await createUser(h, acme, { role: 'Requester' });
    expect((await other.client.get(`/api/v1/tickets/${made.body.ticket.number}/supply`)).status).toBe(404);
  });

  it('fulfils part of a request, keeps it open for the rest, and refuses more than is outstanding', async () => {
    const cable = await makePart(admin.client, { name: 'USB-C cable', unitCost: 9 });
    const annex = await makeLocation(h, acme.id, 'Annex shelf');
    await receive(admin.client, cable.id, store, 2);
    await receive(admin.client, cable.id, annex, 1);
    const typed = await requester.client.get('/api/v1/supply/parts?q=usb-c');
    expect(typed.body.items[0]).toMatchObject({ available: 3 });
    expect(typed.body.items[0].stock.map((s: { location: { name: string }; quantity: number }) => [s.location.name, s.quantity]).sort()).toEqual([
      ['Annex shelf', 1],
      ['Main store', 2],
    ]);

    const made = await requester.client.post('/api/v1/supply-requests', { lines: [{ partId: cable.id, quantity: 5 }] });
    const number = made.body.ticket.number;
    const lineId = made.body.lines[0].id;
    const tooMany = await admin.client.post(`/api/v1/tickets/${number}/fulfil`, { locationId: store, lines: [{ lineId, quantity: 6 }] });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.code).toBe('validation');
    const alien = await admin.client.post(`/api/v1/tickets/${number}/fulfil`, { locationId: store, lines: [{ lineId: '999999', quantity: 1 }] });
    expect(alien.status).toBe(400);

    const first = await admin.client.post(`/api/v1/tickets/${number}/fulfil`, { locationId: store, lines: [{ lineId, quantity: 2 }] });
    expect(first.status).toBe(200);
    expect(first.body.ticket.status).toBe('open');
    expect(first.body.lines[0]).toMatchObject({ quantity: 5, issuedQuantity: 2, available: 1 });
    expect((await admin.client.get(`/api/v1/tickets/${number}/supply`)).body.can.fulfil).toBe(true);

    const second = await admin.client.post(`/api/v1/tickets/${number}/fulfil`, { locationId: annex, lines: [{ lineId, quantity: 1 }] });
    expect(second.body.lines[0]).toMatchObject({ issuedQuantity: 3, available: 0 });
    expect(second.body.ticket.status).toBe('open');
    // The rest arrives; fulfilling without lines issues what is left and closes the request.
    await receive(admin.client, cable.id, store, 2);
    const rest = await admin.client.post(`/api/v1/tickets/${number}/fulfil`, { locationId: store });
    expect(rest.status).toBe(200);
    expect(rest.body.ticket.status).toBe('closed');
    expect(rest.body.lines[0]).toMatchObject({ issuedQuantity: 5, available: 0 });
    expect(await ledgerMismatches(h, acme.id)).toEqual([]);
  });
});
