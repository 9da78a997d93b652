// Meter alerts, thresholds and meter-based maintenance plans (issue 16), through the real ingest
// (batches, the hook after commit) and the sweep with an injected clock: a silent device raises one
// offline alert within offlineAfterSeconds + 10 % and it closes when the device publishes again; a
// threshold fires once per excursion (alert + one work order), also by the timer when readings stop,
// and closes when the value returns; concurrent evaluations never duplicate; meter plans open their
// work order once per mark, threshold plans once per excursion; bad input and another company's
// meter change nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ingest } from '../../src/server/modules/meters/ingest.js';
import { afterReadings, sweepMeters } from '../../src/server/modules/meters/triggers.js';
import { createCompany, type TestCompany } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { count } from '../helpers.js';

describe('meter alerts, thresholds and meter plans', () => {
  let h: Harness;
  let A: TestCompany;
  let B: TestCompany;
  let ingest: Ingest;
  let assetId: string;

  beforeAll(async () => {
    h = await harness();
    A = await createCompany(h);
    B = await createCompany(h);
    ingest = new Ingest(h.deps, { flushMs: 5 });
    const category = (await A.admin.client.get('/api/v1/picklists/categories')).body.items[0].id;
    const asset = await A.admin.client.post('/api/v1/assets', { name: 'Compressor C-1', categoryId: category });
    expect(asset.status).toBe(201);
    assetId = asset.body.id;
  });
  afterAll(async () => {
    await ingest.close();
    await h.close();
  });

  const admin = () => A.admin.client;
  async function device(co: TestCompany, name: string, offlineAfterSeconds = 300) {
    const res = await co.admin.client.post('/api/v1/devices', { name, assetId: co === A ? assetId : null, offlineAfterSeconds });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.device as { id: string; deviceKey: string };
  }
  async function meter(co: TestCompany, deviceId: string, key: string, unit = '') {
    const res = await co.admin.client.post('/api/v1/meters', { deviceId, key, name: `Meter ${key}`, unit });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.meter as { id: string };
  }
  /** Publishes readings through the ingest and waits for the batch and its triggers. */
  async function publish(co: TestCompany, deviceId: string, key: string, readings: Array<[Date, number]>) {
    await Promise.all(readings.map(([ts, v]) => ingest.add(co.id, Number(deviceId), key, JSON.stringify({ v, ts: ts.toISOString() }))));
    await ingest.flush();
    await ingest.triggers.idle();
  }
  const alerts = async (q = '') => (await admin().get(`/api/v1/meter-alerts${q}`)).body;
  const workOrders = (title: string) =>
    count(h, "select count(*) from tickets where tenant_id = $1 and kind = 'work_order' and title = $2", [A.id, title]);

  it('a silent device raises one offline alert within offlineAfterSeconds + 10 %, also while connected; publishing again closes it', async () => {
    const d = await device(A, 'Boiler gateway', 10);
    await meter(A, d.id, 'temp', '°C');
    await publish(A, d.id, 'temp', [[new Date(), 21.5]]);
    const seen = Date.now();
    expect((await sweepMeters(h.deps, new Date(seen + 9_000))).offline).toBe(0);
    const swept = await sweepMeters(h.deps, new Date(seen + 10_900));
    expect(swept.offline).toBe(1);
    expect((await sweepMeters(h.deps, new Date(seen + 60_000))).offline).toBe(0);
    const open = await alerts(`?status=open&deviceId=${d.id}`);
    expect(open.items).toHaveLength(1);
    expect(open.items[0]).toMatchObject({ kind: 'offline', deviceName: 'Boiler gateway', open: true, closedAt: null });
    expect(open.openCount).toBeGreaterThanOrEqual(1);
    // The admin (meters.manage) is told.
    expect(
      await count(
        h,
        "select count(*) from notifications where tenant_id = $1 and user_id = $2 and event = 'meter.alert' and title like 'Device offline%'",
        [A.id, A.admin.id],
      ),
    ).toBe(1);
    await publish(A, d.id, 'temp', [[new Date(), 21.7]]);
    const after = await alerts(`?deviceId=${d.id}`);
    expect(after.items).toHaveLength(1);
    expect(after.items[0].open).toBe(false);
    expect((await alerts(`?status=open&deviceId=${d.id}`)).items).toHaveLength(0);
    // Silent again: a new alert (a new offline period).
    expect((await sweepMeters(h.deps, new Date(Date.now() + 11_000))).offline).toBe(1);
    expect((await alerts(`?deviceId=${d.id}`)).items).toHaveLength(2);
    // A longer offlineAfterSeconds moves the offline time with it.
    const d2 = await device(A, 'Slow logger', 10);
    await meter(A, d2.id, 'temp');
    await publish(A, d2.id, 'temp', [[new Date(), 5]]);
    expect((await admin().patch(`/api/v1/devices/${d2.id}`, { offlineAfterSeconds: 3600 })).status).toBe(200);
    expect((await sweepMeters(h.deps, new Date(Date.now() + 60_000))).offline).toBe(0);
    expect((await sweepMeters(h.deps, new Date(Date.now() + 3_601_000))).offline).toBe(1);
    // Another company sees none of it.
    expect((await B.admin.client.get(`/api/v1/meter-alerts?deviceId=${d.id}`)).body.items).toHaveLength(0);
  });

  it('thousands silent at once (an outage): one sweep raises every alert, set-based, and each recipient gets one summary', async () => {
    const C = await createCompany(h);
    const n = 25;
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const d = await device(C, `Logger ${i}`, 10);
      await meter(C, d.id, 'temp');
      ids.push(d.id);
    }
    await Promise.all(ids.map((id) => ingest.add(C.id, Number(id), 'temp', '20')));
    await ingest.flush();
    await ingest.triggers.idle();
    // A webhook on meter.alert (its outbox rows are written in the sweep's transaction; not sent here).
    const hook = await h.deps.database.query<{ id: string }>(
      "insert into webhooks (tenant_id, url, events, secret_enc) values ($1, 'https://hooks.example.com/x', '{meter.alert}', 'x') returning id",
      [C.id],
    );
    const seen = Date.now();
    // Two workers sweeping at once: every device alerted once.
    const [a, b] = await Promise.all([sweepMeters(h.deps, new Date(seen + 10_900)), sweepMeters(h.deps, new Date(seen + 10_900))]);
    expect(a.offline + b.offline).toBe(n);
    expect(a.failed + b.failed).toBe(0);
    expect((await sweepMeters(h.deps, new Date(seen + 20_000))).offline).toBe(0);
    const open = (await C.admin.client.get('/api/v1/meter-alerts?status=open&limit=100')).body;
    expect(open.items).toHaveLength(n);
    expect(new Set(open.items.map((x: { deviceId: string }) => x.deviceId)).size).toBe(n);
    expect(await count(h, "select count(*) from devices where tenant_id = $1 and offline_alert_id is not null", [C.id])).toBe(n);
    const deliveries = await h.deps.database.query<{ payload: string }>('select payload from webhook_deliveries where webhook_id = $1', [
      hook.rows[0].id,
    ]);
    expect(deliveries.rows).toHaveLength(n);
    expect(JSON.parse(deliveries.rows[0].payload)).toMatchObject({ type: 'meter.alert', data: { alert: { kind: 'offline' } } });
    // More than OFFLINE_DIGEST devices for one person: one summary, not 25 notices.
    const notices = await h.deps.database.query<{ title: string; body: string }>(
      "select title, body from notifications where tenant_id = $1 and user_id = $2 and event = 'meter.alert'",
      [C.id, C.admin.id],
    );
    expect(notices.rows).toHaveLength(1);
    expect(notices.rows[0].title).toBe(`${n} devices offline`);
    expect(notices.rows[0].body).toContain('Logger 0');
    // Publishing again closes them all.
    await Promise.all(ids.map((id) => ingest.add(C.id, Number(id), 'temp', '21')));
    await ingest.flush();
    await ingest.triggers.idle();
    expect((await C.admin.client.get('/api/v1/meter-alerts?status=open')).body.items).toHaveLength(0);
  });

  it('a threshold fires once per excursion after forSeconds (alert + one work order), closes when the value returns, and by the timer when readings stop', async () => {
    const d = await device(A, 'Vibration sensor');
    const m = await meter(A, d.id, 'vib', 'mm/s');
    const res = await admin().post(`/api/v1/meters/${m.id}/thresholds`, {
      op: '>',
      value: 5,
      forSeconds: 60,
      action: 'work_order',
      template: { title: 'Check compressor vibration', priority: 'high', tasks: [{ title: 'Inspect bearings' }] },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const th = res.body.threshold;
    expect(th).toMatchObject({ op: '>', value: 5, forSeconds: 60, action: 'work_order', state: 'within' });
    const t0 = Date.now() - 3_600_000;
    const at = (s: number) => new Date(t0 + s * 1000);
    await publish(A, d.id, 'vib', [
      [at(0), 3],
      [at(10), 7],
      [at(30), 8],
    ]);
    let list = (await admin().get(`/api/v1/meters/${m.id}/thresholds`)).body.items;
    expect(list[0]).toMatchObject({ state: 'pending', alertId: null });
    expect(await workOrders('Check compressor vibration')).toBe(0);
    await publish(A, d.id, 'vib', [
      [at(80), 9],
      [at(90), 10],
    ]);
    list = (await admin().get(`/api/v1/meters/${m.id}/thresholds`)).body.items;
    expect(list[0].state).toBe('alerting');
    expect(list[0].lastWorkOrder).toEqual(expect.any(Number));
    expect(await workOrders('Check compressor vibration')).toBe(1);
    // Still above: nothing more; a late reading older than the evaluated ones is ignored.
    await publish(A, d.id, 'vib', [
      [at(95), 12],
      [at(20), 1],
    ]);
    expect(await workOrders('Check compressor vibration')).toBe(1);
    let mine = (await alerts(`?meterId=${m.id}`)).items;
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ kind: 'threshold', open: true, value: 9, ticket: list[0].lastWorkOrder });
    // The work order is linked to the meter's asset (the device's asset).
    expect(
      await count(
        h,
        'select count(*) from ticket_assets ta join tickets t on t.tenant_id = ta.tenant_id and t.id = ta.ticket_id where t.title = $1 and ta.asset_id = $2',
        ['Check compressor vibration', assetId],
      ),
    ).toBe(1);
    // Back within limits: the alert closes.
    await publish(A, d.id, 'vib', [[at(100), 4]]);
    mine = (await alerts(`?meterId=${m.id}`)).items;
    expect(mine[0]).toMatchObject({ open: false, closedValue: 4 });
    // A second excursion whose readings stop: the timer fires it at start + forSeconds.
    await publish(A, d.id, 'vib', [[at(110), 7]]);
    expect((await sweepMeters(h.deps, at(169))).thresholds).toBe(0);
    expect((await sweepMeters(h.deps, at(171))).thresholds).toBe(1);
    expect((await sweepMeters(h.deps, at(400))).thresholds).toBe(0);
    expect(await workOrders('Check compressor vibration')).toBe(2);
    mine = (await alerts(`?meterId=${m.id}&status=open`)).items;
    expect(mine).toHaveLength(1);
    // A reading past it afterwards does not fire again.
    await publish(A, d.id, 'vib', [[at(200), 9]]);
    expect(await workOrders('Check compressor vibration')).toBe(2);
    // Deleting the threshold closes its open alert.
    expect((await admin().delete(`/api/v1/thresholds/${th.id}`)).status).toBe(204);
    expect((await alerts(`?meterId=${m.id}&status=open`)).items).toHaveLength(0);
    expect((await admin().get(`/api/v1/meters/${m.id}/thresholds`)).body.items).toHaveLength(0);
  });

  it('two evaluations of the same readings at once raise one alert', async () => {
    const d = await device(A, 'Chiller');
    const m = await meter(A, d.id, 'temp', '°C');
    expect((await admin().post(`/api/v1/meters/${m.id}/thresholds`, { op: '<', value: 2, forSeconds: 0 })).status).toBe(201);
    const readings = [{ deviceId: Number(d.id), key: 'temp', ts: new Date().toISOString(), v: 1 }];
    await Promise.all([
      afterReadings(h.deps, A.id, readings),
      afterReadings(h.deps, A.id, readings),
      afterReadings(h.deps, A.id, readings),
    ]);
    expect((await alerts(`?meterId=${m.id}`)).items).toHaveLength(1);
  });

  it('bad thresholds are refused (400) and another company reaches neither the meter nor the threshold (404)', async () => {
    const d = await device(A, 'Pump');
    const m = await meter(A, d.id, 'flow');
    const before = await count(h, 'select count(*) from meter_thresholds where tenant_id = $1', [A.id]);
    for (const body of [
      { op: '=', value: 1 },
      { op: '>', value: 'x' },
      { op: '>', value: 1, forSeconds: -1 },
      { op: '>', value: 1, action: 'work_order' },
      { op: '>', value: 1, action: 'work_order', template: { title: '' } },
    ]) {
      const res = await admin().post(`/api/v1/meters/${m.id}/thresholds`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation');
    }
    const ghost = await admin().post(`/api/v1/meters/${m.id}/thresholds`, {
      op: '>',
      value: 1,
      action: 'work_order',
      template: { title: 'x', assigneeId: '99999' },
    });
    expect(ghost.status).toBe(400);
    expect(await count(h, 'select count(*) from meter_thresholds where tenant_id = $1', [A.id])).toBe(before);
    const th = (await admin().post(`/api/v1/meters/${m.id}/thresholds`, { op: '>', value: 1 })).body.threshold;
    expect((await B.admin.client.post(`/api/v1/meters/${m.id}/thresholds`, { op: '>', value: 1 })).status).toBe(404);
    expect((await B.admin.client.get(`/api/v1/meters/${m.id}/thresholds`)).status).toBe(404);
    expect((await B.admin.client.delete(`/api/v1/thresholds/${th.id}`)).status).toBe(404);
    expect((await admin().get('/api/v1/meter-alerts?status=bogus')).status).toBe(400);
  });

  it('a meter plan opens its work order once per mark of the counter (every 500 h); the next mark follows', async () => {
    const d = await device(A, 'Compressor PLC');
    const m = await meter(A, d.id, 'hours', 'h');
    const res = await admin().post(`/api/v1/assets/${assetId}/maintenance-plans`, {
      title: 'Compressor 500 h service',
      trigger: { type: 'meter', meterId: m.id, everyUnits: 500 },
      template: { priority: 'medium', tasks: [{ title: 'Change oil' }] },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const planId = res.body.plan.id;
    expect(res.body.plan).toMatchObject({ nextDueValue: null, fires: true });
    const t0 = Date.now() - 3_600_000;
    const at = (s: number) => new Date(t0 + s * 1000);
    await publish(A, d.id, 'hours', [[at(0), 1234]]);
    const plan = async () => (await admin().get(`/api/v1/maintenance-plans/${planId}`)).body.plan;
    expect((await plan()).nextDueValue).toBe(1500);
    await publish(A, d.id, 'hours', [[at(10), 1400]]);
    expect(await workOrders('Compressor 500 h service')).toBe(0);
    await publish(A, d.id, 'hours', [
      [at(20), 1500],
      [at(30), 1501],
    ]);
    expect(await workOrders('Compressor 500 h service')).toBe(1);
    let p = await plan();
    expect(p.nextDueValue).toBe(2000);
    expect(p.openWorkOrder).toEqual(expect.any(Number));
    await publish(A, d.id, 'hours', [[at(40), 1600]]);
    expect(await workOrders('Compressor 500 h service')).toBe(1);
    // A jump over several marks: one work order, the next mark past the reading.
    await publish(A, d.id, 'hours', [[at(50), 2600]]);
    expect(await workOrders('Compressor 500 h service')).toBe(2);
    p = await plan();
    expect(p.nextDueValue).toBe(3000);
    const history = (await admin().get(`/api/v1/maintenance-plans/${planId}/work-orders`)).body.items;
    expect(history).toHaveLength(2);
  });

  it('a threshold plan opens one work order per excursion', async () => {
    const d = await device(A, 'Bearing probe');
    const m = await meter(A, d.id, 'temp', '°C');
    const res = await admin().post(`/api/v1/assets/${assetId}/maintenance-plans`, {
      title: 'Bearing too hot',
      trigger: { type: 'threshold', meterId: m.id, op: '>', value: 80, forSeconds: 30 },
      template: { priority: 'urgent' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const t0 = Date.now() - 3_600_000;
    const at = (s: number) => new Date(t0 + s * 1000);
    await publish(A, d.id, 'temp', [
      [at(0), 85],
      [at(40), 90],
      [at(50), 95],
    ]);
    expect(await workOrders('Bearing too hot')).toBe(1);
    await publish(A, d.id, 'temp', [
      [at(60), 70],
      [at(70), 85],
    ]);
    expect(await workOrders('Bearing too hot')).toBe(1);
    // The second excursion's readings stop: the sweep opens it once.
    await sweepMeters(h.deps, at(101));
    await sweepMeters(h.deps, at(500));
    expect(await workOrders('Bearing too hot')).toBe(2);
  });

  it('a plan on another company’s meter is refused', async () => {
    const d = await device(B, 'B gateway');
    const m = await meter(B, d.id, 'x');
    const res = await admin().post(`/api/v1/assets/${assetId}/maintenance-plans`, {
      title: 'Sneaky',
      trigger: { type: 'meter', meterId: m.id, everyUnits: 10 },
      template: { priority: 'low' },
    });
    expect(res.status).toBe(400);
  });
});
