// A sustained QoS 1 burst through Mosquitto into Steward's ingest: 1,000 devices publish
// BENCH_READINGS readings each while Steward stores them, and the run counts what Mosquitto
// acknowledged to the devices against what Steward stored. A reading acknowledged and never stored
// was dropped by the broker: bench/meters.ts's short runs (60 per device) never showed it; 300 per
// device with the in-flight window Steward used to configure (max_inflight_messages 20000) lost
// ~74,000 of 300,000 (docs/meters.md "Mosquitto's in-flight window").
//
//   node --import tsx bench/meters-burst.ts
//
// Environment (all optional):
//   BENCH_DATABASE_URL  database to DROP and recreate (loopback only; default postgres://postgres@127.0.0.1:5432/steward_bench_burst)
//   BENCH_DEVICES       devices, one connection and one meter each (default 1000)
//   BENCH_READINGS      readings per device (default 300)
//   BENCH_INFLIGHT      QoS 1 messages each device keeps in flight (default 1; 10 for a backlog)
//   BENCH_WINDOW        Mosquitto's max_inflight_messages (default 0: none, Steward's configuration)
//   BENCH_QUEUE         Mosquitto's max_queued_messages (default 100000, as the deploy configuration)
import { readFileSync } from 'node:fs';
import mqtt from 'mqtt';
import pg from 'pg';
import { testConfig } from '../src/server/config.js';
import { startMosquitto } from '../src/server/modules/meters/mosquitto.js';
import { openDatabase } from '../src/server/platform/db.js';
import { createLogger } from '../src/server/platform/logger.js';
import { createDeps } from '../src/server/runtime.js';
import { startMosquittoBroker } from '../test/mosquitto.js';
import { insertCompanies, intEnv, recreateWithMigrations } from './load.js';
import { connectDevices, cpuSeconds, provisionDevices, seedDevices } from './meter-devices.js';

const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/steward_bench_burst';
const DEVICES = intEnv('BENCH_DEVICES', 1000, 1, 100_000);
const READINGS = intEnv('BENCH_READINGS', 300, 1, 100_000);
const INFLIGHT = intEnv('BENCH_INFLIGHT', 1, 1, 1000);
const WINDOW = intEnv('BENCH_WINDOW', 0, 0, 65_535);
const QUEUE = intEnv('BENCH_QUEUE', 100_000, 0, 100_000_000);

/** Resident memory of a process in MB, from /proc. */
function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

async function main() {
  await recreateWithMigrations(url);
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const q = (text: string, values?: unknown[]) => pool.query(text, values);
  await insertCompanies(q, 1);
  const tenant = Number((await q('select id from companies limit 1')).rows[0].id);
  const devices = await seedDevices(q, tenant, DEVICES, 'dev_burst');
  const database = await openDatabase({ databaseUrl: url, dataDir: '/tmp/steward-bench-burst', poolSize: 10 });
  const deps = await createDeps(testConfig({ databaseUrl: url }), { database, log: createLogger('silent') });
  const mosq = await startMosquittoBroker({ maxInflight: WINDOW, maxQueued: QUEUE });
  const admin = await mqtt.connectAsync(mosq.url, { reconnectPeriod: 0 });
  const keys = devices.map((d) => d.device_key);
  await provisionDevices(admin, keys);
  const clients = await connectDevices(`mqtt://127.0.0.1:${mosq.port}`, keys);
  const link = await startMosquitto(deps, mosq.url, { ingest: true });
  const ingest = link.ingest;
  if (!ingest) throw new Error('no ingest');
  await new Promise((r) => setTimeout(r, 300));

  let t0 = Date.parse('2026-01-01T00:00:00Z');
  const nextTs = () => new Date((t0 += 1)).toISOString();
  let acked = 0;
  let peak = 0;
  let brokerRss = 0;
  const cpu0 = { node: cpuSeconds(process.pid), mosquitto: cpuSeconds(mosq.pid ?? 0) };
  const started = performance.now();
  const sampler = setInterval(() => {
    peak = Math.max(peak, ingest.unsettled);
  }, 5);
  const rssSampler = setInterval(() => {
    brokerRss = Math.max(brokerRss, rssMb(mosq.pid ?? 0));
  }, 100);
  await Promise.all(
    clients.map(async (c, i) => {
      const topic = `steward/${devices[i].device_key}/m`;
      const inFlight = new Set<Promise<unknown>>();
      for (let r = 0; r < READINGS; r++) {
        const p = c.publishAsync(topic, JSON.stringify({ v: r, ts: nextTs() }), { qos: 1 }).then(() => acked++);
        inFlight.add(p);
        void p.finally(() => inFlight.delete(p));
        if (inFlight.size >= INFLIGHT) await Promise.race(inFlight);
      }
      await Promise.all(inFlight);
    }),
  );
  const published = (performance.now() - started) / 1000;
  // Until everything acknowledged is stored, or nothing more arrives for 5 s.
  let last = -1;
  let still = performance.now();
  while (ingest.stats.stored < acked && performance.now() - still < 5000) {
    if (ingest.stats.stored !== last) {
      last = ingest.stats.stored;
      still = performance.now();
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const s = (performance.now() - started) / 1000;
  clearInterval(sampler);
  clearInterval(rssSampler);
  const stored = ingest.stats.stored;
  const lost = acked - stored;
  const node = cpuSeconds(process.pid) - cpu0.node;
  const mosquitto = cpuSeconds(mosq.pid ?? 0) - cpu0.mosquitto;
  console.log(
    `Mosquitto max_inflight_messages ${WINDOW}, max_queued_messages ${QUEUE}; ${DEVICES} devices × ${READINGS} QoS 1, ${INFLIGHT} in flight each:`,
  );
  console.log(
    `  acknowledged to the devices ${acked} in ${published.toFixed(2)} s; stored ${stored} (${Math.round(stored / s)}/s over ${s.toFixed(2)} s); ` +
      `**lost ${lost}**; most readings held by the ingest at once ${peak}; Mosquitto's peak RSS ${brokerRss.toFixed(0)} MB; CPU s: node ${node.toFixed(1)}, mosquitto ${mosquitto.toFixed(1)}`,
  );
  for (const c of clients) await c.endAsync(true);
  await link.close();
  await admin.endAsync(true);
  await mosq.close();
  await database.close();
  await pool.end();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
