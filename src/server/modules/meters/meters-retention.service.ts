// Meter retention (docs/decisions/0006-meter-retention.md): each company keeps its readings and
// rollups for `meterRetentionDays` (company setting, default 730). A daily job deletes every
// company's expired rows in bounded batches (short transactions, under the company's RLS), then
// DROPs each monthly partition that lies wholly before the longest retention of all companies, so
// retention always deletes and the disk does not fill even when one company keeps data longer.
import type { Deps } from '../../platform/context.js';
import * as repo from './retention.repo.js';

export const METER_RETENTION_DAYS = 730;
const BATCH = 10_000;
const DAY_MS = 86_400_000;

/** The company's meter retention in days, or the default when unset or not a sensible number. */
export function meterRetentionDays(settings: Record<string, unknown>): number {
  const v = settings.meterRetentionDays;
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 36_500 ? v : METER_RETENTION_DAYS;
}

async function* eachCompany(deps: Deps): AsyncGenerator<{ id: number; settings: Record<string, unknown> }> {
  let after = 0;
  for (;;) {
    const page = await deps.database.system(({ tx }) => repo.companiesPage(tx, after, 200));
    for (const c of page) yield c;
    if (page.length < 200) return;
    after = page[page.length - 1].id;
  }
}

/** Deletes one company's readings and rollups older than `before` (ISO), batch by batch. */
export async function expireCompany(deps: Deps, tenantId: number, before: string): Promise<{ readings: number; rollups: number }> {
  let readings = 0;
  let rollups = 0;
  for (;;) {
    const n = await deps.database.withTenant(tenantId, ({ tx }) => repo.deleteReadingsBefore(tx, tenantId, before, BATCH));
    readings += n;
    if (n < BATCH) break;
  }
  for (const table of repo.ROLLUP_TABLES) {
    for (;;) {
      const n = await deps.database.withTenant(tenantId, ({ tx }) => repo.deleteRollupsBefore(tx, table, tenantId, before, BATCH));
      rollups += n;
      if (n < BATCH) break;
    }
  }
  return { readings, rollups };
}

/** The month a partition named meter_readings_YYYYMM ends (its upper bound), in ms. */
const partitionEnd = (name: string) => {
  const ym = name.slice(-6);
  return Date.UTC(Number(ym.slice(0, 4)), Number(ym.slice(4, 6)), 1);
};

export interface RetentionOutcome {
  readings: number;
  rollups: number;
  dropped: string[];
}

/** The daily run: every company's expired rows, then the partitions no company keeps any more. */
export async function applyMeterRetention(deps: Deps, now = Date.now()): Promise<RetentionOutcome> {
  const out: RetentionOutcome = { readings: 0, rollups: 0, dropped: [] };
  let longest = 0;
  for await (const c of eachCompany(deps)) {
    const days = meterRetentionDays(c.settings);
    longest = Math.max(longest, days);
    const r = await expireCompany(deps, c.id, new Date(now - days * DAY_MS).toISOString());
    out.readings += r.readings;
    out.rollups += r.rollups;
  }
  // No company at all: nothing to keep, but nothing to drop either (keep the default horizon).
  const horizon = now - (longest || METER_RETENTION_DAYS) * DAY_MS;
  const { rows } = await deps.database.query<{ name: string }>(repo.MONTHLY_PARTITIONS_SQL);
  for (const { name } of rows) {
    if (partitionEnd(name) > horizon) continue;
    await deps.database.query(repo.dropPartitionSql(name));
    out.dropped.push(name);
  }
  return out;
}
