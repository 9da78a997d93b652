// Daily ticket housekeeping, company by company inside withTenant, in batches:
// - archive: closed tickets older than companies.settings.archiveAfterDays (default 90) get
//   archived_at (they stay searchable with ?archived=true; reopening clears it);
// - retention: rejected tickets older than companies.settings.rejectedRetentionDays (default 30)
//   are purged with their stored files (rows cascade), never sooner.
import { writeAudit } from '../../platform/audit.js';
import type { Deps } from '../../platform/context.js';
import type { JobDefinition } from '../../platform/jobs.js';
import * as repo from './housekeeping.repo.js';

export const ARCHIVE_AFTER_DAYS = 90;
export const REJECTED_RETENTION_DAYS = 30;
const BATCH = 500;

/** A company's setting in days, or the default when unset or not a sensible number. */
export function daysSetting(
  settings: Record<string, unknown>,
  key: 'archiveAfterDays' | 'rejectedRetentionDays',
  fallback: number,
): number {
  const v = settings[key];
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 36_500 ? v : fallback;
}

/** Every company, in pages, with its settings (an owner read: the list of companies is not tenant data). */
async function* eachCompany(deps: Deps): AsyncGenerator<{ id: number; settings: Record<string, unknown> }> {
  let after = 0;
  for (;;) {
    const page = await deps.database.system(({ tx }) => repo.companiesPage(tx, after, 200));
    for (const c of page) yield c;
    if (page.length < 200) return;
    after = page[page.length - 1].id;
  }
}

/** Archives one company's old closed tickets, one batch per transaction; returns how many. */
export async function archiveCompany(deps: Deps, tenantId: number, days: number): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await deps.database.withTenant(tenantId, ({ tx }) => repo.archiveBatch(tx, tenantId, days, BATCH));
    total += n;
    if (n < BATCH) return total;
  }
}

/** Purges one company's old rejected tickets and their files; returns how many tickets. */
export async function purgeRejectedCompany(deps: Deps, tenantId: number, days: number): Promise<number> {
  let total = 0;
  for (;;) {
    const { numbers, keys } = await deps.database.withTenant(tenantId, async (scope) => {
      const due = await repo.rejectedDue(scope.tx, tenantId, days, BATCH);
      if (due.length === 0) return { numbers: [], keys: [] };
      // Files on the tickets and on their comments; the rows go with the tickets (cascade).
      const keys = await repo.deleteTicketsWithFiles(
        scope.tx,
        tenantId,
        due.map((d) => d.id),
      );
      await writeAudit(scope, null, null, {
        action: 'tickets.purged',
        tenantId,
        targetType: 'ticket',
        details: { reason: 'rejected_retention', retentionDays: days, numbers: due.map((d) => d.number), files: keys.length },
        as: { name: 'Steward' },
      });
      return { numbers: due.map((d) => d.number), keys };
    });
    // Files go once their rows are gone for good; a failed removal leaves an orphan file, never a dangling row.
    for (const key of keys) {
      await deps.storage.remove(key).catch((err) => deps.log.warn({ err, key, tenantId }, 'could not remove a purged attachment file'));
    }
    total += numbers.length;
    if (numbers.length < BATCH) return total;
  }
}

export async function archiveClosedTickets(deps: Deps): Promise<number> {
  let total = 0;
  for await (const c of eachCompany(deps))
    total += await archiveCompany(deps, c.id, daysSetting(c.settings, 'archiveAfterDays', ARCHIVE_AFTER_DAYS));
  return total;
}

export async function purgeRejectedTickets(deps: Deps): Promise<number> {
  let total = 0;
  for await (const c of eachCompany(deps)) {
    total += await purgeRejectedCompany(deps, c.id, daysSetting(c.settings, 'rejectedRetentionDays', REJECTED_RETENTION_DAYS));
  }
  return total;
}

export function ticketJobs(deps: Deps): JobDefinition[] {
  return [
    {
      name: 'tickets.archive-closed',
      cron: '23 2 * * *',
      retryLimit: 3,
      expireInSeconds: 60 * 60,
      handler: async () => {
        const archived = await archiveClosedTickets(deps);
        deps.log.info({ archived }, 'old closed tickets archived');
      },
    },
    {
      name: 'tickets.purge-rejected',
      cron: '41 2 * * *',
      retryLimit: 3,
      expireInSeconds: 60 * 60,
      handler: async () => {
        const purged = await purgeRejectedTickets(deps);
        deps.log.info({ purged }, 'rejected tickets past retention purged');
      },
    },
  ];
}
