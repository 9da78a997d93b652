// Recurring tickets over HTTP and their scheduler, driven with an injected clock (never real
// waiting): exactly one ticket per occurrence, with its tasks, also after three days of downtime
// (caught up once each, `late`), a crash between the decision and the commit, two schedulers at
// once, an edited schedule and a pause/resume (neither backfills).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { recurringJobs } from '../../src/server/modules/recurring/recurring.jobs.js';
import { runRecurringTickets, schedulerTestHooks } from '../../src/server/modules/recurring/recurring.scheduler.js';
import { jobDefinitions } from '../../src/server/runtime.js';
import { createCompany, createUser, type TestCompany } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { count } from '../helpers.js';

const at = (iso: string) => new Date(iso);

describe('recurring tickets', () => {
  let h: Harness;
  let co: TestCompany;

  beforeAll(async () => {
    h = await harness();
    co = await createCompany(h);
  });
  afterAll(() => h.close());
  afterEach(() => {
    schedulerTestHooks.beforeCommit = null;
  });

  const admin = () => co.admin.client;
  const runsOf = (id: string) => count(h, 'select count(*) from recurring_ticket_runs where recurring_ticket_id = $1', [id]);
  const ticketsTitled = (title: string) => count(h, 'select count(*) from tickets where tenant_id = $1 and title = $2', [co.id, title]);
  /** Puts the rule's next run at an instant of the test's choosing (as if created back then). */
  const nextRunAt = (id: string, iso: string) =>
    h.deps.database.query('update recurring_tickets set next_run_at = $2 where id = $1', [id, iso]);

  async function create(body: Record<string, unknown>) {
    const res = await admin().post('/api/v1/recurring-tickets', {
      kind: 'work_order',
      priority: 'medium',
      time: '07:30',
      tasks: [],
      ...body,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.recurringTicket;
  }

  it('creates a rule with template and tasks, previews its next occurrences, and refuses a rule that never occurs (400, nothing stored)', async () => {
    const rule = await create({
      title: 'Check the server room',
      rrule: 'FREQ=MONTHLY;BYDAY=2MO',
      timezone: 'Europe/London',
      startsOn: '2026-01-01',
      description: 'Temperature, UPS, doors.',
      tasks: [{ title: 'Read the thermometer' }, { title: 'Test the UPS' }],
    });
    expect(rule).toMatchObject({ rrule: 'FREQ=MONTHLY;BYDAY=2MO', timezone: 'Europe/London', time: '07:30', active: true });
    expect(rule.nextRunAt).not.toBeNull();
    const occ = await admin().get(`/api/v1/recurring-tickets/${rule.id}/occurrences?count=10`);
    expect(occ.status).toBe(200);
    expect(occ.body.items).toHaveLength(10);
    // Each a second Monday at 07:30 London time, whether GMT or BST.
    for (const iso of occ.body.items) {
      const d = new Date(iso);
      const parts = new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Europe/London',
        weekday: 'short',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        hour12: false,
      }).formatToParts(d);
      const get = (t: string) => parts.find((p) => p.type === t)?.value;
      expect(get('weekday')).toBe('Mon');
      expect(Number(get('day'))).toBeGreaterThanOrEqual(8);
      expect(Number(get('day'))).toBeLessThanOrEqual(14);
      expect(`${get('hour')}:${get('minute')}`).toBe('07:30');
    }
    const preview = await admin().get('/api/v1/recurring-tickets/occurrences?rrule=FREQ%3DDAILY&time=09:00&timezone=UTC&count=3');
    expect(preview.status).toBe(200);
    expect(preview.body.items).toHaveLength(3);

    const before = await count(h, 'select count(*) from recurring_tickets where tenant_id = $1', [co.id]);
    const never = await admin().post('/api/v1/recurring-tickets', {
      title: 'Never',
      kind: 'request',
      priority: 'low',
      rrule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=31',
      time: '07:30',
      tasks: [],
    });
    expect(never.status).toBe(400);
    expect(never.body.error.code).toBe('validation');
    expect(never.body.error.details.fields.rrule).toMatch(/never occurs/);
    const bad = await admin().post('/api/v1/recurring-tickets', { title: 'Bad', rrule: 'FREQ=SOMETIMES', time: '07:30' });
    expect(bad.status).toBe(400);
    const ghost = await admin().post('/api/v1/recurring-tickets', {
      title: 'Ghost',
      rrule: 'FREQ=DAILY',
      time: '07:30',
      assigneeId: '999999',
    });
    expect(ghost.status).toBe(400);
    expect(ghost.body.error.details.fields.assigneeId).toBeTruthy();
    expect(await count(h, 'select count(*) from recurring_tickets where tenant_id = $1', [co.id])).toBe(before);
  });

  it('opens exactly one ticket per occurrence with its tasks, and catches up three days of downtime once each, marked late', async () => {
    const rule = await create({
      title: 'Daily walk-round',
      rrule: 'FREQ=DAILY',
      timezone: 'Europe/London',
      startsOn: '2026-03-20',
      tasks: [{ title: 'Doors' }, { title: 'Lights' }],
    });
    await nextRunAt(rule.id, '2026-03-27T07:30:00Z');

    const first = await runRecurringTickets(h.deps, at('2026-03-27T07:30:20Z'));
    expect(first.tickets).toBeGreaterThanOrEqual(1);
    expect(await ticketsTitled('Daily walk-round')).toBe(1);
    // The same minute again, and a retry: nothing more.
    await runRecurringTickets(h.deps, at('2026-03-27T07:30:40Z'));
    await runRecurringTickets(h.deps, at('2026-03-27T07:31:00Z'));
    expect(await ticketsTitled('Daily walk-round')).toBe(1);

    // The worker is down from the 27th to the 30th at 09:00: the 28th, 29th and 30th open once each.
    // 07:30 London is 07:30Z on the 28th (GMT) and 06:30Z from the 29th (BST: the clocks went forward).
    await runRecurringTickets(h.deps, at('2026-03-30T09:00:00Z'));
    expect(await ticketsTitled('Daily walk-round')).toBe(4);
    await runRecurringTickets(h.deps, at('2026-03-30T09:01:00Z'));
    expect(await ticketsTitled('Daily walk-round')).toBe(4);

    const runs = await admin().get(`/api/v1/recurring-tickets/${rule.id}/runs`);
    expect(runs.status).toBe(200);
    expect(runs.body.items.map((r: { occurrence: string; late: boolean }) => [r.occurrence, r.late])).toEqual([
      ['2026-03-30T06:30:00.000Z', true],
      ['2026-03-29T06:30:00.000Z', true],
      ['2026-03-28T07:30:00.000Z', true],
      ['2026-03-27T07:30:00.000Z', false],
    ]);
    const numbers = runs.body.items.map((r: { ticketNumber: number }) => r.ticketNumber);
    expect(new Set(numbers).size).toBe(4);
    const ticket = await admin().get(`/api/v1/tickets/${numbers[0]}`);
    expect(ticket.body.ticket).toMatchObject({ kind: 'work_order', title: 'Daily walk-round', source: 'schedule' });
    const tasks = await admin().get(`/api/v1/tickets/${numbers[0]}/tasks`);
    expect(tasks.body.items.map((t: { title: string }) => t.title)).toEqual(['Doors', 'Lights']);
    const after = await admin().get(`/api/v1/recurring-tickets/${rule.id}`);
    expect(after.body.recurringTicket.nextRunAt).toBe('2026-03-31T06:30:00.000Z');
  });

  it('a crash between the decision and the commit loses nothing and doubles nothing', async () => {
    const rule = await create({ title: 'Crash-proof check', rrule: 'FREQ=WEEKLY;BYDAY=MO', timezone: 'UTC', startsOn: '2026-01-01' });
    await nextRunAt(rule.id, '2026-06-01T07:30:00Z');
    let crashes = 0;
    schedulerTestHooks.beforeCommit = ({ ruleId }) => {
      if (String(ruleId) === rule.id && crashes++ === 0) throw new Error('worker killed before commit');
    };
    const crashed = await runRecurringTickets(h.deps, at('2026-06-01T07:30:05Z'));
    expect(crashed.failed).toBe(1);
    expect(await runsOf(rule.id)).toBe(0);
    expect(await ticketsTitled('Crash-proof check')).toBe(0);
    expect((await admin().get(`/api/v1/recurring-tickets/${rule.id}`)).body.recurringTicket).toMatchObject({
      nextRunAt: '2026-06-01T07:30:00.000Z',
      lastError: 'worker killed before commit',
    });

    // The retry (the next pass) fires it once.
    await runRecurringTickets(h.deps, at('2026-06-01T07:31:00Z'));
    await runRecurringTickets(h.deps, at('2026-06-01T07:32:00Z'));
    expect(await runsOf(rule.id)).toBe(1);
    expect(await ticketsTitled('Crash-proof check')).toBe(1);
    const runs = (await admin().get(`/api/v1/recurring-tickets/${rule.id}/runs`)).body.items;
    expect(runs).toEqual([
      expect.objectContaining({ occurrence: '2026-06-01T07:30:00.000Z', late: false, ticketNumber: expect.any(Number) }),
    ]);
    expect((await admin().get(`/api/v1/recurring-tickets/${rule.id}`)).body.recurringTicket.lastError).toBeNull();
  });

  it('two schedulers running at once open each ticket once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const rule = await create({ title: `Parallel ${i}`, rrule: 'FREQ=DAILY', timezone: 'UTC', startsOn: '2026-01-01' });
      await nextRunAt(rule.id, '2026-07-01T07:30:00Z');
      ids.push(rule.id);
    }
    const now = at('2026-07-03T08:00:00Z'); // three occurrences each
    const [a, b] = await Promise.all([runRecurringTickets(h.deps, now), runRecurringTickets(h.deps, now)]);
    expect(a.failed + b.failed).toBe(0);
    for (const id of ids) expect(await runsOf(id)).toBe(3);
    for (let i = 0; i < 6; i++) expect(await ticketsTitled(`Parallel ${i}`)).toBe(3);
  });

  it('an edited schedule and a resume count from now: nothing edited away or paused is backfilled', async () => {
    // The earlier tests' rules would catch up months here: they are paused for this one.
    await h.deps.database.query('update recurring_tickets set active = false, next_run_at = null where tenant_id = $1', [co.id]);
    const rule = await create({ title: 'Edited', rrule: 'FREQ=DAILY', timezone: 'UTC', startsOn: '2026-01-01' });
    const now = Date.now();
    const edited = await admin().patch(`/api/v1/recurring-tickets/${rule.id}`, { time: '18:45', version: rule.version });
    expect(edited.status).toBe(200);
    const next = new Date(edited.body.recurringTicket.nextRunAt);
    expect(next.getTime()).toBeGreaterThanOrEqual(now - 1000);
    expect(next.getTime() - now).toBeLessThanOrEqual(86_400_000);
    expect(next.toISOString().slice(11, 16)).toBe('18:45');
    const stale = await admin().patch(`/api/v1/recurring-tickets/${rule.id}`, { title: 'Stale', version: rule.version });
    expect(stale.status).toBe(409);

    const paused = await admin().patch(`/api/v1/recurring-tickets/${rule.id}`, { active: false });
    expect(paused.body.recurringTicket).toMatchObject({ active: false, nextRunAt: null });
    await runRecurringTickets(h.deps, new Date(now + 10 * 86_400_000));
    expect(await runsOf(rule.id)).toBe(0);
    const resumed = await admin().patch(`/api/v1/recurring-tickets/${rule.id}`, { active: true });
    expect(new Date(resumed.body.recurringTicket.nextRunAt).getTime()).toBeGreaterThanOrEqual(now - 1000);
    expect(await runsOf(rule.id)).toBe(0);

    const bad = await admin().patch(`/api/v1/recurring-tickets/${rule.id}`, { rrule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30' });
    expect(bad.status).toBe(400);
    expect((await admin().get(`/api/v1/recurring-tickets/${rule.id}`)).body.recurringTicket.rrule).toBe('FREQ=DAILY');
    expect((await admin().delete(`/api/v1/recurring-tickets/${rule.id}`)).status).toBe(204);
    expect((await admin().get(`/api/v1/recurring-tickets/${rule.id}`)).status).toBe(404);
  });

  it('runs as a pg-boss cron job every minute, registered with the worker', async () => {
    const names = jobDefinitions(h.deps).map((j) => `${j.name} ${j.cron ?? ''}`);
    expect(names).toContain('recurring.tick * * * * *');
    expect(names).toContain('maintenance.plans * * * * *');
    const rule = await create({ title: 'Fired by the job', rrule: 'FREQ=DAILY', timezone: 'UTC', startsOn: '2026-01-01', active: true });
    await nextRunAt(rule.id, new Date(Date.now() - 1000).toISOString());
    await recurringJobs(h.deps)[0].handler({});
    expect(await runsOf(rule.id)).toBe(1);
    expect((await admin().get(`/api/v1/recurring-tickets/${rule.id}/runs`)).body.items[0]).toMatchObject({
      late: false,
      ticketNumber: expect.any(Number),
    });
  });

  it('needs maintenance.manage', async () => {
    const tech = await createUser(h, co, { role: 'Technician' });
    expect((await tech.client.get('/api/v1/recurring-tickets')).status).toBe(403);
    const list = await admin().get('/api/v1/recurring-tickets?limit=2');
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(2);
    expect(list.body.nextCursor).not.toBeNull();
  });
});
