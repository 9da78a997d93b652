// Live meter readings with Mosquitto (MQTT_URL): the web process watches a meter with an MQTT
// client of its own (non-shared subscription to the one topic), a device publishing to Mosquitto
// reaches the socket; the subscription goes with the last socket; company B's user gets nothing.
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meterFeedOf } from '../../src/server/modules/meters/meters-live.service.js';
import { type MosquittoLink, startMosquitto } from '../../src/server/modules/meters/mosquitto.js';
import { createCompany, type TestCompany } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { eventually, sleep } from '../helpers.js';
import { type LiveClient, openLive } from '../live.js';
import { type Mosquitto, startMosquittoBroker } from '../mosquitto.js';

type Readings = { meterId: string; items: Array<{ ts: string; v: number }> };

describe('live meter readings (Mosquitto)', () => {
  let broker: Mosquitto;
  let h: Harness;
  let A: TestCompany;
  let B: TestCompany;
  let link: MosquittoLink;
  let device: MqttClient;
  const sockets: LiveClient[] = [];

  beforeAll(async () => {
    broker = await startMosquittoBroker();
    h = await harness({ mqttUrl: broker.url, mqttPublicUrl: `mqtt://127.0.0.1:${broker.port}` });
    A = await createCompany(h);
    B = await createCompany(h);
    link = await startMosquitto(h.deps, broker.url, { ingest: true });
  });
  afterAll(async () => {
    for (const s of sockets) await s.close();
    await device?.endAsync(true);
    await link?.close();
    await h?.close();
    await broker?.close();
  });

  it('pushes a reading published to Mosquitto to the watching socket only', async () => {
    const made = (await A.admin.client.post('/api/v1/devices', { name: 'Chiller' })).body;
    const meter = (await A.admin.client.post('/api/v1/meters', { deviceId: made.device.id, key: 'kw', name: 'Power', unit: 'kW' })).body.meter;
    device = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { username: made.mqtt.username, password: made.mqtt.password, reconnectPeriod: 0 });
    const live = await openLive(h, A.admin.client.cookie as string);
    const other = await openLive(h, B.admin.client.cookie as string);
    sockets.push(live, other);
    live.send({ type: 'subscribe', meters: [meter.id] });
    other.send({ type: 'subscribe', meters: [meter.id] });
    await eventually(async () => live.messages.some((m) => m.type === 'meter.subscribed') && other.messages.some((m) => m.type === 'meter.subscribed'));
    expect(meterFeedOf(h.deps)?.subscribedTopics).toEqual([meter.topic]);
    await device.publishAsync(meter.topic, JSON.stringify({ v: 3.25 }), { qos: 1 });
    await eventually(async () => live.messages.some((m) => m.type === 'meter.readings'));
    const got = live.messages.filter((m) => m.type === 'meter.readings').flatMap((m) => (m.data as Readings).items);
    expect(got.map((x) => x.v)).toEqual([3.25]);
    await sleep(400);
    expect(other.messages.filter((m) => m.type === 'meter.readings')).toEqual([]);
    await live.close();
    await eventually(async () => meterFeedOf(h.deps)?.subscribedTopics.length === 0);
  });
});
