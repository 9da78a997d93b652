// Log retention (SPEC §16, issue 17 item 6): per company, expired audit entries, notifications,
// delivered outbox mail and webhook deliveries are purged by the company's retention settings, the
// sensitive ones (reset and invitation links in the outbox, the audit entries of their requests)
// first and sooner. Bounded batches, one transaction each; nothing else is touched. Run daily by
// the `retention.purge` job and on demand by `steward cleanup-logs [--dry-run]`.
import { writeAudit } from '../../platform/audit.js';
import type { Deps } from '../../platform/context.js';
import type { JobDefinition } from '../../platform/jobs.js';
import * as repo from './retention.repo.js';

export type { RetentionKind } from './retention.repo.js';

/** The settings keys (companies.settings) and their defaults, in days. */
export const RETENTION_DEFAULTS = {
  auditRetentionDays: 365,
  notificationRetentionDays: 90,
  mailRetentionDays: 30,
  webhookRetentionDays: 30,
  sensitiveRetentionDays: 7,
} as const;
export type RetentionSettings = { -readonly [K in keyof typeof RETENTION_DEFAULTS]: number };
export const RETENTION_KEYS = Object.keys(RETENTION_DEFAULTS) as Array<keyof RetentionSettings>;

/** Outbox templates carrying a link that signs someone in or resets a password. */
export const SENSITIVE_MAIL_TEMPLATES = ['invitation', 'password_reset'] as const;
/** Audit entries of those links' requests. */
export const SENSITIVE_AUDIT_ACTIONS = ['auth.password_reset_requested', 'user.invitation_resent'] as const;
const SENSITIVE = { auditActions: SENSITIVE_AUDIT_ACTIONS, mailTemplates: SENSITIVE_MAIL_TEMPLATES };

export const PURGE_BATCH = 5000;

/** A company's retention periods: its settings where they are sensible numbers, else the defaults. */
export function retentionOf(settings: Record<string, unknown>): RetentionSettings {
  const out = { ...RETENTION_DEFAULTS } as RetentionSettings;
  for (const key of RETENTION_KEYS) {
    const v = settings[key];
    if (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 36_500) out[key] = v;
  }
  // Sensitive entries never outlive the ordinary ones of their kind.
  out.sensitiveRetentionDays = Math.min(out.sensitiveRetentionDays, out.auditRetentionDays, out.mailRetentionDays);
  return out;
}

/** The order of a purge (sensitive first) and each kind's period. */
function plan(r: RetentionSettings): Array<[repo.RetentionKind, number]> {
  return [
    ['auditSensitive', r.sensitiveRetentionDays],
    ['mailSensitive', r.sensitiveRetentionDays],
    ['audit', r.auditRetentionDays],
    ['notifications', r.notificationRetentionDays],
    ['mail', r.mailRetentionDays],
    ['webhookDeliveries', r.webhookRetentionDays],
  ];
}

export type PurgeCounts = Record<repo.RetentionKind, number>;
const zero = (): PurgeCounts => ({ auditSensitive: 0, mailSensitive: 0, audit: 0, notifications: 0, mail: 0, webhookDeliveries: 0 });

/** Purges (or, dry, counts) one company's expired logs; batch by batch, one transaction each. */
export async function purgeCompany(
  deps: Deps,
  tenantId: number,
  r: RetentionSettings,
  opts: { dryRun?: boolean; batch?: number } = {},
): Promise<PurgeCounts> {
  const counts = zero();
  const batch = opts.batch ?? PURGE_BATCH;
  for (const [kind, days] of plan(r)) {
    if (opts.dryRun) {
      counts[kind] = await deps.database.withTenant(tenantId, ({ tx }) => repo.countExpired(tx, tenantId, kind, days, SENSITIVE));
      continue;
    }
    for (;;) {
      const n = await deps.database.withTenant(tenantId, ({ tx }) => repo.purgeBatch(tx, tenantId, kind, days, batch, SENSITIVE));
      counts[kind] += n;
      if (n < batch) break;
    }
  }
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  if (!opts.dryRun && total > 0) {
    await deps.database.withTenant(tenantId, (scope) =>
      writeAudit(scope, null, null, {
        action: 'retention.purged',
        tenantId,
        targetType: 'company',
        targetId: tenantId,
        details: { ...counts, periods: r },
      }),
    );
  }
  return counts;
}

/** Instance-level audit entries (no company): the default periods. */
async function purgeInstance(deps: Deps, opts: { dryRun?: boolean; batch?: number }): Promise<number> {
  const batch = opts.batch ?? PURGE_BATCH;
  let total = 0;
  for (const [kind, days] of [
    ['auditSensitive', RETENTION_DEFAULTS.sensitiveRetentionDays],
    ['audit', RETENTION_DEFAULTS.auditRetentionDays],
  ] as const) {
    if (opts.dryRun) {
      total += await deps.database.system(({ tx }) => repo.countExpired(tx, null, kind, days, SENSITIVE));
      continue;
    }
    for (;;) {
      const n = await deps.database.system(({ tx }) => repo.purgeBatch(tx, null, kind, days, batch, SENSITIVE));
      total += n;
      if (n < batch) break;
    }
  }
  return total;
}

export interface PurgeReport {
  companies: Array<{ id: number; counts: PurgeCounts }>;
  instanceAudit: number;
  total: number;
}

/** Every company by its own settings, then the instance's own audit entries. */
export async function purgeAll(deps: Deps, opts: { dryRun?: boolean; batch?: number } = {}): Promise<PurgeReport> {
  const report: PurgeReport = { companies: [], instanceAudit: 0, total: 0 };
  let after = 0;
  for (;;) {
    const page = await deps.database.system(({ tx }) => repo.companiesPage(tx, after, 200));
    for (const c of page) {
      const counts = await purgeCompany(deps, c.id, retentionOf(c.settings ?? {}), opts);
      report.companies.push({ id: c.id, counts });
      report.total += Object.values(counts).reduce((a, b) => a + b, 0);
    }
    if (page.length < 200) break;
    after = page[page.length - 1].id;
  }
  report.instanceAudit = await purgeInstance(deps, opts);
  report.total += report.instanceAudit;
  return report;
}

export function retentionJobs(deps: Deps): JobDefinition[] {
  return [
    {
      name: 'retention.purge',
      cron: '41 3 * * *',
      retryLimit: 2,
      retryDelay: 600,
      expireInSeconds: 60 * 60,
      handler: async () => {
        const report = await purgeAll(deps);
        if (report.total > 0) deps.log.info({ purged: report.total }, 'expired logs purged');
      },
    },
  ];
}
