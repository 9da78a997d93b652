// PostgreSQL CPU per reading of the ingest statement (meters.repo.ts storeReadingsStatement) by
// statement size: 60,000 new readings of the 1,000 devices bench/meters.ts created, stored in statements
// of 5,000, 10,000 and 20,000 (one transaction each, committed), three rounds; the backend's CPU time
// is read from /proc (Linux, the database on this machine). Every statement touches each of the
// 1,000 meters' minute/hour/day rollup rows and its last value once, whatever its size, so those
// writes are spread over more readings in a larger statement. Run it after bench/meters.ts:
//
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/steward_bench_meters node --import tsx bench/meters-statement-size.ts
import { readFileSync } from 'node:fs';
import { PgDialect } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { storeReadingsStatement } from '../src/server/modules/meters/meters.repo.js';

const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/steward_bench_meters';
const TOTAL = 60_000;

async function main() {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  const devices = (await pool.query('select id, tenant_id from devices order by id')).rows as Array<{ id: string; tenant_id: string }>;
  if (devices.length === 0) throw new Error('no devices: run bench/meters.ts first');
  const tenant = Number(devices[0].tenant_id);
  const dialect = new PgDialect();
  const c = await pool.connect();
  const pid = Number((await c.query('select pg_backend_pid() as p')).rows[0].p);
  const cpuMicros = () => {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10_000;
  };
  // After every reading stored so far (a duplicate would be skipped, and skip the rollups with it).
  const last = (await c.query(`select coalesce(max(ts), '2026-04-01') as ts from meter_readings`)).rows[0].ts as Date | string;
  let t = new Date(last).getTime() + 1000;
  for (let round = 1; round <= 3; round++)
    for (const n of [5000, 10_000, 20_000]) {
      const cpu = cpuMicros();
      const started = performance.now();
      for (let done = 0; done < TOTAL; done += n) {
        const readings = Array.from({ length: n }, (_, i) => ({
          deviceId: Number(devices[i % devices.length].id),
          key: 'm',
          ts: new Date((t += 1)).toISOString(),
          v: i,
        }));
        const deviceIds = [...new Set(readings.map((r) => r.deviceId))];
        const q = dialect.sqlToQuery(storeReadingsStatement(tenant, readings, deviceIds, new Date().toISOString()));
        await c.query('begin');
        await c.query(q.sql, q.params);
        await c.query('commit');
      }
      const wall = ((performance.now() - started) * 1000) / TOTAL;
      console.log(`round ${round}, ${n} per statement: PostgreSQL CPU ${((cpuMicros() - cpu) / TOTAL).toFixed(1)} µs per reading, ${wall.toFixed(1)} µs wall`);
    }
  c.release();
  await pool.end();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
