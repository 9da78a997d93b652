// Meter retention (docs/decisions/0006-meter-retention.md): a company's readings and rollups older
// than its meterRetentionDays are deleted; another company's rows within its own (longer) retention
// stay, and so does the partition holding them; a monthly partition every company's retention has
// passed is dropped whole. Readings go in through the ingest's storeBatch (rollups included).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMeterRetention } from '../../src/server/modules/meters/meters-retention.service.js';
import { storeBatch } from '../../src/server/modules/meters/meters.service.js';
import { createCompany, type TestCompany } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { count } from '../helpers.js';

const DAY = 86_400_000;
const monthStart = (ms: number) => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
};
const partName = (ms: number) => {
  const d = new Date(ms);
  return `meter_readings_${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
};

describe('meter retention', () => {
  let h: Harness;
  let A: TestCompany;
  let B: TestCompany;
  const meters = new Map<TestCompany, { meterId: string; deviceId: number }>();
  const now = Date.now();
  // Far in the past (past every retention): its partition goes.
  const ancient = monthStart(now - 1500 * DAY) + 5 * DAY;
  // ~200 days ago: past A's 30 days, within B's 1000.
  const middle = monthStart(now - 200 * DAY) + 3 * DAY;
  // 60 days ago: in the default partition (older than last month) or a monthly one.
  const recentish = now - 60 * DAY;

  beforeAll(async () => {
    h = await harness();
    A = await createCompany(h);
    B = await createCompany(h);
    // Partitions for the two old months (as a backfill would have them); RLS as the job gives them.
    for (const at of [ancient, middle]) {
      const name = partName(at);
      const from = new Date(monthStart(at)).toISOString();
      const to = new Date(Date.UTC(new Date(at).getUTCFullYear(), new Date(at).getUTCMonth() + 1, 1)).toISOString();
      await h.deps.database.query(`create table if not exists ${name} partition of meter_readings for values from ('${from}') to ('${to}')`);
      await h.deps.database.query(`select steward_protect_reading_partition('${name}')`);
    }
    for (const co of [A, B]) {
      const made = (await co.admin.client.post('/api/v1/devices', { name: 'Gateway' })).body;
      const meter = (await co.admin.client.post('/api/v1/meters', { deviceId: made.device.id, key: 'kwh', name: 'Energy', unit: 'kWh' })).body.meter;
      meters.set(co, { meterId: meter.id, deviceId: Number(made.device.id) });
      const readings = [ancient, middle, recentish, now - DAY].flatMap((at) =>
        [0, 1, 2].map((i) => ({ deviceId: Number(made.device.id), key: 'kwh', ts: new Date(Math.floor(at / 60_000) * 60_000 + i * 1000).toISOString(), v: i })),
      );
      expect(await storeBatch(h.deps, co.id, readings, [Number(made.device.id)], new Date().toISOString())).toBe(12);
    }
  });
  afterAll(() => h?.close());

  const readings = (co: TestCompany) => count(h, 'select count(*) from meter_readings where tenant_id = $1', [co.id]);
  const rollups = (co: TestCompany, t: string) => count(h, `select count(*) from ${t} where tenant_id = $1`, [co.id]);
  const partitionExists = async (name: string) =>
    (await h.deps.database.query<{ r: string | null }>('select to_regclass($1)::text as r', [name])).rows[0].r !== null;

  it('is a company setting (default 730 days), validated', async () => {
    const got = await A.admin.client.get('/api/v1/settings');
    expect(got.body.settings.meterRetentionDays).toBe(730);
    expect((await A.admin.client.patch('/api/v1/settings', { meterRetentionDays: 0 })).status).toBe(400);
    const set = await A.admin.client.patch('/api/v1/settings', { meterRetentionDays: 30 });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body.settings.meterRetentionDays).toBe(30);
    expect((await B.admin.client.patch('/api/v1/settings', { meterRetentionDays: 1000 })).status).toBe(200);
  });

  it("deletes each company's expired rows, keeps the other's within its retention, drops a partition past every retention", async () => {
    expect(await partitionExists(partName(ancient))).toBe(true);
    const done = await applyMeterRetention(h.deps, now);
    expect(done.dropped).toEqual([partName(ancient)]);
    expect(await partitionExists(partName(ancient))).toBe(false);
    expect(await partitionExists(partName(middle))).toBe(true);
    // A (30 days) keeps only yesterday's readings; B (1000 days) keeps all but the ancient ones.
    expect(await readings(A)).toBe(3);
    expect(await readings(B)).toBe(9);
    const { rows } = await h.deps.database.query<{ ts: Date }>('select min(ts) as ts from meter_readings where tenant_id = $1', [A.id]);
    expect(new Date(rows[0].ts).getTime()).toBeGreaterThan(now - 30 * DAY);
    // Rollups follow: A's minute/hour/day buckets only of yesterday; B's of three days.
    expect(await rollups(A, 'meter_rollups_1d')).toBe(1);
    expect(await rollups(B, 'meter_rollups_1d')).toBe(3);
    expect(await rollups(A, 'meter_rollups_1h')).toBe(1);
    expect(await rollups(B, 'meter_rollups_1m')).toBe(3);
    // The readings API of B still answers the middle month.
    const meterB = meters.get(B)?.meterId;
    const res = await B.admin.client.get(
      `/api/v1/meters/${meterB}/readings?from=${new Date(middle - DAY).toISOString()}&to=${new Date(middle + DAY).toISOString()}&bucket=raw`,
    );
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(3);
    // A second run has nothing left to do.
    expect(await applyMeterRetention(h.deps, now)).toEqual({ readings: 0, rollups: 0, dropped: [] });
  });
});
