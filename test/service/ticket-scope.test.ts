// The ticket use cases take the caller's scope (`…In`): composed in one transaction they see each
// other's writes, and they commit or roll back together (what the demo seeder and supply rely on).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCommentIn, listCommentsIn, ticketHistoryIn } from '../../src/server/modules/tickets/comments.service.js';
import { addTaskIn, listTasksIn } from '../../src/server/modules/tickets/tasks.service.js';
import { listTicketsIn } from '../../src/server/modules/tickets/tickets.list.js';
import { assignTicketIn, changeStatusIn, openTicket } from '../../src/server/modules/tickets/tickets.service.js';
import { listTimeIn, logTimeIn } from '../../src/server/modules/tickets/time.service.js';
import type { UserActor } from '../../src/server/platform/actor.js';
import { resolveSession } from '../../src/server/platform/auth.js';
import { createCompany, type TestCompany } from '../factories.js';
import { type Harness, harness } from '../harness.js';

describe('ticket use cases in a caller’s transaction', () => {
  let h: Harness;
  let acme: TestCompany;
  let admin: UserActor;

  beforeAll(async () => {
    h = await harness();
    acme = await createCompany(h);
    admin = (await resolveSession(h.deps.database, acme.admin.client.cookie!.split('=')[1])) as UserActor;
  });
  afterAll(() => h.close());

  const count = async (sql: string) => Number((await h.deps.database.query<{ n: string }>(sql, [acme.id])).rows[0].n);

  it('open, assign, start, comment, add a task and log time in one transaction, each seeing the others', async () => {
    const number = await h.deps.database.withTenant(acme.id, async (scope) => {
      const { row } = await openTicket(scope, h.deps, admin, acme.id, { kind: 'work_order', title: 'Composed', description: '', priority: 'medium' });
      await assignTicketIn(scope, h.deps, admin, row.number, { assigneeId: admin.userId });
      await changeStatusIn(scope, h.deps, admin, row.number, 'in_progress', null);
      await addCommentIn(scope, h.deps, admin, row.number, { body: 'On it', internal: false });
      await addTaskIn(scope, admin, row.number, 'Check the belt');
      await logTimeIn(scope, admin, row.number, { minutes: 30, billable: true, rate: '60.00' });

      const comments = await listCommentsIn(scope, admin, row.number, { limit: 50 });
      expect(comments.items.map((c) => c.body)).toEqual(['On it']);
      const tasks = await listTasksIn(scope, admin, row.number, { limit: 50 });
      expect(tasks).toMatchObject({ total: 1, done: 0, nextCursor: null });
      const time = await listTimeIn(scope, admin, row.number, { limit: 50 });
      expect(time.totals).toEqual({ minutes: 30, billableMinutes: 30, billableAmount: '30.00' });
      const history = await ticketHistoryIn(scope, admin, row.number, { limit: 50 });
      expect(history.items.map((e) => e.event)).toEqual(
        expect.arrayContaining(['created', 'assigned', 'status_changed', 'commented', 'task_added', 'time_logged']),
      );
      const listed = await listTicketsIn(scope, admin, { sort: 'newest' }, { limit: 10 });
      expect(listed.items.map((t) => t.number)).toContain(row.number);
      return row.number;
    });
    const answer = await acme.admin.client.get(`/api/v1/tickets/${number}`);
    expect(answer.body.ticket).toMatchObject({ status: 'in_progress', assignee: { id: String(admin.userId) } });
  });

  it('a failure later in the caller’s transaction rolls every step back', async () => {
    const before = {
      tickets: await count('select count(*) as n from tickets where tenant_id = $1'),
      comments: await count('select count(*) as n from ticket_comments where tenant_id = $1'),
      notifications: await count('select count(*) as n from notifications where tenant_id = $1'),
    };
    await expect(
      h.deps.database.withTenant(acme.id, async (scope) => {
        const { row } = await openTicket(scope, h.deps, admin, acme.id, { kind: 'incident', title: 'Rolled back', description: '', priority: 'low' });
        await addCommentIn(scope, h.deps, admin, row.number, { body: 'Never seen', internal: false });
        await changeStatusIn(scope, h.deps, admin, row.number, 'new', null);
      }),
    ).rejects.toMatchObject({ code: 'invalid_transition' });
    expect({
      tickets: await count('select count(*) as n from tickets where tenant_id = $1'),
      comments: await count('select count(*) as n from ticket_comments where tenant_id = $1'),
      notifications: await count('select count(*) as n from notifications where tenant_id = $1'),
    }).toEqual(before);
  });
});
