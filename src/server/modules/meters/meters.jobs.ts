// Meters' jobs: the monthly reading partitions created three months ahead (idempotent), retention,
// and every minute the reminders of open alerts nobody acknowledged.
import type { Deps } from '../../platform/context.js';
import type { JobDefinition } from '../../platform/jobs.js';
import { remindOpenAlerts } from './alert-reminders.service.js';
import { applyMeterRetention } from './meters-retention.service.js';
import { ensurePartitions } from './meters.service.js';

export function meterJobs(deps: Deps): JobDefinition[] {
  return [
    {
      name: 'meters.partitions',
      cron: '17 3 * * *',
      retryLimit: 3,
      retryDelay: 60,
      expireInSeconds: 15 * 60,
      handler: async () => {
        const created = await ensurePartitions(deps, 3);
        if (created > 0) deps.log.info({ created }, 'meter reading partitions created');
      },
    },
    {
      // Retention (docs/decisions/0006-meter-retention.md): expired rows per company, then whole partitions.
      name: 'meters.retention',
      cron: '47 3 * * *',
      retryLimit: 3,
      retryDelay: 300,
      expireInSeconds: 60 * 60,
      handler: async () => {
        const done = await applyMeterRetention(deps);
        if (done.readings || done.rollups || done.dropped.length) deps.log.info(done, 'meter retention applied');
      },
    },
    {
      name: 'meters.reminders',
      cron: '* * * * *',
      retryLimit: 0,
      expireInSeconds: 5 * 60,
      handler: async () => {
        const reminded = await remindOpenAlerts(deps);
        if (reminded) deps.log.info({ reminded }, 'meter alert reminders sent');
      },
    },
  ];
}
