// `steward simulate-meters`: publishes realistic readings to a running Steward over MQTT, as one
// device: with --company SLUG it takes (and rotates the password of) the demo's "Conveyor 3 PLC",
// or --device NAME, or creates a "Simulator" device; with --username/--password it publishes as
// that device to --meters (keys, default temp,hours,vibration). Runs until Ctrl-C (or --count rounds).
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import mqtt from 'mqtt';
import { eq } from 'drizzle-orm';
import { configOrExit } from '../config.js';
import { companies } from '../db/schema/index.js';
import { kindOf, type SimDevice, SimSeries, simulatorDevice } from '../modules/meters/simulator.js';

export interface SimulateOptions {
  url?: string;
  company?: string;
  device?: string;
  username?: string;
  password?: string;
  meters?: string;
  rate?: string;
  speed?: string;
  count?: string;
}

function fail(message: string): never {
  console.error(`steward simulate-meters: ${message}`);
  process.exit(2);
}

/** The device's credentials and meters from the database (the company's own; its password is rotated). */
async function fromDatabase(o: SimulateOptions): Promise<SimDevice> {
  const config = configOrExit();
  const { createDeps } = await import('../runtime.js');
  const deps = await createDeps({ ...config, logLevel: 'warn' });
  let link: { close(): Promise<void> } | null = null;
  try {
    await deps.database.migrate();
    // With Mosquitto (MQTT_URL) the rotated password is set there too, over dynsec.
    if (config.mqttUrl) {
      const { startMosquitto } = await import('../modules/meters/mosquitto.js');
      link = await startMosquitto(deps, config.mqttUrl, { ingest: false });
    }
    const [company] = await deps.database.system(({ tx }) => tx.select().from(companies).where(eq(companies.slug, o.company!)));
    if (!company) fail(`no company with slug ${o.company}`);
    return await simulatorDevice(deps, company.id, o.device);
  } finally {
    await link?.close().catch(() => undefined);
    await deps.database.close();
  }
}

export async function simulateMeters(o: SimulateOptions): Promise<void> {
  const rate = Number(o.rate ?? 1);
  if (!(rate > 0 && rate <= 1000)) fail('--rate must be between 0 and 1000 readings per second per meter');
  const speed = Number(o.speed ?? 1);
  if (!(speed > 0)) fail('--speed must be positive');
  const rounds = o.count ? Number(o.count) : Number.POSITIVE_INFINITY;
  let device: SimDevice;
  if (o.username && o.password) {
    const keys = (o.meters ?? 'temp,hours,vibration')
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean);
    device = {
      name: o.username,
      deviceKey: o.username,
      password: o.password,
      url: o.url ?? 'mqtt://127.0.0.1:1883',
      meters: keys.map((key) => ({
        key,
        kind: kindOf(key),
        start: kindOf(key) === 'counter' ? 1000 : kindOf(key) === 'vibration' ? 2.4 : 20,
      })),
    };
  } else if (o.company) {
    // The database may be busy with the running server (PGlite): then use --username/--password.
    device = await fromDatabase(o).catch((err) =>
      fail(`${(err as Error).message} (with the embedded database, stop the server or pass --username/--password)`),
    );
  } else {
    fail('give --company SLUG (credentials from the database) or --username and --password (a device you made)');
  }
  const url = o.url ?? device.url;
  if (device.meters.length === 0) fail(`device ${device.name} has no meters`);
  // mqtts:// to the embedded broker (MQTT_TLS_CERT): its own certificate is trusted beside the system's roots.
  const ownCert = url.startsWith('mqtts:') ? configOrExit().mqttTls?.cert : undefined;
  const ca = ownCert ? [...rootCertificates, readFileSync(ownCert, 'utf8')] : undefined;
  const client = await mqtt
    .connectAsync(url, { username: device.deviceKey, password: device.password, reconnectPeriod: 2000, connectTimeout: 10_000, ...(ca ? { ca } : {}) })
    .catch((err) => fail(`cannot connect to ${url}: ${(err as Error).message}`));
  console.log(
    `simulating ${device.name} (${device.deviceKey}) → ${url}: ${device.meters.map((m) => `${m.key} (${m.kind})`).join(', ')}, ${rate}/s each`,
  );
  if (!o.username) console.log(`device password (rotated, shown once): ${device.password}`);
  const series = device.meters.map((m) => new SimSeries(m, rate, speed));
  let sent = 0;
  let stopping = false;
  const stop = () => {
    stopping = true;
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const every = 1000 / rate;
  let report = Date.now() + 10_000;
  for (let round = 0; round < rounds && !stopping; round++) {
    const started = Date.now();
    const ts = new Date(started).toISOString();
    await Promise.all(
      series.map((s) =>
        client
          .publishAsync(`steward/${device.deviceKey}/${s.meter.key}`, JSON.stringify({ v: s.next(started), ts }), { qos: 1 })
          .then(() => {
            sent++;
          }),
      ),
    ).catch((err) => console.error(`publish failed: ${(err as Error).message}`));
    if (Date.now() >= report) {
      console.log(`${sent} readings sent`);
      report = Date.now() + 10_000;
    }
    const wait = every - (Date.now() - started);
    if (wait > 0 && round + 1 < rounds) await new Promise((r) => setTimeout(r, wait));
  }
  await client.endAsync();
  console.log(`done: ${sent} readings sent`);
}
