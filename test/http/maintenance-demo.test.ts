// The demo company's recurring work: two recurring tickets with tasks and a next run, three
// maintenance plans on demo assets (one due this week, one with its work order open), and the
// meters demo's 500-running-hours plan (meters-demo.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import type { Client } from '../harness.js';

describe('maintenance demo data', () => {
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

  it('has two recurring tickets and three plans, one due this week and one with an open work order', async () => {
    const rules = (await admin.get('/api/v1/recurring-tickets')).body.items;
    expect(rules).toHaveLength(2);
    for (const r of rules) {
      expect(r.nextRunAt).not.toBeNull();
      expect(r.tasks.length).toBeGreaterThan(0);
    }
    const plans = (await admin.get('/api/v1/maintenance-plans?due=all')).body.items;
    expect(plans.map((p: { title: string }) => p.title).sort()).toEqual([
      'Conveyor line 3 — 500 h service',
      'Elevator 1 annual inspection',
      'Forklift FL-02 service',
      'Replace AHU A1 filters',
    ]);
    const week = (await admin.get('/api/v1/maintenance-plans?due=week')).body.items.map((p: { title: string }) => p.title);
    expect(week).toContain('Replace AHU A1 filters');
    const forklift = plans.find((p: { title: string }) => p.title === 'Forklift FL-02 service');
    expect(forklift).toMatchObject({ nextDueAt: null, openWorkOrder: expect.any(Number) });
    const wo = (await admin.get(`/api/v1/tickets/${forklift.openWorkOrder}/tasks`)).body.items;
    expect(wo.map((t: { title: string }) => t.title)).toEqual(['Check the forks and chains', 'Battery water level', 'Brake test']);
  });
});
