// Devices, meters and readings (Drizzle; the hot ingest statement and the readings queries as SQL).
import { and, asc, count, eq, type SQL, sql } from 'drizzle-orm';
import { afterKey, byKey } from '../../db/keyset.js';
import { assets, devices, meterReadings, meterRollups1d, meterRollups1h, meterRollups1m, meters } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';

export type DeviceRow = typeof devices.$inferSelect;
export type NewDevice = typeof devices.$inferInsert;
export type MeterRow = typeof meters.$inferSelect;
export type NewMeter = typeof meters.$inferInsert;
export interface MeterWithDevice {
  m: MeterRow;
  deviceKey: string;
  deviceName: string;
}

// Devices -----------------------------------------------------------------------------------------

export async function assetExists(tx: Tx, tenantId: number, id: number): Promise<boolean> {
  const [row] = await tx
    .select({ id: assets.id })
    .from(assets)
    .where(and(eq(assets.tenantId, tenantId), eq(assets.id, id)));
  return !!row;
}

export async function insertDevice(tx: Tx, values: NewDevice): Promise<DeviceRow> {
  const [row] = await tx.insert(devices).values(values).returning();
  return row;
}

export async function findDevice(tx: Tx, tenantId: number, id: number): Promise<DeviceRow | null> {
  const [row] = await tx
    .select()
    .from(devices)
    .where(and(eq(devices.tenantId, tenantId), eq(devices.id, id)));
  return row ?? null;
}

export async function meterCounts(tx: Tx, tenantId: number, deviceIds: number[]): Promise<Map<number, number>> {
  if (deviceIds.length === 0) return new Map();
  const rows = await tx
    .select({ deviceId: meters.deviceId, n: count() })
    .from(meters)
    .where(and(eq(meters.tenantId, tenantId), sql`${meters.deviceId} = any(${`{${deviceIds.join(',')}}`}::bigint[])`))
    .groupBy(meters.deviceId);
  return new Map(rows.map((r) => [r.deviceId, Number(r.n)]));
}

export function devicesPage(tx: Tx, tenantId: number, q: string | undefined, after: [string, number] | null, take: number) {
  const where: Array<SQL | undefined> = [eq(devices.tenantId, tenantId)];
  if (q) where.push(sql`strpos(lower(${devices.name}), lower(${q})) > 0`);
  where.push(afterKey(devices.nameKey, devices.id, after));
  return tx
    .select()
    .from(devices)
    .where(and(...where))
    .orderBy(...byKey(devices.nameKey, devices.id))
    .limit(take);
}

export async function updateDevice(tx: Tx, tenantId: number, id: number, set: Partial<NewDevice>): Promise<DeviceRow | null> {
  const [row] = await tx
    .update(devices)
    .set({
      ...set,
      // A new offline time moves the offline sweep's key with it.
      ...(set.offlineAfterSeconds !== undefined
        ? { offlineAt: sql`last_seen_at + make_interval(secs => ${set.offlineAfterSeconds})` }
        : {}),
      updatedAt: sql`now()`,
    })
    .where(and(eq(devices.tenantId, tenantId), eq(devices.id, id)))
    .returning();
  return row ?? null;
}

export async function deleteDevice(tx: Tx, tenantId: number, id: number): Promise<boolean> {
  // Its meters first (locked by the delete, so a batch being stored finishes or skips them), then
  // their readings and rollups: those tables have no foreign key to cascade (see the schema).
  const gone = await tx
    .delete(meters)
    .where(and(eq(meters.tenantId, tenantId), eq(meters.deviceId, id)))
    .returning({ id: meters.id });
  await deleteReadingsOf(tx, tenantId, gone.map((m) => m.id));
  const rows = await tx
    .delete(devices)
    .where(and(eq(devices.tenantId, tenantId), eq(devices.id, id)))
    .returning({ id: devices.id });
  return rows.length > 0;
}

/** The broker's login lookup (owner scope: the company is not known yet). */
export async function deviceByKey(tx: Tx, deviceKey: string): Promise<DeviceRow | null> {
  const [row] = await tx.select().from(devices).where(eq(devices.deviceKey, deviceKey));
  return row ?? null;
}

