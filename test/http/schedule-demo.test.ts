// The demo company's schedule: this week's shifts for every demo technician with jobs on work
// orders inside them (the tickets' windows follow), one approved and one requested time off; what
// the calendar and a technician's own view answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD } from '../factories.js';
import { type Harness, harness } from '../harness.js';

describe('schedule demo data', () => {
  let h: Harness;
  let tenantId: number;
  const q = async <T>(text: string, values: unknown[] = []) => (await h.deps.database.query<T>(text, values)).rows;

  beforeAll(async () => {
    h = await harness();
    const res = await h.client().post('/api/v1/setup', {
      company: { name: 'Demo Corp', slug: 'demo' },
      admin: { name: 'Ada Admin', email: 'ada@demo.test', password: PASSWORD },
      demoData: true,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    tenantId = Number(res.body.company.id);
  });
  afterAll(() => h.close());

  it('books a week of shifts and jobs and two time offs', async () => {
    const kinds = await q<{ kind: string; n: number }>(
      'select kind, count(*)::int n from schedule_entries where tenant_id = $1 group by kind',
      [tenantId],
    );
    const byKind = Object.fromEntries(kinds.map((k) => [k.kind, k.n]));
    expect(byKind.shift).toBe(25);
    expect(byKind.on_call).toBe(1);
    expect(byKind.job).toBeGreaterThan(0);
    // Every job lies inside a shift of its technician, and its ticket's window is the job's.
    const outside = await q(
      `select j.id from schedule_entries j where j.tenant_id = $1 and j.kind = 'job' and not exists (
         select 1 from schedule_entries s where s.tenant_id = j.tenant_id and s.technician_id = j.technician_id and s.kind = 'shift'
           and s.starts_at <= j.starts_at and s.ends_at >= j.ends_at)`,
      [tenantId],
    );
    expect(outside).toEqual([]);
    const windows = await q(
      `select j.id from schedule_entries j join tickets t on t.tenant_id = j.tenant_id and t.id = j.ticket_id
        where j.tenant_id = $1 and (t.scheduled_start is distinct from j.starts_at or t.assignee_id is null)`,
      [tenantId],
    );
    expect(windows).toEqual([]);
    const off = await q<{ status: string }>('select status from time_off where tenant_id = $1 order by status', [tenantId]);
    expect(off.map((o) => o.status)).toEqual(['approved', 'requested']);
  });

  it('shows the week to the admin and a technician their own jobs', async () => {
    const admin = h.client();
    expect((await admin.login('ada@demo.test', PASSWORD)).status).toBe(200);
    const week = (await admin.get('/api/v1/schedule')).body;
    expect(week.entries.length).toBeGreaterThanOrEqual(26);
    expect(week.timeOff.length).toBeGreaterThanOrEqual(0);
    const [tech] = await q<{ email: string; id: number }>(
      "select u.email, u.id::int from users u where u.tenant_id = $1 and exists (select 1 from schedule_entries e where e.tenant_id = u.tenant_id and e.technician_id = u.id and e.kind = 'job') order by u.id limit 1",
      [tenantId],
    );
    const c = h.client();
    expect((await c.login(tech.email, PASSWORD)).status).toBe(200);
    const mine = (await c.get(`/api/v1/schedule?technicianId=${tech.id}`)).body.entries;
    expect(mine.some((e: { kind: string; ticketNumber: number | null }) => e.kind === 'job' && e.ticketNumber)).toBe(true);
    // The technician may open the ticket of their job (it was assigned to them).
    const job = mine.find((e: { kind: string; ticketNumber: number | null }) => e.kind === 'job' && e.ticketNumber);
    expect((await c.get(`/api/v1/tickets/${job.ticketNumber}`)).status).toBe(200);
  });
});
