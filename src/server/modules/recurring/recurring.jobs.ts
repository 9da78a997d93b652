// Recurring tickets' durable job: a pg-boss cron every minute runs a scheduler pass (idempotent by
// the run key rule + occurrence). After a pass the worker also asks pg-boss
// to wake it at the next rule's instant (a singleton job per instant), so a ticket opens within a
// poll interval of its time rather than up to a cron tick later; the cron remains the backstop.
import type { Deps } from '../../platform/context.js';
import type { JobDefinition } from '../../platform/jobs.js';
import { nextWakeUp, runRecurringTickets } from './recurring.scheduler.js';

export const RECURRING_QUEUE = 'recurring.tick';

export function recurringJobs(deps: Deps): JobDefinition[] {
  const tick = async () => {
    const now = new Date();
    const result = await runRecurringTickets(deps, now);
    if (result.tickets + result.failed > 0) deps.log.info(result, 'recurring tickets fired');
    const next = await nextWakeUp(deps, now);
    // Only wake-ups within the next minute: the cron covers the rest.
    if (next && next.getTime() - now.getTime() < 60_000) {
      await deps.jobs
        .send(RECURRING_QUEUE, {}, { startAfter: next, singletonKey: `${RECURRING_QUEUE}:${next.toISOString()}` })
        .catch((err) => deps.log.warn({ err }, 'could not schedule the recurring wake-up'));
    }
  };
  return [{ name: RECURRING_QUEUE, cron: '* * * * *', retryLimit: 3, retryDelay: 10, expireInSeconds: 15 * 60, handler: tick }];
}
