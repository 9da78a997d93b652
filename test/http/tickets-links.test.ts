// Issue 10 items 1, 3 and 4 over HTTP: a ticket's linked assets with their location (link, unlink,
// who may), the approval chain with who decides each step and the rejection, approve_any on every
// pending ticket, the pickers of the ticket forms (only people who may work tickets; on whose behalf),
// "Start work" assigning the one who starts, and the overdue filter.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { departments } from '../../src/server/db/schema/index.js';
import { createCompany, createRole, createUser, type TestCompany, type TestUser } from '../factories.js';
import { type Harness, harness } from '../harness.js';

const nameOf = (u: TestUser) => `User ${u.email}`;
const withQuery = (url: string, q: Record<string, string | number>) => `${url}?${new URLSearchParams(Object.entries(q).map(([k, v]) => [k, String(v)]))}`;

describe('ticket links, approvals and triage', () => {
  let h: Harness;
  let acme: TestCompany;
  let other: TestCompany;
  let requester: TestUser;
  let head: TestUser;
  let tech: TestUser;
  let manager: TestUser;
  let named: TestUser;
  let overseer: TestUser;
  let assetId: string;
  let spareId: string;
  let foreignAssetId: string;
  let roomId: string;
  let chainId: string;

  beforeAll(async () => {
    h = await harness();
    acme = await createCompany(h);
    other = await createCompany(h);
    requester = await createUser(h, acme, { role: 'Requester', department: 'Operations' });
    head = await createUser(h, acme, { role: 'Department Head', department: 'Operations' });
    tech = await createUser(h, acme, { role: 'Technician', department: 'IT' });
    manager = await createUser(h, acme, { role: 'Manager', department: 'IT' });
    named = await createUser(h, acme, { role: 'Department Head', department: 'IT' });
    // Decides any waiting step, without tickets.approve.
    overseer = await createUser(h, acme, { roleId: await createRole(h, acme, ['tickets.approve_any', 'tickets.create'], 50) });
    await h.deps.database.system(({ tx }) =>
      tx.update(departments).set({ headUserId: head.id }).where(and(eq(departments.tenantId, acme.id), eq(departments.id, acme.departmentIds.get('Operations')!))),
    );
    const admin = acme.admin.client;
    const site = await admin.post('/api/v1/locations', { name: 'Main site' });
    const room = await admin.post('/api/v1/locations', { name: 'Room 12', parentId: site.body.id });
    roomId = room.body.id;
    const category = (await admin.get('/api/v1/picklists/categories')).body.items[0].id;
    const a = await admin.post('/api/v1/assets', { name: 'Label printer', categoryId: category, locationId: roomId, serial: 'SN-4711' });
    expect(a.status).toBe(201);
    assetId = a.body.id;
    spareId = (await admin.post('/api/v1/assets', { name: 'Spare printer', categoryId: category })).body.id;
    const otherCategory = (await other.admin.client.get('/api/v1/picklists/categories')).body.items[0].id;
    foreignAssetId = (await other.admin.client.post('/api/v1/assets', { name: 'Not yours', categoryId: otherCategory })).body.id;
    const chain = await admin.post('/api/v1/categories', {
      name: 'Purchase',
      approvalSteps: [{ type: 'department_head' }, { type: 'role', roleId: String(acme.roleIds.get('Manager')) }, { type: 'user', userId: String(named.id) }],
    });
    expect(chain.status).toBe(201);
    chainId = chain.body.category.id;
  });
  afterAll(() => h.close());

  it('lists linked assets with tag, name and location; staff link and unlink them, requesters may not', async () => {
    const created = await requester.client.post('/api/v1/tickets', { kind: 'incident', title: 'Printer prints blank labels', assetIds: [assetId] });
    expect(created.status).toBe(201);
    const n = created.body.ticket.number;
    const listed = await requester.client.get(`/api/v1/tickets/${n}/assets`);
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([
      expect.objectContaining({ id: assetId, name: 'Label printer', serial: 'SN-4711', location: { id: roomId, name: 'Room 12' }, locationPath: 'Main site / Room 12' }),
    ]);
    expect(listed.body.items[0].tag).toEqual(expect.any(String));

    const refused = await requester.client.post(`/api/v1/tickets/${n}/assets`, { assetId: spareId });
    expect(refused.status).toBe(403);
    expect((await requester.client.delete(`/api/v1/tickets/${n}/assets/${assetId}`)).status).toBe(403);

    const version = (await manager.client.get(`/api/v1/tickets/${n}`)).body.ticket.version;
    const linked = await manager.client.post(`/api/v1/tickets/${n}/assets`, { assetId: spareId });
    expect(linked.status).toBe(200);
    expect(linked.body.items.map((x: { id: string }) => x.id).sort()).toEqual([assetId, spareId].sort());
    const spare = linked.body.items.find((x: { id: string }) => x.id === spareId);
    expect(spare).toMatchObject({ location: null, locationPath: null });
    // Linking again changes nothing.
    expect((await manager.client.post(`/api/v1/tickets/${n}/assets`, { assetId: spareId })).body.items).toHaveLength(2);
    const after = (await manager.client.get(`/api/v1/tickets/${n}`)).body.ticket;
    expect(after.version).toBe(version + 1);
    expect(after.assetIds.sort()).toEqual([assetId, spareId].sort());

    // Another company's asset is not an asset here.
    const foreign = await manager.client.post(`/api/v1/tickets/${n}/assets`, { assetId: foreignAssetId });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.details.fields.assetId).toBeDefined();

    const unlinked = await manager.client.delete(`/api/v1/tickets/${n}/assets/${assetId}`);
    expect(unlinked.status).toBe(200);
    expect(unlinked.body.items.map((x: { id: string }) => x.id)).toEqual([spareId]);
    expect((await manager.client.delete(`/api/v1/tickets/${n}/assets/${foreignAssetId}`)).status).toBe(404);

    const history = await manager.client.get(`/api/v1/tickets/${n}/history`);
    const assetChanges = history.body.items.filter((x: { field: string | null }) => x.field === 'assets');
    expect(assetChanges.map((x: { after: string[] }) => x.after.length)).toEqual([2, 1]);

    // Someone who may not see the ticket learns nothing about it.
    const stranger = await createUser(h, acme, { role: 'Requester' });
    expect((await stranger.client.get(`/api/v1/tickets/${n}/assets`)).status).toBe(404);
  });

  it('shows the approval chain with who decides each step, and the rejection with reason and who', async () => {
    const created = await requester.client.post('/api/v1/tickets', { kind: 'request', title: 'New monitor', categoryId: chainId });
    const n = created.body.ticket.number;
    expect(created.body.ticket.status).toBe('pending_approval');
    const first = await requester.client.get(`/api/v1/tickets/${n}/approval`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      current: 0,
      rejection: null,
      steps: [
        { step: 0, type: 'department_head', approver: nameOf(head), state: 'waiting', decider: null },
        { step: 1, type: 'role', approver: 'Manager', state: 'ahead' },
        { step: 2, type: 'user', approver: nameOf(named), state: 'ahead' },
      ],
    });

    expect((await head.client.post(`/api/v1/tickets/${n}/approve`, { comment: 'fine' })).status).toBe(200);
    const second = await requester.client.get(`/api/v1/tickets/${n}/approval`);
    expect(second.body.current).toBe(1);
    expect(second.body.steps[0]).toMatchObject({ state: 'approved', decider: { id: String(head.id), name: nameOf(head) }, comment: 'fine' });
    expect(second.body.steps[1].state).toBe('waiting');

    const rejected = await manager.client.post(`/api/v1/tickets/${n}/reject`, { reason: 'Over budget this quarter' });
    expect(rejected.status).toBe(200);
    const third = await requester.client.get(`/api/v1/tickets/${n}/approval`);
    expect(third.body.current).toBeNull();
    expect(third.body.rejection).toMatchObject({ reason: 'Over budget this quarter', by: { id: String(manager.id), name: nameOf(manager) } });
    expect(third.body.steps.map((s: { state: string }) => s.state)).toEqual(['approved', 'rejected', 'ahead']);
  });

  it('lets holders of tickets.approve_any approve or reject every pending ticket', async () => {
    const created = await requester.client.post('/api/v1/tickets', { kind: 'request', title: 'Desk lamp', categoryId: chainId });
    const n = created.body.ticket.number;
    const seen = await overseer.client.get(`/api/v1/tickets/${n}`);
    expect(seen.status).toBe(200);
    expect(seen.body.can).toMatchObject({ approve: true, reject: true });
    const list = await overseer.client.get(withQuery('/api/v1/tickets', { status: 'pending_approval' }));
    expect(list.body.items.map((x: { number: number }) => x.number)).toContain(n);
    // Someone with neither approve permission sees no buttons on a ticket they requested.
    expect((await requester.client.get(`/api/v1/tickets/${n}`)).body.can).toMatchObject({ approve: false, reject: false });
    const approved = await overseer.client.post(`/api/v1/tickets/${n}/approve`, {});
    expect(approved.status).toBe(200);
    expect(approved.body.ticket.approval).toMatchObject({ step: 1 });
  });

  it('offers as assignees only active people who may work tickets, searchable, to those who may assign', async () => {
    const all = await manager.client.get(withQuery('/api/v1/tickets/assignees', { limit: 200 }));
    expect(all.status).toBe(200);
    const ids = all.body.items.map((x: { id: string }) => x.id);
    expect(ids).toEqual(expect.arrayContaining([String(tech.id), String(manager.id), String(acme.admin.id)]));
    expect(ids).not.toContain(String(requester.id));
    expect(ids).not.toContain(String(head.id));
    const found = await manager.client.get(withQuery('/api/v1/tickets/assignees', { q: tech.email.slice(0, 12) }));
    expect(found.body.items.map((x: { id: string }) => x.id)).toEqual([String(tech.id)]);
    expect(found.body.items[0]).toMatchObject({ name: nameOf(tech), email: tech.email, color: expect.any(String) });
    // Keyset pages cover everyone once.
    const first = await manager.client.get(withQuery('/api/v1/tickets/assignees', { limit: 1 }));
    expect(first.body.items).toHaveLength(1);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const next = await manager.client.get(withQuery('/api/v1/tickets/assignees', { limit: 200, cursor: first.body.nextCursor }));
    expect([...first.body.items, ...next.body.items].map((x: { id: string }) => x.id)).toEqual(ids);
    const denied = await tech.client.get('/api/v1/tickets/assignees');
    expect(denied.status).toBe(403);
    expect(denied.body.error.details.permission).toBe('tickets.assign');
  });

  it('refuses as assignee, on assigning and on opening, one who may not work tickets', async () => {
    const t = await manager.client.post('/api/v1/tickets', { kind: 'incident', title: 'Printer jam', description: '' });
    expect(t.status).toBe(201);
    const n = t.body.ticket.number;
    const refused = await manager.client.post(`/api/v1/tickets/${n}/assign`, { assigneeId: String(requester.id) });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.fields.assigneeId).toBe('may not work tickets');
    expect((await manager.client.get(`/api/v1/tickets/${n}`)).body.ticket.assignee).toBeNull();
    expect((await manager.client.post(`/api/v1/tickets/${n}/assign`, { assigneeId: String(tech.id) })).status).toBe(200);
    const opened = await manager.client.post('/api/v1/tickets', { kind: 'incident', title: 'Another jam', description: '', assigneeId: String(head.id) });
    expect(opened.status).toBe(400);
    expect(opened.body.error.details.fields.assigneeId).toBe('may not work tickets');
  });

  it('offers requesters to those who may open tickets for others, and refuses it to the rest', async () => {
    const found = await tech.client.get(withQuery('/api/v1/tickets/requesters', { q: requester.email.slice(0, 12) }));
    expect(found.status).toBe(200);
    expect(found.body.items.map((x: { id: string }) => x.id)).toEqual([String(requester.id)]);
    expect((await requester.client.get('/api/v1/tickets/requesters')).status).toBe(403);
    const onBehalf = await tech.client.post('/api/v1/tickets', { kind: 'incident', title: 'Phone broken', requesterId: String(requester.id) });
    expect(onBehalf.status).toBe(201);
    expect(onBehalf.body.ticket.requester).toMatchObject({ id: String(requester.id) });
    expect(onBehalf.body.ticket.createdBy).toMatchObject({ id: String(tech.id) });
    const refused = await requester.client.post('/api/v1/tickets', { kind: 'incident', title: 'For someone else', requesterId: String(head.id) });
    expect(refused.status).toBe(403);
  });

  it('"Start work" on an unassigned ticket assigns it to whoever starts it, and leaves an assignee alone', async () => {
    const open = await manager.client.post('/api/v1/tickets', { kind: 'incident', title: 'Door does not close' });
    const n = open.body.ticket.number;
    expect(open.body.ticket.assignee).toBeNull();
    const started = await manager.client.post(`/api/v1/tickets/${n}/status`, { status: 'in_progress' });
    expect(started.status).toBe(200);
    expect(started.body.ticket).toMatchObject({ status: 'in_progress', assignee: { id: String(manager.id) } });
    const history = await manager.client.get(`/api/v1/tickets/${n}/history`);
    expect(history.body.items).toContainEqual(expect.objectContaining({ event: 'assigned', field: 'assigneeId', before: null, afterLabel: nameOf(manager) }));

    const assigned = await manager.client.post('/api/v1/tickets', { kind: 'incident', title: 'Window stuck', assigneeId: String(tech.id) });
    const m = assigned.body.ticket.number;
    const other = await manager.client.post(`/api/v1/tickets/${m}/status`, { status: 'in_progress' });
    expect(other.body.ticket.assignee).toMatchObject({ id: String(tech.id) });
  });

  it('filters overdue tickets: past their due date and not done', async () => {
    const past = new Date(Date.now() - 2 * 86_400_000).toISOString();
    const future = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const late = (await manager.client.post('/api/v1/tickets', { kind: 'incident', title: 'Late one', dueAt: past })).body.ticket.number;
    const early = (await manager.client.post('/api/v1/tickets', { kind: 'incident', title: 'Early one', dueAt: future })).body.ticket.number;
    const done = (await manager.client.post('/api/v1/tickets', { kind: 'incident', title: 'Done one', dueAt: past })).body.ticket.number;
    expect((await manager.client.post(`/api/v1/tickets/${done}/status`, { status: 'resolved' })).status).toBe(200);
    const list = await manager.client.get(withQuery('/api/v1/tickets', { overdue: 'true', limit: 200 }));
    expect(list.status).toBe(200);
    const numbers = list.body.items.map((x: { number: number }) => x.number);
    expect(numbers).toContain(late);
    expect(numbers).not.toContain(early);
    expect(numbers).not.toContain(done);
    expect((await manager.client.get(withQuery('/api/v1/tickets', { overdue: 'maybe' }))).status).toBe(400);
  });
});
