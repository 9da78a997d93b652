// Projects with their ticket counts (open/all), and saved views private to their owner.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompany, createUser, type TestCompany, type TestUser } from '../factories.js';
import { type Harness, harness } from '../harness.js';

describe('projects', () => {
  let h: Harness;
  let acme: TestCompany;
  let manager: TestUser;
  let requester: TestUser;
  let tech: TestUser;

  beforeAll(async () => {
    h = await harness();
    acme = await createCompany(h);
    manager = await createUser(h, acme, { role: 'Manager' });
    requester = await createUser(h, acme, { role: 'Requester' });
    tech = await createUser(h, acme, { role: 'Technician' });
  });
  afterAll(() => h.close());

  it('projects.manage creates and edits; everyone reads; counts of open and all tickets come with each project', async () => {
    const p = await manager.client.post('/api/v1/projects', { name: 'Office move', description: 'Move to the 3rd floor' });
    expect(p.status).toBe(201);
    expect(p.body.project).toMatchObject({ name: 'Office move', status: 'active', tickets: { open: 0, all: 0 }, can: { update: true } });
    const q = await manager.client.post('/api/v1/projects', { name: 'Annual audit', status: 'on_hold' });
    const pid = p.body.project.id;
    expect((await tech.client.post('/api/v1/projects', { name: 'Mine' })).status).toBe(403);
    expect((await tech.client.patch(`/api/v1/projects/${pid}`, { status: 'done' })).status).toBe(403);
    expect((await manager.client.post('/api/v1/projects', { name: 'x', status: 'paused' })).status).toBe(400);

    const numbers: number[] = [];
    for (const title of ['Move desks', 'Move printers', 'Network']) {
      const t = await manager.client.post('/api/v1/tickets', { kind: 'work_order', title, description: '', projectId: pid });
      expect(t.status).toBe(201);
      numbers.push(t.body.ticket.number);
    }
    await manager.client.post('/api/v1/tickets', { kind: 'work_order', title: 'Not in a project', description: '' });
    expect((await manager.client.post(`/api/v1/tickets/${numbers[0]}/status`, { status: 'resolved' })).status).toBe(200);
    expect((await manager.client.post(`/api/v1/tickets/${numbers[1]}/status`, { status: 'closed' })).status).toBe(200);
    const mine = await requester.client.post('/api/v1/tickets', { kind: 'request', title: 'My chair', description: '' });
    const edit = await manager.client.get(`/api/v1/tickets/${mine.body.ticket.number}`);
    expect(
      (await manager.client.request('PATCH', `/api/v1/tickets/${mine.body.ticket.number}`, { projectId: pid }, { 'if-match': String(edit.body.ticket.version) }))
        .status,
    ).toBe(200);

    const list = await manager.client.get('/api/v1/projects');
    expect(list.status).toBe(200);
    expect(list.body.items.map((x: { name: string }) => x.name)).toEqual(['Annual audit', 'Office move']);
    expect(list.body.items[1].tickets).toEqual({ open: 2, all: 4 });
    expect(list.body.items[0].tickets).toEqual({ open: 0, all: 0 });
    // Counts are of the tickets the caller may see: the requester sees only their own.
    const theirs = await requester.client.get(`/api/v1/projects/${pid}`);
    expect(theirs.status).toBe(200);
    expect(theirs.body.project).toMatchObject({ tickets: { open: 1, all: 1 }, can: { update: false } });

    // The open/all toggle is the ticket list's status filter.
    const all = await manager.client.get(`/api/v1/tickets?projectId=${pid}`);
    expect(all.body.items).toHaveLength(4);
    const open = await manager.client.get(`/api/v1/tickets?projectId=${pid}&status=new,pending_approval,open,in_progress,on_hold`);
    expect(open.body.items).toHaveLength(2);

    const done = await manager.client.patch(`/api/v1/projects/${pid}`, { status: 'done', description: null });
    expect(done.status).toBe(200);
    expect(done.body.project).toMatchObject({ status: 'done', description: null, name: 'Office move', tickets: { open: 2, all: 4 } });
    const onlyDone = await tech.client.get('/api/v1/projects?status=done');
    expect(onlyDone.body.items.map((x: { id: string }) => x.id)).toEqual([pid]);
    expect((await tech.client.get('/api/v1/projects?status=active,on_hold')).body.items.map((x: { id: string }) => x.id)).toEqual([q.body.project.id]);
  });

  it('computes the counts in one query, however many projects there are', async () => {
    for (let i = 0; i < 15; i++) await manager.client.post('/api/v1/projects', { name: `Bulk ${i}` });
    const statements: string[] = [];
    // Counts the query builders started inside the request's tenant transaction.
    const db = h.deps.database;
    const original = db.withTenant;
    db.withTenant = ((tenantId: number, fn: (scope: any) => Promise<unknown>) =>
      original.call(db, tenantId, (scope: any) => {
        const tx = new Proxy(scope.tx, {
          get(target, prop, receiver) {
            if (prop === 'select' || prop === 'execute') statements.push(String(prop));
            return Reflect.get(target, prop, receiver);
          },
        });
        return fn({ ...scope, tx });
      })) as typeof db.withTenant;
    try {
      const res = await manager.client.get('/api/v1/projects');
      expect(res.body.items.length).toBeGreaterThanOrEqual(17);
    } finally {
      db.withTenant = original;
    }
    expect(statements).toHaveLength(1);
  });

  it("another company's project is a 404", async () => {
    const other = await createCompany(h);
    const p = await manager.client.post('/api/v1/projects', { name: 'Secret' });
    expect((await other.admin.client.get(`/api/v1/projects/${p.body.project.id}`)).status).toBe(404);
    expect((await other.admin.client.patch(`/api/v1/projects/${p.body.project.id}`, { name: 'Stolen' })).status).toBe(404);
    expect((await other.admin.client.get('/api/v1/projects')).body.items).toEqual([]);
    // Nor can their tickets be put in it.
    const t = await other.admin.client.post('/api/v1/tickets', { kind: 'incident', title: 'x', description: '', projectId: p.body.project.id });
    expect(t.status).toBe(400);
  });
});

