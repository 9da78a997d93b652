// Date-only rules follow the company's time zone (settings `timezone`), not UTC or the database's
// current_date: at 20:00 in Los Angeles it is already tomorrow in UTC, yet today is still today.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { addDays, todayIn, wallClockToInstant } from '../../src/shared/time/index.js';
import { createCompany, createUser, type TestCompany, type TestUser } from '../factories.js';
import { type Harness, harness } from '../harness.js';

const LA = 'America/Los_Angeles';

describe('company dates', () => {
  let h: Harness;
  let west: TestCompany;
  let utc: TestCompany;
  let westHolder: TestUser;
  let utcHolder: TestUser;
  let laptopOf: Map<TestCompany, string>;
  // Today at 20:00 on a Los Angeles wall clock: 03:00 or 04:00 of the next day in UTC.
  const laToday = todayIn(LA);
  const evening = wallClockToInstant(laToday, '20:00', LA);

  beforeAll(async () => {
    h = await harness();
    west = await createCompany(h);
    utc = await createCompany(h);
    westHolder = await createUser(h, west, { role: 'Technician' });
    utcHolder = await createUser(h, utc, { role: 'Technician' });
    const zone = await west.admin.client.patch('/api/v1/settings', { timezone: LA });
    expect(zone.status).toBe(200);
    expect(zone.body.settings.timezone).toBe(LA);
    laptopOf = new Map();
    for (const co of [west, utc]) {
      const cats = await co.admin.client.get('/api/v1/picklists/categories');
      laptopOf.set(co, cats.body.items.find((c: { name: string }) => c.name === 'Laptop').id);
    }
  });
  afterEach(() => vi.useRealTimers());
  afterAll(() => h.close());

  const newAsset = async (co: TestCompany, name: string) =>
    (await co.admin.client.post('/api/v1/assets', { name, categoryId: laptopOf.get(co) })).body.asset as { id: string };

  it('lets a company in Los Angeles choose today as the return date at 20:00, and it is not overdue', async () => {
    const a = await newAsset(west, 'Evening loaner');
    vi.useFakeTimers({ toFake: ['Date'], now: evening });
    expect(todayIn('UTC')).toBe(addDays(laToday, 1));
    const out = await west.admin.client.post(`/api/v1/assets/${a.id}/checkout`, { userId: String(westHolder.id), expectedReturn: laToday });
    expect(out.status).toBe(200);
    expect(out.body.asset).toMatchObject({ expectedReturn: laToday, overdue: false });
    expect((await west.admin.client.get(`/api/v1/assets/${a.id}`)).body.asset.overdue).toBe(false);
    const overdue = await west.admin.client.get('/api/v1/assets?overdue=true');
    expect(overdue.body.items.map((x: { id: string }) => x.id)).not.toContain(a.id);

    // Yesterday in Los Angeles is still refused.
    const b = await newAsset(west, 'Late loaner');
    const late = await west.admin.client.post(`/api/v1/assets/${b.id}/checkout`, {
      userId: String(westHolder.id),
      expectedReturn: addDays(laToday, -1),
    });
    expect(late.status).toBe(400);
    expect(late.body.error).toMatchObject({ code: 'validation', details: { fields: { expectedReturn: 'must not be in the past' } } });
  });

  it('makes it overdue once that day has ended in Los Angeles, in the answer and the overdue filter alike', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: evening });
    const a = await newAsset(west, 'Overnight loaner');
    expect(
      (await west.admin.client.post(`/api/v1/assets/${a.id}/checkout`, { userId: String(westHolder.id), expectedReturn: laToday })).status,
    ).toBe(200);
    vi.setSystemTime(wallClockToInstant(addDays(laToday, 1), '00:30', LA));
    expect((await west.admin.client.get(`/api/v1/assets/${a.id}`)).body.asset.overdue).toBe(true);
    const overdue = await west.admin.client.get('/api/v1/assets?overdue=true');
    expect(overdue.body.items.map((x: { id: string }) => x.id)).toContain(a.id);
  });

  it('keeps UTC rules for a company in UTC at the same instant', async () => {
    const a = await newAsset(utc, 'UTC loaner');
    vi.useFakeTimers({ toFake: ['Date'], now: evening });
    const past = await utc.admin.client.post(`/api/v1/assets/${a.id}/checkout`, { userId: String(utcHolder.id), expectedReturn: laToday });
    expect(past.status).toBe(400);
    expect(past.body.error.details.fields).toHaveProperty('expectedReturn');
    const ok = await utc.admin.client.post(`/api/v1/assets/${a.id}/checkout`, {
      userId: String(utcHolder.id),
      expectedReturn: addDays(laToday, 1),
    });
    expect(ok.status).toBe(200);
    expect(ok.body.asset.overdue).toBe(false);
  });

  it('counts the dashboard days and dates the export file by the company calendar', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: evening });
    const dash = await west.admin.client.get('/api/v1/dashboard');
    expect(dash.status).toBe(200);
    expect(dash.body.statusOverTime.timezone).toBe(LA);
    expect(dash.body.statusOverTime.items.at(-1).date).toBe(laToday);
    expect(dash.body.statusOverTime.items).toHaveLength(30);
    const file = await west.admin.client.get('/api/v1/assets/export.csv');
    expect(file.status).toBe(200);
    expect(file.headers['content-disposition']).toContain(`assets-${laToday}.csv`);
  });
});
