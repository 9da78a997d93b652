// The meter simulator: its series (temperatures drift, the counter only rises, vibration spikes last
// past the demo threshold's 60 s), the device it takes (the demo PLC or a created "Simulator", its
// password rotated) and a few rounds published to the embedded broker, stored by the ingest.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulateMeters } from '../../src/server/cli/simulate-meters.js';
import { type MeterBroker, startEmbeddedBroker } from '../../src/server/modules/meters/broker.js';
import { SimSeries, simulatorDevice } from '../../src/server/modules/meters/simulator.js';
import { createCompany, type TestCompany } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { count, eventually } from '../helpers.js';

describe('meter simulator', () => {
  let h: Harness;
  let co: TestCompany;
  let broker: MeterBroker;

  beforeAll(async () => {
    h = await harness();
    co = await createCompany(h);
    broker = await startEmbeddedBroker(h.deps, { port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await broker.close();
    await h.close();
  });

  it('makes realistic series: a rising counter, vibration spikes longer than 60 s above 7.1, a drifting temperature', () => {
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1_664_525 + 1_013_904_223) >>> 0;
      return seed / 2 ** 32;
    };
    const counter = new SimSeries({ key: 'hours', kind: 'counter', start: 1000 }, 1, 3600, rnd);
    const a = counter.next();
    const b = counter.next();
    expect(b).toBeGreaterThan(a);
    expect(b - a).toBeCloseTo(1, 5);
    const vib = new SimSeries({ key: 'vibration', kind: 'vibration', start: 2.4 }, 1, 1, rnd);
    const values = Array.from({ length: 6 * 3600 }, () => vib.next());
    let run = 0;
    let longest = 0;
    for (const v of values) {
      run = v > 7.1 ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
    expect(longest).toBeGreaterThan(60);
    expect(values.filter((v) => v <= 7.1).length).toBeGreaterThan(values.length / 2);
    const temp = new SimSeries({ key: 'temp', kind: 'temp', start: 20 }, 1, 1, rnd);
    const t0 = Date.now();
    const temps = Array.from({ length: 600 }, (_, i) => temp.next(t0 + i * 1000));
    expect(Math.max(...temps) - Math.min(...temps)).toBeGreaterThan(4);
  });

  it('creates a Simulator device once (rotating its password after) and publishes to its meters', async () => {
    const first = await simulatorDevice(h.deps, co.id);
    expect(first.name).toBe('Simulator');
    expect(first.meters.map((m) => m.kind).sort()).toEqual(['counter', 'temp', 'vibration']);
    const again = await simulatorDevice(h.deps, co.id);
    expect(again.deviceKey).toBe(first.deviceKey);
    expect(again.password).not.toBe(first.password);
    expect(await count(h, "select count(*) from devices where tenant_id = $1 and name = 'Simulator'", [co.id])).toBe(1);
    await simulateMeters({
      url: `mqtt://127.0.0.1:${broker.port}`,
      username: again.deviceKey,
      password: again.password,
      rate: '20',
      count: '3',
    });
    await eventually(async () => {
      expect(
        await count(
          h,
          'select count(*) from meter_readings r join meters m on m.tenant_id = r.tenant_id and m.id = r.meter_id where m.device_id = (select id from devices where device_key = $1)',
          [again.deviceKey],
        ),
      ).toBe(9);
    });
  });
});
