// IoT meter ingest on PostgreSQL: readings stored per second from MQTT.js clients through the
// embedded aedes broker (QoS 0 and QoS 1), beside the raw limit of the same run: the same batches
// stored by calling the ingest directly (no broker), and a bare multi-row insert of the readings
// alone (no rollups, no last value). Also bytes per reading and the year-of-one-meter query.
//
//   node --import tsx bench/meters.ts
//
// Environment (all optional):
//   BENCH_DATABASE_URL  database to DROP and recreate (loopback only; default postgres://postgres@127.0.0.1:5432/steward_bench_meters)
//   BENCH_DEVICES       devices, one MQTT connection and one meter each (default 1000)
//   BENCH_READINGS      readings per device per run (default 20)
//   BENCH_INFLIGHT      QoS 1 messages each device keeps in flight in the windowed run (default 10)
//   BENCH_MOSQUITTO     0 skips the Mosquitto part (default: run it when `mosquitto` is installed)
//   BENCH_EMBEDDED      0 skips the embedded aedes part (default 1)
//
// QoS 1 runs twice: each device waiting for its PUBACK before the next (one in flight: the rate is
// devices / (batch time + commit), latency-bound), and with BENCH_INFLIGHT in flight per device
// (a device sending its backlog; the ingest's next batch fills while the previous commits). The
// Mosquitto part (a throwaway broker, test/mosquitto.ts, max_queued_messages 100000) measures its
// raw limit as a bare subscriber on the same shared subscription, then Steward's ingest reading it.
import { execFileSync } from 'node:child_process';
import mqtt, { type MqttClient } from 'mqtt';
import pg from 'pg';
import { testConfig } from '../src/server/config.js';
import { startEmbeddedBroker } from '../src/server/modules/meters/broker.js';
import { Ingest } from '../src/server/modules/meters/ingest.js';
import { openDatabase } from '../src/server/platform/db.js';
import { createLogger } from '../src/server/platform/logger.js';
import { createDeps } from '../src/server/runtime.js';
import { insertCompanies, intEnv, recreateWithMigrations } from './load.js';
import { connectDevices, cpuSeconds, provisionDevices, seedDevices } from './meter-devices.js';
import { startMosquitto } from '../src/server/modules/meters/mosquitto.js';
import { startMosquittoBroker } from '../test/mosquitto.js';

const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/steward_bench_meters';
const DEVICES = intEnv('BENCH_DEVICES', 1000, 1, 100_000);
const READINGS = intEnv('BENCH_READINGS', 20, 1, 100_000);
const INFLIGHT = intEnv('BENCH_INFLIGHT', 10, 1, 1000);
const MOSQUITTO = process.env.BENCH_MOSQUITTO !== '0' && hasMosquitto();
const EMBEDDED = process.env.BENCH_EMBEDDED !== '0';

