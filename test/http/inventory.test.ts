// Parts, vendors and the stock ledger over HTTP: every kind of movement, balances that always equal
// the ledger, never-negative stock, parts charged to tickets, and the low-stock notice on crossing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompany, createRole, createUser, type TestCompany, type TestUser } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { count, outbox } from '../helpers.js';
import { ledgerMismatches, makeLocation, makePart, move, receive } from '../inventory-fixtures.js';

describe('inventory', () => {
  let h: Harness;
  let acme: TestCompany;
  let admin: TestUser;
  let manager: TestUser;
  let tech: TestUser;
  let store: string;
  let van: string;

  beforeAll(async () => {
    h = await harness();
    acme = await createCompany(h);
    admin = acme.admin;
    manager = await createUser(h, acme, { role: 'Manager' });
    tech = await createUser(h, acme, { role: 'Technician' });
    store = await makeLocation(h, acme.id, 'Main store');
    van = await makeLocation(h, acme.id, 'Van 1');
  });
  afterAll(() => h.close());

  it('creates, reads, edits and lists parts and vendors', async () => {
    const vendor = await admin.client.post('/api/v1/vendors', { name: 'Office Supply Co', email: 'sales@office.test', phone: '+1 555 0100' });
    expect(vendor.status).toBe(201);
    expect(vendor.body).toMatchObject({ id: expect.any(String), name: 'Office Supply Co', vendor: { name: 'Office Supply Co' } });
    expect((await admin.client.post('/api/v1/vendors', { name: 'office supply co' })).status).toBe(409);
    const renamed = await admin.client.patch(`/api/v1/vendors/${vendor.body.id}`, { website: 'https://office.test' });
    expect(renamed.body.website).toBe('https://office.test');

    const made = await admin.client.post('/api/v1/parts', {
      sku: 'TON-0042',
      name: 'Toner HP 42A',
      unit: 'pcs',
      unitCost: 79.9,
      minQuantity: 2,
      maxQuantity: 20,
      reorderPoint: 4,
      description: 'Black toner',
      vendors: [{ vendorId: vendor.body.id, vendorSku: 'HP-Q5942A', price: 74.5 }],
    });
    expect(made.status).toBe(201);
    expect(made.body.part).toMatchObject({
      sku: 'TON-0042',
      unitCost: 79.9,
      minQuantity: 2,
      maxQuantity: 20,
      reorderPoint: 4,
      stock: [],
      totalQuantity: 0,
      belowReorder: true,
      vendors: [{ vendorId: vendor.body.id, vendorName: 'Office Supply Co', vendorSku: 'HP-Q5942A', price: 74.5 }],
    });
    expect((await admin.client.post('/api/v1/parts', { sku: 'ton-0042', name: 'Duplicate' })).status).toBe(409);
    const badVendor = await admin.client.post('/api/v1/parts', { sku: 'X-1', name: 'X', vendors: [{ vendorId: '999999' }] });
    expect(badVendor.status).toBe(400);
    expect((await admin.client.post('/api/v1/parts', { sku: 'X-2', name: 'X', minQuantity: 5, maxQuantity: 1 })).status).toBe(400);

    await receive(admin.client, made.body.id, store, 6);
    const patched = await admin.client.patch(`/api/v1/parts/${made.body.id}`, { name: 'Toner HP 42A (black)', vendors: [] });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: 'Toner HP 42A (black)', vendors: [], totalQuantity: 6, belowReorder: false });
    expect(patched.body.stock).toEqual([{ location: { id: store, name: 'Main store' }, quantity: 6 }]);

    const got = await tech.client.get(`/api/v1/parts/${made.body.id}`);
    expect(got.status).toBe(200);
    expect(got.body.part.totalQuantity).toBe(6);
    expect((await admin.client.get('/api/v1/parts/999999')).status).toBe(404);
    // Technicians see stock but do not receive, transfer or adjust it (they use parts on tickets, below).
    expect((await tech.client.post('/api/v1/parts', { sku: 'T-1', name: 'T' })).status).toBe(403);
    for (const body of [
      { type: 'receive', quantity: 1, locationId: store },
      { type: 'adjust', quantity: -1, locationId: store, note: 'shrinkage' },
      { type: 'transfer', quantity: 1, locationId: store, toLocationId: van },
      { type: 'consume', quantity: 1, locationId: store },
    ]) {
      const refused = await move(tech.client, made.body.id, body);
      expect(refused.status, body.type).toBe(403);
      expect(refused.body.error.details.permission).toBe('inventory.manage');
    }

    const search = await admin.client.get('/api/v1/parts?q=42a');
    expect(search.body.items.map((p: { sku: string }) => p.sku)).toEqual(['TON-0042']);
    const bySku = await admin.client.get('/api/v1/parts?q=TON-00');
    expect(bySku.body.items).toHaveLength(1);
  });

  it('pages through parts by name and filters those below their reorder point', async () => {
    for (const name of ['Alpha filter', 'Beta filter', 'Gamma filter']) await makePart(admin.client, { name, reorderPoint: 1 });
    const low = await makePart(admin.client, { name: 'Delta filter', reorderPoint: 3 });
    await receive(admin.client, low.id, store, 2);
    const ok = await makePart(admin.client, { name: 'Epsilon filter', reorderPoint: 3 });
    await receive(admin.client, ok.id, store, 3);

    const first = await admin.client.get('/api/v1/parts?q=filter&limit=2');
    expect(first.body.items.map((p: { name: string }) => p.name)).toEqual(['Alpha filter', 'Beta filter']);
    const second = await admin.client.get(`/api/v1/parts?q=filter&limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((p: { name: string }) => p.name)).toEqual(['Delta filter', 'Epsilon filter']);
    const third = await admin.client.get(`/api/v1/parts?q=filter&limit=2&cursor=${second.body.nextCursor}`);
    expect(third.body.items.map((p: { name: string }) => p.name)).toEqual(['Gamma filter']);
    expect(third.body.nextCursor).toBeNull();

    const below = await admin.client.get('/api/v1/parts?q=filter&belowReorder=true');
    expect(below.body.items.map((p: { name: string }) => p.name)).toEqual(['Alpha filter', 'Beta filter', 'Delta filter', 'Gamma filter']);
    expect(below.body.items.every((p: { belowReorder: boolean }) => p.belowReorder)).toBe(true);
  });

  it('receives, consumes, transfers and adjusts; balances always equal the ledger and never go negative', async () => {
    const part = await makePart(admin.client, { unitCost: 1.25 });
    await receive(admin.client, part.id, store, 10.5);
    const consumed = await move(admin.client, part.id, { type: 'consume', quantity: 3, locationId: store, note: 'Used in the workshop' });
    expect(consumed.status).toBe(201);
    expect(consumed.body.movement).toMatchObject({ type: 'consume', quantity: -3, location: { id: store, name: 'Main store' }, unitCost: 1.25, note: 'Used in the workshop' });
    expect(consumed.body.part.totalQuantity).toBe(7.5);

    const transfer = await move(admin.client, part.id, { type: 'transfer', quantity: 4, locationId: store, toLocationId: van });
    expect(transfer.status).toBe(201);
    expect(transfer.body.movement).toMatchObject({ type: 'transfer', quantity: -4, toLocation: { id: van, name: 'Van 1' } });
    expect(transfer.body.part.stock).toEqual([
      { location: { id: store, name: 'Main store' }, quantity: 3.5 },
      { location: { id: van, name: 'Van 1' }, quantity: 4 },
    ]);

    const noReason = await move(admin.client, part.id, { type: 'adjust', quantity: -1, locationId: van });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.details.fields.note).toBeTruthy();
    const adjusted = await move(admin.client, part.id, { type: 'adjust', quantity: -1, locationId: van, note: 'Count found one missing' });
    expect(adjusted.status).toBe(201);
    expect(adjusted.body.movement.quantity).toBe(-1);
    expect((await move(admin.client, part.id, { type: 'adjust', quantity: 0.5, locationId: van, note: 'Found half a box' })).status).toBe(201);

    const before = await admin.client.get(`/api/v1/parts/${part.id}`);
    const tooMuch = await move(admin.client, part.id, { type: 'consume', quantity: 100, locationId: store });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.error).toMatchObject({ code: 'insufficient_stock', details: { partId: part.id, sku: part.sku, available: 3.5, requested: 100 } });
    expect((await move(admin.client, part.id, { type: 'transfer', quantity: 4, locationId: store, toLocationId: van })).status).toBe(422);
    expect((await move(admin.client, part.id, { type: 'adjust', quantity: -10, locationId: van, note: 'Too far' })).body.error.code).toBe('insufficient_stock');
    // A location with no balance row yet has nothing to give.
    const empty = await makeLocation(h, acme.id, 'Empty shelf');
    const fromEmpty = await move(admin.client, part.id, { type: 'consume', quantity: 1, locationId: empty });
    expect(fromEmpty.body.error).toMatchObject({ code: 'insufficient_stock', details: { available: 0, requested: 1 } });
    expect((await admin.client.get(`/api/v1/parts/${part.id}`)).body).toEqual(before.body);

    // Bad shapes are 400s.
    expect((await move(admin.client, part.id, { type: 'consume', quantity: -1, locationId: store })).status).toBe(400);
    expect((await move(admin.client, part.id, { type: 'transfer', quantity: 1, locationId: store })).status).toBe(400);
    expect((await move(admin.client, part.id, { type: 'transfer', quantity: 1, locationId: store, toLocationId: store })).status).toBe(400);
    expect((await move(admin.client, part.id, { type: 'receive', quantity: 1, locationId: '999999' })).status).toBe(400);
    expect((await move(admin.client, part.id, { type: 'receive', quantity: 1.0001, locationId: store })).status).toBe(400);
    expect((await move(admin.client, '999999', { type: 'receive', quantity: 1, locationId: store })).status).toBe(404);

    const after = await admin.client.get(`/api/v1/parts/${part.id}`);
    expect(after.body.totalQuantity).toBe(7);
    expect(after.body.stock.map((s: { quantity: number }) => s.quantity)).toEqual([3.5, 3.5]);
    expect(await ledgerMismatches(h, acme.id)).toEqual([]);
    expect(await count(h, 'select count(*) from stock_levels where quantity < 0')).toBe(0);

    const ledger = await admin.client.get(`/api/v1/parts/${part.id}/movements?limit=3`);
    expect(ledger.status).toBe(200);
    expect(ledger.body.items.map((m: { type: string; quantity: number }) => [m.type, m.quantity])).toEqual([
      ['adjust', 0.5],
      ['adjust', -1],
      ['transfer', -4],
    ]);
    expect(ledger.body.items[0].actor).toEqual({ id: String(admin.id), name: expect.any(String) });
    const rest = await admin.client.get(`/api/v1/parts/${part.id}/movements?limit=3&cursor=${ledger.body.nextCursor}`);
    expect(rest.body.items.map((m: { type: string }) => m.type)).toEqual(['consume', 'receive']);
    expect(rest.body.nextCursor).toBeNull();
  });

  it('charges consumed parts to a ticket the caller can see, with history and costs', async () => {
    const part = await makePart(admin.client, { unitCost: 12.5 });
    await receive(admin.client, part.id, store, 5);
    const ticket = await admin.client.post('/api/v1/tickets', { kind: 'work_order', title: 'Replace the pump seal' });
    const number = ticket.body.ticket.number;
    const used = await move(admin.client, part.id, { type: 'consume', quantity: 2, locationId: store, ticketNumber: number });
    expect(used.status).toBe(201);
    expect(used.body.movement.ticketNumber).toBe(number);
    await move(admin.client, part.id, { type: 'consume', quantity: 1, locationId: store, ticketNumber: number });

    const parts = await admin.client.get(`/api/v1/tickets/${number}/parts`);
    expect(parts.status).toBe(200);
    expect(parts.body.items).toHaveLength(2);
    expect(parts.body.items[0]).toMatchObject({ part: { id: part.id, sku: part.sku }, quantity: 2, unitCost: 12.5, totalCost: 25 });
    expect(parts.body.totalCost).toBe(37.5);
    const history = await admin.client.get(`/api/v1/tickets/${number}/history`);
    const partUsed = history.body.items.filter((i: { event: string }) => i.event === 'part_used');
    expect(partUsed).toHaveLength(2);
    expect(partUsed[0].after).toMatchObject({ sku: part.sku, quantity: 2, unitCost: 12.5 });

    // Someone who may move stock but not see the ticket cannot charge it (404, nothing moved).
    const storekeeper = await createUser(h, acme, { roleId: await createRole(h, acme, ['inventory.view', 'inventory.manage', 'tickets.create']) });
    const hidden = await move(storekeeper.client, part.id, { type: 'consume', quantity: 1, locationId: store, ticketNumber: number });
    expect(hidden.status).toBe(404);
    expect((await storekeeper.client.get(`/api/v1/tickets/${number}/parts`)).status).toBe(404);
    expect((await admin.client.get(`/api/v1/parts/${part.id}`)).body.totalQuantity).toBe(2);
    expect((await move(admin.client, part.id, { type: 'receive', quantity: 1, locationId: store, ticketNumber: number })).status).toBe(400);
    expect((await move(admin.client, part.id, { type: 'consume', quantity: 1, locationId: store, ticketNumber: 999999 })).status).toBe(404);
  });

  it('a technician uses parts on a ticket they work on (inventory.issue), and only there', async () => {
    const part = await makePart(admin.client, { unitCost: 4 });
    await receive(admin.client, part.id, store, 3);
    const mine = (await manager.client.post('/api/v1/tickets', { kind: 'work_order', title: 'Fix the door closer', assigneeId: String(tech.id) })).body.ticket.number;
    const other = (await manager.client.post('/api/v1/tickets', { kind: 'work_order', title: 'Not for the technician' })).body.ticket.number;
    const use = (client: TestUser['client'], number: number, quantity: number) =>
      client.post(`/api/v1/tickets/${number}/parts`, { partId: part.id, quantity, locationId: store, note: 'Old one was cracked' });

    const used = await use(tech.client, mine, 2);
    expect(used.status).toBe(201);
    expect(used.body.movement).toMatchObject({ type: 'consume', quantity: -2, ticketNumber: mine, note: 'Old one was cracked', actor: { id: String(tech.id) } });
    expect(used.body.part.totalQuantity).toBe(1);
    expect((await tech.client.get(`/api/v1/tickets/${mine}/parts`)).body).toMatchObject({ items: [{ part: { id: part.id }, quantity: 2, totalCost: 8 }], totalCost: 8 });
    const history = await tech.client.get(`/api/v1/tickets/${mine}/history`);
    expect(history.body.items.filter((i: { event: string }) => i.event === 'part_used')).toHaveLength(1);

    // Not a ticket they may see (404), never more than there is (422), and nothing moves either time.
    expect((await use(tech.client, other, 1)).status).toBe(404);
    const short = await use(tech.client, mine, 5);
    expect(short.status).toBe(422);
    expect(short.body.error).toMatchObject({ code: 'insufficient_stock', details: { available: 1, requested: 5 } });
    expect((await use(tech.client, mine, 0)).status).toBe(400);
    expect((await admin.client.get(`/api/v1/parts/${part.id}`)).body.totalQuantity).toBe(1);

    // Someone without inventory.issue cannot, even with every ticket in view.
    const viewer = await createUser(h, acme, { roleId: await createRole(h, acme, ['inventory.view', 'tickets.view_all', 'tickets.update']) });
    const refused = await use(viewer.client, mine, 1);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'forbidden', details: { permission: 'inventory.issue' } });
    expect(await ledgerMismatches(h, acme.id)).toEqual([]);
  });

  it('tells inventory managers once when stock falls below the reorder point (on crossing, not every time)', async () => {
    const part = await makePart(admin.client, { name: 'Hand soap refill', reorderPoint: 5 });
    const notices = async (u: TestUser) =>
      count(h, `select count(*) from notifications where tenant_id = $1 and user_id = $2 and event = 'inventory.low_stock' and body like $3`, [
        acme.id,
        u.id,
        `%${part.sku}%`,
      ]);
    await receive(admin.client, part.id, store, 10);
    await move(admin.client, part.id, { type: 'consume', quantity: 3, locationId: store });
    expect(await notices(manager)).toBe(0);
    await move(admin.client, part.id, { type: 'consume', quantity: 3, locationId: store });
    expect(await notices(manager)).toBe(1);
    // The one who took the last units manages inventory too: told as well.
    expect(await notices(admin)).toBe(1);
    expect(await notices(tech)).toBe(0);
    await move(admin.client, part.id, { type: 'consume', quantity: 1, locationId: store });
    // A transfer changes no total.
    await move(admin.client, part.id, { type: 'transfer', quantity: 1, locationId: store, toLocationId: van });
    expect(await notices(manager)).toBe(1);
    await receive(admin.client, part.id, store, 10);
    await move(admin.client, part.id, { type: 'consume', quantity: 9, locationId: store });
    expect(await notices(manager)).toBe(2);
    const mails = (await outbox(h, { to: manager.email })).filter((m) => m.template === 'inventory.low_stock' && m.text.includes(part.sku));
    expect(mails).toHaveLength(2);
    expect(mails[0].subject).toContain('Low stock: Hand soap refill');
    const list = await manager.client.get('/api/v1/notifications');
    expect(list.body.items[0]).toMatchObject({ event: 'inventory.low_stock', ticketNumber: null });
  });
});
