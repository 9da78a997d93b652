// Meter live push and storage on PostgreSQL (issue 16 item 8):
//  1. broker → browser latency at BENCH_RATE readings/s (default 2,000): devices publish with MQTT.js
//     to the embedded aedes broker, a WebSocket client (real TCP, the `ws` package) subscribed through
//     /api/v1/live receives the batches; latency = arrival − the reading's ts (set at publish).
//     QoS 0 and QoS 1 (QoS 1 is forwarded after the batch committed). Raw limit of the same run: a
//     bare MQTT subscriber on the same broker (the internal live login), no Steward in between.
//  2. storage bytes per reading with a year of one reading per minute for one meter (raw partitions
//     + the three rollups), and the year-of-one-meter query from the day rollup.
//
//   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test node --import tsx bench/meters-live.ts
//
// Environment: BENCH_RATE (readings/s), BENCH_SECONDS (per phase, default 10), BENCH_DEVICES (default 20).
export {};

process.env.STEWARD_TEST_DB = 'postgres';
process.env.TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';
const { harness } = await import('../test/harness.js');
const { createCompany } = await import('../test/factories.js');
const { startEmbeddedBroker, LIVE_USERNAME, liveMqttPassword } = await import('../src/server/modules/meters/broker.js');
const { default: mqtt } = await import('mqtt');
const { default: WsClient } = await import('ws');

const intEnv = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
};
const RATE = intEnv('BENCH_RATE', 2000);
const SECONDS = intEnv('BENCH_SECONDS', 10);
const DEVICES = intEnv('BENCH_DEVICES', 20);
const log = (...a: unknown[]) => console.log(...a);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : Number.NaN;
};
const summary = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(0)} ms, p99 ${pct(xs, 99).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms (${xs.length} readings)`;

const h = await harness();
await h.app.listen({ port: 0, host: '127.0.0.1' });
const port = (h.app.server.address() as { port: number }).port;
const A = await createCompany(h);
const broker = await startEmbeddedBroker(h.deps, { port: 0, host: '127.0.0.1' });
const devices: Array<{ client: import('mqtt').MqttClient; topic: string; meterId: string }> = [];
for (let i = 0; i < DEVICES; i++) {
  const made = (await A.admin.client.post('/api/v1/devices', { name: `Bench ${i}` })).body;
  const meter = (await A.admin.client.post('/api/v1/meters', { deviceId: made.device.id, key: 'm', name: `M${i}`, unit: 'u' })).body.meter;
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { username: made.mqtt.username, password: made.mqtt.password, reconnectPeriod: 0 });
  devices.push({ client, topic: meter.topic, meterId: meter.id });
}

/** Publishes RATE readings/s for SECONDS, spread over 10 ms ticks; returns when done. */
async function load(qos: 0 | 1) {
  const perTick = RATE / 100;
  let sent = 0;
  const end = Date.now() + SECONDS * 1000;
  let next = Date.now();
  while (Date.now() < end) {
    for (let k = 0; k < perTick; k++) {
      const d = devices[sent % devices.length];
      sent++;
      d.client.publish(d.topic, JSON.stringify({ v: sent, ts: new Date().toISOString() }), { qos });
    }
    next += 10;
    const wait = next - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  await new Promise((r) => setTimeout(r, 1500));
  return sent;
}

// 1a. Raw limit: a bare MQTT subscriber on the broker.
{
  const sub = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { username: LIVE_USERNAME, password: liveMqttPassword(h.deps.config.sessionSecret), reconnectPeriod: 0 });
  for (const d of devices) await sub.subscribeAsync(d.topic, { qos: 0 });
  const lat: number[] = [];
  sub.on('message', (_t, payload) => lat.push(Date.now() - Date.parse(JSON.parse(payload.toString()).ts)));
  const sent = await load(0);
  log(`raw limit, bare MQTT subscriber, QoS 0 at ${RATE}/s: ${summary(lat)}; sent ${sent}`);
  await sub.endAsync();
}
// 1b. Through Steward's live socket.
for (const qos of [0, 1] as const) {
  const ws = new WsClient(`ws://127.0.0.1:${port}/api/v1/live`, { headers: { cookie: A.admin.client.cookie as string } });
  const lat: number[] = [];
  let batches = 0;
  await new Promise<void>((resolve) => {
    ws.on('message', (raw: Buffer) => {
      const m = JSON.parse(raw.toString());
      if (m.type === 'hello') ws.send(JSON.stringify({ type: 'subscribe', meters: devices.map((d) => d.meterId) }));
      if (m.type === 'meter.subscribed') resolve();
      if (m.type === 'meter.readings') {
        batches++;
        const now = Date.now();
        for (const it of m.data.items) lat.push(now - Date.parse(it.ts));
      }
    });
  });
  const sent = await load(qos);
  log(`broker → browser (/api/v1/live WebSocket), QoS ${qos} at ${RATE}/s: ${summary(lat)}; ${batches} batches; sent ${sent}`);
  ws.close();
}

