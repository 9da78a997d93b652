// Report schedules' durable job: a pg-boss cron every minute runs a pass (idempotent by the run key
// schedule + occurrence); after a pass the worker asks pg-boss to wake it at the next schedule's
// instant when that is within the minute, so a report goes out within a poll interval of its time.
import type { Deps } from '../../platform/context.js';
import type { JobDefinition } from '../../platform/jobs.js';
import * as repo from './schedules.repo.js';
import { runReportSchedules } from './schedules.runner.js';

export const REPORTS_QUEUE = 'reports.schedules';

export function reportJobs(deps: Deps): JobDefinition[] {
  const tick = async () => {
    const now = new Date();
    const result = await runReportSchedules(deps, now);
    if (result.runs + result.failed + result.errors > 0) deps.log.info(result, 'scheduled reports ran');
    const next = await deps.database.system(({ tx }) => repo.earliestRun(tx, now));
    if (next && next.getTime() - now.getTime() < 60_000) {
      await deps.jobs
        .send(REPORTS_QUEUE, {}, { startAfter: next, singletonKey: `${REPORTS_QUEUE}:${next.toISOString()}` })
        .catch((err) => deps.log.warn({ err }, 'could not schedule the report wake-up'));
    }
  };
  return [{ name: REPORTS_QUEUE, cron: '* * * * *', retryLimit: 3, retryDelay: 10, expireInSeconds: 15 * 60, handler: tick }];
}
