// Opening a ticket writes everything in a few statements (tickets.open.ts): the answer must be the
// ticket exactly as it is read back, the history, approvals, links and notices must all be there, and
// a refused create must leave nothing behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompany, createUser, type TestCompany, type TestUser } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { count, outbox, snapshot } from '../helpers.js';

describe('opening a ticket', () => {
  let h: Harness;
  let acme: TestCompany;
  let other: TestCompany;
  let manager: TestUser;
  let tech: TestUser;
  let mate: TestUser;
  let watcher: TestUser;
  let teamId: string;
  let categoryId: string;
  let projectId: string;
  let assetIds: string[];

  beforeAll(async () => {
    h = await harness();
    acme = await createCompany(h);
    other = await createCompany(h);
    manager = await createUser(h, acme, { role: 'Manager', department: 'IT' });
    tech = await createUser(h, acme, { role: 'Technician', department: 'IT' });
    mate = await createUser(h, acme, { role: 'Technician', department: 'IT' });
    watcher = await createUser(h, acme, { role: 'Requester', department: 'Operations' });
    const admin = acme.admin.client;
    teamId = (await admin.post('/api/v1/teams', { name: 'Printers', memberIds: [String(tech.id), String(mate.id)] })).body.id;
    categoryId = (await admin.post('/api/v1/categories', { name: 'Printing', approvalSteps: [], defaultTeamId: teamId })).body.id;
    projectId = (await admin.post('/api/v1/projects', { name: 'Floor two' })).body.project.id;
    const assetCategory = (await admin.get('/api/v1/picklists/categories')).body.items[0].id;
    assetIds = [];
    for (const name of ['Printer A', 'Printer B']) assetIds.push((await admin.post('/api/v1/assets', { name, categoryId: assetCategory })).body.asset?.id);
    expect(assetIds.every(Boolean)).toBe(true);
  });
  afterAll(() => h.close());

  it('answers with the ticket exactly as it reads back, and writes its history, links and notices', async () => {
    const created = await manager.client.post('/api/v1/tickets', {
      kind: 'incident',
      title: 'Printer on floor two keeps jamming',
      description: 'After a few pages.',
      categoryId,
      priority: 'high',
      assigneeId: String(tech.id),
      watcherIds: [String(watcher.id)],
      assetIds: [assetIds[1], assetIds[0], assetIds[1]],
      projectId,
      tags: ['floor-2', 'paper'],
      dueAt: '2030-01-02T03:04:05.000Z',
    });
    expect(created.status).toBe(201);
    const t = created.body.ticket;
    expect(t).toMatchObject({
      status: 'open',
      priority: 'high',
      team: { id: teamId, name: 'Printers' },
      category: { id: categoryId, name: 'Printing' },
      assignee: { id: String(tech.id) },
      requester: { id: String(manager.id) },
      createdBy: { id: String(manager.id) },
      department: { name: 'IT' },
      project: { id: projectId, name: 'Floor two' },
      tags: ['floor-2', 'paper'],
      dueAt: '2030-01-02T03:04:05.000Z',
      watcherIds: [String(watcher.id)],
      approval: null,
      version: 1,
    });
    expect(t.assetIds).toEqual([...assetIds].sort((a, b) => Number(a) - Number(b)));
    const read = await manager.client.get(`/api/v1/tickets/${t.number}`);
    expect(read.body.ticket).toEqual(t);
    expect(created.body.can).toEqual(read.body.can);

    const history = await manager.client.get(`/api/v1/tickets/${t.number}/history`);
    const events = history.body.items.map((x: { event: string; field: string | null; before: unknown; after: unknown }) => [
      x.event,
      x.field,
      x.before,
      x.after,
    ]);
    expect(events).toEqual(
      expect.arrayContaining([
        ['created', null, null, null],
        ['status_changed', 'status', 'new', 'open'],
      ]),
    );

    // Created to the team and the assignee, assigned to the assignee; never to the one who opened it.
    const inbox = async (u: TestUser) =>
      (await u.client.get('/api/v1/notifications')).body.items
        .filter((x: { ticketNumber: number }) => x.ticketNumber === t.number)
        .map((x: { event: string }) => x.event)
        .sort();
    expect(await inbox(tech)).toEqual(['ticket.assigned', 'ticket.created']);
    expect(await inbox(mate)).toEqual(['ticket.created']);
    expect(await inbox(manager)).toEqual([]);
    const mails = await outbox(h, { tenantId: acme.id });
    expect(mails.filter((m) => m.to === tech.email && m.subject.includes(`#${t.number} `))).toHaveLength(2);
    expect(mails.filter((m) => m.to === mate.email && m.subject.includes(`#${t.number} `))).toHaveLength(1);
  });

  it('records the approval steps nobody can take and routes to the next one', async () => {
    const inactive = await createUser(h, acme, { role: 'Manager', login: false });
    await h.deps.database.query(`update users set status = 'deactivated' where id = $1`, [inactive.id]);
    const cat = await acme.admin.client.post('/api/v1/categories', {
      name: 'Chain with gaps',
      approvalSteps: [
        { type: 'user', userId: String(inactive.id) },
        { type: 'department_head' },
        { type: 'user', userId: String(manager.id) },
      ],
    });
    expect(cat.status).toBe(201);
    const created = await watcher.client.post('/api/v1/tickets', {
      kind: 'request',
      title: 'A new chair',
      categoryId: cat.body.id,
      priority: 'low',
    });
    expect(created.status).toBe(201);
    expect(created.body.ticket).toMatchObject({
      status: 'pending_approval',
      approval: { step: 2, stepCount: 3, pendingUserId: String(manager.id) },
    });
    const read = await watcher.client.get(`/api/v1/tickets/${created.body.ticket.number}`);
    expect(read.body.ticket).toEqual(created.body.ticket);
    const history = await manager.client.get(`/api/v1/tickets/${created.body.ticket.number}/history`);
    expect(history.body.approvals.map((a: { step: number; decision: string }) => [a.step, a.decision])).toEqual([
      [0, 'skipped'],
      [1, 'skipped'],
    ]);
    const inbox = (await manager.client.get('/api/v1/notifications')).body.items;
    expect(
      inbox.some(
        (x: { event: string; ticketNumber: number }) =>
          x.event === 'ticket.approval_needed' && x.ticketNumber === created.body.ticket.number,
      ),
    ).toBe(true);
  });

  it('refuses unknown or foreign references with a field error (400) and writes nothing, not even a number', async () => {
    const foreignProject = (await other.admin.client.post('/api/v1/projects', { name: 'Not yours' })).body.project.id;
    const before = await snapshot(h, acme.id, { skip: ['sessions', 'presence'] });
    const base = { kind: 'incident', title: 'x', priority: 'medium' };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ categoryId: '999999' }, 'categoryId'],
      [{ projectId: foreignProject }, 'projectId'],
      [{ teamId: '999999' }, 'teamId'],
      [{ assigneeId: String(other.admin.id) }, 'assigneeId'],
      [{ watcherIds: [String(watcher.id), '999999'] }, 'assigneeId'],
      [{ assetIds: [assetIds[0], '999999'] }, 'assetIds'],
    ];
    for (const [extra, field] of cases) {
      const res = await manager.client.post('/api/v1/tickets', { ...base, ...extra });
      expect(res.status, JSON.stringify(extra)).toBe(400);
      expect(Object.keys(res.body.error.details.fields)).toEqual([field]);
    }
    expect(await snapshot(h, acme.id, { skip: ['sessions', 'presence'] })).toEqual(before);
    expect(await count(h, 'select count(*) from tickets where tenant_id = $1', [other.id])).toBe(0);
  });

  it('tickets opened at the same time get consecutive numbers, none twice, and the counter ends at the last', async () => {
    const first = await count(h, 'select coalesce((select last from ticket_counters where tenant_id = $1), 0)', [acme.id]);
    const made = await Promise.all(
      Array.from({ length: 8 }, (_, i) => manager.client.post('/api/v1/tickets', { kind: 'incident', title: `At once ${i}`, priority: 'low' })),
    );
    expect(made.map((r) => r.status)).toEqual(Array(8).fill(201));
    const numbers = made.map((r) => Number(r.body.ticket.number)).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 8 }, (_, i) => first + 1 + i));
    expect(await count(h, 'select last from ticket_counters where tenant_id = $1', [acme.id])).toBe(first + 8);
  });
});
