// The meter ingest statement's parts on PostgreSQL (EXPLAIN ANALYZE's execution time, median of RUNS
// per batch size): the readings insert alone, plus the rollups, plus the meters' last value, plus
// the devices' last seen, the whole statement as it was before the pipelining round ("before"), and
// the statement the ingest runs now (meters.repo.ts storeReadingsStatement, "now"). Run it after
// bench/meters.ts, on the database it filled (1,000 devices with one meter each):
//
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/steward_bench_meters node --import tsx bench/meters-statement.ts
//
//   RUNS=9         runs per variant and size
//   COMMIT=1       commit every run (the steady state: the minute's rollup rows exist, devices were
//                  just seen) instead of rolling back (every rollup row new, every device updated)
//   SIZES=1000,5000,10000  readings per statement
//   ONLY=text      only the variants whose name contains it; PLAN=text prints their last plan
import { PgDialect } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { storeReadingsStatement } from '../src/server/modules/meters/meters.repo.js';

const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/steward_bench_meters';
const pool = new pg.Pool({ connectionString: url, max: 1 });
const RUNS = Number(process.env.RUNS ?? 7);

const ROLL = (cte: string, table: string, unit: string, from = 'ins') => `
  ${cte} as (
    insert into ${table} (tenant_id, meter_id, bucket, min, max, sum, count)
    select $1::bigint, meter_id, date_trunc('${unit}', ts, 'UTC') as b, min(v), max(v), sum(v), count(*)
      from ${from} group by meter_id, b
    on conflict (tenant_id, meter_id, bucket) do update set
      min = least(${table}.min, excluded.min), max = greatest(${table}.max, excluded.max),
      sum = ${table}.sum + excluded.sum, count = ${table}.count + excluded.count
    returning 1)`;
const INS = `ins as (
    insert into meter_readings (tenant_id, meter_id, ts, v)
    select $1, m.id, x.ts, x.v
      from jsonb_to_recordset($2::jsonb) as x(d bigint, k text, ts timestamptz, v double precision)
      join meters m on m.tenant_id = $1 and m.device_id = x.d and m.key = x.k
    on conflict (tenant_id, meter_id, ts) do nothing
    returning meter_id, ts, v)`;
const LATEST = `latest as (
    update meters set last_value = l.v, last_at = l.ts
      from (select distinct on (meter_id) meter_id, ts, v from ins order by meter_id, ts desc) l
     where meters.tenant_id = $1 and meters.id = l.meter_id and (meters.last_at is null or l.ts >= meters.last_at)
    returning 1)`;
const SEEN = `seen as (
    update devices set last_seen_at = greatest(last_seen_at, $4::timestamptz),
           offline_at = greatest(last_seen_at, $4::timestamptz) + make_interval(secs => offline_after_seconds)
     where tenant_id = $1 and id = any($3::bigint[])
    returning 1)`;
const count = (ctes: string[]) => ctes.map((c) => `(select count(*) from ${c})`).join(' + ');

const variants: Record<string, string> = {
  'insert only': `with ${INS} select ${count(['ins'])}`,
  'insert + 1m': `with ${INS}, ${ROLL('r1m', 'meter_rollups_1m', 'minute')} select ${count(['ins', 'r1m'])}`,
  'insert + 1m,1h,1d': `with ${INS}, ${ROLL('r1m', 'meter_rollups_1m', 'minute')}, ${ROLL('r1h', 'meter_rollups_1h', 'hour')}, ${ROLL('r1d', 'meter_rollups_1d', 'day')} select ${count(['ins', 'r1m', 'r1h', 'r1d'])}`,
  'insert + last value': `with ${INS}, ${LATEST} select ${count(['ins', 'latest'])}`,
  'insert + last seen': `with ${INS}, ${SEEN} select ${count(['ins', 'seen'])}`,
  'before (all)': `with ${INS}, ${ROLL('r1m', 'meter_rollups_1m', 'minute')}, ${ROLL('r1h', 'meter_rollups_1h', 'hour')}, ${ROLL('r1d', 'meter_rollups_1d', 'day')}, ${LATEST}, ${SEEN} select ${count(['ins', 'r1m', 'r1h', 'r1d', 'latest', 'seen'])}`,
  'parse only (jsonb_to_recordset)': `select (select count(*) from jsonb_to_recordset($2::jsonb) as x(d bigint, k text, ts timestamptz, v double precision)), $1::bigint`,
  now: '',
};
const dialect = new PgDialect();

