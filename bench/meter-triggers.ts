// What the meter triggers cost on PostgreSQL, beside the raw limit of the same run (the ingest's
// batch statement alone): the after-commit hook per 1,000-reading batch with nothing configured and
// with a threshold on every meter, and the sweep (offline alerts) over many devices, idle and with
// every device due.
//
//   node --import tsx bench/meter-triggers.ts
//
// Environment (all optional):
//   BENCH_DATABASE_URL  database to DROP and recreate (loopback only; default postgres://postgres@127.0.0.1:5432/steward_bench_triggers)
//   BENCH_DEVICES       devices, one meter each (default 1000)
//   BENCH_BATCHES       1,000-reading batches per measurement (default 30)
import pg from 'pg';
import { testConfig } from '../src/server/config.js';
import { storeBatch } from '../src/server/modules/meters/meters.service.js';
import { afterReadings, sweepMeters } from '../src/server/modules/meters/triggers.js';
import { sha256 } from '../src/server/platform/crypto.js';
import { openDatabase } from '../src/server/platform/db.js';
import { createLogger } from '../src/server/platform/logger.js';
import { createDeps } from '../src/server/runtime.js';
import { insertCompanies, intEnv, recreateWithMigrations } from './load.js';

const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/steward_bench_triggers';
const DEVICES = intEnv('BENCH_DEVICES', 1000, 1, 100_000);
const BATCHES = intEnv('BENCH_BATCHES', 30, 1, 100_000);

async function main() {
  await recreateWithMigrations(url);
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const q = (text: string, values?: unknown[]) => pool.query(text, values);
  await insertCompanies(q, 1);
  const tenant = Number((await q('select id from companies limit 1')).rows[0].id);
  await q(
    `insert into devices (tenant_id, name, device_key, secret_hash, offline_after_seconds)
     select $1, 'Device ' || g, 'dev_bench' || g, $2, 3600 from generate_series(1, $3::int) g`,
    [tenant, sha256('bench-secret'), DEVICES],
  );
  await q(`insert into meters (tenant_id, device_id, key, name) select tenant_id, id, 'm', 'Meter' from devices`);
  const ids = (await q('select id from devices order by id')).rows.map((r) => Number(r.id));
  const database = await openDatabase({ databaseUrl: url, dataDir: '/tmp/steward-bench-triggers', poolSize: 10 });
  const deps = await createDeps(testConfig({ databaseUrl: url }), { database, log: createLogger('silent') });
  let t0 = Date.now() - 86_400_000;
  const batch = () =>
    Array.from({ length: 1000 }, (_, k) => ({ deviceId: ids[k % ids.length], key: 'm', ts: new Date((t0 += 1)).toISOString(), v: k % 50 }));
  const rate = (n: number, ms: number) => Math.round((n * 1000) / ms);

  const batches = Array.from({ length: BATCHES }, batch);
  let started = performance.now();
  for (const b of batches) await storeBatch(deps, tenant, b, [...new Set(b.map((r) => r.deviceId))], new Date().toISOString());
  const storeMs = performance.now() - started;
  console.log(
    `raw limit: the ingest's batch statement, ${rate(BATCHES * 1000, storeMs)} readings/s (${(storeMs / BATCHES).toFixed(1)} ms per 1,000)`,
  );

  started = performance.now();
  for (const b of batches) await afterReadings(deps, tenant, b);
  let ms = performance.now() - started;
  console.log(`hook, nothing configured: ${(ms / BATCHES).toFixed(1)} ms per 1,000 readings (${rate(BATCHES * 1000, ms)} readings/s)`);

  await q(`insert into meter_thresholds (tenant_id, meter_id, op, value, for_seconds) select tenant_id, id, '>', 1000, 60 from meters`);
  started = performance.now();
  for (const b of batches) await afterReadings(deps, tenant, b);
  ms = performance.now() - started;
  console.log(
    `hook, a threshold on each of the ${DEVICES} meters (no excursion): ${(ms / BATCHES).toFixed(1)} ms per 1,000 readings (${rate(BATCHES * 1000, ms)} readings/s)`,
  );

  started = performance.now();
  for (let i = 0; i < 20; i++) await sweepMeters(deps, new Date());
  console.log(`sweep, ${DEVICES} devices, none due: ${((performance.now() - started) / 20).toFixed(2)} ms per sweep`);
  started = performance.now();
  let raised = 0;
  for (;;) {
    const r = await sweepMeters(deps, new Date(Date.now() + 86_400_000 * 2));
    if (r.offline === 0) break;
    raised += r.offline;
  }
  ms = performance.now() - started;
  console.log(
    `sweep, all ${DEVICES} devices due: ${raised} offline alerts (each notifying the admin) in ${ms.toFixed(0)} ms, ${(ms / Math.max(1, raised)).toFixed(1)} ms each`,
  );

  await deps.database.close();
  await pool.end();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
