// Demo SLAs for a fresh install: an "Around the clock" calendar with policies for urgent tickets and
// supply requests on top of the default one, every open demo ticket clocked from its (backdated)
// creation (the paper ordered today is at risk, the urgent ones of past days breached), and the
// moments already past settled quietly (flags set, nobody notified).
import { and, eq, inArray, sql } from 'drizzle-orm';
import { OPEN_TICKET_STATUSES } from '../../../shared/contracts/enums.js';
import { businessHours, tickets, ticketSla } from '../../db/schema/index.js';
import type { Deps } from '../../platform/context.js';
import type { Scope } from '../../platform/db.js';
import { calendarsOf } from '../schedule/business-hours.service.js';
import { type ClockState, moments, pendingEvents } from './sla.clock.js';
import * as repo from './sla.repo.js';
import { applySla } from './sla.tickets.js';

const ALWAYS = [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, start: '00:00', end: '24:00' }));

export async function seedDemoSla(scope: Scope, deps: Deps, tenantId: number): Promise<void> {
  const { tx } = scope;
  const quiet: Deps = { ...deps, jobs: { ...deps.jobs, send: async () => null } };
  const [cal] = await tx
    .insert(businessHours)
    .values({ tenantId, name: 'Around the clock', timezone: 'UTC', week: ALWAYS, holidays: [] })
    .returning();
  await tx.execute(sql`update sla_policies set position = position + 2 where tenant_id = ${tenantId}`);
  await repo.insertPolicy(tx, {
    tenantId,
    name: 'Urgent, around the clock',
    position: 1,
    businessHoursId: cal.id,
    match: { priorities: ['urgent'] },
    targets: { urgent: { firstResponseMinutes: 60, resolutionMinutes: 240 } },
    warnBeforeMinutes: 60,
    escalationRoleId: await repo.roleIdByName(tx, tenantId, 'Manager'),
  });
  // Supply requests are answered within half an hour, any day: the paper ordered today is at risk.
  const supply = { firstResponseMinutes: 30, resolutionMinutes: 480 };
  await repo.insertPolicy(tx, {
    tenantId,
    name: 'Supplies, around the clock',
    position: 2,
    businessHoursId: cal.id,
    match: { kinds: ['supply'] },
    targets: { urgent: supply, high: supply, medium: supply, low: supply },
    warnBeforeMinutes: 60,
    escalationRoleId: null,
  });

  // Every open demo ticket is clocked from its creation; past moments are settled without notices.
  const open = await tx
    .select({
      id: tickets.id,
      kind: tickets.kind,
      priority: tickets.priority,
      categoryId: tickets.categoryId,
      status: tickets.status,
      createdAt: tickets.createdAt,
    })
    .from(tickets)
    .where(and(eq(tickets.tenantId, tenantId), inArray(tickets.status, [...OPEN_TICKET_STATUSES])));
  const now = new Date();
  await tx.delete(ticketSla).where(
    and(
      eq(ticketSla.tenantId, tenantId),
      inArray(
        ticketSla.ticketId,
        open.map((t) => t.id),
      ),
    ),
  );
  for (const t of open) await applySla(scope, quiet, { tenantId, ...t }, t.status === 'on_hold' ? t.createdAt : now);
  const rows = await tx.select().from(ticketSla).where(eq(ticketSla.tenantId, tenantId));
  const calendars = await calendarsOf(
    tx,
    tenantId,
    rows.map((r) => r.businessHoursId),
  );
  for (const r of rows) {
    const calendar = calendars.get(r.businessHoursId);
    if (!calendar) continue;
    const state: ClockState = { ...r };
    const past = pendingEvents(state, moments(calendar, state)).filter((e) => e.at.getTime() <= now.getTime());
    if (past.length === 0) continue;
    for (const e of past) {
      if (e.target === 'first_response') state.firstResponseWarned = true;
      else state.resolutionWarned = true;
      if (e.kind === 'breach' && e.target === 'first_response') state.firstResponseBreached = true;
      if (e.kind === 'breach' && e.target === 'resolution') state.resolutionBreached = true;
    }
    const m = moments(calendar, state);
    await repo.updateTicketSla(tx, tenantId, r.ticketId, {
      firstResponseWarned: state.firstResponseWarned,
      resolutionWarned: state.resolutionWarned,
      firstResponseBreached: state.firstResponseBreached,
      resolutionBreached: state.resolutionBreached,
      nextEventAt: m.nextEventAt,
    });
  }
}
