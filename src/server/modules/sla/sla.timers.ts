// SLA timers: warning before and escalation on breach, each sent once. A job (queued per ticket,
// target, kind and due time) or the minute sweep locks the ticket's clock, decides which moments have
// come, sets their flags and records the notifications in one transaction: a crash before commit
// leaves nothing (the retry or the sweep does it again), a second worker waits on the lock and then
// finds the flags set. A job for a due time that moved finds nothing due and does nothing.
import type { Deps } from '../../platform/context.js';
import type { JobDefinition } from '../../platform/jobs.js';
import { notify } from '../notifications/notifications.service.js';
import { calendarsOf } from '../schedule/business-hours.service.js';
import { type ClockState, moments, pendingEvents, type TimerEvent } from './sla.clock.js';
import * as repo from './sla.repo.js';
import { SLA_TIMER_QUEUE } from './sla.tickets.js';

const SWEEP_BATCH = 500;

export interface TimerOptions {
  now?: Date;
  /** Tests: runs after the decision, inside the transaction (throw to simulate a crash before commit). */
  afterDecision?: () => void;
}

const label = (e: TimerEvent) => (e.target === 'first_response' ? 'first response' : 'resolution');

function flagsFor(events: TimerEvent[]): Partial<ClockState> {
  const set: Partial<ClockState> = {};
  for (const e of events) {
    if (e.target === 'first_response') {
      set.firstResponseWarned = true;
      if (e.kind === 'breach') set.firstResponseBreached = true;
    } else {
      set.resolutionWarned = true;
      if (e.kind === 'breach') set.resolutionBreached = true;
    }
  }
  return set;
}

/** Acts on every moment of one ticket's clock that has come; returns the events sent. */
export async function fireDue(deps: Deps, tenantId: number, ticketId: number, opts: TimerOptions = {}): Promise<TimerEvent[]> {
  const now = opts.now ?? new Date();
  return deps.database.withTenant(tenantId, async (scope) => {
    const row = await repo.findTicketSla(scope.tx, tenantId, ticketId, true);
    if (!row) return [];
    const calendar = (await calendarsOf(scope.tx, tenantId, [row.businessHoursId])).get(row.businessHoursId);
    if (!calendar) return [];
    const state: ClockState = { ...row };
    const current = moments(calendar, state);
    const due = pendingEvents(state, current).filter((e) => e.at.getTime() <= now.getTime());
    if (due.length === 0) {
      // The stored next moment disagrees with the clock (a calendar edited since): store the clock's, so the sweep moves on.
      if (row.nextEventAt && row.nextEventAt.getTime() <= now.getTime() && current.nextEventAt?.getTime() !== row.nextEventAt.getTime())
        await repo.updateTicketSla(scope.tx, tenantId, ticketId, {
          nextEventAt: current.nextEventAt,
          nextDueAt: current.nextDueAt,
          nextWarnAt: current.nextWarnAt,
        });
      return [];
    }
    // A warning whose breach has come too is not sent: the breach says more.
    const send = due.filter((e) => e.kind === 'breach' || !due.some((b) => b.kind === 'breach' && b.target === e.target));
    const next = { ...state, ...flagsFor(due) };
    const m = moments(calendar, next);
    await repo.updateTicketSla(scope.tx, tenantId, ticketId, {
      ...flagsFor(due),
      nextEventAt: m.nextEventAt,
      nextDueAt: m.nextDueAt,
      nextWarnAt: m.nextWarnAt,
    });
    opts.afterDecision?.();
    const t = await repo.ticketFacts(scope.tx, tenantId, ticketId);
    if (!t) return send;
    const policy = await repo.findPolicy(scope.tx, tenantId, row.policyId);
    const team = t.teamId ? await repo.teamMemberIds(scope.tx, tenantId, t.teamId) : [];
    const escalation = policy?.escalationRoleId ? await repo.roleMemberIds(scope.tx, tenantId, policy.escalationRoleId) : [];
    const direct = [...(t.assigneeId ? [t.assigneeId] : []), ...team];
    const notices = send.map((e) => ({
      event: e.kind === 'warning' ? ('ticket.sla_warning' as const) : ('ticket.sla_breached' as const),
      // A warning goes to whoever works the ticket (the escalation role when nobody does); a breach escalates.
      recipients: e.kind === 'warning' ? (direct.length ? direct : escalation) : [...direct, ...escalation],
      actorId: null,
      ticketNumber: t.number,
      title:
        e.kind === 'warning' ? `#${t.number} ${label(e)} due soon: ${t.title}` : `#${t.number} breached its ${label(e)} target: ${t.title}`,
      body:
        e.kind === 'warning'
          ? `The ${label(e)} of #${t.number} "${t.title}" is due at ${e.due.toISOString()} (${policy?.name ?? 'SLA'}).`
          : `The ${label(e)} of #${t.number} "${t.title}" was due at ${e.due.toISOString()} and is overdue (${policy?.name ?? 'SLA'}).`,
    }));
    await notify(scope, deps, tenantId, notices);
    // The breach in the ticket's history too (by Steward), as the archive job records its own.
    for (const e of send) if (e.kind === 'breach') await repo.insertBreachHistory(scope.tx, tenantId, ticketId, e.target, e.due);
    return send;
  });
}

/** One company's clocks whose next moment has come, in batches (the safety net under the jobs). */
export async function sweepCompany(deps: Deps, tenantId: number, opts: TimerOptions = {}): Promise<number> {
  let fired = 0;
  const now = opts.now ?? new Date();
  // Bounded: a round that finds a full batch again continues, at most this many times a sweep.
  for (let round = 0; round < 20; round++) {
    const ids = await deps.database.withTenant(tenantId, ({ tx }) => repo.dueTimerTickets(tx, tenantId, now, SWEEP_BATCH));
    for (const id of ids) fired += (await fireDue(deps, tenantId, id, { ...opts, now })).length;
    if (ids.length < SWEEP_BATCH) break;
  }
  return fired;
}

export async function sweepTimers(deps: Deps, opts: TimerOptions = {}): Promise<number> {
  let fired = 0;
  let after = 0;
  for (;;) {
    const ids = await deps.database.system(({ tx }) => repo.companyIds(tx, after, 200));
    for (const id of ids) fired += await sweepCompany(deps, id, opts);
    if (ids.length < 200) return fired;
    after = ids[ids.length - 1];
  }
}

export function slaJobs(deps: Deps): JobDefinition[] {
  return [
    {
      name: SLA_TIMER_QUEUE,
      // One queued job per ticket, target, kind and due time, however often the clock is saved.
      policy: 'short',
      // One poll takes many timers (each its own transaction): at the close of a business day thousands fall due together.
      batchSize: 50,
      retryLimit: 10,
      retryDelay: 15,
      handler: async (data: unknown) => {
        const { tenantId, ticketId } = data as { tenantId: number; ticketId: number };
        await fireDue(deps, tenantId, ticketId);
      },
    },
    {
      name: 'sla.sweep',
      cron: '* * * * *',
      retryLimit: 1,
      expireInSeconds: 10 * 60,
      handler: async () => {
        const fired = await sweepTimers(deps);
        if (fired > 0) deps.log.info({ fired }, 'SLA timers fired by the sweep');
      },
    },
  ];
}