async function main() {
  const tenant = Number((await pool.query('select id from companies limit 1')).rows[0].id);
  const devices = (await pool.query('select id from devices order by id')).rows.map((r) => Number(r.id));
  let t0 = Date.parse('2026-03-01T00:00:00Z');
  const only = process.env.ONLY;
  // The variants take turns run by run, so a load spike from other jobs hits all of them alike.
  const names = Object.keys(variants).filter((name) => !only || name.includes(only));
  for (const n of (process.env.SIZES ?? '1000,5000,10000').split(',').map(Number)) {
    const times = new Map<string, number[]>(names.map((name) => [name, []]));
    // The foreign-key triggers' share of it (EXPLAIN ANALYZE's "Trigger for constraint … time="), per variant.
    const triggers = new Map<string, number[]>(names.map((name) => [name, []]));
    const plans = new Map<string, string>();
    for (let r = 0; r < RUNS; r++) {
      for (const name of names) {
        const readings = Array.from({ length: n }, (_, i) => ({
          d: devices[i % devices.length],
          k: 'm',
          ts: new Date((t0 += 1)).toISOString(),
          v: i % 100,
        }));
        const client = await pool.connect();
        try {
          await client.query('begin');
          await client.query(
            `select set_config('app.tenant_id', '${tenant}', true), set_config('role', 'steward_app', true), set_config('join_collapse_limit', '1', true)`,
          );
          const seenAt = new Date().toISOString();
          const q =
            name === 'now'
              ? dialect.sqlToQuery(
                  storeReadingsStatement(
                    tenant,
                    readings.map((x) => ({ deviceId: x.d, key: x.k, ts: x.ts, v: x.v })),
                    devices,
                    seenAt,
                  ),
                )
              : {
                  sql: `${variants[name]}, $3::bigint[] is null, $4::timestamptz is null`,
                  params: [tenant, JSON.stringify(readings), `{${devices.join(',')}}`, seenAt],
                };
          const res = await client.query(`explain (analyze, timing ${process.env.PLAN ? 'on' : 'off'}, format text) ${q.sql}`, q.params);
          const lines = res.rows.map((x) => x['QUERY PLAN'] as string);
          const exec = lines.find((l) => l.startsWith('Execution Time')) ?? '';
          times.get(name)?.push(Number(/([\d.]+) ms/.exec(exec)?.[1]));
          triggers
            .get(name)
            ?.push(lines.filter((l) => l.startsWith('Trigger for constraint')).reduce((a, l) => a + Number(/time=([\d.]+)/.exec(l)?.[1] ?? 0), 0));
          plans.set(name, lines.join('\n'));
        } finally {
          await client.query(process.env.COMMIT === '1' ? 'commit' : 'rollback');
          client.release();
        }
      }
    }
    for (const name of names) {
      const t = (times.get(name) ?? []).sort((a, b) => a - b);
      const fk = (triggers.get(name) ?? []).sort((a, b) => a - b);
      console.log(
        `${n} rows | ${name}: median ${t[Math.floor(t.length / 2)].toFixed(1)} ms (min ${t[0].toFixed(1)}); foreign-key triggers median ${fk[Math.floor(fk.length / 2)].toFixed(1)} ms`,
      );
      if (process.env.PLAN && name.includes(process.env.PLAN)) console.log(plans.get(name));
    }
  }
  await pool.end();
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
