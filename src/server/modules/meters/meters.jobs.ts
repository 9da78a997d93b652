// Meters' daily job: the monthly reading partitions are created three months ahead (idempotent).
import type { Deps } from '../../platform/context.js';
import type { JobDefinition } from '../../platform/jobs.js';
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
  ];
}
