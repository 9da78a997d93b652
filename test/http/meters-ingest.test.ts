// The meter ingest's batching (issue 16 item 8): two batches are stored at once (the second one
// commits while the first is still being written) but they settle in the order they were taken: a
// reading of the second batch is not acknowledged before the first batch's readings have been
// refused or acknowledged. Many pipelined batches over the same meters, arriving out of time order
// and partly twice, leave rollups equal to the raw readings' aggregates and each meter's last value
// at its newest reading. A device's last-seen time is written at most once per 1 % of its offline
// time (at most once a second).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ingest, PIPELINE } from '../../src/server/modules/meters/ingest.js';
import { storeReadings } from '../../src/server/modules/meters/meters.repo.js';
import type { Deps } from '../../src/server/platform/context.js';
import { createCompany, type TestCompany } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { eventually } from '../helpers.js';

describe('meter ingest: pipelined batches', () => {
  let h: Harness;
  let A: TestCompany;

  beforeAll(async () => {
    h = await harness();
    A = await createCompany(h);
  });
  afterAll(async () => {
    await h.close();
  });

  async function device(name: string, offlineAfterSeconds = 300) {
    const res = await A.admin.client.post('/api/v1/devices', { name, assetId: null, offlineAfterSeconds });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return Number(res.body.device.id);
  }
  async function meter(deviceId: number, key: string) {
    const res = await A.admin.client.post('/api/v1/meters', { deviceId: String(deviceId), key, name: `Meter ${key}` });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return Number(res.body.meter.id);
  }
  const rows = async (text: string, values: unknown[] = []) => (await h.deps.database.query<Record<string, unknown>>(text, values)).rows;

  it('stores the next batch while one is in flight, and settles them in order (a failed first batch before the second acks)', async () => {
    expect(PIPELINE).toBeGreaterThanOrEqual(2);
    const d = await device('Pipeline gateway');
    const m = await meter(d, 'p');
    // The first batch's transaction is held at a gate and then fails; the second one goes through.
    let calls = 0;
    let releaseFirst: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    let secondCommitted: () => void = () => undefined;
    const second = new Promise<void>((resolve) => {
      secondCommitted = resolve;
    });
    const database: Deps['database'] = {
      ...h.deps.database,
      async withTenant(tenantId, fn) {
        calls++;
        if (calls === 1) {
          await gate;
          throw new Error('the first batch fails');
        }
        const result = await h.deps.database.withTenant(tenantId, fn);
        secondCommitted();
        return result;
      },
    };
    const ingest = new Ingest({ ...h.deps, database }, { flushMs: 5, maxBatch: 10 });
    const order: string[] = [];
    const base = Date.parse('2026-04-01T10:00:00Z');
    const send = (i: number) =>
      ingest.add(A.id, d, 'p', JSON.stringify({ v: i, ts: new Date(base + i * 1000).toISOString() })).then(
        () => order.push(`ok ${i}`),
        () => order.push(`refused ${i}`),
      );
    const all: Promise<unknown>[] = [];
    for (let i = 0; i < 10; i++) all.push(send(i));
    await eventually(async () => calls === 1);
    expect(calls).toBe(1);
    for (let i = 10; i < 20; i++) all.push(send(i));
    await second;
    // The second batch is committed while the first is still in flight, but nothing is answered yet.
    expect(Number((await rows('select count(*) as n from meter_readings where meter_id = $1', [m]))[0].n)).toBe(10);
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual([]);
    releaseFirst();
    await Promise.all(all);
    expect(order).toEqual([
      ...Array.from({ length: 10 }, (_, i) => `refused ${i}`),
      ...Array.from({ length: 10 }, (_, i) => `ok ${i + 10}`),
    ]);
    expect(ingest.stats.failedBatches).toBe(1);
    // The refused readings come again (the device was not acknowledged) and are stored once.
    await Promise.all(Array.from({ length: 20 }, (_, i) => send(i)));
    await ingest.close();
    const [r] = await rows('select count(*) as n, count(distinct v) as nv from meter_readings where meter_id = $1', [m]);
    expect([Number(r.n), Number(r.nv)]).toEqual([20, 20]);
    const [rollup] = await rows('select sum(count) as n, min(min) as lo, max(max) as hi from meter_rollups_1m where meter_id = $1', [m]);
    expect([Number(rollup.n), Number(rollup.lo), Number(rollup.hi)]).toEqual([20, 0, 19]);
  });

  it('many batches at once over the same meters, out of time order and partly twice: rollups equal the raw aggregates, last values the newest', async () => {
    const d1 = await device('Line 1');
    const d2 = await device('Line 2');
    const targets: Array<{ d: number; key: string; m: number }> = [];
    for (const [d, key] of [
      [d1, 'a'],
      [d1, 'b'],
      [d1, 'c'],
      [d2, 'a'],
      [d2, 'z'],
    ] as const)
      targets.push({ d, key, m: await meter(d, key) });
    const ingest = new Ingest(h.deps, { flushMs: 2, maxBatch: 25 });
    // 1,200 readings 7 s apart from 23:00 UTC: across minutes, hours and a day boundary; sent in a
    // shuffled order (a fixed permutation), 40 at a time, then the first 150 of them again.
    const base = Date.parse('2026-05-01T23:00:00Z');
    const readings = Array.from({ length: 1200 }, (_, i) => ({
      t: targets[i % targets.length],
      ts: new Date(base + i * 7000).toISOString(),
      v: (i * 37) % 101,
    }));
    const shuffled = readings
      .map((r, i) => ({ r, k: (i * 7919) % 1201 }))
      .sort((a, b) => a.k - b.k)
      .map((x) => x.r);
    const sendAll = async (list: typeof readings) => {
      const acks: Promise<void>[] = [];
      for (let i = 0; i < list.length; i++) {
        const { t, ts, v } = list[i];
        acks.push(ingest.add(A.id, t.d, t.key, JSON.stringify({ v, ts })));
        if (i % 40 === 39) await new Promise((resolve) => setImmediate(resolve));
      }
      await Promise.all(acks);
    };
    await sendAll(shuffled);
    await sendAll(shuffled.slice(0, 150));
    await ingest.close();
    expect(ingest.stats.failedBatches).toBe(0);
    expect(ingest.stats.stored).toBe(1200);
    expect(ingest.stats.skipped).toBe(150);
    const ids = `{${targets.map((t) => t.m).join(',')}}`;
    for (const [table, unit] of [
      ['meter_rollups_1m', 'minute'],
      ['meter_rollups_1h', 'hour'],
      ['meter_rollups_1d', 'day'],
    ]) {
      const raw = await rows(
        `select meter_id::text, date_trunc('${unit}', ts, 'UTC') as b, min(v) as min, max(v) as max, sum(v) as sum, count(*)::int as count
           from meter_readings where meter_id = any($1::bigint[]) group by 1, 2 order by 1, 2`,
        [ids],
      );
      const rolled = await rows(
        `select meter_id::text, bucket as b, min, max, sum, count from ${table} where meter_id = any($1::bigint[]) order by 1, 2`,
        [ids],
      );
      expect(raw.length).toBeGreaterThan(unit === 'day' ? 5 : 10);
      expect(rolled.map((r) => ({ ...r, b: String(r.b) }))).toEqual(raw.map((r) => ({ ...r, b: String(r.b) })));
    }
    for (const t of targets) {
      const newest = readings.filter((r) => r.t === t).at(-1);
      const [row] = await rows('select last_value, last_at from meters where id = $1', [t.m]);
      expect(Number(row.last_value)).toBe(newest?.v);
      expect(new Date(row.last_at as string).toISOString()).toBe(newest?.ts);
    }
  });

  it("writes a device's last-seen time (and its offline time) at most once per 1 % of its offline time, and at most once a second", async () => {
    const check = async (offlineAfterSeconds: number, steps: Array<[number, number | null]>) => {
      const d = await device(`Chatty sensor ${offlineAfterSeconds}`, offlineAfterSeconds);
      await meter(d, 's');
      const t0 = Date.parse('2026-06-01T08:00:00Z');
      let expected = 0;
      for (const [i, [atMs, seenMs]] of steps.entries()) {
        const stored = await h.deps.database.withTenant(A.id, (scope) =>
          storeReadings(
            scope.tx,
            A.id,
            [{ deviceId: d, key: 's', ts: new Date(t0 - 1000 + i).toISOString(), v: i }],
            [d],
            new Date(t0 + atMs).toISOString(),
          ),
        );
        expect(stored).toBe(1);
        if (seenMs !== null) expected = seenMs;
        const [row] = await rows('select last_seen_at, offline_at from devices where id = $1', [d]);
        expect(
          [new Date(row.last_seen_at as string).getTime() - t0, new Date(row.offline_at as string).getTime() - t0],
          `step ${i}`,
        ).toEqual([expected, expected + offlineAfterSeconds * 1000]);
      }
    };
    // 300 s: once a second; an older arrival time never moves it back.
    await check(300, [
      [0, 0],
      [900, null],
      [1000, 1000],
      [1500, null],
      [2200, 2200],
      [-60_000, null],
    ]);
    // 10 s: once per 100 ms.
    await check(10, [
      [0, 0],
      [50, null],
      [100, 100],
      [250, 250],
    ]);
  });
});
