// The SLA clock on tickets: which policy applies (the first enabled one that matches, by position),
// the due times it gives, pauses while on hold, first response and resolution met, and the answer's
// `sla` object. Called by the tickets services inside their transactions; the timers (sla.timers.ts)
// are queued after commit, keyed by ticket, target, kind and due time.
import type { Priority, TicketKind, TicketStatus } from '../../../shared/contracts/enums.js';
import type { TicketSla } from '../../../shared/contracts/sla.js';
import { type BusinessCalendar, businessMinutesBetween } from '../../../shared/time/business-hours.js';
import type { Deps } from '../../platform/context.js';
import type { Scope, Tx } from '../../platform/db.js';
import { calendarsOf } from '../schedule/business-hours.service.js';
import { type ClockState, moments, pausedBusinessMinutes, pendingEvents, timerKey } from './sla.clock.js';
import * as repo from './sla.repo.js';

export const SLA_TIMER_QUEUE = 'sla.timer';

/** What the clock needs to know of a ticket. */
export interface SlaTicket {
  tenantId: number;
  id: number;
  kind: TicketKind;
  priority: Priority;
  categoryId: number | null;
  status: TicketStatus;
  createdAt: Date;
}

/** Statuses in which the clock stands still: on hold (waiting for the requester or a part) and finished. */
const STOPPED: ReadonlySet<TicketStatus> = new Set(['on_hold', 'resolved', 'closed', 'rejected']);
const DONE: ReadonlySet<TicketStatus> = new Set(['resolved', 'closed']);

export function policyMatches(p: repo.SlaPolicyRow, t: Pick<SlaTicket, 'kind' | 'priority' | 'categoryId'>): boolean {
  const m = p.match ?? {};
  if (m.priorities?.length && !m.priorities.includes(t.priority)) return false;
  if (m.kinds?.length && !m.kinds.includes(t.kind)) return false;
  if (m.categoryIds?.length && (t.categoryId === null || !m.categoryIds.includes(String(t.categoryId)))) return false;
  return Boolean(p.targets[t.priority]);
}

const stateOf = (r: repo.TicketSlaRow): ClockState => ({
  startedAt: r.startedAt,
  firstResponseMinutes: r.firstResponseMinutes,
  resolutionMinutes: r.resolutionMinutes,
  warnBeforeMinutes: r.warnBeforeMinutes,
  pausedMinutes: r.pausedMinutes,
  pausedSince: r.pausedSince,
  firstRespondedAt: r.firstRespondedAt,
  resolvedAt: r.resolvedAt,
  firstResponseWarned: r.firstResponseWarned,
  resolutionWarned: r.resolutionWarned,
  firstResponseBreached: r.firstResponseBreached,
  resolutionBreached: r.resolutionBreached,
});

/** Writes the clock with its derived moments and queues its timers once the transaction commits. */
async function save(
  scope: Scope,
  deps: Deps,
  base: { tenantId: number; ticketId: number; policyId: number; businessHoursId: number },
  calendar: BusinessCalendar,
  s: ClockState,
) {
  const m = moments(calendar, s);
  const row = await repo.upsertTicketSla(scope.tx, { ...base, ...s, ...m });
  scheduleTimers(scope, deps, row.tenantId, row.ticketId, s, m);
  return row;
}

function scheduleTimers(scope: Scope, deps: Deps, tenantId: number, ticketId: number, s: ClockState, m: ReturnType<typeof moments>) {
  const events = pendingEvents(s, m);
  if (events.length === 0) return;
  // A lost enqueue (crash after commit) is caught by the minute sweep, which reads next_event_at.
  // All of the ticket's timers in one statement.
  scope.afterCommit(() =>
    deps.jobs
      .sendMany(
        SLA_TIMER_QUEUE,
        events.map((e) => ({
          data: { tenantId, ticketId, target: e.target, kind: e.kind, due: e.due.getTime() },
          startAfter: e.at,
          singletonKey: timerKey(ticketId, e),
        })),
      )
      .catch((err) => deps.log.warn({ err, ticketId }, 'SLA timer not queued; the sweep will act on it')),
  );
}

/**
 * Gives the ticket its policy's clock (on creation, and when its priority, category or kind change).
 * A changed target keeps the start, the pauses and what was already met; a target moved into the
 * future may warn and breach again. No matching policy removes the clock.
 */
