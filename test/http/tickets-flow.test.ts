// The seed-004 approval flow and the seed-003 auto-approval flow, over HTTP.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { departments } from '../../src/server/db/schema/index.js';
import { createCompany, createRole, createUser, type TestCompany, type TestUser } from '../factories.js';
import { type Harness, harness } from '../harness.js';

describe('ticket approval flows', () => {
  let h: Harness;
  let acme: TestCompany;
  let requester: TestUser;
  let head: TestUser;
  let itHead: TestUser;
  let tech: TestUser;
  let manager: TestUser;
  let categoryId: string;
  let workOrders: string;

  beforeAll(async () => {
    h = await harness();
    acme = await createCompany(h);
    const itHeadRole = await createRole(h, acme, ['tickets.create', 'tickets.comment', 'tickets.approve', 'tickets.assign', 'tickets.view_all', 'tickets.update', 'tickets.internal_notes', 'users.view'], 70);
    requester = await createUser(h, acme, { role: 'Requester', department: 'Operations' });
    head = await createUser(h, acme, { role: 'Department Head', department: 'Operations' });
    itHead = await createUser(h, acme, { roleId: itHeadRole, department: 'IT' });
    tech = await createUser(h, acme, { role: 'Technician', department: 'IT' });
    manager = await createUser(h, acme, { role: 'Manager', department: 'Operations' });
    await h.deps.database.system(({ tx }) =>
      tx.update(departments).set({ headUserId: head.id }).where(and(eq(departments.tenantId, acme.id), eq(departments.id, acme.departmentIds.get('Operations')!))),
    );
    const cat = await acme.admin.client.post('/api/v1/categories', {
      name: 'New laptop',
      approvalSteps: [{ type: 'department_head' }, { type: 'role', roleId: String(itHeadRole) }],
    });
    expect(cat.status).toBe(201);
    categoryId = cat.body.category.id;
    const wo = await acme.admin.client.post('/api/v1/categories', {
      name: 'Maintenance',
      approvalSteps: [{ type: 'role', roleId: String(acme.roleIds.get('Manager')) }],
    });
    workOrders = wo.body.id;
  });
  afterAll(() => h.close());

  it('seed 004: department head, then IT head approve; technician resolves; the requester sees each step', async () => {
    const created = await requester.client.post('/api/v1/tickets', { kind: 'request', title: 'Laptop for new hire', description: 'Needs 16 GB', categoryId, priority: 'medium' });
    expect(created.status).toBe(201);
    const n = created.body.ticket.number;
    expect(created.body.ticket.status).toBe('pending_approval');
    expect(created.body.ticket.approval).toMatchObject({ step: 0, stepCount: 2, pendingUserId: String(head.id) });

    // Not yet the IT head's turn, and a technician may not decide at all.
    expect((await itHead.client.post(`/api/v1/tickets/${n}/approve`, {})).status).toBe(403);
    expect((await tech.client.post(`/api/v1/tickets/${n}/approve`, {})).status).toBe(403);

    const headInbox = await head.client.get('/api/v1/notifications');
    expect(headInbox.body.items.some((x: { event: string; ticketNumber: number }) => x.event === 'ticket.approval_needed' && x.ticketNumber === n)).toBe(true);

    const step1 = await head.client.post(`/api/v1/tickets/${n}/approve`, { comment: 'ok from Ops' });
    expect(step1.status).toBe(200);
    expect(step1.body.ticket.status).toBe('pending_approval');
    expect((await requester.client.get(`/api/v1/tickets/${n}`)).body.ticket.status).toBe('pending_approval');

    const step2 = await itHead.client.post(`/api/v1/tickets/${n}/approve`, {});
    expect(step2.body.ticket.status).toBe('open');
    const assigned = await itHead.client.post(`/api/v1/tickets/${n}/assign`, { assigneeId: String(tech.id) });
    expect(assigned.body.ticket.assignee.id).toBe(String(tech.id));

    expect((await tech.client.post(`/api/v1/tickets/${n}/status`, { status: 'in_progress' })).body.ticket.status).toBe('in_progress');
    expect((await requester.client.get(`/api/v1/tickets/${n}`)).body.ticket.status).toBe('in_progress');
    expect((await tech.client.post(`/api/v1/tickets/${n}/status`, { status: 'resolved' })).body.ticket.status).toBe('resolved');

    const seen = await requester.client.get(`/api/v1/tickets/${n}`);
    expect(seen.body.ticket.status).toBe('resolved');
    const history = await requester.client.get(`/api/v1/tickets/${n}/history`);
    expect(history.body.approvals.map((a: { decision: string }) => a.decision)).toEqual(['approved', 'approved']);
    const statuses = history.body.items.filter((x: { field: string }) => x.field === 'status').map((x: { after: string }) => x.after);
    expect(statuses).toEqual(['pending_approval', 'open', 'in_progress', 'resolved']);
    const inbox = await requester.client.get('/api/v1/notifications');
    const events = inbox.body.items.map((x: { event: string }) => x.event);
    expect(events).toContain('ticket.approved');
    expect(events).toContain('ticket.status_changed');
  });

  it('rejection needs a reason, moves to rejected and tells the requester', async () => {
    const created = await requester.client.post('/api/v1/tickets', { kind: 'request', title: 'Gaming chair', categoryId, priority: 'low' });
    const n = created.body.ticket.number;
    expect((await head.client.post(`/api/v1/tickets/${n}/reject`, {})).status).toBe(400);
    const rejected = await head.client.post(`/api/v1/tickets/${n}/reject`, { reason: 'Not in budget' });
    expect(rejected.body.ticket.status).toBe('rejected');
    expect((await tech.client.post(`/api/v1/tickets/${n}/status`, { status: 'open' })).status).toBe(404);
    const inbox = await requester.client.get('/api/v1/notifications');
    expect(inbox.body.items.find((x: { event: string; ticketNumber: number }) => x.event === 'ticket.rejected' && x.ticketNumber === n).body).toContain('Not in budget');
  });

  it('seed 003: a manager who may approve skips the chain; a technician waits for a manager', async () => {
    const byManager = await manager.client.post('/api/v1/tickets', { kind: 'work_order', title: 'Replace belt', categoryId: workOrders, priority: 'high' });
    expect(byManager.body.ticket.status).toBe('open');
    const byTech = await tech.client.post('/api/v1/tickets', { kind: 'work_order', title: 'Oil leak', categoryId: workOrders, priority: 'high' });
    expect(byTech.body.ticket.status).toBe('pending_approval');
    const approved = await manager.client.post(`/api/v1/tickets/${byTech.body.ticket.number}/approve`, {});
    expect(approved.body.ticket.status).toBe('open');
  });

  it('refuses forbidden transitions with 422 invalid_transition and stale edits with 409', async () => {
    const t = (await manager.client.post('/api/v1/tickets', { kind: 'incident', title: 'Printer jam', priority: 'low' })).body.ticket;
    const bad = await manager.client.post(`/api/v1/tickets/${t.number}/status`, { status: 'pending_approval' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('invalid_transition');
    const ok = await manager.client.request('PATCH', `/api/v1/tickets/${t.number}`, { title: 'Printer jam on floor 2' }, { 'if-match': String(t.version) });
    expect(ok.status).toBe(200);
    const stale = await manager.client.request('PATCH', `/api/v1/tickets/${t.number}`, { title: 'Other' }, { 'if-match': String(t.version) });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('stale_version');
    expect((await manager.client.patch(`/api/v1/tickets/${t.number}`, { title: 'x' })).status).toBe(428);
  });

  it('keeps internal notes from requesters and searches title, description and comments', async () => {
    const t = (await requester.client.post('/api/v1/tickets', { kind: 'incident', title: 'Flickering monitor', description: 'The screen flickers', priority: 'low' })).body.ticket;
    await manager.client.post(`/api/v1/tickets/${t.number}/comments`, { body: 'Secret: probably the zebra cable', internal: true });
    await manager.client.post(`/api/v1/tickets/${t.number}/comments`, { body: 'We will swap the cable', internal: false });
    const mine = await requester.client.get(`/api/v1/tickets/${t.number}/comments`);
    expect(mine.body.items.map((c: { body: string }) => c.body)).toEqual(['We will swap the cable']);
    const staff = await manager.client.get(`/api/v1/tickets/${t.number}/comments`);
    expect(staff.body.items).toHaveLength(2);
    expect((await manager.client.get('/api/v1/tickets?q=zebra')).body.items.map((x: { number: number }) => x.number)).toContain(t.number);
    expect((await requester.client.get('/api/v1/tickets?q=zebra')).body.items).toHaveLength(0);
    expect((await requester.client.get('/api/v1/tickets?q=flick')).body.items.map((x: { number: number }) => x.number)).toContain(t.number);
    const history = await requester.client.get(`/api/v1/tickets/${t.number}/history`);
    expect(JSON.stringify(history.body)).not.toContain('internal_note');
  });
});
