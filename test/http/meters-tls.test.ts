// The embedded broker over TLS (issue 16 item 2, "TLS optional"): with MQTT_TLS_CERT/KEY it listens
// with TLS (and, MQTT_PLAIN=false, only with TLS); a stock MQTT.js client that trusts the certificate
// publishes a QoS 1 reading that is stored; a client that does not trust it, a wrong password, and a
// plain connection are refused; devices are told the mqtts:// address. Configuration errors name
// the variable.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/server/config.js';
import { type MeterBroker, startEmbeddedBroker } from '../../src/server/modules/meters/broker.js';
import { createCompany, type TestCompany } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { count } from '../helpers.js';

describe('embedded MQTT broker over TLS', () => {
  let h: Harness;
  let A: TestCompany;
  let broker: MeterBroker;
  let dir: string;
  let cert: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'steward-mqtt-tls-'));
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost',
      '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'),
    ], { stdio: 'ignore' });
    cert = readFileSync(path.join(dir, 'cert.pem'), 'utf8');
    h = await harness({
      mqttTls: { cert: path.join(dir, 'cert.pem'), key: path.join(dir, 'key.pem'), port: 0 },
      mqttPlain: false,
      mqttPublicUrl: 'mqtts://localhost:8883',
    });
    A = await createCompany(h);
    broker = await startEmbeddedBroker(h.deps, { host: '127.0.0.1', tlsPort: 0 });
  });
  afterAll(async () => {
    await broker?.close();
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('listens only with TLS; a trusting client publishes a QoS 1 reading that is stored; distrust, a bad password and plain MQTT are refused', async () => {
    expect(broker.port).toBeNull();
    expect(broker.tlsPort).toBeGreaterThan(0);
    const made = await A.admin.client.post('/api/v1/devices', { name: 'TLS gateway' });
    expect(made.status).toBe(201);
    expect(made.body.mqtt.url).toBe('mqtts://localhost:8883');
    const meter = await A.admin.client.post('/api/v1/meters', { deviceId: made.body.device.id, key: 'temp', name: 'Temperature', unit: '°C' });
    expect(meter.status).toBe(201);
    const url = `mqtts://localhost:${broker.tlsPort}`;
    const auth = { username: made.body.mqtt.username as string, password: made.body.mqtt.password as string };

    const client = await mqtt.connectAsync(url, { ...auth, ca: cert, reconnectPeriod: 0, connectTimeout: 5000 });
    await client.publishAsync(`steward/${auth.username}/temp`, JSON.stringify({ v: 21.25 }), { qos: 1 });
    await client.endAsync();
    // The PUBACK came after the batch committed: the reading is there.
    expect(await count(h, 'select count(*) from meter_readings where meter_id = $1 and v = 21.25', [meter.body.meter.id])).toBe(1);

    await expect(mqtt.connectAsync(url, { ...auth, reconnectPeriod: 0, connectTimeout: 5000 })).rejects.toThrow(/self.signed|certificate/i);
    await expect(
      mqtt.connectAsync(url, { ...auth, password: 'wrong', ca: cert, reconnectPeriod: 0, connectTimeout: 5000 }),
    ).rejects.toThrow(/Bad username or password|Not authorized|Connection refused/i);
  });

  it('a plain TCP connection to the TLS port gets no MQTT session', async () => {
    const answer = await new Promise<string>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port: broker.tlsPort as number }, () => {
        // An MQTT 3.1.1 CONNECT without TLS.
        socket.write(Buffer.from([0x10, 0x0c, 0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x04, 0x02, 0x00, 0x3c, 0x00, 0x00]));
      });
      const chunks: Buffer[] = [];
      socket.on('data', (d) => chunks.push(d));
      socket.on('error', () => resolve('error'));
      socket.on('close', () => resolve(Buffer.concat(chunks)[0] === 0x20 ? 'connack' : 'closed'));
      setTimeout(() => socket.destroy(), 3000);
    });
    expect(answer).not.toBe('connack');
  });

  it('configuration: both files or neither, MQTT_PLAIN=false needs TLS, devices are told mqtts:// by default', () => {
    const base = { SESSION_SECRET: 'x'.repeat(32) };
    expect(() => loadConfig({ ...base, MQTT_TLS_CERT: '/etc/cert.pem' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, MQTT_TLS_CERT: '/etc/cert.pem' })).toThrow(/MQTT_TLS_KEY/);
    expect(() => loadConfig({ ...base, MQTT_PLAIN: 'false' })).toThrow(/MQTT_PLAIN/);
    const c = loadConfig({ ...base, MQTT_TLS_CERT: 'cert.pem', MQTT_TLS_KEY: 'key.pem', PUBLIC_URL: 'https://desk.example.com' });
    expect(c.mqttTls).toMatchObject({ port: 8883, cert: path.resolve('cert.pem') });
    expect(c.mqttPlain).toBe(true);
    expect(c.mqttPublicUrl).toBe('mqtts://desk.example.com:8883');
    expect(loadConfig(base).mqttTls).toBeNull();
    expect(loadConfig(base).mqttPublicUrl).toMatch(/^mqtt:\/\/.*:1883$/);
  });

  it('an unreadable certificate is a clear error at start, not a crash', async () => {
    const bad = await harness({ mqttTls: { cert: path.join(dir, 'missing.pem'), key: path.join(dir, 'key.pem'), port: 0 } });
    try {
      await expect(startEmbeddedBroker(bad.deps, { host: '127.0.0.1', port: 0, tlsPort: 0 })).rejects.toThrow(/MQTT TLS certificate .*missing\.pem cannot be read \(ENOENT\)/);
    } finally {
      await bad.close();
    }
  });
});
