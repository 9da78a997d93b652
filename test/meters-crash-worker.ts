// A worker process for the meter crash tests (test/service/meters-crash.test.ts), run with `node --import tsx`.
//   setup     <json>: migrates, makes a company, a device (key + password) and a meter; prints them
//   embedded  <json>: runs the ingest behind the embedded aedes broker on `port`; prints {ready} (killed with -9)
//   mosquitto <json>: runs the ingest on Mosquitto (`mqttUrl`, client id `clientId`, `shared` or a plain subscription); prints {ready}
//   report    <json>: prints what the database holds for the meter
// <json>: {databaseUrl, dataDir, sessionSecret, port?, mqttUrl?, clientId?, shared?, tenantId?, meterId?}
import { testConfig } from '../src/server/config.js';
import { devices, meters } from '../src/server/db/schema/index.js';
import { insertCompany } from '../src/server/modules/companies/companies.repo.js';
import { startEmbeddedBroker } from '../src/server/modules/meters/broker.js';
import { startMosquitto } from '../src/server/modules/meters/mosquitto.js';
import { newToken, sha256 } from '../src/server/platform/crypto.js';
import { openDatabase } from '../src/server/platform/db.js';
import { createLogger } from '../src/server/platform/logger.js';
import { createDeps } from '../src/server/runtime.js';

const [mode, json] = process.argv.slice(2);
const args = JSON.parse(json) as {
  databaseUrl: string | null;
  dataDir: string;
  sessionSecret: string;
  port?: number;
  mqttUrl?: string;
  clientId?: string;
  shared?: boolean;
  tenantId?: number;
  meterId?: number;
};
const config = testConfig({ databaseUrl: args.databaseUrl, dataDir: args.dataDir, sessionSecret: args.sessionSecret, mqttClientId: args.clientId ?? null,
  mqttSharedSubscription: args.shared ?? true,
});
const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 4 });
await database.migrate();
const deps = await createDeps(config, { database, log: createLogger('silent') });
const out = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);

if (mode === 'setup') {
  const made = await database.system(({ tx }) =>
    insertCompany(tx, { name: 'Crash Co', slug: `crash-${Date.now()}`, contactEmail: 'admin@crash.test', seats: 10, signupKeyHash: null }),
  );
  const tenantId = made.company.id;
  const password = newToken(32);
  const deviceKey = `dev_crash${Date.now().toString(36)}`;
  const ids = await database.withTenant(tenantId, async ({ tx }) => {
    const [d] = await tx.insert(devices).values({ tenantId, name: 'Crash gateway', deviceKey, secretHash: sha256(password) }).returning({ id: devices.id });
    const [m] = await tx.insert(meters).values({ tenantId, deviceId: d.id, key: 'kw', name: 'Power', unit: 'kW' }).returning({ id: meters.id });
    return { deviceId: d.id, meterId: m.id };
  });
  out({ tenantId, deviceKey, password, ...ids, topic: `steward/${deviceKey}/kw` });
} else if (mode === 'embedded' || mode === 'mosquitto') {
  if (mode === 'embedded') await startEmbeddedBroker(deps, { port: args.port, host: '127.0.0.1' });
  else await startMosquitto(deps, args.mqttUrl as string, { ingest: true });
  out({ ready: true });
  process.once('SIGTERM', () => process.exit(0));
  // Kept alive while the broker is away (MQTT.js's reconnect timer does not hold the process).
  setInterval(() => undefined, 1000);
  await new Promise(() => undefined);
} else if (mode === 'report') {
  const q = async (text: string) => Number(Object.values((await database.query<Record<string, unknown>>(text, [args.tenantId, args.meterId])).rows[0])[0]);
  out({
    readings: await q('select count(*) from meter_readings where tenant_id = $1 and meter_id = $2'),
    distinctV: await q('select count(distinct v) from meter_readings where tenant_id = $1 and meter_id = $2'),
    rollup1m: await q('select coalesce(sum(count), 0) from meter_rollups_1m where tenant_id = $1 and meter_id = $2'),
    rollup1h: await q('select coalesce(sum(count), 0) from meter_rollups_1h where tenant_id = $1 and meter_id = $2'),
    rollup1d: await q('select coalesce(sum(count), 0) from meter_rollups_1d where tenant_id = $1 and meter_id = $2'),
  });
  const { rows } = await database.query<{ v: number }>('select v from meter_readings where tenant_id = $1 and meter_id = $2', [args.tenantId, args.meterId]);
  out(rows.map((r) => Number(r.v)));
}
await database.close();
process.exit(0);