// 2. A year of one reading a minute for one meter: storage per reading and the year query.
{
  const meterId = Number(devices[0].meterId);
  const q = (text: string, values?: unknown[]) => h.deps.database.query<Record<string, unknown>>(text, values);
  const started = performance.now();
  await q(
    `insert into meter_readings (tenant_id, meter_id, ts, v)
     select $1, $2, g, 20 + 5 * sin(extract(epoch from g) / 3600) from generate_series(now() - interval '365 days', now() - interval '1 hour', interval '1 minute') g
     on conflict do nothing`,
    [A.id, meterId],
  );
  for (const [table, unit] of [
    ['meter_rollups_1m', 'minute'],
    ['meter_rollups_1h', 'hour'],
    ['meter_rollups_1d', 'day'],
  ]) {
    await q(
      `insert into ${table} (tenant_id, meter_id, bucket, min, max, sum, count)
       select tenant_id, meter_id, date_trunc('${unit}', ts, 'UTC') b, min(v), max(v), sum(v), count(*) from meter_readings
        where tenant_id = $1 and meter_id = $2 and ts < now() - interval '1 hour' group by tenant_id, meter_id, b
       on conflict (tenant_id, meter_id, bucket) do update set min = excluded.min, max = excluded.max, sum = excluded.sum, count = excluded.count`,
      [A.id, meterId],
    );
  }
  await q('vacuum analyze meter_readings, meter_rollups_1m, meter_rollups_1h, meter_rollups_1d');
  log(`a year of minute readings generated in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const size = await q(`select
      (select sum(pg_total_relation_size(inhrelid)) from pg_inherits where inhparent = 'meter_readings'::regclass)::bigint as raw,
      (pg_total_relation_size('meter_rollups_1m') + pg_total_relation_size('meter_rollups_1h') + pg_total_relation_size('meter_rollups_1d'))::bigint as rollups,
      (select count(*) from meter_readings)::bigint as n`);
  const { raw, rollups, n } = size.rows[0] as { raw: string; rollups: string; n: string };
  log(
    `storage: ${(Number(raw) / Number(n)).toFixed(1)} bytes per reading raw (partitions + PK), ${((Number(raw) + Number(rollups)) / Number(n)).toFixed(1)} with the three rollups (${n} readings)`,
  );
  const times: number[] = [];
  let buckets = 0;
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    const res = await A.admin.client.get(`/api/v1/meters/${meterId}/readings?from=${new Date(Date.now() - 365 * 86_400_000).toISOString()}&to=${new Date().toISOString()}`);
    times.push(performance.now() - t0);
    buckets = res.body.items.length;
  }
  log(`year of one meter through the readings API (day rollup): median ${pct(times, 50).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms (${buckets} buckets, in-process request)`);
}

for (const d of devices) await d.client.endAsync(true);
await broker.close();
await h.close();
process.exit(0);