/** The external broker's lookup of many keys at once (owner scope): each found device's company and id. */
export function devicesByKeys(tx: Tx, deviceKeys: string[]) {
  if (deviceKeys.length === 0) return Promise.resolve([]);
  return tx
    .select({ deviceKey: devices.deviceKey, tenantId: devices.tenantId, id: devices.id })
    .from(devices)
    .where(sql`${devices.deviceKey} = any(${textArray(deviceKeys)}::text[])`);
}

// Meters ------------------------------------------------------------------------------------------

function selectMeters(tx: Tx) {
  return tx
    .select({ m: meters, deviceKey: devices.deviceKey, deviceName: devices.name })
    .from(meters)
    .innerJoin(devices, and(eq(devices.tenantId, meters.tenantId), eq(devices.id, meters.deviceId)));
}

export async function findMeter(tx: Tx, tenantId: number, id: number): Promise<MeterWithDevice | null> {
  const [row] = await selectMeters(tx).where(and(eq(meters.tenantId, tenantId), eq(meters.id, id)));
  return row ?? null;
}

export function metersPage(
  tx: Tx,
  tenantId: number,
  filter: { deviceId?: number; assetId?: number },
  afterId: number | null,
  take: number,
): Promise<MeterWithDevice[]> {
  return selectMeters(tx)
    .where(
      and(
        eq(meters.tenantId, tenantId),
        filter.deviceId ? eq(meters.deviceId, filter.deviceId) : undefined,
        filter.assetId ? eq(meters.assetId, filter.assetId) : undefined,
        afterId ? sql`${meters.id} > ${afterId}` : undefined,
      ),
    )
    .orderBy(asc(meters.id))
    .limit(take);
}

export async function insertMeter(tx: Tx, values: NewMeter): Promise<MeterRow> {
  const [row] = await tx.insert(meters).values(values).returning();
  return row;
}

export async function updateMeter(tx: Tx, tenantId: number, id: number, set: Partial<NewMeter>): Promise<MeterRow | null> {
  const [row] = await tx
    .update(meters)
    .set({ ...set, updatedAt: sql`now()` })
    .where(and(eq(meters.tenantId, tenantId), eq(meters.id, id)))
    .returning();
  return row ?? null;
}

export async function deleteMeter(tx: Tx, tenantId: number, id: number): Promise<boolean> {
  const rows = await tx
    .delete(meters)
    .where(and(eq(meters.tenantId, tenantId), eq(meters.id, id)))
    .returning({ id: meters.id });
  await deleteReadingsOf(tx, tenantId, rows.map((m) => m.id));
  return rows.length > 0;
}

/**
 * The readings and rollups of deleted meters. After the meters' delete (which waits for a batch holding
 * them FOR KEY SHARE, and makes a later batch skip them), so no row of theirs is left or comes after.
 */
async function deleteReadingsOf(tx: Tx, tenantId: number, meterIds: number[]): Promise<void> {
  if (meterIds.length === 0) return;
  const ids = `{${meterIds.join(',')}}`;
  for (const table of [meterReadings, meterRollups1m, meterRollups1h, meterRollups1d]) {
    await tx.delete(table).where(and(eq(table.tenantId, tenantId), sql`${table.meterId} = any(${ids}::bigint[])`));
  }
}

/** A company's meters by (device key, meter key), for routing a batch of readings. */
export async function metersByTopic(tx: Tx, tenantId: number, deviceIds: number[]) {
  if (deviceIds.length === 0) return [];
  return tx
    .select({ id: meters.id, deviceId: meters.deviceId, key: meters.key })
    .from(meters)
    .where(and(eq(meters.tenantId, tenantId), sql`${meters.deviceId} = any(${`{${deviceIds.join(',')}}`}::bigint[])`));
}

// Readings ----------------------------------------------------------------------------------------

const UTC_ISO = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;

/** Raw readings in [from, to), oldest first, after the cursor's ts. */
export async function rawReadings(tx: Tx, tenantId: number, meterId: number, from: string, to: string, after: string | null, take: number) {
  const rows = await tx.execute<{ ts: string; v: number }>(sql`
    select to_char(ts at time zone 'UTC', ${sql.raw(UTC_ISO)}) as ts, v
      from ${meterReadings}
     where tenant_id = ${tenantId} and meter_id = ${meterId}
       and ts >= ${from}::timestamptz and ts < ${to}::timestamptz
       ${after ? sql`and ts > ${after}::timestamptz` : sql``}
     order by ts
     limit ${take}`);
  return (rows as unknown as { rows: Array<{ ts: string; v: number }> }).rows.map((r) => ({ ts: r.ts, v: Number(r.v) }));
}