describe('saved views', () => {
  let h: Harness;
  let acme: TestCompany;
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    h = await harness();
    acme = await createCompany(h);
    alice = await createUser(h, acme, { role: 'Technician' });
    bob = await createUser(h, acme, { role: 'Technician' });
  });
  afterAll(() => h.close());

  it('a user saves, renames and deletes their views; the filters are the ticket list query', async () => {
    const v = await alice.client.post('/api/v1/saved-views', { name: 'My urgent', filters: { status: 'open,in_progress', priority: ['urgent'], assigneeId: 'me', sort: 'due' } });
    expect(v.status).toBe(201);
    expect(v.body.view).toMatchObject({ name: 'My urgent', filters: { status: 'open,in_progress', priority: ['urgent'], assigneeId: 'me', sort: 'due' } });
    const id = v.body.view.id;
    // The stored filters work as the list's query string.
    const qs = new URLSearchParams(Object.entries(v.body.view.filters).map(([k, val]) => [k, String(val)])).toString();
    expect((await alice.client.get(`/api/v1/tickets?${qs}`)).status).toBe(200);

    expect((await alice.client.post('/api/v1/saved-views', { name: 'Bad', filters: { status: 'sleeping' } })).status).toBe(400);
    const unknown = await alice.client.post('/api/v1/saved-views', { name: 'Bad', filters: { colour: 'red' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details.fields['filters.colour']).toBeDefined();

    const renamed = await alice.client.patch(`/api/v1/saved-views/${id}`, { name: 'Urgent for me', filters: { priority: 'urgent,high' } });
    expect(renamed.status).toBe(200);
    expect(renamed.body.view).toMatchObject({ name: 'Urgent for me', filters: { priority: 'urgent,high' } });
    expect((await alice.client.get('/api/v1/saved-views')).body.items.map((x: { id: string }) => x.id)).toEqual([id]);
    expect((await alice.client.delete(`/api/v1/saved-views/${id}`)).status).toBe(204);
    expect((await alice.client.get('/api/v1/saved-views')).body.items).toEqual([]);
  });

  it("views are private: another user (even an admin, even of the same company) neither sees nor changes them", async () => {
    const v = await alice.client.post('/api/v1/saved-views', { name: 'Alice only', filters: { q: 'printer' } });
    const id = v.body.view.id;
    await bob.client.post('/api/v1/saved-views', { name: 'Bob only', filters: {} });
    expect((await bob.client.get('/api/v1/saved-views')).body.items.map((x: { name: string }) => x.name)).toEqual(['Bob only']);
    expect((await acme.admin.client.get('/api/v1/saved-views')).body.items).toEqual([]);
    for (const c of [bob.client, acme.admin.client]) {
      const p = await c.patch(`/api/v1/saved-views/${id}`, { name: 'Hijacked' });
      expect(p.status).toBe(404);
      expect(p.body.error.code).toBe('not_found');
      expect((await c.delete(`/api/v1/saved-views/${id}`)).status).toBe(404);
    }
    const other = await createCompany(h);
    expect((await other.admin.client.patch(`/api/v1/saved-views/${id}`, { name: 'Hijacked' })).status).toBe(404);
    expect((await alice.client.get('/api/v1/saved-views')).body.items.map((x: { name: string }) => x.name)).toEqual(['Alice only']);
  });
});
