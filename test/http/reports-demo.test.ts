// The demo company's reports: labour, parts and purchases to add up, breakdowns with downtime for
// the reliability report, a shared saved report and a monthly schedule.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD } from '../factories.js';
import { type Client, type Harness, harness } from '../harness.js';

describe('reports demo data', () => {
  let h: Harness;
  let admin: Client;

  beforeAll(async () => {
    h = await harness();
    const res = await h.client().post('/api/v1/setup', {
      company: { name: 'Demo Corp', slug: 'demo' },
      admin: { name: 'Ada Admin', email: 'ada@demo.test', password: PASSWORD },
      demoData: true,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    admin = h.client();
    expect((await admin.post('/api/v1/auth/login', { login: 'ada@demo.test', password: PASSWORD })).status).toBe(200);
  });
  afterAll(() => h.close());

  it('gives the cost report labour, parts and purchases, by cost code and over months', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 200 * 86_400_000).toISOString().slice(0, 10);
    const r = await admin.get(`/api/v1/reports/costs?from=${from}&to=${today}&groupBy=costCode`);
    expect(r.status).toBe(200);
    expect(r.body.totals.labour).toBeGreaterThan(0);
    expect(r.body.totals.purchases).toBeGreaterThan(0);
    expect(r.body.rows.map((x: { key: string }) => x.key)).toEqual(expect.arrayContaining(['FAC-100', 'IT-300']));
    const months = await admin.get(`/api/v1/reports/costs?from=${from}&to=${today}&groupBy=month`);
    expect(months.body.rows.filter((x: { labour: number }) => x.labour > 0).length).toBeGreaterThanOrEqual(2);
  });

  it('has breakdowns for the reliability report, a shared saved report and a monthly schedule', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 90 * 86_400_000).toISOString().slice(0, 10);
    const rel = await admin.get(`/api/v1/reports/assets/reliability?from=${from}&to=${today}`);
    expect(rel.body.rows[0]).toMatchObject({ failures: 2, downtimeMinutes: 390, mttrHours: 3.25 });
    const saved = await admin.get('/api/v1/saved-reports');
    expect(saved.body.items.map((s: { name: string }) => s.name)).toContain('Costs by department, last month');
    const schedules = await admin.get('/api/v1/report-schedules');
    expect(schedules.body.items[0]).toMatchObject({ name: 'Monthly costs for finance', report: 'costs', active: true });
    expect(schedules.body.items[0].nextRunAt).toBeTruthy();
  });
});
