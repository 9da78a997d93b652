// The demo company's meters: three devices on demo assets with a week of readings every five
// minutes (rollups filled), one threshold on the conveyor's vibration and one 500-running-hours plan.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD } from '../factories.js';
import { type Client, type Harness, harness } from '../harness.js';
import { count } from '../helpers.js';

describe('meters demo data', () => {
  let h: Harness;
  let admin: Client;

  beforeAll(async () => {
    h = await harness();
    admin = h.client();
    const res = await admin.post('/api/v1/setup', {
      company: { name: 'Demo Corp', slug: 'demo' },
      admin: { name: 'Ada Admin', email: 'ada@demo.test', password: PASSWORD },
      demoData: true,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect((await admin.login('ada@demo.test', PASSWORD)).status).toBe(200);
  });
  afterAll(() => h.close());

  it('has three devices on demo assets, a week of readings with rollups, one threshold and one meter plan', async () => {
    const devices = (await admin.get('/api/v1/devices')).body.items;
    expect(devices.map((d: { name: string }) => d.name).sort()).toEqual(['AHU A1 controller', 'Boiler B gateway', 'Conveyor 3 PLC']);
    for (const d of devices) expect(d.assetId).not.toBeNull();
    const meters = (await admin.get('/api/v1/meters?limit=50')).body.items;
    expect(meters).toHaveLength(5);
    const vibration = meters.find((m: { key: string }) => m.key === 'vibration');
    const hours = meters.find((m: { key: string }) => m.key === 'hours');
    expect(vibration.lastValue).toEqual(expect.any(Number));
    const n = await count(h, 'select count(*) from meter_readings where meter_id = $1', [vibration.id]);
    expect(n).toBe(7 * 288 + 1);
    const week = await admin.get(
      `/api/v1/meters/${vibration.id}/readings?from=${new Date(Date.now() - 7 * 86_400_000 - 600_000).toISOString()}&bucket=1h&limit=1000`,
    );
    expect(week.status).toBe(200);
    expect(week.body.items.length).toBeGreaterThanOrEqual(7 * 24);
    expect(week.body.items.reduce((a: number, b: { count: number }) => a + b.count, 0)).toBe(n);
    // Some spikes cross the threshold in the history.
    expect(Math.max(...week.body.items.map((b: { max: number }) => b.max))).toBeGreaterThan(7.1);
    const thresholds = (await admin.get(`/api/v1/meters/${vibration.id}/thresholds`)).body.items;
    expect(thresholds).toMatchObject([{ op: '>', value: 7.1, forSeconds: 60, action: 'alert', state: 'within' }]);
    const plans = (await admin.get('/api/v1/maintenance-plans?due=all')).body.items;
    const plan = plans.find((p: { title: string }) => p.title === 'Conveyor line 3 — 500 h service');
    expect(plan).toMatchObject({ trigger: { type: 'meter', meterId: hours.id, everyUnits: 500 }, nextDueValue: 1500, openWorkOrder: null });
    expect(hours.lastValue).toBeGreaterThan(1400);
    expect(hours.lastValue).toBeLessThan(1500);
  });
});
