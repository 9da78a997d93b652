// Offline alerts after an outage on PostgreSQL: BENCH_DEVICES devices (one company, offline after
// BENCH_OFFLINE_SECONDS) all last seen at the same moment, the worker's real sweep timer running
// (startMeterSweep, every SWEEP_MS): how late after their offline time the alerts are committed
// (target: within offlineAfterSeconds + 10 %), beside the raw limit of the same run (a bare insert
// of that many alert rows and the devices' flag update in one transaction).
//
//   node --import tsx bench/meters-offline.ts
//
// Environment (all optional):
//   BENCH_DATABASE_URL     database to DROP and recreate (loopback only; default postgres://postgres@127.0.0.1:5432/steward_bench_offline)
//   BENCH_DEVICES          devices going silent together (default 5000)
//   BENCH_OFFLINE_SECONDS  their offlineAfterSeconds (default 10, the smallest allowed: 10 % is 1 s)
import pg from 'pg';
import { testConfig } from '../src/server/config.js';
import { SWEEP_MS, startMeterSweep, sweepMeters } from '../src/server/modules/meters/triggers.js';
import { sha256 } from '../src/server/platform/crypto.js';
import { openDatabase } from '../src/server/platform/db.js';
import { createLogger } from '../src/server/platform/logger.js';
import { createDeps } from '../src/server/runtime.js';
import { insertCompanies, intEnv, recreateWithMigrations } from './load.js';

const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/steward_bench_offline';
const DEVICES = intEnv('BENCH_DEVICES', 5000, 1, 1_000_000);
const OFFLINE = intEnv('BENCH_OFFLINE_SECONDS', 10, 10, 86_400);

async function main() {
  await recreateWithMigrations(url);
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const q = (text: string, values?: unknown[]) => pool.query(text, values);
  await insertCompanies(q, 1);
  const tenant = Number((await q('select id from companies limit 1')).rows[0].id);
  // Three people with meters.manage (the admin role): each is told.
  await q(
    `insert into users (tenant_id, name, email, password_hash, role_id)
     select $1, 'Admin ' || g, 'admin' || g || '@bench-offline.test', 'x',
            (select id from roles where tenant_id = $1 and 'meters.manage' = any(permissions) order by level desc limit 1)
       from generate_series(1, 3) g`,
    [tenant],
  );
  await q(
    `insert into devices (tenant_id, name, device_key, secret_hash, offline_after_seconds)
     select $1, 'Device ' || g, 'dev_bench' || g, $2, $3 from generate_series(1, $4::int) g`,
    [tenant, sha256('bench-secret'), OFFLINE, DEVICES],
  );
  const database = await openDatabase({ databaseUrl: url, dataDir: '/tmp/steward-bench-offline', poolSize: 10 });
  const deps = await createDeps(testConfig({ databaseUrl: url }), { database, log: createLogger('silent') });
  const alerts = async () => Number((await q('select count(*) from meter_alerts')).rows[0].count);

  // 1. The raw limit: the same number of alert rows and flags, bare, in one transaction.
  {
    const started = performance.now();
    await q('begin');
    await q(
      `with a as (
         insert into meter_alerts (tenant_id, kind, device_id, message, opened_at)
         select tenant_id, 'offline', id, name || ' is offline', now() from devices returning id, device_id)
       update devices d set offline_alert_id = a.id from a where d.tenant_id = $1 and d.id = a.device_id`,
      [tenant],
    );
    await q('rollback');
    console.log(`raw limit: a bare insert of ${DEVICES} alert rows + the flag update, one transaction: ${(performance.now() - started).toFixed(0)} ms`);
  }

  // 2. The idle sweep over these devices (none due).
  await q(`update devices set last_seen_at = now(), offline_at = now() + make_interval(secs => offline_after_seconds)`);
  {
    const started = performance.now();
    for (let i = 0; i < 20; i++) await sweepMeters(deps, new Date());
    console.log(`sweep, ${DEVICES} devices, none due: ${((performance.now() - started) / 20).toFixed(2)} ms per sweep`);
  }

  // 3. The outage: all last seen at the same moment, the real timer sweeping.
  const seen = Date.now();
  await q(`update devices set last_seen_at = $1, offline_at = $1::timestamptz + make_interval(secs => offline_after_seconds)`, [
    new Date(seen).toISOString(),
  ]);
  const dueAt = seen + OFFLINE * 1000;
  const sweep = startMeterSweep(deps);
  let first: number | null = null;
  let all: number | null = null;
  while (Date.now() < dueAt + OFFLINE * 1000 * 3) {
    const n = await alerts();
    if (n > 0 && first === null) first = Date.now();
    if (n >= DEVICES) {
      all = Date.now();
      break;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  await sweep.stop();
  const notices = Number((await q(`select count(*) from notifications where event = 'meter.alert'`)).rows[0].count);
  const budget = OFFLINE * 100;
  console.log(
    `outage: ${DEVICES} devices silent together (offline after ${OFFLINE} s, sweep every ${SWEEP_MS} ms): first alert ${first === null ? '-' : `+${first - dueAt} ms`}, ` +
      `all ${await alerts()} alerts committed ${all === null ? 'NOT within 3× the offline time' : `+${all - dueAt} ms`} after their offline time ` +
      `(budget +${budget} ms: ${all !== null && all - dueAt <= budget ? 'met' : 'missed'}); ${notices} notifications`,
  );

  await deps.database.close();
  await pool.end();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
