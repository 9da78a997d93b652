// Costs and reports over HTTP against a fixture whose every total is computed by hand below:
// labour (time entries × rate), parts (consumed at unit cost), purchases (PO lines by received or
// ordered quantity), month boundaries in the company zone (America/New_York), the location roll-up,
// the split of a ticket's cost over its assets, drill-down, files (the XLSX re-read with exceljs),
// the service-desk and reliability reports, and the permissions.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompany, createUser, type TestCompany, type TestUser } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { makeLocation, makePart, move, receive } from '../inventory-fixtures.js';
import { insertLocation } from '../../src/server/modules/locations/locations.service.js';
import { makeSetup, makeVendor, ok, sentOrder } from '../purchasing-fixtures.js';

describe('costs and reports', () => {
  let h: Harness;
  let acme: TestCompany;
  let manager: TestUser;
  let tech: TestUser;
  let tech2: TestUser;
  let viewer: TestUser;
  let requester: TestUser;
  const ids: Record<string, string> = {};
  const run = (q: ReturnType<typeof sql>) => h.deps.database.system(({ tx }) => tx.execute(q));

  beforeAll(async () => {
    h = await harness();
    acme = await createCompany(h);
    manager = await createUser(h, acme, { role: 'Manager' });
    tech = await createUser(h, acme, { role: 'Technician' });
    tech2 = await createUser(h, acme, { role: 'Technician' });
    viewer = await createUser(h, acme, { role: 'Viewer' });
    requester = await createUser(h, acme, { role: 'Requester' });
    await ok(acme.admin.client.patch('/api/v1/settings', { timezone: 'America/New_York' }));
    const t = acme.id;

    const depts = (await ok(manager.client.get('/api/v1/departments'))).items as Array<{ id: string; name: string }>;
    ids.facilities = depts.find((d) => d.name === 'Facilities')!.id;
    ids.it = depts.find((d) => d.name === 'IT')!.id;
    const root = await h.deps.database.system(({ tx }) => insertLocation(tx, t, 'Campus', null));
    const child = await h.deps.database.system(({ tx }) => insertLocation(tx, t, 'Boiler room', { id: root.id, path: root.path }));
    ids.root = String(root.id);
    ids.child = String(child.id);

    const cats = (await ok(manager.client.get('/api/v1/picklists/categories'))).items as Array<{ id: string; name: string }>;
    const categoryId = cats.find((c) => c.name === 'HVAC')!.id;
    const asset = async (name: string) => (await ok(manager.client.post('/api/v1/assets', { name, categoryId }), 201)).asset.id as string;
    ids.a1 = await asset('Boiler 1');
    ids.a2 = await asset('Boiler 2');
    if (Number(ids.a1) > Number(ids.a2)) [ids.a1, ids.a2] = [ids.a2, ids.a1];

    const ticketA = (
      await ok(requester.client.post('/api/v1/tickets', { kind: 'work_order', title: 'Boilers down', assetIds: [ids.a1, ids.a2] }), 201)
    ).ticket;
    const ticketB = (await ok(requester.client.post('/api/v1/tickets', { kind: 'incident', title: 'Printer', description: '' }), 201))
      .ticket;
    ids.ticketA = String(ticketA.id);
    ids.ticketB = String(ticketB.id);
    await run(sql`update tickets set department_id = ${Number(ids.facilities)}, cost_code = 'CC-100', location_id = ${child.id}, created_at = '2026-04-02T12:00:00Z',
                  failure = true, downtime_started_at = '2026-04-10T10:00:00Z', downtime_ended_at = '2026-04-10T12:30:00Z'
                  where tenant_id = ${t} and id = ${ticketA.id}`);
    await run(
      sql`update tickets set department_id = ${Number(ids.it)}, created_at = '2026-04-03T12:00:00Z' where tenant_id = ${t} and id = ${ticketB.id}`,
    );

    // Labour. 23:30 on 31 March in New York is 03:30 UTC on 1 April: March in the company's zone.
    const entry = (ticket: string, user: number, minutes: number, rate: string | null, at: string) =>
      run(
        sql`insert into time_entries (tenant_id, ticket_id, user_id, minutes, rate, spent_on) values (${t}, ${Number(ticket)}, ${user}, ${minutes}, ${rate}, ${at}::timestamptz)`,
      );
    await entry(ids.ticketA, tech.id, 90, '40.00', '2026-04-01T03:30:00Z'); // 60.00, March (NY)
    await entry(ids.ticketA, tech.id, 25, '33.33', '2026-04-10T12:00:00Z'); // 13.8875 → 13.89
    await entry(ids.ticketB, tech2.id, 60, null, '2026-04-10T12:00:00Z'); // no rate: 0.00
    await entry(ids.ticketB, tech2.id, 45, '50.00', '2026-04-10T12:00:00Z'); // 37.50
    await entry(ids.ticketB, tech2.id, 30, '100.00', '2026-05-01T05:00:00Z'); // 1 May 01:00 NY: outside
    await entry(ids.ticketB, tech2.id, 30, '100.00', '2026-03-01T04:30:00Z'); // 28 Feb 23:30 NY: outside

    // Parts: 4 × 2.50 on ticket A.
    const store = await makeLocation(h, t, 'Store');
    ids.store = store;
    const part = await makePart(manager.client, { unitCost: 2.5 });
    await receive(manager.client, part.id, store, 10);
    expect(
      (await move(manager.client, part.id, { type: 'consume', quantity: 4, locationId: store, ticketNumber: ticketA.number })).status,
    ).toBe(201);
    await run(sql`update stock_movements set at = '2026-04-10T12:00:00Z' where tenant_id = ${t} and type = 'consume'`);

    // Purchases: line 1 (Facilities, CC-100) 3 × 19.999, 2 received; line 2 (IT) 1 × 100, none received.
    const setup = await makeSetup(h, t, manager.client, 10);
    ids.dock = setup.storeId;
    const vendor = await makeVendor(manager.client);
    const po = await sentOrder(manager.client, setup, vendor.id, [
      { description: 'Valves', quantity: 3, unitPrice: 19.999, departmentId: ids.facilities, costCode: 'CC-100' },
      { description: 'Toner', quantity: 1, unitPrice: 100, departmentId: ids.it },
    ]);
    const valves = po.lines.find((l: { description: string }) => l.description === 'Valves');
    await ok(manager.client.post(`/api/v1/purchase-orders/${po.id}/receive`, { lines: [{ lineId: valves.id, quantity: 2 }] }));
    await run(sql`update purchase_order_receipts set at = '2026-04-10T12:00:00Z' where tenant_id = ${t}`);
    await run(sql`update purchase_orders set finalized_at = '2026-04-10T12:00:00Z' where tenant_id = ${t}`);
  });
  afterAll(() => h.close());

  const period = 'from=2026-03-01&to=2026-04-30';
  const costs = async (q: string) => ok(manager.client.get(`/api/v1/reports/costs?${period}&${q}`));
  const byKey = (rows: Array<{ key: string }>): Record<string, any> => Object.fromEntries(rows.map((r) => [r.key, r]));

  it('adds labour, parts and purchases by department, each line rounded to cents, exactly', async () => {
    const r = await costs('groupBy=department');
    expect(r.totals).toEqual({ labour: 111.39, parts: 10, purchases: 40, total: 161.39 });
    expect(r.currency).toBeTruthy();
    const rows = byKey(r.rows);
    expect(rows[ids.facilities]).toMatchObject({ label: 'Facilities', labour: 73.89, parts: 10, purchases: 40, total: 123.89 });
    expect(rows[ids.it]).toMatchObject({ label: 'IT', labour: 37.5, parts: 0, purchases: 0, total: 37.5 });
    expect(r.rows[0].key).toBe(ids.facilities); // biggest first

    const ordered = await costs('groupBy=department&purchases=ordered');
    expect(byKey(ordered.rows)[ids.facilities].purchases).toBe(60); // 59.997 → 60.00
    expect(byKey(ordered.rows)[ids.it].purchases).toBe(100);
    expect(ordered.totals.purchases).toBe(160);
  });

  it('groups by month in the company zone, every month of the period present', async () => {
    const r = await costs('groupBy=month');
    expect(r.rows.map((x: { key: string }) => x.key)).toEqual(['2026-03', '2026-04']);
    expect(r.rows[0]).toMatchObject({ labour: 60, total: 60 });
    expect(r.rows[1]).toMatchObject({ labour: 51.39, parts: 10, purchases: 40, total: 101.39 });
    const wider = await ok(manager.client.get('/api/v1/reports/costs?from=2026-01-01&to=2026-06-30&groupBy=month'));
    expect(wider.rows.map((x: { key: string }) => x.key)).toEqual(['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06']);
    expect(byKey(wider.rows)['2026-02'].total).toBe(50); // the 28 February entry
    expect(byKey(wider.rows)['2026-05'].total).toBe(50);
  });

  it('splits a ticket over its assets so the rows still add up; cost codes, technicians and categories', async () => {
    const assets = byKey((await costs('groupBy=asset')).rows);
    expect(assets[ids.a1]).toMatchObject({ labour: 36.95, parts: 5, total: 41.95 });
    expect(assets[ids.a2]).toMatchObject({ labour: 36.94, parts: 5, total: 41.94 });
    expect(assets.none).toMatchObject({ labour: 37.5, purchases: 40, total: 77.5 });

    const codes = byKey((await costs('groupBy=costCode')).rows);
    expect(codes['CC-100']).toMatchObject({ total: 123.89 });
    expect(codes.none).toMatchObject({ label: 'No cost code', total: 37.5 });

    const people = byKey((await costs('groupBy=technician')).rows);
    expect(people[String(tech.id)]).toMatchObject({ labour: 73.89, total: 73.89 });
    expect(people[String(tech2.id)]).toMatchObject({ labour: 37.5 });
    expect(people[String(manager.id)]).toMatchObject({ parts: 10 }); // who took the parts
    expect(people.none).toMatchObject({ purchases: 40 });
  });

  it('rolls locations up the tree and drills into a location', async () => {
    const top = await costs('groupBy=location');
    const rows = byKey(top.rows);
    expect(rows[ids.root]).toMatchObject({ label: 'Campus', total: 83.89, hasChildren: true });
    expect(rows[ids.dock]).toMatchObject({ purchases: 40, total: 40 }); // the receipt's location
    expect(rows.none).toMatchObject({ total: 37.5 });
    expect(top.totals.total).toBe(161.39);
    const below = await costs(`groupBy=location&parentId=${ids.root}`);
    expect(below.parent).toMatchObject({ id: ids.root, name: 'Campus', parentId: null });
    expect(below.rows).toEqual([expect.objectContaining({ key: ids.child, label: 'Boiler room', labour: 73.89, parts: 10, total: 83.89 })]);
    expect(below.totals.total).toBe(83.89);
  });

  it('lists the lines behind a total, page by page, and they add up to it', async () => {
    const first = await ok(manager.client.get(`/api/v1/reports/costs/lines?${period}&groupBy=department&key=${ids.facilities}&limit=3`));
    expect(first.items).toHaveLength(3);
    expect(first.nextCursor).toBeTruthy();
    const second = await ok(
      manager.client.get(
        `/api/v1/reports/costs/lines?${period}&groupBy=department&key=${ids.facilities}&limit=3&cursor=${first.nextCursor}`,
      ),
    );
    const lines = [...first.items, ...second.items];
    expect(second.nextCursor).toBeNull();
    expect(lines).toHaveLength(4);
    expect(lines.reduce((s: number, l: { amount: number }) => s + Math.round(l.amount * 100), 0)).toBe(12389);
    expect(lines.map((l: { source: string }) => l.source).sort()).toEqual(['labour', 'labour', 'parts', 'purchases']);
    const receipt = lines.find((l: { source: string }) => l.source === 'purchases');
    expect(receipt).toMatchObject({ description: 'Valves', quantity: 2, amount: 40 });
    expect(receipt.purchaseOrder.number).toMatch(/^PO-/);
    const labour = lines.find((l: { amount: number }) => l.amount === 60);
    expect(labour).toMatchObject({ ticketNumber: expect.any(Number), person: expect.any(String), quantity: 90 });
    expect((await manager.client.get(`/api/v1/reports/costs/lines?${period}&cursor=nonsense`)).status).toBe(400);
  });

  it('gives every report as CSV and XLSX; the workbook holds the rows the API answers', async () => {
    const csv = await manager.client.get(`/api/v1/reports/costs?${period}&groupBy=department&format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(String(csv.body)).toContain('Facilities');
    expect(String(csv.body)).toContain('161.39');

    const json = await costs('groupBy=department');
    const xlsx = await manager.client.get(`/api/v1/reports/costs?${period}&groupBy=department&format=xlsx`);
    expect(xlsx.status).toBe(200);
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.raw.rawPayload as never);
    const sheet = wb.getWorksheet('Costs')!;
    const header = sheet.getRow(2).values as unknown[];
    expect(header.slice(1, 3)).toEqual(['department', 'key']);
    const rows: unknown[][] = [];
    sheet.eachRow((row, n) => {
      if (n > 2) rows.push((row.values as unknown[]).slice(1));
    });
    expect(rows.slice(0, -1)).toEqual(
      json.rows.map((r: { label: string; key: string; labour: number; parts: number; purchases: number; total: number }) => [
        r.label,
        r.key,
        r.labour,
        r.parts,
        r.purchases,
        r.total,
      ]),
    );
    expect(rows.at(-1)).toEqual(['Total', undefined, 111.39, 10, 40, 161.39]);
    expect(sheet.getRow(3).getCell(3).numFmt).toBe('#,##0.00');

    const lines = await manager.client.get(`/api/v1/reports/costs/lines?${period}&format=csv`);
    expect(lines.status).toBe(200);
    expect(String(lines.body).trim().split('\n')).toHaveLength(1 + 6); // header + every line of the period: 4 labour, 1 parts, 1 receipt
    for (const path of ['/api/v1/reports/tickets', '/api/v1/reports/assets/reliability']) {
      const f = await manager.client.get(`${path}?${period}&format=xlsx`);
      expect(f.status).toBe(200);
      expect(f.headers['content-type']).toMatch(/spreadsheetml/);
    }
  });

  it('reports tickets by status and priority with response and resolution times', async () => {
    const r = await ok(manager.client.get(`/api/v1/reports/tickets?${period}&groupBy=priority`));
    expect(r.totals).toMatchObject({ count: 2, open: 2 });
    expect(r.rows.map((x: { key: string }) => x.key)).toEqual(['medium']);
    const byStatus = await ok(manager.client.get(`/api/v1/reports/tickets?${period}&groupBy=technician`));
    expect(byStatus.rows[0]).toMatchObject({ key: 'none', label: 'Unassigned', count: 2 });
    // SLA results come from each ticket's SLA clock (the company's default policy applies to both).
    await run(sql`update ticket_sla set first_response_breached = true where tenant_id = ${acme.id} and ticket_id = ${Number(ids.ticketA)}`);
    await run(sql`update ticket_sla set resolved_at = '2026-04-05T12:00:00Z' where tenant_id = ${acme.id} and ticket_id = ${Number(ids.ticketB)}`);
    const sla = await ok(manager.client.get(`/api/v1/reports/tickets?${period}&groupBy=priority`));
    expect(sla.totals).toMatchObject({ slaBreached: 1, slaMet: 1 });
    const weeks = await ok(manager.client.get(`/api/v1/reports/tickets?${period}&groupBy=week`));
    expect(weeks.rows.map((x: { key: string }) => x.key)).toEqual(['2026-03-30']); // both in the week of Monday 30 March
  });

  it('computes downtime, failures, MTBF and MTTR per asset from failure work orders', async () => {
    const r = await ok(manager.client.get(`/api/v1/reports/assets/reliability?${period}`));
    const rows = Object.fromEntries(r.rows.map((x: { assetId: string }) => [x.assetId, x]));
    const periodHours = (Date.parse('2026-05-01T04:00:00Z') - Date.parse('2026-03-01T05:00:00Z')) / 3_600_000;
    for (const id of [ids.a1, ids.a2]) {
      expect(rows[id]).toMatchObject({ failures: 1, downtimeMinutes: 150, mttrHours: 2.5 });
      expect(rows[id].mtbfHours).toBeCloseTo(periodHours - 2.5, 1);
    }
    const outside = await ok(manager.client.get('/api/v1/reports/assets/reliability?from=2026-05-01&to=2026-05-31'));
    expect(outside.rows).toEqual([]);
  });

  it('guards costs with reports.financial and the rest with reports.view; bad periods are 400', async () => {
    expect((await viewer.client.get(`/api/v1/reports/costs?${period}`)).status).toBe(403);
    expect((await viewer.client.get(`/api/v1/reports/costs/lines?${period}`)).status).toBe(403);
    expect((await viewer.client.get(`/api/v1/reports/tickets?${period}`)).status).toBe(200);
    expect((await tech.client.get(`/api/v1/reports/tickets?${period}`)).status).toBe(403);
    expect((await requester.client.get(`/api/v1/reports/assets/reliability?${period}`)).status).toBe(403);
    const bad = await manager.client.get('/api/v1/reports/costs?from=2026-05-01&to=2026-04-01');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation');
    expect((await manager.client.get('/api/v1/reports/costs?from=2026-02-30')).status).toBe(400);
    expect((await manager.client.get('/api/v1/reports/costs?groupBy=vendor')).status).toBe(400);
    expect((await manager.client.get('/api/v1/reports/costs?groupBy=location&parentId=999999')).status).toBe(400);
  });

  it('never shows another company’s costs', async () => {
    const other = await createCompany(h);
    const boss = await createUser(h, other, { role: 'Manager' });
    const r = await ok(boss.client.get(`/api/v1/reports/costs?${period}&groupBy=department`));
    expect(r.totals.total).toBe(0);
    const lines = await ok(boss.client.get(`/api/v1/reports/costs/lines?${period}`));
    expect(lines.items).toEqual([]);
    const rel = await ok(boss.client.get(`/api/v1/reports/assets/reliability?${period}`));
    expect(rel.rows).toEqual([]);
    expect((await boss.client.get(`/api/v1/reports/costs?${period}&groupBy=location&parentId=${ids.root}`)).status).toBe(400);
  });
});
