// Maintenance plans' durable job: a pg-boss cron every minute opens the work orders due to open
// (idempotent by the run key plan + due date). Due days start at midnight in the company's zone.
import type { Deps } from '../../platform/context.js';
import type { JobDefinition } from '../../platform/jobs.js';
import { runMaintenancePlans } from './maintenance.scheduler.js';

export function maintenancePlanJobs(deps: Deps): JobDefinition[] {
  return [
    {
      name: 'maintenance.plans',
      cron: '* * * * *',
      retryLimit: 3,
      retryDelay: 10,
      expireInSeconds: 15 * 60,
      handler: async () => {
        const result = await runMaintenancePlans(deps);
        if (result.workOrders + result.failed > 0) deps.log.info(result, 'maintenance work orders opened');
      },
    },
  ];
}
