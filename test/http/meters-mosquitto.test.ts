// IoT meters with Mosquitto and its Dynamic Security plugin (a throwaway broker started here from
// Debian's mosquitto): creating a device creates its dynsec client and publish ACL; the device
// publishes with MQTT.js and the reading, read through the shared subscription, is stored once
// (QoS 1 acknowledged after commit); outside its ACL nothing is stored; a rotated password
// replaces the old one; a deleted device can no longer log in.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MosquittoLink, startMosquitto } from '../../src/server/modules/meters/mosquitto.js';
import { createCompany, type TestCompany } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { count, eventually, sleep } from '../helpers.js';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

describe('meters on Mosquitto (dynsec)', () => {
  let h: Harness;
  let A: TestCompany;
  let B: TestCompany;
  let broker: ChildProcess;
  let link: MosquittoLink;
  let port: number;
  let dir: string;
  const clients: MqttClient[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'steward-mosq-'));
    port = await freePort();
    const conf = readFileSync('/work/shared/testing/mosquitto-dynsec-test.conf', 'utf8')
      .replaceAll('@DIR@', dir)
      .replaceAll('@PORT@', String(port));
    writeFileSync(path.join(dir, 'mosquitto.conf'), conf);
    execFileSync('mosquitto_ctrl', ['dynsec', 'init', path.join(dir, 'dynsec.json'), 'admin', 'admin-password-1'], { stdio: 'ignore' });
    // Mosquitto started as root drops to the mosquitto user, which must read and write its dynsec file.
    chmodSync(dir, 0o777);
    chmodSync(path.join(dir, 'dynsec.json'), 0o666);
    broker = spawn('mosquitto', ['-c', path.join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
    await sleep(500);
    // The operator's one-time setup (docs/meters.md): Steward's account may subscribe to steward/#.
    const ctrl = (...args: string[]) =>
      execFileSync('mosquitto_ctrl', ['-h', '127.0.0.1', '-p', String(port), '-u', 'admin', '-P', 'admin-password-1', 'dynsec', ...args], {
        stdio: 'ignore',
      });
    ctrl('createRole', 'steward-ingest');
    ctrl('addRoleACL', 'steward-ingest', 'subscribePattern', 'steward/#', 'allow');
    ctrl('addClientRole', 'admin', 'steward-ingest');
    const url = `mqtt://admin:admin-password-1@127.0.0.1:${port}`;
    h = await harness({ mqttUrl: url, mqttPublicUrl: `mqtt://127.0.0.1:${port}` });
    A = await createCompany(h);
    B = await createCompany(h);
    link = await startMosquitto(h.deps, url, { ingest: true });
  });
  afterAll(async () => {
    for (const c of clients) await c.endAsync(true).catch(() => undefined);
    await link?.close();
    await h?.close();
    broker?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  const connect = async (username: string, password: string) => {
    const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { username, password, reconnectPeriod: 0, connectTimeout: 5000 });
    clients.push(c);
    return c;
  };

  it('a device created in Steward publishes to Mosquitto; the reading is stored once; outside its ACL nothing is', async () => {
    const made = (await A.admin.client.post('/api/v1/devices', { name: 'Chiller' })).body;
    expect(made.mqtt.url).toBe(`mqtt://127.0.0.1:${port}`);
    const meter = (await A.admin.client.post('/api/v1/meters', { deviceId: made.device.id, key: 'kw', name: 'Power', unit: 'kW' })).body
      .meter;
    const other = (await B.admin.client.post('/api/v1/devices', { name: 'Other' })).body;
    const c = await connect(made.mqtt.username, made.mqtt.password);
    const ts = new Date(Date.now() - 60_000).toISOString();
    await c.publishAsync(meter.topic, JSON.stringify({ v: 12.5, ts }), { qos: 1 });
    await c.publishAsync(meter.topic, JSON.stringify({ v: 99, ts }), { qos: 1 });
    await c.publishAsync(meter.topic, '13', { qos: 1 });
    // B's device publishing under A's key: Mosquitto drops it (ACL), silently.
    const cb = await connect(other.mqtt.username, other.mqtt.password);
    await cb.publishAsync(meter.topic, '666', { qos: 1 });
    const n = () => count(h, 'select count(*) from meter_readings where meter_id = $1', [meter.id]);
    await eventually(async () => (await n()) >= 2);
    expect(await n()).toBe(2);
    await sleep(300);
    const { rows } = await h.deps.database.query<{ v: number }>('select v from meter_readings where meter_id = $1 order by ts', [meter.id]);
    expect(rows.map((r) => Number(r.v))).toEqual([12.5, 13]);
    await expect(connect(made.mqtt.username, 'wrong-password')).rejects.toThrow();
  });

  it('rotating replaces the password at Mosquitto; deleting removes the client', async () => {
    const made = (await A.admin.client.post('/api/v1/devices', { name: 'Pump' })).body;
    const rotated = (await A.admin.client.post(`/api/v1/devices/${made.device.id}/credentials`, {})).body;
    await expect(connect(made.mqtt.username, made.mqtt.password)).rejects.toThrow();
    const c = await connect(made.mqtt.username, rotated.mqtt.password);
    expect(c.connected).toBe(true);
    await c.endAsync();
    expect((await A.admin.client.delete(`/api/v1/devices/${made.device.id}`)).status).toBe(204);
    await expect(connect(made.mqtt.username, rotated.mqtt.password)).rejects.toThrow();
  });
});
