// `steward cleanup-logs [--dry-run]`: purges expired audit entries, notifications, delivered outbox
// mail and webhook deliveries of every company by its retention settings (sensitive entries first
// and sooner), as the daily `retention.purge` job does. --dry-run only counts.
import type { Deps } from '../platform/context.js';
import { type PurgeReport, purgeAll } from '../modules/retention/retention.service.js';

const LABELS: Record<string, string> = {
  auditSensitive: 'sensitive audit entries',
  mailSensitive: 'sensitive outbox mail',
  audit: 'audit entries',
  notifications: 'notifications',
  mail: 'delivered outbox mail',
  webhookDeliveries: 'webhook deliveries',
};

/** Runs the purge and returns the lines to print. */
export async function cleanupLogs(deps: Deps, opts: { dryRun?: boolean } = {}): Promise<{ report: PurgeReport; lines: string[] }> {
  const report = await purgeAll(deps, { dryRun: opts.dryRun });
  const verb = opts.dryRun ? 'would purge' : 'purged';
  const sums: Record<string, number> = {};
  for (const c of report.companies) for (const [k, n] of Object.entries(c.counts)) sums[k] = (sums[k] ?? 0) + n;
  const lines = [
    ...Object.entries(LABELS).map(([k, label]) => `steward: ${verb} ${sums[k] ?? 0} ${label}`),
    `steward: ${verb} ${report.instanceAudit} instance audit entries`,
    `steward: ${verb} ${report.total} rows in all, across ${report.companies.length} companies`,
  ];
  return { report, lines };
}
