// Reminders of meter alerts nobody acknowledged (issue 16): with meterAlertReminderHours set, an open,
// unacknowledged alert is notified again to those told of it once per period (not per run, not
// twice from two runs at once); acknowledging or closing it stops them; a company with the setting
// off (the default) or another company's alerts get none; the setting is validated (400, nothing
// changed).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { remindOpenAlerts } from '../../src/server/modules/meters/alert-reminders.service.js';
import { createCompany, type TestCompany } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { count } from '../helpers.js';

const HOUR = 3_600_000;

describe('meter alert reminders', () => {
  let h: Harness;
  let A: TestCompany;
  let B: TestCompany;
  let t0: number;

  /** An offline alert as the sweep writes it, opened at `at`. */
  async function alert(co: TestCompany, name: string, at: Date): Promise<string> {
    const made = await co.admin.client.post('/api/v1/devices', { name });
    expect(made.status).toBe(201);
    const { rows } = await h.deps.database.query<{ id: string }>(
      "insert into meter_alerts (tenant_id, kind, device_id, message, opened_at) values ($1, 'offline', $2, $3, $4) returning id",
      [co.id, made.body.device.id, `${name} is offline`, at.toISOString()],
    );
    return String(rows[0].id);
  }
  const reminders = (co: TestCompany, like = 'Still open:%') =>
    count(h, "select count(*) from notifications where tenant_id = $1 and user_id = $2 and event = 'meter.alert' and title like $3", [
      co.id,
      co.admin.id,
      like,
    ]);

  beforeAll(async () => {
    h = await harness();
    A = await createCompany(h);
    B = await createCompany(h);
    t0 = Date.now();
  });
  afterAll(() => h.close());

  it('the setting: 0 (off) by default, 0–168 whole hours, bad values 400 and unchanged', async () => {
    expect((await A.admin.client.get('/api/v1/settings')).body.settings.meterAlertReminderHours).toBe(0);
    for (const bad of [-1, 169, 2.5, '4', null]) {
      const res = await A.admin.client.patch('/api/v1/settings', { meterAlertReminderHours: bad });
      expect(res.status, JSON.stringify(bad)).toBe(400);
    }
    expect((await A.admin.client.get('/api/v1/settings')).body.settings.meterAlertReminderHours).toBe(0);
    const set = await A.admin.client.patch('/api/v1/settings', { meterAlertReminderHours: 2 });
    expect(set.status).toBe(200);
    expect(set.body.settings.meterAlertReminderHours).toBe(2);
  });

  it('an open alert nobody acknowledged is reminded of once per period; acknowledging or closing stops it; B (off) gets none', async () => {
    const opened = new Date(t0);
    const pump = await alert(A, 'Pump gateway', opened);
    const fan = await alert(A, 'Fan gateway', opened);
    await alert(B, 'B gateway', opened);

    expect(await remindOpenAlerts(h.deps, new Date(t0 + HOUR))).toBe(0);
    expect(await reminders(A)).toBe(0);

    // Two runs at once past the period: each alert is reminded of once.
    const [a, b] = await Promise.all([remindOpenAlerts(h.deps, new Date(t0 + 2 * HOUR + 60_000)), remindOpenAlerts(h.deps, new Date(t0 + 2 * HOUR + 60_000))]);
    expect(a + b).toBe(2);
    expect(await reminders(A)).toBe(2);
    expect(await reminders(A, 'Still open: Pump gateway is offline')).toBe(1);
    expect(await count(h, "select count(*) from notifications where tenant_id = $1 and title like 'Still open:%'", [B.id])).toBe(0);

    // Not again within the period; again after it.
    expect(await remindOpenAlerts(h.deps, new Date(t0 + 3 * HOUR))).toBe(0);
    const ack = await A.admin.client.post(`/api/v1/meter-alerts/${pump}/acknowledge`, { note: 'on it' });
    expect(ack.status).toBe(200);
    expect(await remindOpenAlerts(h.deps, new Date(t0 + 4 * HOUR + 120_000))).toBe(1);
    expect(await reminders(A, 'Still open: Fan gateway is offline')).toBe(2);
    expect(await reminders(A, 'Still open: Pump gateway is offline')).toBe(1);

    // Closed: no more.
    await h.deps.database.query('update meter_alerts set closed_at = $3 where tenant_id = $1 and id = $2', [A.id, fan, new Date(t0 + 5 * HOUR).toISOString()]);
    expect(await remindOpenAlerts(h.deps, new Date(t0 + 7 * HOUR))).toBe(0);
    expect(await reminders(A)).toBe(3);
  });

  it('many alerts at once: one summary per recipient instead of a flood', async () => {
    const opened = new Date(t0 + 10 * HOUR);
    for (let i = 0; i < 5; i++) await alert(A, `Sensor ${i}`, opened);
    expect(await remindOpenAlerts(h.deps, new Date(t0 + 12 * HOUR + 60_000))).toBe(5);
    expect(await reminders(A, '5 meter alerts still open')).toBe(1);
    expect(await reminders(A, 'Still open: Sensor%')).toBe(0);
  });

  it('turned off: no reminders', async () => {
    expect((await A.admin.client.patch('/api/v1/settings', { meterAlertReminderHours: 0 })).status).toBe(200);
    const before = await count(h, "select count(*) from notifications where tenant_id = $1 and event = 'meter.alert'", [A.id]);
    expect(await remindOpenAlerts(h.deps, new Date(t0 + 100 * HOUR))).toBe(0);
    expect(await count(h, "select count(*) from notifications where tenant_id = $1 and event = 'meter.alert'", [A.id])).toBe(before);
  });
});
