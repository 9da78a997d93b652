// Acknowledging meter alerts (issue 16, "what ThingsBoard and MaintainX users expect"): those told
// of an alert (meters.manage, the assignee of its asset) mark it seen with a note; the first
// acknowledgement stays; the badge counts only open alerts nobody acknowledged; the list filters by
// it; a reader who may not acknowledge is refused (403), another company's alert is not found (404),
// and bad bodies are 400 and change nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ingest } from '../../src/server/modules/meters/ingest.js';
import { sweepMeters } from '../../src/server/modules/meters/triggers.js';
import { createCompany, createRole, createUser, type TestCompany, type TestUser } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { count } from '../helpers.js';

describe('acknowledging meter alerts', () => {
  let h: Harness;
  let A: TestCompany;
  let B: TestCompany;
  let ingest: Ingest;
  let viewer: TestUser;
  let assetId: string;
  let alertId: string;

  beforeAll(async () => {
    h = await harness();
    A = await createCompany(h);
    B = await createCompany(h);
    ingest = new Ingest(h.deps, { flushMs: 5 });
    viewer = await createUser(h, A, { roleId: await createRole(h, A, ['assets.view', 'tickets.create']) });
    const category = (await A.admin.client.get('/api/v1/picklists/categories')).body.items[0].id;
    const asset = await A.admin.client.post('/api/v1/assets', { name: 'Chiller CH-2', categoryId: category });
    expect(asset.status).toBe(201);
    assetId = asset.body.id;
    const made = await A.admin.client.post('/api/v1/devices', { name: 'Chiller gateway', assetId, offlineAfterSeconds: 10 });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const deviceId = made.body.device.id as string;
    expect((await A.admin.client.post('/api/v1/meters', { deviceId, key: 'temp', name: 'Supply temperature', unit: '°C' })).status).toBe(201);
    await ingest.add(A.id, Number(deviceId), 'temp', JSON.stringify({ v: 6.5, ts: new Date().toISOString() }));
    await ingest.flush();
    await ingest.triggers.idle();
    expect((await sweepMeters(h.deps, new Date(Date.now() + 11_000))).offline).toBeGreaterThanOrEqual(1);
    const open = await A.admin.client.get(`/api/v1/meter-alerts?status=open&deviceId=${deviceId}`);
    expect(open.body.items).toHaveLength(1);
    alertId = open.body.items[0].id;
  });
  afterAll(async () => {
    await ingest.close();
    await h.close();
  });

  const alertAs = async (u: TestUser) => {
    const res = await u.client.get('/api/v1/meter-alerts?status=all');
    expect(res.status).toBe(200);
    return { list: res.body, alert: res.body.items.find((a: { id: string }) => a.id === alertId) };
  };

  it('an open alert nobody acknowledged counts for the badge; the manager may acknowledge, a mere reader may not (403)', async () => {
    const { list, alert } = await alertAs(A.admin);
    expect(alert).toMatchObject({ open: true, acknowledgedAt: null, acknowledgedBy: null, acknowledgeNote: null, canAcknowledge: true });
    expect(list.unacknowledgedCount).toBe(1);
    expect(list.openCount).toBe(1);

    const seen = await alertAs(viewer);
    expect(seen.alert.canAcknowledge).toBe(false);
    const refused = await viewer.client.post(`/api/v1/meter-alerts/${alertId}/acknowledge`, { note: 'mine' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('forbidden');
    expect((await alertAs(A.admin)).alert.acknowledgedAt).toBeNull();
  });

  it('bad bodies are 400 and another company cannot reach the alert (404); nothing changes', async () => {
    for (const body of [{ note: 'x'.repeat(2001) }, { note: 12 }, { note: 'ok', extra: true }, [1, 2]]) {
      const res = await A.admin.client.post(`/api/v1/meter-alerts/${alertId}/acknowledge`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation');
    }
    expect((await A.admin.client.post('/api/v1/meter-alerts/not-a-number/acknowledge', {})).status).toBe(400);
    expect((await A.admin.client.post('/api/v1/meter-alerts/999999999/acknowledge', {})).status).toBe(404);
    const other = await B.admin.client.post(`/api/v1/meter-alerts/${alertId}/acknowledge`, { note: 'not yours' });
    expect(other.status).toBe(404);
    expect((await B.admin.client.get('/api/v1/meter-alerts?status=all')).body.items).toHaveLength(0);
    expect((await alertAs(A.admin)).alert.acknowledgedAt).toBeNull();
  });

  it('the assignee of the asset may acknowledge, with a note; the first acknowledgement stays; the badge drops it', async () => {
    const out = await A.admin.client.post(`/api/v1/assets/${assetId}/checkout`, { userId: String(viewer.id) });
    expect(out.status, JSON.stringify(out.body)).toBe(200);
    expect((await alertAs(viewer)).alert.canAcknowledge).toBe(true);

    const res = await viewer.client.post(`/api/v1/meter-alerts/${alertId}/acknowledge`, { note: '  On my way, checking the gateway power  ' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.alert).toMatchObject({
      id: alertId,
      open: true,
      acknowledgeNote: 'On my way, checking the gateway power',
      acknowledgedBy: { id: String(viewer.id) },
      canAcknowledge: false,
    });
    expect(Date.parse(res.body.alert.acknowledgedAt)).toBeGreaterThan(0);

    const again = await A.admin.client.post(`/api/v1/meter-alerts/${alertId}/acknowledge`, { note: 'me too' });
    expect(again.status).toBe(200);
    expect(again.body.alert.acknowledgedBy.id).toBe(String(viewer.id));
    expect(again.body.alert.acknowledgeNote).toBe('On my way, checking the gateway power');

    const { list } = await alertAs(A.admin);
    expect(list.openCount).toBe(1);
    expect(list.unacknowledgedCount).toBe(0);
    expect((await A.admin.client.get('/api/v1/meter-alerts?acknowledged=false')).body.items.map((a: { id: string }) => a.id)).not.toContain(alertId);
    expect((await A.admin.client.get('/api/v1/meter-alerts?acknowledged=true')).body.items.map((a: { id: string }) => a.id)).toEqual([alertId]);
    expect(
      await count(h, "select count(*) from audit_log where tenant_id = $1 and action = 'meter_alert.acknowledged'", [A.id]),
    ).toBe(1);
  });
});
