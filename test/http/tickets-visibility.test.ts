// Issue 9, defects 1 and 5: a change answers from what it wrote, even when it takes the ticket out
// of the caller's sight (approvers named by a step, a watcher leaving, a dispatcher assigning away);
// tickets.approve_any decides any pending step; mentions, notices and live pushes reach only people
// who may see the ticket.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompany, createRole, createUser, type TestCompany, type TestUser } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { eventually, sleep } from '../helpers.js';
import { type LiveClient, openLive } from '../live.js';

describe('ticket visibility: decisions, changes, notices and pushes', () => {
  let h: Harness;
  let acme: TestCompany;
  let requester: TestUser;
  /** May approve, sees nothing but what names them: outside the requester's department, no view_all. */
  let approver: TestUser;
  let approverRole: number;
  let roleApprover: TestUser;
  /** Decides any pending step, sees nothing else. */
  let overrider: TestUser;
  let userStep: string;
  let roleStep: string;
  const sockets: LiveClient[] = [];

  beforeAll(async () => {
    h = await harness();
    acme = await createCompany(h);
    requester = await createUser(h, acme, { role: 'Requester', department: 'Operations' });
    approverRole = await createRole(h, acme, ['tickets.create', 'tickets.approve']);
    approver = await createUser(h, acme, { roleId: approverRole, department: 'Finance' });
    roleApprover = await createUser(h, acme, { roleId: approverRole, department: 'Finance' });
    overrider = await createUser(h, acme, { roleId: await createRole(h, acme, ['tickets.create', 'tickets.approve_any']), department: 'IT' });
    const byUser = await acme.admin.client.post('/api/v1/categories', { name: 'Named approver', approvalSteps: [{ type: 'user', userId: String(approver.id) }] });
    expect(byUser.status).toBe(201);
    userStep = byUser.body.category.id;
    const byRole = await acme.admin.client.post('/api/v1/categories', { name: 'Role approver', approvalSteps: [{ type: 'role', roleId: String(approverRole) }] });
    expect(byRole.status).toBe(201);
    roleStep = byRole.body.category.id;
  });
  afterAll(async () => {
    for (const s of sockets) await s.close();
    await h.close();
  });

  const open = async (categoryId: string, title: string) => {
    const res = await requester.client.post('/api/v1/tickets', { kind: 'request', title, categoryId });
    expect(res.status).toBe(201);
    expect(res.body.ticket.status).toBe('pending_approval');
    return res.body.ticket.number as number;
  };
  const asAdmin = async (n: number) => (await acme.admin.client.get(`/api/v1/tickets/${n}`)).body.ticket;
  const decisions = async (n: number) => (await acme.admin.client.get(`/api/v1/tickets/${n}/history`)).body;

  it('a named approver outside the department approves and rejects: 200, and the decision stays', async () => {
    const a = await open(userStep, 'Monitor arm');
    const approved = await approver.client.post(`/api/v1/tickets/${a}/approve`, { comment: 'fine' });
    expect(approved.status).toBe(200);
    expect(approved.body.ticket).toMatchObject({ number: a, status: 'open', approval: null });
    expect(approved.body.can.approve).toBe(false);
    expect((await asAdmin(a)).status).toBe('open');
    expect((await decisions(a)).approvals.map((x: { decision: string }) => x.decision)).toEqual(['approved']);
    // The step is decided: the approver no longer sees the ticket.
    expect((await approver.client.get(`/api/v1/tickets/${a}`)).status).toBe(404);

    const r = await open(userStep, 'Second monitor');
    const rejected = await approver.client.post(`/api/v1/tickets/${r}/reject`, { reason: 'one is enough' });
    expect(rejected.status).toBe(200);
    expect(rejected.body.ticket.status).toBe('rejected');
    expect((await asAdmin(r)).status).toBe('rejected');
    expect((await decisions(r)).approvals.map((x: { decision: string; comment: string }) => [x.decision, x.comment])).toEqual([['rejected', 'one is enough']]);
  });

  it('a role-step approver without tickets.view_all approves and rejects: 200, and the decision stays', async () => {
    const a = await open(roleStep, 'Keyboard');
    expect((await roleApprover.client.get(`/api/v1/tickets/${a}`)).body.can.approve).toBe(true);
    const approved = await roleApprover.client.post(`/api/v1/tickets/${a}/approve`, {});
    expect(approved.status).toBe(200);
    expect(approved.body.ticket.status).toBe('open');
    expect((await asAdmin(a)).status).toBe('open');

    const r = await open(roleStep, 'Gold keyboard');
    const rejected = await roleApprover.client.post(`/api/v1/tickets/${r}/reject`, { reason: 'no gold' });
    expect(rejected.status).toBe(200);
    expect((await asAdmin(r)).status).toBe('rejected');
  });

  it('an admin or an approve_any holder decides a step naming someone else, and the history says so', async () => {
    const byAdmin = await open(userStep, 'Headset');
    expect((await acme.admin.client.get(`/api/v1/tickets/${byAdmin}`)).body.can.approve).toBe(true);
    const approved = await acme.admin.client.post(`/api/v1/tickets/${byAdmin}/approve`, { comment: 'approver is away' });
    expect(approved.status).toBe(200);
    expect(approved.body.ticket.status).toBe('open');
    const history = await decisions(byAdmin);
    expect(history.approvals).toMatchObject([{ decision: 'approved', decider: { id: String(acme.admin.id) } }]);
    const entry = history.items.find((x: { field: string }) => x.field === 'approval');
    expect(entry.after).toMatchObject({ decision: 'approved', override: { pendingUserId: String(approver.id), pendingRoleId: null } });

    // Someone holding only tickets.approve_any finds the waiting ticket, may approve it (the button shows) and rejects it.
    const byOverride = await open(roleStep, 'Standing desk');
    const seen = await overrider.client.get(`/api/v1/tickets/${byOverride}`);
    expect(seen.status).toBe(200);
    expect(seen.body.can).toMatchObject({ approve: true, reject: true });
    const rejected = await overrider.client.post(`/api/v1/tickets/${byOverride}/reject`, { reason: 'out of budget' });
    expect(rejected.status).toBe(200);
    expect((await asAdmin(byOverride)).status).toBe('rejected');
    const after = (await decisions(byOverride)).items.find((x: { field: string }) => x.field === 'approval').after;
    expect(after).toMatchObject({ decision: 'rejected', override: { pendingUserId: null, pendingRoleId: String(approverRole) } });

    // A named approver deciding their own step is no override.
    const own = await open(userStep, 'Webcam');
    await approver.client.post(`/api/v1/tickets/${own}/approve`, {});
    expect((await decisions(own)).items.find((x: { field: string }) => x.field === 'approval').after.override).toBeUndefined();
  });

  it('someone who may not approve is refused and nothing changes', async () => {
    const n = await open(userStep, 'Laptop stand');
    const tech = await createUser(h, acme, { role: 'Technician', department: 'Operations' });
    for (const path of ['approve', 'reject']) {
      const res = await requester.client.post(`/api/v1/tickets/${n}/${path}`, { reason: 'mine' });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
      expect((await tech.client.post(`/api/v1/tickets/${n}/${path}`, { reason: 'x' })).status).toBe(403);
      // The role approver's role is not the step's: refused too.
      expect((await roleApprover.client.post(`/api/v1/tickets/${n}/${path}`, { reason: 'x' })).status).toBe(404);
    }
    expect((await asAdmin(n)).status).toBe('pending_approval');
    expect((await decisions(n)).approvals).toEqual([]);
  });

  it('a watcher who unwatches a ticket they see only as a watcher gets 200, and it stays unwatched', async () => {
    const tech = await createUser(h, acme, { role: 'Technician', department: 'IT' });
    const t = (await acme.admin.client.post('/api/v1/tickets', { kind: 'incident', title: 'Noisy fan', requesterId: String(requester.id), watcherIds: [String(tech.id)] })).body.ticket;
    const seen = await tech.client.get(`/api/v1/tickets/${t.number}`);
    expect(seen.status).toBe(200);
    const res = await tech.client.request('PATCH', `/api/v1/tickets/${t.number}`, { watcherIds: [] }, { 'if-match': String(seen.body.ticket.version) });
    expect(res.status).toBe(200);
    expect(res.body.ticket.watcherIds).toEqual([]);
    expect((await asAdmin(t.number)).watcherIds).toEqual([]);
    expect((await tech.client.get(`/api/v1/tickets/${t.number}`)).status).toBe(404);
  });

  it('a dispatcher who assigns a ticket away from themselves gets 200, and the assignment stays', async () => {
    const dispatcher = await createUser(h, acme, { roleId: await createRole(h, acme, ['tickets.assign', 'tickets.update', 'tickets.view_assigned', 'users.view']), department: 'IT' });
    const tech = await createUser(h, acme, { role: 'Technician', department: 'IT' });
    const t = (await acme.admin.client.post('/api/v1/tickets', { kind: 'incident', title: 'Broken badge reader', requesterId: String(requester.id), assigneeId: String(dispatcher.id) })).body.ticket;
    const res = await dispatcher.client.post(`/api/v1/tickets/${t.number}/assign`, { assigneeId: String(tech.id) });
    expect(res.status).toBe(200);
    expect(res.body.ticket.assignee.id).toBe(String(tech.id));
    expect((await asAdmin(t.number)).assignee.id).toBe(String(tech.id));
  });

  it('a mention of someone who may not see the ticket notifies nobody, and the author is told', async () => {
    const agent = await createUser(h, acme, { role: 'Manager', department: 'IT' });
    const outsider = await createUser(h, acme, { role: 'Requester', department: 'Finance' });
    const colleague = await createUser(h, acme, { role: 'Technician', department: 'IT' });
    const t = (await requester.client.post('/api/v1/tickets', { kind: 'incident', title: 'Salary spreadsheet SECRET-walrus', description: 'private' })).body.ticket;
    await acme.admin.client.post(`/api/v1/tickets/${t.number}/assign`, { assigneeId: String(colleague.id) });
    const handle = (u: TestUser) => `@${u.email.split('@')[0]}`;
    const res = await agent.client.post(`/api/v1/tickets/${t.number}/comments`, { body: `${handle(outsider)} ${handle(colleague)} have a look at the walrus` });
    expect(res.status).toBe(201);
    expect(res.body.unnotifiedMentions).toEqual([{ id: String(outsider.id), name: expect.any(String) }]);
    expect(res.body.comment.mentionIds).toEqual([String(colleague.id)]);

    const mentioned = async (u: TestUser) =>
      (await u.client.get('/api/v1/notifications')).body.items.filter((x: { ticketNumber: number }) => x.ticketNumber === t.number);
    expect((await mentioned(colleague)).map((x: { event: string }) => x.event)).toContain('ticket.mentioned');
    expect(await mentioned(outsider)).toEqual([]);
    const { rows } = await h.deps.database.query<{ n: number }>("select count(*)::int n from mail_outbox where \"to\" = $1 and (text like '%walrus%' or subject like '%walrus%')", [outsider.email]);
    expect(rows[0].n).toBe(0);
  });

  it('a team member without tickets.view_assigned gets no live push and no notice; one with it does', async () => {
    const member = await createUser(h, acme, { role: 'Requester', department: 'IT' });
    const tech = await createUser(h, acme, { role: 'Technician', department: 'IT' });
    const team = await acme.admin.client.post('/api/v1/teams', { name: 'Desk side', memberIds: [String(member.id), String(tech.id)] });
    expect(team.status).toBe(201);
    const memberLive = await openLive(h, member.client.cookie!);
    const techLive = await openLive(h, tech.client.cookie!);
    sockets.push(memberLive, techLive);
    const t = (await acme.admin.client.post('/api/v1/tickets', { kind: 'incident', title: 'Team probe', requesterId: String(requester.id), teamId: team.body.team.id })).body.ticket;
    await acme.admin.client.post(`/api/v1/tickets/${t.number}/comments`, { body: 'first look' });
    const pushes = (s: LiveClient) => s.messages.filter((m) => m.type === 'ticket.updated' && (m.data as { number: number }).number === t.number);
    await eventually(async () => pushes(techLive).length >= 2);
    expect(pushes(techLive).length).toBeGreaterThanOrEqual(2);
    await sleep(200);
    expect(pushes(memberLive)).toEqual([]);
    expect((await member.client.get(`/api/v1/tickets/${t.number}`)).status).toBe(404);
    const notices = (await member.client.get('/api/v1/notifications')).body.items.filter((x: { ticketNumber: number }) => x.ticketNumber === t.number);
    expect(notices).toEqual([]);
    expect(memberLive.messages.some((m) => m.type === 'notification' && JSON.stringify(m.data).includes('Team probe'))).toBe(false);
  });

  it("migration 0010 gives existing companies' built-in Admin roles tickets.approve_any, and nobody else", async () => {
    const co = await createCompany(h);
    const custom = await createRole(h, co, ['tickets.approve']);
    await h.deps.database.query(`update roles set permissions = array_remove(permissions, 'tickets.approve_any') where tenant_id = $1`, [co.id]);
    const sql = readFileSync(new URL('../../src/server/db/migrations/0010_approve_any.sql', import.meta.url), 'utf8');
    await h.deps.database.exec(sql);
    await h.deps.database.exec(sql);
    const { rows } = await h.deps.database.query<{ id: number; name: string; permissions: string[] }>('select id, name, permissions from roles where tenant_id = $1', [co.id]);
    expect(rows.filter((r) => r.permissions.includes('tickets.approve_any')).map((r) => r.name)).toEqual(['Admin']);
    expect(rows.find((r) => Number(r.id) === custom)!.permissions).toEqual(['tickets.approve']);
    expect(rows.every((r) => r.permissions.filter((p) => p === 'tickets.approve_any').length <= 1)).toBe(true);
  });
});
