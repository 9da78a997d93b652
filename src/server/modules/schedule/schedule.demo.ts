// Demo schedule for a fresh install: this week's day shifts (Mon–Fri 08:00–16:30 in the company's
// zone) for the demo technicians, jobs on open work orders inside them (their tickets' windows and
// assignees follow), an on-call week, one approved time off next week and one request waiting.
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { companies, roles, scheduleEntries, tickets, timeOff, users } from '../../db/schema/index.js';
import type { Scope } from '../../platform/db.js';
import { addDays, todayIn, wallClockToInstant } from '../../../shared/time/index.js';
import { weekStart } from '../../../shared/time/zones.js';

export async function seedDemoSchedule(scope: Scope, tenantId: number): Promise<void> {
  const { tx } = scope;
  const [company] = await tx.select({ timezone: companies.timezone }).from(companies).where(eq(companies.id, tenantId));
  const zone = company?.timezone ?? 'UTC';
  const techs = await tx
    .select({ id: users.id, name: users.name })
    .from(users)
    .innerJoin(roles, and(eq(roles.tenantId, users.tenantId), eq(roles.id, users.roleId)))
    .where(and(eq(users.tenantId, tenantId), eq(roles.name, 'Technician')))
    .orderBy(asc(users.id));
  if (techs.length === 0) return;
  const monday = weekStart(todayIn(zone));
  const at = (day: number, time: string) => wallClockToInstant(addDays(monday, day), time, zone);
  const entry = (
    technicianId: number,
    kind: 'shift' | 'job' | 'on_call',
    start: Date,
    end: Date,
    extra: { ticketId?: number; note?: string } = {},
  ) => ({
    tenantId,
    technicianId,
    kind,
    startsAt: start,
    endsAt: end,
    timezone: zone,
    ticketId: extra.ticketId ?? null,
    note: extra.note ?? null,
  });
  const rows = [];
  for (const t of techs) for (let d = 0; d < 5; d++) rows.push(entry(t.id, 'shift', at(d, '08:00'), at(d, '16:30')));
  rows.push(entry(techs[0].id, 'on_call', at(0, '16:30'), at(7, '08:00'), { note: 'Out-of-hours phone' }));
  // Jobs on open work orders without a window, two a day round the technicians.
  const orders = await tx
    .select({ id: tickets.id, number: tickets.number, assigneeId: tickets.assigneeId })
    .from(tickets)
    .where(
      and(
        eq(tickets.tenantId, tenantId),
        eq(tickets.kind, 'work_order'),
        inArray(tickets.status, ['new', 'open', 'in_progress']),
        isNull(tickets.scheduledStart),
      ),
    )
    .orderBy(asc(tickets.id))
    .limit(8);
  const jobs: Array<{ ticketId: number; technicianId: number; start: Date; end: Date }> = [];
  const booked = new Set<string>();
  // Three booked, the rest left for the calendar's "unscheduled" list.
  orders.slice(0, 3).forEach((o) => {
    // Only work orders already assigned to a technician: the demo tickets' own story stays as it is.
    const tech = techs.find((t) => t.id === o.assigneeId);
    if (!tech) return;
    // The first free half-day of that technician this week.
    let slot = 0;
    while (booked.has(`${tech.id}:${slot}`) && slot < 10) slot++;
    if (slot >= 10) return;
    booked.add(`${tech.id}:${slot}`);
    const day = Math.floor(slot / 2);
    const [from, to] = slot % 2 === 0 ? ['09:00', '11:00'] : ['13:00', '15:30'];
    jobs.push({ ticketId: o.id, technicianId: tech.id, start: at(day, from), end: at(day, to) });
  });
  for (const j of jobs) rows.push(entry(j.technicianId, 'job', j.start, j.end, { ticketId: j.ticketId }));
  await tx.insert(scheduleEntries).values(rows);
  for (const j of jobs) {
    await tx
      .update(tickets)
      .set({ scheduledStart: j.start, scheduledEnd: j.end })
      .where(and(eq(tickets.tenantId, tenantId), eq(tickets.id, j.ticketId)));
  }
  const approver = (
    await tx
      .select({ id: users.id })
      .from(users)
      .innerJoin(roles, and(eq(roles.tenantId, users.tenantId), eq(roles.id, users.roleId)))
      .where(and(eq(users.tenantId, tenantId), eq(roles.name, 'Manager')))
      .limit(1)
  )[0];
  const off = techs[2 % techs.length];
  const asks = techs[3 % techs.length];
  await tx.insert(timeOff).values([
    {
      tenantId,
      userId: off.id,
      kind: 'vacation',
      startsAt: at(7, '00:00'),
      endsAt: at(10, '00:00'),
      status: 'approved',
      note: 'Family visit',
      decidedById: approver?.id ?? null,
      decidedAt: new Date(),
      createdById: off.id,
    },
    {
      tenantId,
      userId: asks.id,
      kind: 'vacation',
      startsAt: at(14, '00:00'),
      endsAt: at(19, '00:00'),
      status: 'requested',
      note: 'Summer trip',
      createdById: asks.id,
    },
  ]);
}
