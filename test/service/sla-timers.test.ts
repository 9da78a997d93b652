// SLA timers on a real database: an SLA across a weekend and a holiday, warnings moved into business
// hours, each warning and breach sent once (also with two workers at once and after a crash between
// the decision and the commit), and on hold across the breach moment (the due time moves by the
// business minutes spent paused; the timer for the old due time does nothing).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applySla, fireDue, type SlaTicket, slaJobs, slaOnStatus, sweepTimers } from '../../src/server/modules/sla/sla.service.js';
import { timerKey } from '../../src/server/modules/sla/sla.clock.js';
import { createCompany, createUser, type TestCompany, type TestUser } from '../factories.js';
import { type Harness, harness, TEST_DB } from '../harness.js';
import { count, eventually } from '../helpers.js';

const at = (iso: string) => new Date(iso);

describe('SLA timers', () => {
  let h: Harness;
  let acme: TestCompany;
  let tech: TestUser;
  let manager: TestUser;
  let policyId: string;

  beforeAll(async () => {
    h = await harness();
    acme = await createCompany(h);
    tech = await createUser(h, acme, { role: 'Technician' });
    manager = await createUser(h, acme, { role: 'Manager' });
    const admin = acme.admin.client;
    // London desk, Monday–Friday 09:00–17:00; Monday 7 December 2026 is a holiday.
    const cal = await admin.post('/api/v1/business-hours', {
      name: 'London desk',
      timezone: 'Europe/London',
      week: [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '17:00' })),
      holidays: ['2026-12-07'],
    });
    const policy = await admin.post('/api/v1/sla-policies', {
      name: 'Work orders',
      businessHoursId: cal.body.businessHours.id,
      match: { kinds: ['work_order'] },
      targets: { high: { firstResponseMinutes: 120, resolutionMinutes: 480 } },
      warnBeforeMinutes: 120,
      escalationRoleId: String(acme.roleIds.get('Manager')),
      position: 1,
    });
    expect(policy.status).toBe(201);
    policyId = policy.body.policy.id;
  });
  afterAll(() => h.close());

  /** A work order assigned to the technician whose clock started at `start` (the stored one is replaced). */
  async function workOrder(start: Date): Promise<SlaTicket> {
    const made = await acme.admin.client.post('/api/v1/tickets', {
      kind: 'work_order',
      title: `WO ${start.toISOString()}`,
      priority: 'high',
      assigneeId: String(tech.id),
    });
    expect(made.status).toBe(201);
    const t: SlaTicket = {
      tenantId: acme.id,
      id: Number(made.body.ticket.id),
      kind: 'work_order',
      priority: 'high',
      categoryId: null,
      status: 'open',
      createdAt: start,
    };
    await h.deps.database.withTenant(acme.id, async (scope) => {
      await scope.tx.execute(`delete from ticket_sla where ticket_id = ${t.id}` as never);
      await applySla(scope, h.deps, t, start);
    });
    return t;
  }

  const clock = async (t: SlaTicket) =>
    (
      await h.deps.database.query<Record<string, unknown>>('select * from ticket_sla where tenant_id = $1 and ticket_id = $2', [
        acme.id,
        t.id,
      ])
    ).rows[0];
  const notices = (t: SlaTicket, event: string, userId?: number) =>
    count(
      h,
      `select count(*) from notifications n join tickets t on t.tenant_id = n.tenant_id and t.number = n.ticket_number
       where n.tenant_id = $1 and t.id = $2 and n.event = $3 ${userId ? `and n.user_id = ${userId}` : ''}`,
      [acme.id, t.id, event],
    );
  const iso = (v: unknown) => new Date(v as string).toISOString();

  it('counts across a weekend and a holiday, warns inside business hours and sends each notice once', async () => {
    // Friday 4 December 16:00: one business hour on Friday, Monday is a holiday, so Tuesday.
    const t = await workOrder(at('2026-12-04T16:00:00Z'));
    const c = await clock(t);
    expect(String(c.policy_id)).toBe(policyId);
    expect(iso(c.first_response_due_at)).toBe('2026-12-08T10:00:00.000Z');
    expect(iso(c.resolution_due_at)).toBe('2026-12-08T16:00:00.000Z');
    // 120 minutes before 10:00 is 08:00, before opening: the warning waits for 09:00.
    expect(iso(c.first_response_warn_at)).toBe('2026-12-08T09:00:00.000Z');
    expect(iso(c.resolution_warn_at)).toBe('2026-12-08T14:00:00.000Z');

    expect(await fireDue(h.deps, acme.id, t.id, { now: at('2026-12-06T03:00:00Z') })).toEqual([]); // Sunday 03:00
    expect(await fireDue(h.deps, acme.id, t.id, { now: at('2026-12-07T12:00:00Z') })).toEqual([]); // the holiday
    const warned = await fireDue(h.deps, acme.id, t.id, { now: at('2026-12-08T09:00:00Z') });
    expect(warned.map((e) => `${e.target}:${e.kind}`)).toEqual(['first_response:warning']);
    expect(await fireDue(h.deps, acme.id, t.id, { now: at('2026-12-08T09:30:00Z') })).toEqual([]);
    expect(await notices(t, 'ticket.sla_warning', tech.id)).toBe(1);
    expect(await notices(t, 'ticket.sla_warning', manager.id)).toBe(0);

    // The sweep (the safety net under the jobs) finds the breach by next_event_at.
    expect(await sweepTimers(h.deps, { now: at('2026-12-08T10:00:00Z') })).toBe(1);
    expect(await sweepTimers(h.deps, { now: at('2026-12-08T10:00:00Z') })).toBe(0);
    expect(await notices(t, 'ticket.sla_breached', tech.id)).toBe(1);
    expect(await notices(t, 'ticket.sla_breached', manager.id)).toBe(1);
    const after = await clock(t);
    expect(after.first_response_breached).toBe(true);
    expect(iso(after.next_event_at)).toBe('2026-12-08T14:00:00.000Z');
    const page = await tech.client.get('/api/v1/tickets?slaBreached=true&limit=200');
    expect(page.body.items.map((i: { id: string }) => Number(i.id))).toContain(t.id);
    // The breach is in the ticket's history once, by Steward, naming the target and when it was due.
    const history = (
      await h.deps.database.query<{ actor_name: string; after: { target: string; dueAt: string } }>(
        `select actor_name, after from ticket_history where tenant_id = $1 and ticket_id = $2 and event = 'sla_breached'`,
        [acme.id, t.id],
      )
    ).rows;
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ actor_name: 'Steward', after: { target: 'first_response', dueAt: '2026-12-08T10:00:00.000Z' } });
  });

  it('loses and doubles nothing when the worker dies between the decision and the commit', async () => {
    const t = await workOrder(at('2026-12-01T09:00:00Z'));
    const due = at('2026-12-01T11:00:00Z');
    await expect(
      fireDue(h.deps, acme.id, t.id, {
        now: due,
        afterDecision: () => {
          throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    const c = await clock(t);
    expect(c.first_response_breached).toBe(false);
    expect(c.first_response_warned).toBe(false);
    expect(await notices(t, 'ticket.sla_breached')).toBe(0);
    // The retry sends it, once; the warning that came before is folded into the breach.
    const sent = await fireDue(h.deps, acme.id, t.id, { now: due });
    expect(sent.map((e) => `${e.target}:${e.kind}`)).toEqual(['first_response:breach']);
    expect(await fireDue(h.deps, acme.id, t.id, { now: due })).toEqual([]);
    expect(await notices(t, 'ticket.sla_breached', tech.id)).toBe(1);
    expect(await notices(t, 'ticket.sla_warning')).toBe(0);
  });

  it('sends once when two workers act on the same moment at once', async () => {
    const t = await workOrder(at('2026-12-01T09:00:00Z'));
    const now = at('2026-12-01T11:00:00Z');
    const results = await Promise.all([
      fireDue(h.deps, acme.id, t.id, { now }),
      fireDue(h.deps, acme.id, t.id, { now }),
      sweepTimers(h.deps, { now }),
    ]);
    const fired = results[0].length + results[1].length;
    expect(fired + (results[2] as number) >= 1).toBe(true);
    expect(await notices(t, 'ticket.sla_breached', tech.id)).toBe(1);
    expect(await notices(t, 'ticket.sla_breached', manager.id)).toBe(1);
    if (TEST_DB === 'postgres') expect(fired + (results[2] as number)).toBe(1);
  });

  it('stands still on hold across the breach moment and moves the due time by the paused business minutes', async () => {
    const t = await workOrder(at('2026-12-01T09:00:00Z'));
    const before = await clock(t);
    const oldDue = new Date(before.first_response_due_at as string);
    expect(oldDue.toISOString()).toBe('2026-12-01T11:00:00.000Z');
    await h.deps.database.withTenant(acme.id, (scope) =>
      slaOnStatus(scope, h.deps, { ...t, status: 'on_hold' }, 'open', at('2026-12-01T10:00:00Z')),
    );
    const paused = await clock(t);
    expect(paused.next_event_at).toBeNull();
    // The timer queued for the old due time finds nothing to do while paused.
    expect(await fireDue(h.deps, acme.id, t.id, { now: oldDue })).toEqual([]);
    expect(await fireDue(h.deps, acme.id, t.id, { now: at('2026-12-01T16:00:00Z') })).toEqual([]);
    // Back to work Wednesday 10:00: paused Tuesday 10:00–17:00 and Wednesday 09:00–10:00 = 480 business minutes.
    await h.deps.database.withTenant(acme.id, (scope) =>
      slaOnStatus(scope, h.deps, { ...t, status: 'in_progress' }, 'on_hold', at('2026-12-02T10:00:00Z')),
    );
    const resumed = await clock(t);
    expect(resumed.paused_minutes).toBe(480);
    expect(iso(resumed.first_response_due_at)).toBe('2026-12-02T11:00:00.000Z');
    expect(iso(resumed.resolution_due_at)).toBe('2026-12-02T17:00:00.000Z'); // 960 minutes: two whole days, due at the close
    // The new due time gets its own job key; the old one is stale.
    expect(timerKey(t.id, { target: 'first_response', kind: 'breach', due: new Date(resumed.first_response_due_at as string) })).not.toBe(
      timerKey(t.id, { target: 'first_response', kind: 'breach', due: oldDue }),
    );
    expect((await fireDue(h.deps, acme.id, t.id, { now: at('2026-12-02T10:30:00Z') })).map((e) => `${e.target}:${e.kind}`)).toEqual([
      'first_response:warning',
    ]);
    expect(await notices(t, 'ticket.sla_breached')).toBe(0);
    expect((await fireDue(h.deps, acme.id, t.id, { now: at('2026-12-02T11:00:00Z') })).map((e) => `${e.target}:${e.kind}`)).toEqual([
      'first_response:breach',
    ]);
    expect(await notices(t, 'ticket.sla_breached', tech.id)).toBe(1);
  });
});

describe('SLA timer jobs', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
    // A worker process: the queues and their handlers.
    await h.deps.jobs.start(slaJobs(h.deps), true);
  });
  afterAll(async () => {
    await h.deps.jobs.stop();
    await h.close();
  });

  it('queues durable jobs keyed by ticket, target, kind and due time, once per key', async () => {
    const acme = await createCompany(h);
    const made = await acme.admin.client.post('/api/v1/tickets', { kind: 'incident', title: 'Queued', priority: 'urgent' });
    const id = made.body.ticket.id;
    const sla = made.body.ticket.sla;
    const jobs = async () =>
      (
        await h.deps.database.query<{ singleton_key: string; start_after: Date }>(
          `select singleton_key, start_after from pgboss.job where name = 'sla.timer' and singleton_key like $1 order by start_after`,
          [`sla:${id}:%`],
        )
      ).rows;
    const rows = await eventually(async () => {
      const r = await jobs();
      return r.length >= 2 ? r : null;
    });
    if (!rows) throw new Error('no timer jobs queued');
    const keys = rows.map((r) => r.singleton_key);
    expect(keys).toContain(`sla:${id}:first_response:breach:${Date.parse(sla.firstResponseDueAt)}`);
    expect(keys).toContain(`sla:${id}:resolution:breach:${Date.parse(sla.resolutionDueAt)}`);
    // Saving the same clock again queues nothing new.
    const t: SlaTicket = {
      tenantId: acme.id,
      id: Number(id),
      kind: 'incident',
      priority: 'urgent',
      categoryId: null,
      status: 'open',
      createdAt: new Date(made.body.ticket.createdAt),
    };
    await h.deps.database.withTenant(acme.id, (scope) => slaOnStatus(scope, h.deps, { ...t, status: 'in_progress' }, 'open'));
    await new Promise((r) => setTimeout(r, 300));
    expect((await jobs()).length).toBe(rows.length);
  });

  it('a worker runs the timer job: the breach is notified once, however often the job comes', async () => {
    const acme = await createCompany(h);
    const tech = await createUser(h, acme, { role: 'Technician' });
    const made = await acme.admin.client.post('/api/v1/tickets', {
      kind: 'incident',
      title: 'Overdue',
      priority: 'urgent',
      assigneeId: String(tech.id),
    });
    const id = Number(made.body.ticket.id);
    // The clock started three weeks ago: both targets are long past.
    await h.deps.database.query(`update ticket_sla set started_at = now() - interval '21 days' where tenant_id = $1 and ticket_id = $2`, [
      acme.id,
      id,
    ]);
    for (let i = 0; i < 3; i++) await h.deps.jobs.send('sla.timer', { tenantId: acme.id, ticketId: id });
    const breached = () =>
      count(h, `select count(*) from notifications where tenant_id = $1 and user_id = $2 and event = 'ticket.sla_breached'`, [
        acme.id,
        tech.id,
      ]);
    await eventually(async () => (await breached()) >= 2, 30_000);
    await eventually(async () => {
      const { rows } = await h.deps.database.query<{ n: number }>(
        `select count(*)::int n from pgboss.job where name = 'sla.timer' and data->>'ticketId' = $1 and state in ('created', 'retry', 'active') and start_after <= now()`,
        [String(id)],
      );
      return rows[0].n === 0;
    }, 30_000);
    expect(await breached()).toBe(2);
  });
});
