// The SLA clock of one ticket, pure: from the targets, the start, the pauses and what was met, the
// due and warning moments of both targets and the next moment a timer must act. Due times are
// business minutes on the policy's calendar; pausing adds the business minutes spent paused.
import { type BusinessCalendar, addBusinessMinutes, isOpen, nextOpenAt } from '../../../shared/time/business-hours.js';

export const SLA_TARGETS = ['first_response', 'resolution'] as const;
export type SlaTarget = (typeof SLA_TARGETS)[number];
export type SlaTimerKind = 'warning' | 'breach';

export interface ClockState {
  startedAt: Date;
  firstResponseMinutes: number;
  resolutionMinutes: number;
  warnBeforeMinutes: number;
  pausedMinutes: number;
  pausedSince: Date | null;
  firstRespondedAt: Date | null;
  resolvedAt: Date | null;
  firstResponseWarned: boolean;
  resolutionWarned: boolean;
  firstResponseBreached: boolean;
  resolutionBreached: boolean;
}

export interface ClockMoments {
  firstResponseDueAt: Date;
  resolutionDueAt: Date;
  firstResponseWarnAt: Date | null;
  resolutionWarnAt: Date | null;
  nextDueAt: Date | null;
  nextWarnAt: Date | null;
  nextEventAt: Date | null;
}

export interface TimerEvent {
  target: SlaTarget;
  kind: SlaTimerKind;
  at: Date;
  /** The due time the event belongs to: a timer for another due time is stale. */
  due: Date;
}

/**
 * When to warn before `due`: `warnBefore` minutes of real time earlier, moved to the next opening
 * when the desk is closed then (never at 03:00 on a Sunday unless the calendar is open), and no
 * warning at all when that lands at or after the due time itself.
 */
export function warningAt(calendar: BusinessCalendar, due: Date, warnBeforeMinutes: number, startedAt: Date): Date | null {
  if (warnBeforeMinutes <= 0) return null;
  let at = new Date(Math.max(due.getTime() - warnBeforeMinutes * 60_000, startedAt.getTime()));
  if (!isOpen(calendar, at)) at = nextOpenAt(calendar, at);
  return at.getTime() < due.getTime() ? at : null;
}

const met = (s: ClockState, target: SlaTarget) => (target === 'first_response' ? s.firstRespondedAt : s.resolvedAt) !== null;
const flag = (s: ClockState, target: SlaTarget, kind: SlaTimerKind) =>
  target === 'first_response'
    ? kind === 'warning'
      ? s.firstResponseWarned
      : s.firstResponseBreached
    : kind === 'warning'
      ? s.resolutionWarned
      : s.resolutionBreached;

export function moments(calendar: BusinessCalendar, s: ClockState): ClockMoments {
  const firstResponseDueAt = addBusinessMinutes(calendar, s.startedAt, s.firstResponseMinutes + s.pausedMinutes);
  const resolutionDueAt = addBusinessMinutes(calendar, s.startedAt, s.resolutionMinutes + s.pausedMinutes);
  const firstResponseWarnAt = warningAt(calendar, firstResponseDueAt, s.warnBeforeMinutes, s.startedAt);
  const resolutionWarnAt = warningAt(calendar, resolutionDueAt, s.warnBeforeMinutes, s.startedAt);
  const m = {
    firstResponseDueAt,
    resolutionDueAt,
    firstResponseWarnAt,
    resolutionWarnAt,
    nextDueAt: null,
    nextWarnAt: null,
    nextEventAt: null,
  };
  if (s.pausedSince) return m;
  const open = SLA_TARGETS.filter((t) => !met(s, t)).map((t) =>
    t === 'first_response' ? { due: firstResponseDueAt, warn: firstResponseWarnAt } : { due: resolutionDueAt, warn: resolutionWarnAt },
  );
  const first = open.sort((a, b) => a.due.getTime() - b.due.getTime())[0];
  const events = pendingEvents(s, m);
  return {
    ...m,
    nextDueAt: first?.due ?? null,
    nextWarnAt: first?.warn ?? null,
    nextEventAt: events.length > 0 ? events[0].at : null,
  };
}

/** The timers still to act, earliest first: nothing while paused, nothing for a met target or a flag already set. */
export function pendingEvents(
  s: ClockState,
  m: Pick<ClockMoments, 'firstResponseDueAt' | 'resolutionDueAt' | 'firstResponseWarnAt' | 'resolutionWarnAt'>,
): TimerEvent[] {
  if (s.pausedSince) return [];
  const out: TimerEvent[] = [];
  for (const target of SLA_TARGETS) {
    if (met(s, target)) continue;
    const due = target === 'first_response' ? m.firstResponseDueAt : m.resolutionDueAt;
    const warn = target === 'first_response' ? m.firstResponseWarnAt : m.resolutionWarnAt;
    const breached = flag(s, target, 'breach');
    if (warn && !breached && !flag(s, target, 'warning')) out.push({ target, kind: 'warning', at: warn, due });
    if (!breached) out.push({ target, kind: 'breach', at: due, due });
  }
  return out.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** The business minutes a pause from `since` to `now` adds (whole minutes, rounded). */
export const pausedBusinessMinutes = (minutes: number) => Math.max(0, Math.round(minutes));

/** `sla:<ticketId>:<target>:<kind>:<due epoch>`: one job per ticket, target, kind and due time. */
export const timerKey = (ticketId: number, e: Pick<TimerEvent, 'target' | 'kind' | 'due'>) =>
  `sla:${ticketId}:${e.target}:${e.kind}:${e.due.getTime()}`;
