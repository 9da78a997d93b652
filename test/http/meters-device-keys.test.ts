// The Mosquitto ingest's device-key cache (device-keys.ts): the keys missing at one moment are
// looked up in one query, answered in arrival order per key with the right company and device (null for an
// unknown key); a hit needs no query; an entry older than KEY_TTL_MS is served while it is refreshed
// in the background, an unknown key's answer is asked again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeviceKeys, type DeviceRef, KEY_TTL_MS } from '../../src/server/modules/meters/device-keys.js';
import { createCompany, type TestCompany } from '../factories.js';
import { type Harness, harness } from '../harness.js';

describe('device keys of the Mosquitto ingest', () => {
  let h: Harness;
  let A: TestCompany;
  let B: TestCompany;
  const devices: Array<{ key: string; tenantId: number; deviceId: number }> = [];
  let queries = 0;

  beforeAll(async () => {
    h = await harness();
    A = await createCompany(h);
    B = await createCompany(h);
    for (const [co, name] of [
      [A, 'Boiler'],
      [A, 'Pump'],
      [B, 'Chiller'],
    ] as const) {
      const made = await co.admin.client.post('/api/v1/devices', { name });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      devices.push({ key: made.body.device.deviceKey, tenantId: co.id, deviceId: Number(made.body.device.id) });
    }
    const system = h.deps.database.system.bind(h.deps.database);
    h.deps.database.system = (fn) => {
      queries++;
      return system(fn);
    };
  });
  afterAll(() => h.close());

  const resolve = (keys: DeviceKeys, key: string) =>
    new Promise<DeviceRef | null>((ok, fail) => keys.resolve(key, (device, err) => (err ? fail(err) : ok(device))));

  it('looks the misses of a moment up in one query, then answers from the cache', async () => {
    const keys = new DeviceKeys(h.deps);
    queries = 0;
    const order: string[] = [];
    const asked = [...devices.map((d) => d.key), 'dev_unknown', devices[0].key].map((key, i) =>
      resolve(keys, key).then((device) => {
        order.push(`${i}`);
        return device;
      }),
    );
    const answers = await Promise.all(asked);
    expect(queries).toBe(1);
    expect(answers).toEqual([
      ...devices.map((d) => ({ tenantId: d.tenantId, deviceId: d.deviceId })),
      null,
      { tenantId: devices[0].tenantId, deviceId: devices[0].deviceId },
    ]);
    // In arrival order per key (the same device's readings stay in order).
    expect(order.indexOf('0')).toBeLessThan(order.indexOf('4'));
    expect(order).toHaveLength(5);
    for (const d of devices) expect(keys.get(d.key)).toEqual({ tenantId: d.tenantId, deviceId: d.deviceId });
    expect(keys.get('dev_unknown')).toBeNull();
    expect(keys.get('dev_never_asked')).toBeUndefined();
    expect(queries).toBe(1);

    // Past the TTL: a known device is served at once and refreshed in the background (one query for
    // all of them); an unknown key must be asked again.
    const later = Date.now() + KEY_TTL_MS + 1;
    for (const d of devices) expect(keys.get(d.key, later)).toEqual({ tenantId: d.tenantId, deviceId: d.deviceId });
    expect(keys.get('dev_unknown', later)).toBeUndefined();
    await new Promise((r) => setTimeout(r, 50));
    for (let i = 0; i < 50 && queries < 2; i++) await new Promise((r) => setTimeout(r, 20));
    expect(queries).toBe(2);
    expect(keys.get(devices[2].key)).toEqual({ tenantId: devices[2].tenantId, deviceId: devices[2].deviceId });
  });
});
