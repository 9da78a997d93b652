// The operator's costs by client company (GET /api/v1/admin/reports/costs): two companies with
// known labour, parts and purchases (the fixtures of reports.test.ts), each company's row equal to
// the totals of its own cost report, every company listed (zeros included), operator only, bad input.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompany, createSuperAdmin, type TestCompany, type TestUser } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { makeLocation, makePart, move, receive } from '../inventory-fixtures.js';
import { makeSetup, makeVendor, ok, sentOrder } from '../purchasing-fixtures.js';

describe('costs by client company (operator)', () => {
  let h: Harness;
  let acme: TestCompany;
  let globex: TestCompany;
  let empty: TestCompany;
  let operator: TestUser;
  const run = (q: ReturnType<typeof sql>) => h.deps.database.system(({ tx }) => tx.execute(q));

  /** Labour entries (minutes, rate), parts consumed at 2.50, and one PO line of `qty` × `price`, half received. */
  async function fill(co: TestCompany, labour: Array<[number, string]>, consumed: number, qty: number, price: number) {
    const t = co.id;
    const client = co.admin.client;
    const ticket = (await ok(client.post('/api/v1/tickets', { kind: 'incident', title: 'Leak', description: '' }), 201)).ticket;
    for (const [minutes, rate] of labour) {
      await run(
        sql`insert into time_entries (tenant_id, ticket_id, user_id, minutes, rate, spent_on) values (${t}, ${Number(ticket.id)}, ${co.admin.id}, ${minutes}, ${rate}, '2026-04-10T12:00:00Z')`,
      );
    }
    const store = await makeLocation(h, t, 'Store');
    const part = await makePart(client, { unitCost: 2.5 });
    await receive(client, part.id, store, 10);
    expect((await move(client, part.id, { type: 'consume', quantity: consumed, locationId: store, ticketNumber: ticket.number })).status).toBe(201);
    await run(sql`update stock_movements set at = '2026-04-10T12:00:00Z' where tenant_id = ${t} and type = 'consume'`);
    const setup = await makeSetup(h, t, client, 10);
    const vendor = await makeVendor(client);
    const po = await sentOrder(client, setup, vendor.id, [{ description: 'Valves', quantity: qty, unitPrice: price }]);
    await ok(client.post(`/api/v1/purchase-orders/${po.id}/receive`, { lines: [{ lineId: po.lines[0].id, quantity: qty / 2 }] }));
    await run(sql`update purchase_order_receipts set at = '2026-04-10T12:00:00Z' where tenant_id = ${t}`);
    await run(sql`update purchase_orders set finalized_at = '2026-04-10T12:00:00Z' where tenant_id = ${t}`);
  }

  beforeAll(async () => {
    h = await harness();
    acme = await createCompany(h, { name: 'Acme' });
    globex = await createCompany(h, { name: 'Globex' });
    empty = await createCompany(h, { name: 'Empty' });
    operator = await createSuperAdmin(h);
    await ok(globex.admin.client.patch('/api/v1/settings', { currency: 'EUR' }));
    // Acme: labour 60.00 + 13.89 (13.8875 rounded), parts 4 × 2.50, purchases 2 of 4 × 19.999 received (40.00), 80.00 ordered.
    await fill(acme, [[90, '40.00'], [25, '33.33']], 4, 4, 19.999);
    // Globex: labour 37.50, parts 2 × 2.50, purchases 1 of 2 × 100 received (100.00), 200.00 ordered.
    await fill(globex, [[45, '50.00']], 2, 2, 100);
  });
  afterAll(() => h.close());

  const period = 'from=2026-04-01&to=2026-04-30';
  const byId = (rows: Array<{ companyId: string }>): Record<string, any> => Object.fromEntries(rows.map((r) => [r.companyId, r]));

  it('gives every company its exact totals, biggest first, equal to its own cost report', async () => {
    const r = await ok(operator.client.get(`/api/v1/admin/reports/costs?${period}`));
    expect(r).toMatchObject({ from: '2026-04-01', to: '2026-04-30', purchases: 'received' });
    const rows = byId(r.rows);
    expect(rows[String(acme.id)]).toMatchObject({ name: 'Acme', slug: acme.slug, labour: 73.89, parts: 10, purchases: 40, total: 123.89 });
    expect(rows[String(globex.id)]).toMatchObject({ currency: 'EUR', labour: 37.5, parts: 5, purchases: 100, total: 142.5 });
    expect(rows[String(empty.id)]).toMatchObject({ labour: 0, parts: 0, purchases: 0, total: 0 });
    const n = ((await run(sql`select count(*)::int as n from companies`)) as unknown as { rows: Array<{ n: number }> }).rows[0]!.n;
    expect(r.rows).toHaveLength(n);
    // Numbers, as the company cost report answers them (the same money representation).
    for (const x of r.rows) for (const k of ['labour', 'parts', 'purchases', 'total']) expect(typeof x[k], k).toBe('number');
    const totals = r.rows.map((x: { total: number }) => x.total);
    expect(totals).toEqual([...totals].sort((a, b) => b - a));

    for (const purchases of ['received', 'ordered'] as const) {
      const all = byId((await ok(operator.client.get(`/api/v1/admin/reports/costs?${period}&purchases=${purchases}`))).rows);
      for (const co of [acme, globex, empty]) {
        const own = await ok(co.admin.client.get(`/api/v1/reports/costs?${period}&groupBy=department&purchases=${purchases}`));
        const row = all[String(co.id)];
        expect({ labour: row.labour, parts: row.parts, purchases: row.purchases, total: row.total }).toEqual(own.totals);
        expect(row.currency).toBe(own.currency);
      }
    }
    const ordered = byId((await ok(operator.client.get(`/api/v1/admin/reports/costs?${period}&purchases=ordered`))).rows);
    expect(ordered[String(acme.id)]).toMatchObject({ purchases: 80, total: 163.89 });
    expect(ordered[String(globex.id)]).toMatchObject({ purchases: 200, total: 242.5 });
  });

  it('leaves out days outside the period', async () => {
    const r = await ok(operator.client.get('/api/v1/admin/reports/costs?from=2026-05-01&to=2026-05-31'));
    expect(byId(r.rows)[String(acme.id)].total).toBe(0);
  });

  it('gives the rows as csv', async () => {
    const res = await operator.client.get(`/api/v1/admin/reports/costs?${period}&format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const text = String(res.body);
    expect(text.split('\r\n')[0]).toBe('companyId,name,slug,currency,labour,parts,purchases,total');
    expect(text).toContain(`${globex.id},Globex,${globex.slug},EUR,37.50,5.00,100.00,142.50`);
  });

  it('is for the operator only', async () => {
    expect((await acme.admin.client.get(`/api/v1/admin/reports/costs?${period}`)).status).toBe(403);
  });

  it('refuses bad periods', async () => {
    for (const q of ['from=2026-04-31&to=2026-05-01', 'from=2026-05-01&to=2026-04-01', 'from=x&to=2026-04-01', 'to=2026-04-01', 'from=2026-04-01&to=2026-04-30&purchases=no']) {
      expect((await operator.client.get(`/api/v1/admin/reports/costs?${q}`)).status, q).toBe(400);
    }
  });
});