const ROLLUP_TABLE = { '1m': 'meter_rollups_1m', '1h': 'meter_rollups_1h', '1d': 'meter_rollups_1d' } as const;

/** Rollup buckets whose start is in [from, to), oldest first. */
export async function bucketReadings(
  tx: Tx,
  tenantId: number,
  meterId: number,
  bucket: '1m' | '1h' | '1d',
  from: string,
  to: string,
  take: number,
) {
  const table = sql.raw(ROLLUP_TABLE[bucket]);
  const rows = await tx.execute(sql`
    select to_char(bucket at time zone 'UTC', ${sql.raw(UTC_ISO)}) as ts, min, max, sum / count as avg, count
      from ${table}
     where tenant_id = ${tenantId} and meter_id = ${meterId}
       and bucket >= date_trunc(${bucket === '1m' ? 'minute' : bucket === '1h' ? 'hour' : 'day'}, ${from}::timestamptz, 'UTC')
       and bucket < ${to}::timestamptz
     order by bucket
     limit ${take}`);
  return (rows as unknown as { rows: Array<Record<string, unknown>> }).rows.map((r) => ({
    ts: String(r.ts),
    min: Number(r.min),
    max: Number(r.max),
    avg: Number(r.avg),
    count: Number(r.count),
  }));
}

export interface ReadingIn {
  deviceId: number;
  /** The meter's key (the topic's last level); readings of unknown meters are not stored. */
  key: string;
  /** ISO time, to the microsecond. */
  ts: string;
  v: number;
}

/** A PostgreSQL array literal of strings (each quoted, `"` and `\\` escaped). */
const textArray = (values: string[]) => `{${values.map((v) => `"${v.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;

/**
 * A device's last-seen time (and offline time) is written at most once per 1 % of its
 * offlineAfterSeconds, and at most once a second: a device publishing several readings a second
 * would otherwise rewrite its row (and all four of its indexes: offline_at is indexed, no HOT
 * update) in every batch, the costliest part of the statement. Its offline alert can therefore come
 * up to that much (≤ 1 s, ≤ 1 %) before offlineAfterSeconds of silence after its very last reading.
 */
const LAST_SEEN_RESOLUTION = sql.raw(`least(interval '1 second', make_interval(secs => offline_after_seconds / 100.0))`);

/**
 * One batch of one company, in one statement: the readings of its known meters (a duplicate
 * (meter, ts) is skipped), the minute/hour/day rollups of the readings actually stored (one
 * aggregation per meter and minute; the hour and day rollups add up the minutes), the meters'
 * last value and the devices' last-seen time (skipped for a device seen less than
 * LAST_SEEN_RESOLUTION ago). Answers how many readings were stored.
 *
 * Two batches may run at once (the ingest pipelines them on two connections), so every part takes
 * its row locks in one fixed order: the tables in the order of the CTEs (PostgreSQL runs them as the
 * final select reads them), and within a table by meter id (then ts / bucket) or device id. The
 * meters and devices are locked by an ordered `for no key update` (the lock the update takes, which
 * the readings' and rollups' foreign key checks do not wait for) before they are updated, since an
 * update's join would lock them in whatever order its plan visits them. A batch that reaches a row
 * the other one holds waits for its commit; neither can hold a row the other is waiting behind.
 */
