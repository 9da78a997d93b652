// The recurring-ticket scheduler. A pass scans the due rules across companies (bounded batches),
// then fires each rule in its own company transaction: claim it (FOR UPDATE SKIP LOCKED, still
// due), and for every occurrence up to `now` insert the run row (the unique key on rule +
// occurrence) and, only when that row is new, open the ticket with its tasks; then move the rule
// to its next occurrence. Run row, ticket and advance commit together or not at all, so a crash,
// a retry or a second worker never opens a ticket twice nor loses one. Occurrences missed while no
// worker ran are each caught up once, marked `late`.
import { type Recurrence, nextOccurrence } from '../../../shared/time/recurrence.js';
import type { Deps } from '../../platform/context.js';
import type { Scope } from '../../platform/db.js';
import * as repo from './recurring.repo.js';
import { openFromTemplate, recurrenceOf } from './recurring.service.js';

/** An occurrence fired more than this after its time was missed (the worker was down): `late`. */
export const LATE_AFTER_MS = 5 * 60_000;
/** Occurrences one rule catches up per transaction; the rest follow in the same pass. */
export const CATCH_UP_PER_TRANSACTION = 50;
const SCAN_BATCH = 500;

/**
 * For tests only: called inside a rule's transaction after the decision (run rows and tickets
 * written, rule advanced) and before commit. Throwing here is a crash between decision and commit.
 */
export const schedulerTestHooks: { beforeCommit: ((what: { tenantId: number; ruleId: number }) => void) | null } = { beforeCommit: null };

export interface PassResult {
  rules: number;
  tickets: number;
  late: number;
  failed: number;
}

// One formatter per zone: building an Intl.DateTimeFormat costs more than opening the ticket's row.
const formatters = new Map<string, Intl.DateTimeFormat>();
const wall = (at: Date, zone: string) => {
  let f = formatters.get(zone);
  if (!f) formatters.set(zone, (f = new Intl.DateTimeFormat('en-GB', { timeZone: zone, dateStyle: 'medium', timeStyle: 'short' })));
  return f.format(at);
};

/** Fires one claimed rule's due occurrences inside its transaction; how many tickets it opened. */
async function fireRule(
  scope: Scope,
  deps: Deps,
  rule: repo.RuleRow,
  now: Date,
): Promise<{ tickets: number; late: number; more: boolean }> {
  const rec: Recurrence = recurrenceOf(rule);
  let at: Date | null = rule.nextRunAt;
  let tickets = 0;
  let late = 0;
  let fired = 0;
  while (at && at.getTime() <= now.getTime() && fired < CATCH_UP_PER_TRANSACTION) {
    const isLate = now.getTime() - at.getTime() > LATE_AFTER_MS;
    const runId = await repo.insertRun(scope.tx, { tenantId: rule.tenantId, recurringTicketId: rule.id, occurrence: at, late: isLate });
    if (runId !== null) {
      const ticket = await openFromTemplate(scope, deps, rule.tenantId, {
        kind: rule.kind,
        title: rule.title,
        description: `${rule.description}${rule.description ? '\n\n' : ''}_Opened by the recurring ticket "${rule.title}" for ${wall(at, rule.timezone)} (${rule.timezone})${isLate ? ', caught up late after the scheduler was down' : ''}._`,
        priority: rule.priority,
        categoryId: rule.categoryId,
        assigneeId: rule.assigneeId,
        teamId: rule.teamId,
        assetIds: rule.assetIds,
        tasks: rule.tasks,
      });
      await repo.setRunTicket(scope.tx, rule.tenantId, runId, ticket.id);
      tickets++;
      if (isLate) late++;
    }
    fired++;
    at = nextOccurrence(rec, at);
  }
  await repo.advanceRule(scope.tx, rule.tenantId, rule.id, at, null);
  schedulerTestHooks.beforeCommit?.({ tenantId: rule.tenantId, ruleId: rule.id });
  return { tickets, late, more: !!at && at.getTime() <= now.getTime() };
}

/** Claims and fires one rule in its company's transaction; a rule another worker holds is skipped. */
async function fireOne(deps: Deps, due: repo.DueCursor, now: Date, result: PassResult): Promise<void> {
  for (;;) {
    try {
      const outcome = await deps.database.withTenant(due.tenantId, async (scope) => {
        const rule = await repo.claimDueRule(scope.tx, due.tenantId, due.id, now);
        if (!rule) return null;
        return fireRule(scope, deps, rule, now);
      });
      if (!outcome) return;
      result.rules++;
      result.tickets += outcome.tickets;
      result.late += outcome.late;
      if (!outcome.more) return;
    } catch (error) {
      // The rule stays due (nothing of it committed) and is tried again next minute; the reason shows on it.
      result.failed++;
      deps.log.warn({ err: error, tenantId: due.tenantId, recurringTicketId: due.id }, 'recurring ticket could not fire');
      await deps.database
        .withTenant(due.tenantId, (scope) => repo.setLastError(scope.tx, due.tenantId, due.id, (error as Error).message.slice(0, 500)))
        .catch(() => undefined);
      return;
    }
  }
}

/** Rules fired at once by one pass: each is its own transaction (PGlite runs one at a time anyway). */
export const passConcurrency = (deps: Deps) => (deps.database.kind === 'postgres' ? 4 : 1);

/**
 * Fires the due rules `width` at a time, never two of one company at once: a company's tickets
 * take its number counter in turn, so lanes on one company would only wait for each other.
 */
async function fireAll(deps: Deps, due: repo.DueCursor[], now: Date, result: PassResult, width: number): Promise<void> {
  const waiting = [...due];
  const busy = new Set<number>();
  let freed: Array<() => void> = [];
  const lane = async () => {
    for (;;) {
      const i = waiting.findIndex((d) => !busy.has(d.tenantId));
      if (i < 0) {
        if (waiting.length === 0) return;
        // Only companies another lane is firing are left: wait until one of them is done.
        await new Promise<void>((r) => freed.push(r));
        continue;
      }
      const [d] = waiting.splice(i, 1);
      busy.add(d.tenantId);
      try {
        await fireOne(deps, d, now, result);
      } finally {
        busy.delete(d.tenantId);
        const wake = freed;
        freed = [];
        for (const r of wake) r();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, due.length) }, lane));
}

/** One scheduler pass at `now` (injected in tests: never real waiting). */
export async function runRecurringTickets(deps: Deps, now: Date = new Date(), concurrency = passConcurrency(deps)): Promise<PassResult> {
  const result: PassResult = { rules: 0, tickets: 0, late: 0, failed: 0 };
  let after: repo.DueCursor | null = null;
  for (;;) {
    const cursor: repo.DueCursor | null = after;
    const due: repo.DueCursor[] = await deps.database.system(({ tx }) => repo.dueRules(tx, now, cursor, SCAN_BATCH));
    await fireAll(deps, due, now, result, concurrency);
    if (due.length < SCAN_BATCH) return result;
    after = due[due.length - 1];
  }
}

/** When the next rule is due after `now` (the worker wakes up then instead of waiting for the cron). */
export function nextWakeUp(deps: Deps, now: Date): Promise<Date | null> {
  return deps.database.system(({ tx }) => repo.earliestRun(tx, now));
}
