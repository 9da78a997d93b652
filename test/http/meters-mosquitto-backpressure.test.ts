// The ingest's backpressure (ingest.ts HIGH_WATER). On Mosquitto, which runs with no in-flight limit
// (test/mosquitto.ts, deploy/mosquitto/mosquitto.conf), what bounds the readings Steward holds before
// their PUBACK is the ingest itself: at the high-water mark MQTT.js reads no further packet until a
// part has settled. Devices publishing faster than the batches commit: every reading is stored exactly
// once, and the readings held never go far above the mark. On the embedded broker the same mark holds
// QoS 0 floods (nobody waits for those) to one socket read per client beyond it.
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MeterBroker, startEmbeddedBroker } from '../../src/server/modules/meters/broker.js';
import type { Ingest } from '../../src/server/modules/meters/ingest.js';
import { type MosquittoLink, startMosquitto } from '../../src/server/modules/meters/mosquitto.js';
import { createCompany, type TestCompany } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { count, eventually } from '../helpers.js';
import { type Mosquitto, startMosquittoBroker } from '../mosquitto.js';

const DEVICES = 10;
const READINGS = 600;
const IN_FLIGHT = 20;
const HIGH_WATER = 300;
const EMBEDDED_HIGH_WATER = 500;
/** QoS 0 readings per device in the flood. */
const FLOOD = 600;

/** The most readings the ingest held after any push, and how many pushes found it at its mark. */
function watchPeak(ingest: Ingest): { peak: number; full: number } {
  const seen = { peak: 0, full: 0 };
  const push = ingest.push.bind(ingest);
  ingest.push = (...args: Parameters<Ingest['push']>) => {
    push(...args);
    seen.peak = Math.max(seen.peak, ingest.unsettled);
    if (ingest.full) seen.full++;
  };
  return seen;
}

/** DEVICES devices made through the API, a meter each, connected to the broker; answers the meters' topics. */
async function makeDevices(co: TestCompany, port: number, into: MqttClient[], name: string, meterKey: string): Promise<string[]> {
  const topics: string[] = [];
  for (let i = 0; i < DEVICES; i++) {
    const made = (await co.admin.client.post('/api/v1/devices', { name: `${name} ${i}` })).body;
    const meter = (await co.admin.client.post('/api/v1/meters', { deviceId: made.device.id, key: meterKey, name: meterKey })).body.meter;
    topics.push(meter.topic);
    into.push(
      await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, {
        username: made.mqtt.username,
        password: made.mqtt.password,
        reconnectPeriod: 0,
      }),
    );
  }
  return topics;
}

describe('Mosquitto ingest backpressure', () => {
  let broker: Mosquitto;
  let h: Harness;
  let A: TestCompany;
  let link: MosquittoLink;
  const devices: MqttClient[] = [];

  beforeAll(async () => {
    broker = await startMosquittoBroker();
    h = await harness({ mqttUrl: broker.url, mqttPublicUrl: `mqtt://127.0.0.1:${broker.port}` });
    A = await createCompany(h);
    link = await startMosquitto(h.deps, broker.url, { ingest: true, highWater: HIGH_WATER });
  });
  afterAll(async () => {
    for (const d of devices) await d.endAsync(true).catch(() => undefined);
    await link?.close();
    await h?.close();
    await broker?.close();
  });

  it('holds at most about the high-water mark of readings unacknowledged, and stores every reading once', { timeout: 90_000 }, async () => {
    const topics = await makeDevices(A, broker.port, devices, 'Pump', 'flow');
    // One reading each first: the devices' keys are then cached (a reading whose key is being looked
    // up is not counted yet, see device-keys.ts).
    const start = Date.parse('2026-03-01T00:00:00Z');
    await Promise.all(
      devices.map((d, i) => d.publishAsync(topics[i], JSON.stringify({ v: -1, ts: new Date(start).toISOString() }), { qos: 1 })),
    );
    await eventually(async () => (await count(h, 'select count(*) from meter_readings where tenant_id = $1', [A.id])) === DEVICES);
    const ingest = link.ingest;
    if (!ingest) throw new Error('no ingest');
    const seen = watchPeak(ingest);
    await Promise.all(
      devices.map(async (d, i) => {
        const inFlight = new Set<Promise<unknown>>();
        for (let r = 1; r <= READINGS; r++) {
          const p = d.publishAsync(topics[i], JSON.stringify({ v: r, ts: new Date(start + r * 1000).toISOString() }), { qos: 1 });
          inFlight.add(p);
          void p.finally(() => inFlight.delete(p));
          if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
        }
        await Promise.all(inFlight);
      }),
    );
    const total = DEVICES * (READINGS + 1);
    await eventually(async () => (await count(h, 'select count(*) from meter_readings where tenant_id = $1', [A.id])) === total, 60_000);
    expect(await count(h, 'select count(distinct (meter_id, v)) from meter_readings where tenant_id = $1', [A.id])).toBe(total);
    expect(seen.full, 'the ingest reached its high-water mark (the devices were faster than the batches)').toBeGreaterThan(0);
    // The mark is checked after each message: a few messages of the packet being handled may pass it.
    expect(seen.peak).toBeLessThanOrEqual(HIGH_WATER + IN_FLIGHT);
    expect(ingest.unsettled).toBe(0);
  });
});

// The embedded broker's QoS 0 path: nobody waits for those readings, so without the mark a flood would
// only grow the pending batches. At the mark aedes reads the client's next packet only after a part
// has settled.
describe('embedded broker backpressure (QoS 0)', () => {
  let h: Harness;
  let A: TestCompany;
  let broker: MeterBroker;
  const devices: MqttClient[] = [];

  beforeAll(async () => {
    h = await harness();
    A = await createCompany(h);
    broker = await startEmbeddedBroker(h.deps, { port: 0, host: '127.0.0.1', highWater: EMBEDDED_HIGH_WATER });
  });
  afterAll(async () => {
    for (const d of devices) await d.endAsync(true).catch(() => undefined);
    await broker?.close();
    await h?.close();
  });

  it('a QoS 0 flood never has far more than the mark pending, and every reading is stored', { timeout: 90_000 }, async () => {
    const topics = await makeDevices(A, broker.port as number, devices, 'Fan', 'rpm');
    const seen = watchPeak(broker.ingest);
    const start = Date.parse('2026-04-01T00:00:00Z');
    await Promise.all(
      devices.map(async (d, i) => {
        for (let r = 0; r < READINGS; r++)
          d.publish(topics[i], JSON.stringify({ v: r, ts: new Date(start + r * 1000).toISOString() }), { qos: 0 });
        // The end marker: QoS 1, answered once every earlier reading of this client was taken.
        await d.publishAsync(topics[i], JSON.stringify({ v: FLOOD, ts: new Date(start + FLOOD * 1000).toISOString() }), { qos: 1 });
      }),
    );
    const total = DEVICES * (FLOOD + 1);
    await eventually(async () => (await count(h, 'select count(*) from meter_readings where tenant_id = $1', [A.id])) === total, 60_000);
    expect(seen.full, `the ingest reached its high-water mark (peak ${seen.peak})`).toBeGreaterThan(0);
    // aedes handles the packets of one socket read together and reads on once they are all done: each
    // client may pass the mark by one read's worth (64 KB, at most ~1,000 of these packets).
    expect(seen.peak).toBeLessThanOrEqual(EMBEDDED_HIGH_WATER + DEVICES * 1000);
  });
});
