// The SQL of meter retention (docs/decisions/0006-meter-retention.md): a company's expired readings
// and rollups deleted in bounded batches, and the monthly partitions every company's retention has
// passed dropped whole.
import { asc, gt, sql } from 'drizzle-orm';
import { companies } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';

/** A page of companies with their settings, by id (an owner read: the list of companies is not tenant data). */
export function companiesPage(tx: Tx, after: number, limit: number) {
  return tx
    .select({ id: companies.id, settings: companies.settings })
    .from(companies)
    .where(gt(companies.id, after))
    .orderBy(asc(companies.id))
    .limit(limit);
}

const rows = (r: unknown) => (r as { rows: Array<Record<string, unknown>> }).rows;

/** Deletes up to `batch` of the company's raw readings older than `before`; answers how many. */
export async function deleteReadingsBefore(tx: Tx, tenantId: number, before: string, batch: number): Promise<number> {
  const r = await tx.execute(sql`
    with gone as (
      delete from meter_readings
       where tenant_id = ${tenantId} and ts < ${before}::timestamptz
         and (meter_id, ts) in (
           select meter_id, ts from meter_readings
            where tenant_id = ${tenantId} and ts < ${before}::timestamptz
            limit ${batch})
      returning 1)
    select count(*)::int as n from gone`);
  return Number(rows(r)[0]?.n ?? 0);
}

const ROLLUPS = ['meter_rollups_1m', 'meter_rollups_1h', 'meter_rollups_1d'] as const;
export type RollupTable = (typeof ROLLUPS)[number];
export const ROLLUP_TABLES: readonly RollupTable[] = ROLLUPS;

/** Deletes up to `batch` of the company's rollup buckets that start before `before`; answers how many. */
export async function deleteRollupsBefore(tx: Tx, table: RollupTable, tenantId: number, before: string, batch: number): Promise<number> {
  if (!ROLLUPS.includes(table)) throw new Error('not a rollup table');
  const t = sql.raw(table);
  const r = await tx.execute(sql`
    with gone as (
      delete from ${t}
       where tenant_id = ${tenantId} and bucket < ${before}::timestamptz
         and (meter_id, bucket) in (
           select meter_id, bucket from ${t}
            where tenant_id = ${tenantId} and bucket < ${before}::timestamptz
            limit ${batch})
      returning 1)
    select count(*)::int as n from gone`);
  return Number(rows(r)[0]?.n ?? 0);
}

/** The monthly partitions of meter_readings (named meter_readings_YYYYMM), oldest first. */
export const MONTHLY_PARTITIONS_SQL = `
  select c.relname as name
    from pg_inherits i
    join pg_class c on c.oid = i.inhrelid
    join pg_class p on p.oid = i.inhparent
   where p.relname = 'meter_readings' and c.relname ~ '^meter_readings_[0-9]{6}$'
   order by c.relname`;

/** DROP of one monthly partition (the name is checked against ^meter_readings_[0-9]{6}$ first). */
export function dropPartitionSql(name: string): string {
  if (!/^meter_readings_\d{6}$/.test(name)) throw new Error('not a monthly reading partition');
  return `drop table if exists "${name}"`;
}