function hasMosquitto(): boolean {
  try {
    execFileSync('which', ['mosquitto'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const log = (...a: unknown[]) => console.log(...a);
/** BENCH_MARKS=1: each run's start and end on the monotonic clock in µs (to slice a --cpu-prof profile). */
const mark = (label: string) => {
  if (process.env.BENCH_MARKS) console.error(`mark ${process.hrtime.bigint() / 1000n} ${label}`);
};

async function main() {
  await recreateWithMigrations(url);
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const q = (text: string, values?: unknown[]) => pool.query(text, values);
  await insertCompanies(q, 1);
  const tenant = Number((await q('select id from companies limit 1')).rows[0].id);
  const devices = await seedDevices(q, tenant, DEVICES, 'dev_bench');

  const database = await openDatabase({ databaseUrl: url, dataDir: '/tmp/steward-bench-meters', poolSize: 10 });
  const deps = await createDeps(testConfig({ databaseUrl: url }), { database, log: createLogger('silent') });
  let t0 = Date.parse('2026-01-01T00:00:00Z');
  const nextTs = () => new Date((t0 += 1)).toISOString();
  const stored = async () => Number((await q('select count(*) from meter_readings')).rows[0].count);
  // Where the CPU goes during a run: this process (devices' clients and Steward), Mosquitto, and the
  // PostgreSQL backends of this database (their pids at the start and the end of the run).
  let mosquittoPid: () => number | null = () => null;
  const backends = async () =>
    ((await q('select pid from pg_stat_activity where datname = current_database()')).rows as Array<{ pid: number }>).map((r) => r.pid);
  const cpuStart = async () => {
    const pids = new Set(await backends());
    const pg0 = new Map([...pids].map((p) => [p, cpuSeconds(p)]));
    const mp = mosquittoPid();
    return { node: process.cpuUsage(), mosq: mp ? cpuSeconds(mp) : 0, pg0 };
  };
  const cpuEnd = async (start: Awaited<ReturnType<typeof cpuStart>>, readings: number) => {
    const node = process.cpuUsage(start.node);
    const mp = mosquittoPid();
    let pgs = 0;
    // A backend that closed during the run is left out (its /proc entry is gone): a lower bound.
    for (const p of new Set([...start.pg0.keys(), ...(await backends())])) {
      const now = cpuSeconds(p);
      if (now > 0) pgs += now - (start.pg0.get(p) ?? 0);
    }
    const per = (s: number) => ((s * 1e6) / readings).toFixed(0);
    return `CPU µs per message: node ${per((node.user + node.system) / 1e6)}, mosquitto ${mp ? per(cpuSeconds(mp) - start.mosq) : '–'}, postgres ${per(pgs)}`;
  };

  // 1. The raw limit: a bare multi-row insert of 1,000-reading batches (no rollups, no last value).
  {
    const total = DEVICES * READINGS;
    const cpu = await cpuStart();
    const started = performance.now();
    for (let i = 0; i < total; i += 1000) {
      const rows = Array.from({ length: Math.min(1000, total - i) }, (_, k) => ({
        m: Number(devices[(i + k) % DEVICES].id),
        ts: nextTs(),
        v: k,
      }));
      await q(
        `insert into meter_readings (tenant_id, meter_id, ts, v) select $1, x.m, x.ts, x.v
           from jsonb_to_recordset($2::jsonb) as x(m bigint, ts timestamptz, v double precision) on conflict do nothing`,
        [tenant, JSON.stringify(rows)],
      );
    }
    const s = (performance.now() - started) / 1000;
    log(`raw limit (bare multi-row insert, 1,000 per statement): ${Math.round(total / s)} readings/s (${total} in ${s.toFixed(2)} s; ${await cpuEnd(cpu, total)})`);
  }
  // 2. The ingest alone (batches with rollups, last value, last seen), no broker.
  {
    const ingest = new Ingest(deps);
    const total = DEVICES * READINGS;
    const cpu = await cpuStart();
    const started = performance.now();
    const all: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const d = devices[i % DEVICES];
      all.push(ingest.add(tenant, Number(d.id), 'm', JSON.stringify({ v: i % 100, ts: nextTs() })));
    }
    await Promise.all(all);
    const s = (performance.now() - started) / 1000;
    log(`ingest without broker (rollups, last value, last seen): ${Math.round(total / s)} readings/s (${await cpuEnd(cpu, total)})`);
  }
  // 3. Through MQTT: DEVICES connections, each publishing READINGS readings.
  const connectAll = (url: string) => connectDevices(url, devices.map((d) => d.device_key));
  /** Every device publishes READINGS readings (QoS 0: then one QoS 1 as the end marker); answers when all went out. */
  const publishAll = (clients: MqttClient[], qos: 0 | 1, window: number) =>
    Promise.all(
      clients.map(async (c, i) => {
        const topic = `steward/${devices[i].device_key}/m`;
        if (qos === 0) {
          for (let r = 0; r < READINGS; r++) c.publish(topic, JSON.stringify({ v: r, ts: nextTs() }), { qos: 0 });
          await c.publishAsync(topic, JSON.stringify({ v: 0, ts: nextTs() }), { qos: 1 });
          return;
        }
        const inFlight = new Set<Promise<unknown>>();
        for (let r = 0; r < READINGS; r++) {
          const p = c.publishAsync(topic, JSON.stringify({ v: r, ts: nextTs() }), { qos: 1 });
          inFlight.add(p);
          void p.finally(() => inFlight.delete(p));
          if (inFlight.size >= window) await Promise.race(inFlight);
        }
        await Promise.all(inFlight);
      }),
    );
  const runs = [
    { qos: 0 as const, window: 1, label: 'QoS 0' },
    { qos: 1 as const, window: 1, label: 'QoS 1, one in flight per device' },
    { qos: 1 as const, window: INFLIGHT, label: `QoS 1, ${INFLIGHT} in flight per device` },
  ];
  // The wait for the last reading polls the ingest's own count of committed rows (a count(*) of the
  // table every 25 ms would spend the database's CPU during the run, which a bare subscriber does
  // not pay); the table is counted once at the end.
  const measure = async (
    where: string,
    clients: MqttClient[],
    flush: () => Promise<void>,
    committed: () => number,
    statements: () => number,
  ) => {
    for (const { qos, window, label } of runs) {
      const before = await stored();
      const total = DEVICES * READINGS;
      mark(`${where} ${label} start`);
      const extra = qos === 0 ? DEVICES : 0;
      const cpu = await cpuStart();
      const from = committed();
      const statementsFrom = statements();
      const started = performance.now();
      await publishAll(clients, qos, window);
      await flush();
      for (let k = 0; k < 1200 && committed() - from < total + extra; k++) await new Promise((r) => setTimeout(r, 25));
      const s = (performance.now() - started) / 1000;
      mark(`${where} ${label} end`);
      const used = await cpuEnd(cpu, total + extra);
      const got = (await stored()) - before;
      const perStatement = Math.round(got / Math.max(1, statements() - statementsFrom));
      log(
        `${where}, MQTT ${label}, ${DEVICES} devices: ${Math.round(got / s)} readings/s stored (${got} of ${total + extra} in ${s.toFixed(2)} s, ${perStatement} per statement; ${used})`,
      );
    }
  };
  if (EMBEDDED) {
    const broker = await startEmbeddedBroker(deps, { port: 0, host: '127.0.0.1' });
    const clients = await connectAll(`mqtt://127.0.0.1:${broker.port}`);
    await measure(
      'embedded aedes',
      clients,
      () => broker.ingest.flush(),
      () => broker.ingest.stats.stored,
      () => broker.ingest.stats.statements,
    );
    for (const c of clients) await c.endAsync(true);
    await broker.close();
  }
  if (MOSQUITTO) {
    const mosq = await startMosquittoBroker();
    mosquittoPid = () => mosq.pid;
    try {
      const admin = await mqtt.connectAsync(mosq.url, { reconnectPeriod: 0 });
      await provisionDevices(admin, devices.map((d) => d.device_key));
      const clients = await connectAll(`mqtt://127.0.0.1:${mosq.port}`);
      // Raw limit: a bare subscriber on the same shared subscription (QoS 1, acknowledging at once).
      {
        const sub = await mqtt.connectAsync(mosq.url, { clientId: 'bench-bare', clean: true, reconnectPeriod: 0 });
        let got = 0;
        sub.on('message', () => got++);
        await sub.subscribeAsync('$share/bare/steward/+/+', { qos: 1 });
        for (const { qos, window, label } of runs) {
          got = 0;
          const total = DEVICES * READINGS + (qos === 0 ? DEVICES : 0);
          mark(`bare ${label} start`);
          const cpu = await cpuStart();
          const started = performance.now();
          await publishAll(clients, qos, window);
          for (let k = 0; k < 1200 && got < total; k++) await new Promise((r) => setTimeout(r, 25));
          const s = (performance.now() - started) / 1000;
          mark(`bare ${label} end`);
          log(
            `raw limit: Mosquitto to a bare subscriber, ${label}: ${Math.round(got / s)} messages/s (${got} of ${total} in ${s.toFixed(2)} s; ${await cpuEnd(cpu, got)})`,
          );
        }
        await sub.endAsync(true);
      }
      const link = await startMosquitto(deps, mosq.url, { ingest: true });
      await new Promise((r) => setTimeout(r, 300));
      await measure(
        'Mosquitto (shared subscription)',
        clients,
        () => link.ingest?.flush() ?? Promise.resolve(),
        () => link.ingest?.stats.stored ?? 0,
        () => link.ingest?.stats.statements ?? 0,
      );
      for (const c of clients) await c.endAsync(true);
      await link.close();
      await admin.endAsync(true);
    } finally {
      await mosq.close();
    }
  }

  // 4. Storage and the year query (rollups for one meter, 1 d buckets).
  const size = await q(
    `select (select sum(pg_total_relation_size(inhrelid)) from pg_inherits where inhparent = 'meter_readings'::regclass)::bigint as bytes,
            (select count(*) from meter_readings) as n`,
  );
  log(
    `storage: ${(Number(size.rows[0].bytes) / Number(size.rows[0].n)).toFixed(1)} bytes per reading (table + PK index, ${size.rows[0].n} readings)`,
  );
  const meterId = Number(devices[0].id);
  const started = performance.now();
  const { rows } = await q(
    `select bucket, min, max, sum / count as avg, count from meter_rollups_1d where tenant_id = $1 and meter_id = (select id from meters where device_id = $2) and bucket >= now() - interval '1 year' - interval '2 year' order by bucket`,
    [tenant, meterId],
  );
  log(`year of one meter from the day rollup: ${(performance.now() - started).toFixed(1)} ms (${rows.length} buckets)`);
  await database.close();
  await pool.end();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
