// IoT meters over HTTP and the embedded MQTT broker (real aedes on a free port, real MQTT.js
// clients): devices get a key and a password shown once (rotatable, hashed at rest); meters belong
// to a device; a published reading is stored with its rollups and the meter's last value; a bad
// payload or a far-future timestamp is dropped; a duplicate ts is stored once; a wrong password, a
// device publishing under another device's key (another company's) and subscribing are refused;
// everything of another company is 404.
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MeterBroker, startEmbeddedBroker } from '../../src/server/modules/meters/broker.js';
import { parsePayload } from '../../src/server/modules/meters/ingest.js';
import { createCompany, createRole, createUser, type TestCompany } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { count, eventually } from '../helpers.js';

interface Made {
  device: { id: string; deviceKey: string; online: boolean; lastSeenAt: string | null };
  mqtt: { url: string; username: string; password: string };
}

describe('meters', () => {
  let h: Harness;
  let A: TestCompany;
  let B: TestCompany;
  let broker: MeterBroker;
  const clients: MqttClient[] = [];

  beforeAll(async () => {
    h = await harness();
    A = await createCompany(h);
    B = await createCompany(h);
    broker = await startEmbeddedBroker(h.deps, { port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    for (const c of clients) await c.endAsync(true).catch(() => undefined);
    await broker.close();
    await h.close();
  });

  async function makeDevice(co: TestCompany, name = 'Boiler gateway'): Promise<Made> {
    const res = await co.admin.client.post('/api/v1/devices', { name, offlineAfterSeconds: 120 });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  }
  async function makeMeter(co: TestCompany, deviceId: string, key: string, unit = '°C') {
    const res = await co.admin.client.post('/api/v1/meters', { deviceId, key, name: `Meter ${key}`, unit });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.meter as { id: string; topic: string; lastValue: number | null };
  }
  async function connect(username: string, password: string): Promise<MqttClient> {
    const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { username, password, reconnectPeriod: 0, connectTimeout: 5000 });
    clients.push(c);
    return c;
  }
  const stored = (meterId: string) => count(h, 'select count(*) from meter_readings where meter_id = $1', [meterId]);
  const rollups = (meterId: string) =>
    count(
      h,
      `select (select count(*) from meter_rollups_1m where meter_id = $1) + (select count(*) from meter_rollups_1h where meter_id = $1)
            + (select count(*) from meter_rollups_1d where meter_id = $1) as count`,
      [meterId],
    );

  it('creates a device with a key and a password shown once, hashed at rest; rotating changes it', async () => {
    const made = await makeDevice(A);
    expect(made.device).toMatchObject({ deviceKey: made.mqtt.username, lastSeenAt: null, online: false });
    expect(made.mqtt.password.length).toBeGreaterThanOrEqual(40);
    expect(made.mqtt.url).toMatch(/^mqtt:\/\//);
    const got = await A.admin.client.get(`/api/v1/devices/${made.device.id}`);
    expect(got.status).toBe(200);
    expect(JSON.stringify(got.body)).not.toContain(made.mqtt.password);
    expect(got.body.device.id).toBe(made.device.id);
    const { rows } = await h.deps.database.query<{ secret_hash: string }>('select secret_hash from devices where id = $1', [
      made.device.id,
    ]);
    expect(rows[0].secret_hash).not.toContain(made.mqtt.password);
    const rotated = await A.admin.client.post(`/api/v1/devices/${made.device.id}/credentials`, {});
    expect(rotated.status).toBe(200);
    expect(rotated.body.mqtt.username).toBe(made.mqtt.username);
    expect(rotated.body.mqtt.password).not.toBe(made.mqtt.password);
    // The old password no longer logs in; the new one does.
    await expect(connect(made.mqtt.username, made.mqtt.password)).rejects.toThrow();
    const c = await connect(made.mqtt.username, rotated.body.mqtt.password);
    expect(c.connected).toBe(true);
    const list = await A.admin.client.get('/api/v1/devices');
    expect(list.body.items.map((d: { id: string }) => d.id)).toContain(made.device.id);
    const patched = await A.admin.client.patch(`/api/v1/devices/${made.device.id}`, { name: 'Renamed', offlineAfterSeconds: 60 });
    expect(patched.body.device).toMatchObject({ name: 'Renamed', offlineAfterSeconds: 60 });
  });

  it('meters: create, duplicate key 409, list, patch, another company 404, bad input 400', async () => {
    const d = await makeDevice(A);
    const m = await makeMeter(A, d.device.id, 'temp');
    expect(m).toMatchObject({ topic: `steward/${d.device.deviceKey}/temp`, lastValue: null });
    const dup = await A.admin.client.post('/api/v1/meters', { deviceId: d.device.id, key: 'temp', name: 'Again', unit: '' });
    expect(dup.status).toBe(409);
    const bad = await A.admin.client.post('/api/v1/meters', { deviceId: d.device.id, key: 'a/b', name: 'x' });
    expect(bad.status).toBe(400);
    expect((await A.admin.client.get(`/api/v1/meters?deviceId=${d.device.id}`)).body.items).toHaveLength(1);
    expect((await A.admin.client.patch(`/api/v1/meters/${m.id}`, { unit: 'K' })).body.meter.unit).toBe('K');
    // Company B sees none of it, and cannot attach a meter to A's device.
    expect((await B.admin.client.get(`/api/v1/meters/${m.id}`)).status).toBe(404);
    expect((await B.admin.client.get(`/api/v1/devices/${d.device.id}`)).status).toBe(404);
    expect((await B.admin.client.get(`/api/v1/meters/${m.id}/readings`)).status).toBe(404);
    expect((await B.admin.client.patch(`/api/v1/devices/${d.device.id}`, { name: 'Mine' })).status).toBe(404);
    expect((await B.admin.client.delete(`/api/v1/meters/${m.id}`)).status).toBe(404);
    expect((await B.admin.client.post(`/api/v1/devices/${d.device.id}/credentials`, {})).status).toBe(404);
    expect((await B.admin.client.post('/api/v1/meters', { deviceId: d.device.id, key: 'x', name: 'x' })).status).toBe(400);
    expect((await B.admin.client.get('/api/v1/meters')).body.items).toHaveLength(0);
  });

  it('reading needs assets.view or meters.manage; changing needs meters.manage', async () => {
    const d = await makeDevice(A);
    const m = await makeMeter(A, d.device.id, 'flow');
    const viewer = await createUser(h, A, { role: 'Viewer' });
    expect((await viewer.client.get(`/api/v1/meters/${m.id}`)).status).toBe(200);
    expect((await viewer.client.get(`/api/v1/meters/${m.id}/readings`)).status).toBe(200);
    expect((await viewer.client.post('/api/v1/devices', { name: 'x' })).status).toBe(403);
    expect((await viewer.client.get('/api/v1/devices')).status).toBe(403);
    const nobody = await createUser(h, A, { roleId: await createRole(h, A, ['tickets.create']) });
    expect((await nobody.client.get(`/api/v1/meters/${m.id}`)).status).toBe(403);
    expect((await nobody.client.get('/api/v1/meters')).status).toBe(403);
    expect((await nobody.client.get(`/api/v1/meters/${m.id}/readings?format=csv`)).status).toBe(403);
  });

  it('a device publishes over MQTT (QoS 1 and 0): stored with rollups and last value; duplicates once; bad and future readings dropped', async () => {
    const d = await makeDevice(A);
    const m = await makeMeter(A, d.device.id, 'temp');
    const c = await connect(d.mqtt.username, d.mqtt.password);
    const base = Date.now() - 10 * 60_000;
    const at = (s: number) => new Date(base + s * 1000).toISOString();
    // QoS 1: the PUBACK comes after the batch committed, so the rows are there when publishAsync returns.
    await c.publishAsync(m.topic, JSON.stringify({ v: 20.5, ts: at(0) }), { qos: 1 });
    expect(await stored(m.id), JSON.stringify(broker.ingest.stats)).toBe(1);
    await c.publishAsync(m.topic, JSON.stringify({ v: 21.5, ts: at(1) }), { qos: 1 });
    await c.publishAsync(m.topic, JSON.stringify({ v: 99, ts: at(1) }), { qos: 1 }); // same ts: kept once
    await c.publishAsync(m.topic, '22.5', { qos: 1 }); // bare number: ts = arrival
    await c.publishAsync(m.topic, 'not a number', { qos: 1 });
    await c.publishAsync(m.topic, JSON.stringify({ v: 'x' }), { qos: 1 });
    await c.publishAsync(m.topic, JSON.stringify({ v: 1, ts: new Date(Date.now() + 3_600_000).toISOString() }), { qos: 1 });
    await c.publishAsync(m.topic, JSON.stringify({ v: 1, ts: 'yesterday' }), { qos: 1 });
    await c.publishAsync(`steward/${d.device.deviceKey}/unknown-meter`, '5', { qos: 1 });
    await c.publishAsync(m.topic, '23', { qos: 0 });
    // (aedes reads the QoS 0 message with the next packet of the client)
    await c.publishAsync(m.topic, JSON.stringify({ v: 24, ts: at(2) }), { qos: 1 });
    await eventually(async () => (await stored(m.id)) >= 5);
    expect(await stored(m.id)).toBe(5);
    const { rows } = await h.deps.database.query<{ v: number }>('select v from meter_readings where meter_id = $1 order by ts', [m.id]);
    expect(rows.map((r) => Number(r.v))).toEqual([20.5, 21.5, 24, 22.5, 23]);
    const meter = (await A.admin.client.get(`/api/v1/meters/${m.id}`)).body.meter;
    expect(meter.lastValue).toBe(23);
    const dev = (await A.admin.client.get(`/api/v1/devices/${d.device.id}`)).body.device;
    expect(dev.online).toBe(true);
    expect(dev.lastSeenAt).not.toBeNull();
    expect(broker.ingest.stats.dropped).toBeGreaterThanOrEqual(4);
    // Raw readings, keyset pages.
    const raw = await A.admin.client.get(`/api/v1/meters/${m.id}/readings?bucket=raw&limit=2`);
    expect(raw.status).toBe(200);
    expect(raw.body.items).toEqual([
      { ts: at(0).replace('Z', '000Z'), v: 20.5 },
      { ts: at(1).replace('Z', '000Z'), v: 21.5 },
    ]);
    const next = await A.admin.client.get(`/api/v1/meters/${m.id}/readings?bucket=raw&limit=3&cursor=${raw.body.nextCursor}`);
    expect(next.body.items.map((r: { v: number }) => r.v)).toEqual([24, 22.5, 23]);
    expect(next.body.nextCursor).toBeNull();
    // Rollups: one day bucket with all four.
    const day = await A.admin.client.get(
      `/api/v1/meters/${m.id}/readings?bucket=1d&from=${encodeURIComponent(new Date(base - 86_400_000).toISOString())}`,
    );
    expect(day.body.items).toHaveLength(new Date(base).getUTCDate() === new Date().getUTCDate() ? 1 : 2);
    const all = day.body.items.reduce((n: number, b: { count: number }) => n + b.count, 0);
    expect(all).toBe(5);
    const hour = await A.admin.client.get(`/api/v1/meters/${m.id}/readings?bucket=1h`);
    const sum = hour.body.items.reduce((n: number, b: { avg: number; count: number }) => n + b.avg * b.count, 0);
    expect(sum).toBeCloseTo(20.5 + 21.5 + 24 + 22.5 + 23, 6);
    expect(Math.min(...hour.body.items.map((b: { min: number }) => b.min))).toBe(20.5);
    expect(Math.max(...hour.body.items.map((b: { max: number }) => b.max))).toBe(24);
    // CSV of the whole range.
    const csv = await A.admin.client.get(`/api/v1/meters/${m.id}/readings?format=csv&bucket=raw`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(String(csv.body).trim().split('\n')).toHaveLength(6);
  });

  it('refuses a wrong password, publishing under another device key (another company), and subscriptions', async () => {
    const a = await makeDevice(A);
    const am = await makeMeter(A, a.device.id, 'power', 'kW');
    const b = await makeDevice(B);
    await expect(connect(a.mqtt.username, 'wrong-password')).rejects.toThrow();
    await expect(connect('dev_nosuchdevice', b.mqtt.password)).rejects.toThrow();
    const cb = await connect(b.mqtt.username, b.mqtt.password);
    const closed = new Promise<void>((resolve) => cb.once('close', () => resolve()));
    cb.publish(am.topic, '42', { qos: 1 });
    await closed;
    expect(await stored(am.id)).toBe(0);
    const cb2 = await connect(b.mqtt.username, b.mqtt.password);
    await expect(cb2.subscribeAsync(`steward/${a.device.deviceKey}/#`, { qos: 1 })).rejects.toThrow(/Subscribe error/);
  });

  it('deleting a device drops its connection and its meters', async () => {
    const d = await makeDevice(A);
    const m = await makeMeter(A, d.device.id, 'level');
    const c = await connect(d.mqtt.username, d.mqtt.password);
    await c.publishAsync(m.topic, '1', { qos: 1 });
    const closed = new Promise<void>((resolve) => c.once('close', () => resolve()));
    expect((await A.admin.client.delete(`/api/v1/devices/${d.device.id}`)).status).toBe(204);
    await closed;
    expect(await count(h, 'select count(*) from meters where id = $1', [m.id])).toBe(0);
    expect(await stored(m.id)).toBe(0);
    expect(await rollups(m.id)).toBe(0);
    await expect(connect(d.mqtt.username, d.mqtt.password)).rejects.toThrow();
  });

  it('deleting a meter deletes its readings and rollups, and a reading for it afterwards is not stored', async () => {
    const d = await makeDevice(A);
    const m = await makeMeter(A, d.device.id, 'flow');
    const keep = await makeMeter(A, d.device.id, 'pressure');
    const c = await connect(d.mqtt.username, d.mqtt.password);
    await c.publishAsync(m.topic, '1', { qos: 1 });
    await c.publishAsync(keep.topic, '2', { qos: 1 });
    expect(await stored(m.id)).toBe(1);
    expect(await rollups(m.id)).toBe(3);
    expect((await A.admin.client.delete(`/api/v1/meters/${m.id}`)).status).toBe(204);
    expect(await stored(m.id)).toBe(0);
    expect(await rollups(m.id)).toBe(0);
    await c.publishAsync(m.topic, '3', { qos: 1 });
    await c.publishAsync(keep.topic, '4', { qos: 1 });
    expect(await stored(m.id)).toBe(0);
    expect(await rollups(m.id)).toBe(0);
    expect(await stored(keep.id)).toBe(2);
    expect(await rollups(keep.id)).toBeGreaterThanOrEqual(3);
  });

  it('parses payloads: object or bare number; rejects non-finite values and far-future times', () => {
    const now = Date.parse('2026-06-01T12:00:00Z');
    expect(parsePayload('{"v": 12.3, "ts": "2026-06-01T11:59:00Z"}', now)).toEqual({ ok: true, v: 12.3, ts: '2026-06-01T11:59:00Z' });
    expect(parsePayload(' 7 ', now)).toMatchObject({ ok: true, v: 7 });
    expect((parsePayload('7', now) as { ts: string }).ts).toMatch(/^2026-06-01T12:00:00\.000\d{3}Z$/);
    for (const bad of [
      '',
      'NaN',
      'Infinity',
      '1e999',
      '{"v":null}',
      '{"v":"1"}',
      '[1]',
      '{',
      '{"v":1,"ts":"2026-06-01T12:06:00Z"}',
      '{"v":1,"ts":5}',
    ])
      expect(parsePayload(bad, now).ok, bad).toBe(false);
    expect(parsePayload('{"v":1,"ts":"2026-06-01T12:04:00Z"}', now).ok).toBe(true);
  });

  it('the partition function is idempotent and readings land in monthly partitions', async () => {
    const { rows } = await h.deps.database.query<{ created: number }>('select steward_ensure_reading_partitions(3) as created');
    expect(Number(rows[0].created)).toBe(0);
    const more = await h.deps.database.query<{ created: number }>('select steward_ensure_reading_partitions(5) as created');
    expect(Number(more.rows[0].created)).toBe(2);
    const parts = await count(h, "select count(*) from pg_inherits where inhparent = 'meter_readings'::regclass");
    expect(parts).toBe(7 + 1); // last month … 5 ahead, and the default
  });
});