export async function applySla(
  scope: Scope,
  deps: Deps,
  t: SlaTicket,
  now = new Date(),
  created = false,
  /** The enabled policies with their calendars, when read earlier in this transaction (a new ticket's facts). */
  known?: Awaited<ReturnType<typeof repo.enabledPoliciesWithCalendars>>,
): Promise<TicketSla | null> {
  const { tx } = scope;
  const policies = known ?? (await repo.enabledPoliciesWithCalendars(tx, t.tenantId));
  const found = policies.find((p) => policyMatches(p.policy, t));
  // A ticket written in this transaction (`created`) has no clock yet: nothing to read.
  const existing = created ? null : await repo.findTicketSla(tx, t.tenantId, t.id, true);
  if (!found) {
    if (existing) await repo.deleteTicketSla(tx, t.tenantId, t.id);
    return null;
  }
  const target = found.policy.targets[t.priority]!;
  const calendar: BusinessCalendar = { timezone: found.calendar.timezone, week: found.calendar.week, holidays: found.calendar.holidays };
  if (
    existing &&
    existing.policyId === found.policy.id &&
    existing.businessHoursId === found.calendar.id &&
    existing.firstResponseMinutes === target.firstResponseMinutes &&
    existing.resolutionMinutes === target.resolutionMinutes &&
    existing.warnBeforeMinutes === found.policy.warnBeforeMinutes
  )
    return toTicketSla(existing, now);
  const s: ClockState = {
    startedAt: existing?.startedAt ?? t.createdAt,
    firstResponseMinutes: target.firstResponseMinutes,
    resolutionMinutes: target.resolutionMinutes,
    warnBeforeMinutes: found.policy.warnBeforeMinutes,
    pausedMinutes: existing?.pausedMinutes ?? 0,
    pausedSince: existing ? existing.pausedSince : STOPPED.has(t.status) ? now : null,
    firstRespondedAt: existing?.firstRespondedAt ?? null,
    resolvedAt: existing?.resolvedAt ?? (DONE.has(t.status) ? now : null),
    firstResponseWarned: false,
    resolutionWarned: false,
    firstResponseBreached: false,
    resolutionBreached: false,
  };
  if (existing) {
    // Flags stay for moments already past (their timers fired or will at once); a later moment may fire again.
    const m = moments(calendar, s);
    const past = (d: Date | null) => d !== null && d.getTime() <= now.getTime();
    s.firstResponseBreached = existing.firstResponseBreached && past(m.firstResponseDueAt);
    s.resolutionBreached = existing.resolutionBreached && past(m.resolutionDueAt);
    s.firstResponseWarned = existing.firstResponseWarned && (past(m.firstResponseWarnAt) || s.firstResponseBreached);
    s.resolutionWarned = existing.resolutionWarned && (past(m.resolutionWarnAt) || s.resolutionBreached);
  }
  const row = await save(
    scope,
    deps,
    { tenantId: t.tenantId, ticketId: t.id, policyId: found.policy.id, businessHoursId: found.calendar.id },
    calendar,
    s,
  );
  return toTicketSla(row, now);
}

async function calendarOf(tx: Tx, row: repo.TicketSlaRow): Promise<BusinessCalendar | null> {
  return (await calendarsOf(tx, row.tenantId, [row.businessHoursId])).get(row.businessHoursId) ?? null;
}

/**
 * A status change: on hold (and resolved, closed) stops the clock; going back to work adds the
 * business minutes it stood still to both due times. Resolving meets the resolution target; a reopen
 * takes that back. A rejected ticket has no clock.
 */
export async function slaOnStatus(scope: Scope, deps: Deps, t: SlaTicket, from: TicketStatus, now = new Date()): Promise<void> {
  const to = t.status;
  if (from === to) return;
  const row = await repo.findTicketSla(scope.tx, t.tenantId, t.id, true);
  if (!row) return;
  if (to === 'rejected') {
    await repo.deleteTicketSla(scope.tx, t.tenantId, t.id);
    return;
  }
  const calendar = await calendarOf(scope.tx, row);
  if (!calendar) return;
  const s = stateOf(row);
  if (STOPPED.has(to) && !s.pausedSince) s.pausedSince = now;
  if (!STOPPED.has(to) && s.pausedSince) {
    s.pausedMinutes += pausedBusinessMinutes(businessMinutesBetween(calendar, s.pausedSince, now));
    s.pausedSince = null;
  }
  if (DONE.has(to) && !s.resolvedAt) s.resolvedAt = now;
  if (!DONE.has(to)) s.resolvedAt = null;
  await save(scope, deps, row, calendar, s);
}

/** The first public reply by staff (a web comment now, an e-mail reply through the same service) meets first response. */
export async function slaOnPublicReply(scope: Scope, deps: Deps, tenantId: number, ticketId: number, at = new Date()): Promise<void> {
  const row = await repo.findTicketSla(scope.tx, tenantId, ticketId, true);
  if (!row || row.firstRespondedAt) return;
  const calendar = await calendarOf(scope.tx, row);
  if (!calendar) return;
  await save(scope, deps, row, calendar, { ...stateOf(row), firstRespondedAt: at });
}

export function toTicketSla(r: repo.TicketSlaRow, now = new Date()): TicketSla {
  const t = now.getTime();
  return {
    policyId: String(r.policyId),
    firstResponseDueAt: r.firstResponseDueAt.toISOString(),
    resolutionDueAt: r.resolutionDueAt.toISOString(),
    firstRespondedAt: r.firstRespondedAt?.toISOString() ?? null,
    paused: r.pausedSince !== null && r.resolvedAt === null,
    breached: { firstResponse: r.firstResponseBreached, resolution: r.resolutionBreached },
    resolvedAt: r.resolvedAt?.toISOString() ?? null,
    pausedMinutes: r.pausedMinutes,
    atRisk: r.nextDueAt !== null && r.nextWarnAt !== null && r.nextWarnAt.getTime() <= t && t < r.nextDueAt.getTime(),
  };
}

/** The `sla` of a ticket answer, or null when no policy applies. */
export async function slaOf(tx: Tx, tenantId: number, ticketId: number): Promise<TicketSla | null> {
  const row = await repo.findTicketSla(tx, tenantId, ticketId);
  return row ? toTicketSla(row) : null;
}

/** The `sla` of several tickets (a list page), by ticket id. */
export async function slaOfMany(tx: Tx, tenantId: number, ticketIds: number[]): Promise<Map<number, TicketSla>> {
  if (ticketIds.length === 0) return new Map();
  const now = new Date();
  const rows = await repo.ticketSlaMany(tx, tenantId, ticketIds);
  return new Map(rows.map((r) => [r.ticketId, toTicketSla(r, now)]));
}

/** Candidates of the ticket list sorted by SLA due: running clocks in due order after the cursor. */
export async function slaDueCandidates(
  tx: Tx,
  tenantId: number,
  f: { after: [string, number] | null; atRisk: boolean; breached: boolean; limit: number },
) {
  const rows = await repo.dueCandidates(tx, tenantId, f);
  return rows.map((r) => ({ ticketId: r.ticketId, due: (r.nextDueAt as Date).toISOString() }));
}
