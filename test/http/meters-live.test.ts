// Live meter readings over /api/v1/live with the embedded aedes broker in this process: a socket
// subscribes to a meter and receives the readings a device publishes (MQTT.js) as batches; the web
// process subscribes at the broker only to watched topics (ref-counted, gone with the last socket);
// a user of company B subscribing to A's meter gets nothing; a user without a meter permission gets
// nothing; unsubscribing stops the pushes.
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MeterBroker, startEmbeddedBroker } from '../../src/server/modules/meters/broker.js';
import { meterFeedOf } from '../../src/server/modules/meters/meters-live.service.js';
import { createCompany, createRole, createUser, type TestCompany } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { eventually, sleep } from '../helpers.js';
import { type LiveClient, openLive } from '../live.js';

type Readings = { meterId: string; items: Array<{ ts: string; v: number }> };
const readingsOf = (live: LiveClient, meterId: string) =>
  live.messages
    .filter((m) => m.type === 'meter.readings' && (m.data as Readings).meterId === meterId)
    .flatMap((m) => (m.data as Readings).items);
const subscribed = (live: LiveClient) => live.messages.filter((m) => m.type === 'meter.subscribed').map((m) => (m.data as { meters: string[] }).meters);

describe('live meter readings (embedded broker)', () => {
  let h: Harness;
  let A: TestCompany;
  let B: TestCompany;
  let broker: MeterBroker;
  let device: MqttClient;
  let meter: { id: string; topic: string };
  let meter2: { id: string; topic: string };
  const sockets: LiveClient[] = [];

  beforeAll(async () => {
    h = await harness();
    A = await createCompany(h);
    B = await createCompany(h);
    broker = await startEmbeddedBroker(h.deps, { port: 0, host: '127.0.0.1' });
    const made = (await A.admin.client.post('/api/v1/devices', { name: 'Pump gateway' })).body;
    meter = (await A.admin.client.post('/api/v1/meters', { deviceId: made.device.id, key: 'flow', name: 'Flow', unit: 'l/s' })).body.meter;
    meter2 = (await A.admin.client.post('/api/v1/meters', { deviceId: made.device.id, key: 'temp', name: 'Temp', unit: '°C' })).body.meter;
    device = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, {
      username: made.mqtt.username,
      password: made.mqtt.password,
      reconnectPeriod: 0,
    });
  });
  afterAll(async () => {
    for (const s of sockets) await s.close();
    await device?.endAsync(true);
    await broker?.close();
    await h?.close();
  });

  const open = async (cookie: string) => {
    const s = await openLive(h, cookie);
    sockets.push(s);
    await eventually(async () => s.messages.some((m) => m.type === 'hello'));
    return s;
  };
  const feed = () => meterFeedOf(h.deps);

  it('pushes the readings of a watched meter in batches; the broker subscription is made and dropped with the sockets', async () => {
    const live = await open(A.admin.client.cookie as string);
    expect(feed()?.subscribedTopics).toEqual([]);
    live.send({ type: 'subscribe', meters: [meter.id] });
    await eventually(async () => subscribed(live).length > 0);
    expect(subscribed(live)[0]).toEqual([meter.id]);
    expect(feed()?.subscribedTopics).toEqual([meter.topic]);

    const base = Date.now() - 10_000;
    for (let i = 0; i < 20; i++) {
      await device.publishAsync(meter.topic, JSON.stringify({ v: i, ts: new Date(base + i * 100).toISOString() }), { qos: i % 2 ? 1 : 0 });
    }
    await device.publishAsync(meter2.topic, '5', { qos: 1 }); // not watched
    // Stored (and so past the live feed) before anyone watches meter2 below.
    await eventually(async () => (await A.admin.client.get(`/api/v1/meters/${meter2.id}`)).body.meter?.lastValue === 5);
    await eventually(async () => readingsOf(live, meter.id).length === 20);
    const items = readingsOf(live, meter.id);
    expect(items.map((x) => x.v)).toEqual([...Array(20).keys()]);
    expect(items[0].ts).toBe(new Date(base).toISOString());
    // Batched: fewer messages than readings.
    const batches = live.messages.filter((m) => m.type === 'meter.readings');
    expect(batches.length).toBeLessThan(20);
    expect(readingsOf(live, meter2.id)).toEqual([]);

    // A second socket on the same meter shares the broker subscription; it goes with the last one.
    const second = await open(A.admin.client.cookie as string);
    second.send({ type: 'subscribe', meters: [meter.id, meter2.id] });
    await eventually(async () => subscribed(second).length > 0);
    expect(feed()?.subscribedTopics.sort()).toEqual([meter.topic, meter2.topic].sort());
    await device.publishAsync(meter2.topic, '7.5', { qos: 1 });
    // The unwatched '5' above may still be on its way through aedes when this socket subscribes (a
    // reading delivered after a subscription is the subscriber's): wait for 7.5, the one sent after.
    await eventually(async () => readingsOf(second, meter2.id).some((x) => x.v === 7.5));
    expect(readingsOf(second, meter2.id).at(-1)?.v).toBe(7.5);
    expect(readingsOf(live, meter2.id)).toEqual([]);
    await second.close();
    await eventually(async () => feed()?.subscribedTopics.length === 1);
    expect(feed()?.subscribedTopics).toEqual([meter.topic]);
    await live.close();
    await eventually(async () => feed()?.subscribedTopics.length === 0);
  });

  it("unsubscribing stops the pushes; B's user and a user without a meter permission get nothing of A's meter", async () => {
    const live = await open(A.admin.client.cookie as string);
    const other = await open(B.admin.client.cookie as string);
    const nobody = await createUser(h, A, { roleId: await createRole(h, A, ['tickets.create']) });
    const plain = await open(nobody.client.cookie as string);
    live.send({ type: 'subscribe', meters: [meter.id] });
    other.send({ type: 'subscribe', meters: [meter.id, meter2.id] });
    plain.send({ type: 'subscribe', meters: [meter.id] });
    await eventually(async () => subscribed(live).length > 0 && subscribed(other).length > 0 && subscribed(plain).length > 0);
    expect(subscribed(other)[0]).toEqual([]);
    expect(subscribed(plain)[0]).toEqual([]);
    expect(feed()?.subscribedTopics).toEqual([meter.topic]);

    await device.publishAsync(meter.topic, '1', { qos: 1 });
    await eventually(async () => readingsOf(live, meter.id).length === 1);
    live.send({ type: 'unsubscribe', meters: [meter.id] });
    await eventually(async () => feed()?.subscribedTopics.length === 0);
    await device.publishAsync(meter.topic, '2', { qos: 1 });
    await sleep(600);
    expect(readingsOf(live, meter.id).map((x) => x.v)).toEqual([1]);
    expect(other.messages.filter((m) => m.type === 'meter.readings')).toEqual([]);
    expect(plain.messages.filter((m) => m.type === 'meter.readings')).toEqual([]);

    // Garbage is ignored and the socket stays open.
    live.send({ type: 'subscribe', meters: ['not-a-number'] });
    live.send({ type: 'subscribe', meters: 'x' });
    live.send('{');
    await sleep(100);
    expect(live.closeCode()).toBeNull();
  });
});
