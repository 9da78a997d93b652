// The Mosquitto ingest's backpressure (ingest.ts HIGH_WATER): Mosquitto runs with no in-flight limit
// (test/mosquitto.ts, deploy/mosquitto/mosquitto.conf), so what bounds the readings Steward holds
// before their PUBACK is the ingest itself: at the high-water mark MQTT.js reads no further packet
// until a part has settled. Devices publishing faster than the batches commit: every reading is
// stored exactly once, and the readings held never go far above the mark.
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MosquittoLink, startMosquitto } from '../../src/server/modules/meters/mosquitto.js';
import { createCompany, type TestCompany } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { count, eventually } from '../helpers.js';
import { type Mosquitto, startMosquittoBroker } from '../mosquitto.js';

const DEVICES = 10;
const READINGS = 600;
const IN_FLIGHT = 20;
const HIGH_WATER = 300;

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
    const topics: string[] = [];
    for (let i = 0; i < DEVICES; i++) {
      const made = (await A.admin.client.post('/api/v1/devices', { name: `Pump ${i}` })).body;
      const meter = (await A.admin.client.post('/api/v1/meters', { deviceId: made.device.id, key: 'flow', name: 'Flow', unit: 'l/min' }))
        .body.meter;
      topics.push(meter.topic);
      devices.push(
        await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, {
          username: made.mqtt.username,
          password: made.mqtt.password,
          reconnectPeriod: 0,
        }),
      );
    }
    // One reading each first: the devices' keys are then cached (a reading whose key is being looked
    // up is not counted yet, see device-keys.ts).
    const start = Date.parse('2026-03-01T00:00:00Z');
    await Promise.all(
      devices.map((d, i) => d.publishAsync(topics[i], JSON.stringify({ v: -1, ts: new Date(start).toISOString() }), { qos: 1 })),
    );
    await eventually(async () => (await count(h, 'select count(*) from meter_readings where tenant_id = $1', [A.id])) === DEVICES);
    const ingest = link.ingest;
    if (!ingest) throw new Error('no ingest');
    let peak = 0;
    let full = 0;
    const sampler = setInterval(() => {
      peak = Math.max(peak, ingest.unsettled);
      if (ingest.full) full++;
    }, 1);
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
    await eventually(
      async () => (await count(h, 'select count(*) from meter_readings where tenant_id = $1', [A.id])) === total,
      60_000,
    );
    clearInterval(sampler);
    expect(await count(h, 'select count(distinct (meter_id, v)) from meter_readings where tenant_id = $1', [A.id])).toBe(total);
    expect(full, 'the ingest reached its high-water mark (the devices were faster than the batches)').toBeGreaterThan(0);
    // The mark is checked after each message: a few messages of the packet being handled may pass it.
    expect(peak).toBeLessThanOrEqual(HIGH_WATER + IN_FLIGHT);
    expect(ingest.unsettled).toBe(0);
  });
});