export function storeReadingsStatement(tenantId: number, readings: ReadingIn[], deviceIds: number[], seenAt: string): SQL {
  const d = `{${readings.map((r) => r.deviceId).join(',')}}`;
  const k = textArray(readings.map((r) => r.key));
  const ts = textArray(readings.map((r) => r.ts));
  const v = `{${readings.map((r) => r.v).join(',')}}`;
  const upsert = (table: string) =>
    sql.raw(`on conflict (tenant_id, meter_id, bucket) do update set
        min = least(${table}.min, excluded.min), max = greatest(${table}.max, excluded.max),
        sum = ${table}.sum + excluded.sum, count = ${table}.count + excluded.count`);
  const coarser = (table: string, unit: string) => sql`
      insert into ${sql.raw(table)} (tenant_id, meter_id, bucket, min, max, sum, count)
      select ${tenantId}::bigint, meter_id, date_trunc('${sql.raw(unit)}', b, 'UTC') as b2, min(mn), max(mx), sum(s), sum(c)
        from agg group by meter_id, b2 order by meter_id, b2
      ${upsert(table)}
      returning 1`;
  return sql`
    with ins as (
      insert into meter_readings (tenant_id, meter_id, ts, v)
      select ${tenantId}, m.id, x.ts, x.v
        from unnest(${d}::bigint[], ${k}::text[], ${ts}::timestamptz[], ${v}::float8[]) as x(d, k, ts, v)
        join (select id, device_id, key from meters
               where tenant_id = ${tenantId} and device_id = any(${`{${deviceIds.join(',')}}`}::bigint[])
               order by id
                 for key share) m on m.device_id = x.d and m.key = x.k
       order by m.id, x.ts
      on conflict (tenant_id, meter_id, ts) do nothing
      returning meter_id, ts, v),
    agg as (
      select meter_id, date_trunc('minute', ts, 'UTC') as b, min(v) as mn, max(v) as mx, sum(v) as s, count(*)::int as c
        from ins group by meter_id, b),
    r1m as (
      insert into meter_rollups_1m (tenant_id, meter_id, bucket, min, max, sum, count)
      select ${tenantId}::bigint, meter_id, b, mn, mx, s, c from agg order by meter_id, b
      ${upsert('meter_rollups_1m')}
      returning 1),
    r1h as (${coarser('meter_rollups_1h', 'hour')}),
    r1d as (${coarser('meter_rollups_1d', 'day')}),
    lm as (
      select m.id, l.ts, l.v
        from (select distinct on (meter_id) meter_id, ts, v from ins order by meter_id, ts desc) l
        join meters m on m.tenant_id = ${tenantId} and m.id = l.meter_id
       where m.last_at is null or l.ts >= m.last_at
       order by m.id
         for no key update of m),
    latest as (
      update meters set last_value = lm.v, last_at = lm.ts
        from lm
       where meters.tenant_id = ${tenantId} and meters.id = lm.id
      returning 1),
    ld as (
      select id from devices
       where tenant_id = ${tenantId} and id = any(${`{${deviceIds.join(',')}}`}::bigint[])
         and (last_seen_at is null or last_seen_at <= ${seenAt}::timestamptz - ${LAST_SEEN_RESOLUTION})
       order by id
         for no key update),
    seen as (
      update devices set last_seen_at = greatest(last_seen_at, ${seenAt}::timestamptz),
             offline_at = greatest(last_seen_at, ${seenAt}::timestamptz) + make_interval(secs => offline_after_seconds)
        from ld
       where devices.tenant_id = ${tenantId} and devices.id = ld.id
      returning 1)
    select (select count(*) from ins)::int as stored,
           (select count(*) from r1m) + (select count(*) from r1h) + (select count(*) from r1d)
             + (select count(*) from latest) + (select count(*) from seen) as touched`;
}

export async function storeReadings(tx: Tx, tenantId: number, readings: ReadingIn[], deviceIds: number[], seenAt: string): Promise<number> {
  const result = await tx.execute(storeReadingsStatement(tenantId, readings, deviceIds, seenAt));
  const rows = (result as unknown as { rows: Array<{ stored: number }> }).rows;
  return Number(rows[0]?.stored ?? 0);
}

/** Creates the monthly partitions up to `monthsAhead` ahead (owner connection); answers how many were new. */
export const ENSURE_PARTITIONS_SQL = 'select steward_ensure_reading_partitions($1) as created';

// Live --------------------------------------------------------------------------------------------

/** The MQTT topics of these meters of the company (ids of another company are not found). */
export async function meterTopics(tx: Tx, tenantId: number, ids: number[]): Promise<Array<{ id: number; topic: string }>> {
  if (ids.length === 0) return [];
  const rows = await tx
    .select({ id: meters.id, key: meters.key, deviceKey: devices.deviceKey })
    .from(meters)
    .innerJoin(devices, and(eq(devices.tenantId, meters.tenantId), eq(devices.id, meters.deviceId)))
    .where(and(eq(meters.tenantId, tenantId), sql`${meters.id} = any(${`{${ids.join(',')}}`}::bigint[])`));
  return rows.map((r) => ({ id: r.id, topic: `steward/${r.deviceKey}/${r.key}` }));
}
