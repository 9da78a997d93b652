// Histories name what their ids refer to (beforeLabel/afterLabel), so screens say "Checked out to
// Noah Williams", not "assignedToId: 12" — current names, read when the history is read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompany, createUser, type TestCompany, type TestUser } from '../factories.js';
import { type Harness, harness } from '../harness.js';

type AssetChange = { field: string; before: unknown; after: unknown; beforeLabel: string | null; afterLabel: string | null };

describe('history labels', () => {
  let h: Harness;
  let co: TestCompany;
  let tech: TestUser;
  let techName: string;

  beforeAll(async () => {
    h = await harness();
    co = await createCompany(h);
    tech = await createUser(h, co, { role: 'Technician' });
    techName = (await tech.client.get('/api/v1/me')).body.user.name;
  });
  afterAll(() => h.close());

  it('asset history labels the user, location and category by name; plain fields keep null labels', async () => {
    const admin = co.admin.client;
    const cats = await admin.get('/api/v1/picklists/categories');
    const laptop = cats.body.items.find((c: { name: string }) => c.name === 'Laptop');
    const room = await admin.post('/api/v1/locations', { name: 'Store room' });
    expect(room.status).toBe(201);
    const made = await admin.post('/api/v1/assets', { name: 'ThinkPad', categoryId: laptop.id, locationId: room.body.id });
    const id = made.body.asset.id;
    expect((await admin.post(`/api/v1/assets/${id}/checkout`, { userId: String(tech.id), expectedReturn: '2030-12-12' })).status).toBe(200);

    const history = await admin.get(`/api/v1/assets/${id}/history`);
    expect(history.status).toBe(200);
    const [created, checkedOut] = history.body.items as { event: string; changes: AssetChange[] }[];
    expect(created.event).toBe('created');
    const byField = (cs: AssetChange[], f: string) => cs.find((c) => c.field === f);
    expect(byField(created.changes, 'locationId')).toMatchObject({ after: Number(room.body.id), afterLabel: 'Store room', beforeLabel: null });
    expect(byField(created.changes, 'categoryId')).toMatchObject({ afterLabel: 'Laptop' });
    expect(byField(created.changes, 'name')).toMatchObject({ after: 'ThinkPad', beforeLabel: null, afterLabel: null });
    expect(checkedOut.event).toBe('checked_out');
    expect(byField(checkedOut.changes, 'assignedToId')).toMatchObject({ before: null, beforeLabel: null, afterLabel: techName });
    expect(byField(checkedOut.changes, 'expectedReturn')).toMatchObject({ after: '2030-12-12', afterLabel: null });
    expect(byField(checkedOut.changes, 'status')).toMatchObject({ before: 'in_stock', after: 'in_use' });

    // A renamed location shows its current name.
    expect((await admin.patch(`/api/v1/locations/${room.body.id}`, { name: 'IT store' })).status).toBe(200);
    const again = await admin.get(`/api/v1/assets/${id}/history`);
    expect(byField(again.body.items[0].changes, 'locationId')?.afterLabel).toBe('IT store');
  });

  it('ticket history labels the assignee, team and linked assets', async () => {
    const admin = co.admin.client;
    const team = await admin.post('/api/v1/teams', { name: 'Field service', memberIds: [String(tech.id)] });
    expect(team.status).toBe(201);
    const cats = await admin.get('/api/v1/picklists/categories');
    const asset = await admin.post('/api/v1/assets', { tag: 'PRN-7', name: 'Printer', categoryId: cats.body.items[0].id });
    const ticket = await admin.post('/api/v1/tickets', { kind: 'incident', title: 'Paper jam', description: 'Again', priority: 'medium', assetIds: [asset.body.asset.id] });
    expect(ticket.status).toBe(201);
    const number = ticket.body.ticket.number;
    const assigned = await admin.post(`/api/v1/tickets/${number}/assign`, { assigneeId: String(tech.id), teamId: team.body.team?.id ?? team.body.id });
    expect(assigned.status).toBe(200);
    const version = (await admin.get(`/api/v1/tickets/${number}`)).body.ticket.version;
    const unlinked = await admin.request('PATCH', `/api/v1/tickets/${number}`, { assetIds: [] }, { 'if-match': String(version) });
    expect(unlinked.status).toBe(200);

    const history = await admin.get(`/api/v1/tickets/${number}/history`);
    const items = history.body.items as { field: string | null; beforeLabel: string | null; afterLabel: string | null; before: unknown }[];
    expect(items.find((e) => e.field === 'assigneeId')).toMatchObject({ beforeLabel: null, afterLabel: techName });
    expect(items.find((e) => e.field === 'teamId')).toMatchObject({ afterLabel: 'Field service' });
    expect(items.find((e) => e.field === 'assets')).toMatchObject({ beforeLabel: 'PRN-7 Printer', afterLabel: null });
    expect(items.filter((e) => e.field === 'title' || e.field === null).every((e) => e.beforeLabel === null && e.afterLabel === null)).toBe(true);
  });
});
