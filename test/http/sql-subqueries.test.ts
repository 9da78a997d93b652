// Answers computed by correlated subqueries (department user counts, part stock totals, movement
// location names): each must read the outer row, not a column of the subquery's own table.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompany, createUser, type TestCompany } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { makeLocation, makePart, move, receive } from '../inventory-fixtures.js';

describe('correlated subqueries', () => {
  let h: Harness;
  let acme: TestCompany;

  beforeAll(async () => {
    h = await harness();
    acme = await createCompany(h);
  });
  afterAll(() => h.close());

  it('counts every active user of a department, and names its head', async () => {
    const admin = acme.admin.client;
    const made = await admin.post('/api/v1/departments', { name: 'Workshop' });
    expect(made.status).toBe(201);
    const id: string = made.body.department?.id ?? made.body.id;
    const members = await Promise.all([1, 2, 3].map(() => createUser(h, acme, { login: false })));
    for (const m of members) expect((await admin.patch(`/api/v1/users/${m.id}`, { departmentId: id })).status).toBe(200);
    // A deactivated member does not count.
    const gone = await createUser(h, acme, { login: false });
    expect((await admin.patch(`/api/v1/users/${gone.id}`, { departmentId: id, active: false })).status).toBe(200);
    expect((await admin.patch(`/api/v1/departments/${id}`, { name: 'Workshop', headUserId: String(members[1].id) })).status).toBe(200);

    const list = await admin.get('/api/v1/departments');
    expect(list.status).toBe(200);
    const byName = new Map<string, { userCount: number; head: { id: string } | null }>(list.body.items.map((d: { name: string }) => [d.name, d]));
    expect(byName.get('Workshop')).toMatchObject({ userCount: 3, head: { id: String(members[1].id) } });
    // An empty department counts none (the old query counted the user whose id equalled the department's).
    const empty = await admin.post('/api/v1/departments', { name: 'Empty' });
    expect(empty.status).toBe(201);
    expect((await admin.get('/api/v1/departments')).body.items.find((d: { name: string }) => d.name === 'Empty')).toMatchObject({ userCount: 0 });
  });

  it('totals each part over all its locations, and names the locations of its movements', async () => {
    const admin = acme.admin.client;
    const [north, south] = [await makeLocation(h, acme.id, 'North store'), await makeLocation(h, acme.id, 'South store')];
    const a = await makePart(admin);
    const b = await makePart(admin);
    await receive(admin, a.id, north, 5);
    await receive(admin, a.id, south, 7);
    await receive(admin, b.id, south, 2);
    const moved = await move(admin, b.id, { type: 'transfer', quantity: 1, locationId: south, toLocationId: north });
    expect(moved.status).toBe(201);

    const parts = await admin.get('/api/v1/parts?limit=100');
    expect(parts.status).toBe(200);
    const total = (id: string) => parts.body.items.find((p: { id: string }) => p.id === id).totalQuantity;
    expect([total(a.id), total(b.id)]).toEqual([12, 2]);
    expect((await admin.get(`/api/v1/parts/${a.id}`)).body.part.totalQuantity).toBe(12);

    const movements = await admin.get(`/api/v1/parts/${b.id}/movements`);
    expect(movements.status).toBe(200);
    expect(movements.body.items[0]).toMatchObject({ type: 'transfer', location: { name: 'South store' }, toLocation: { name: 'North store' } });
  });
});
