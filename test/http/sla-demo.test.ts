// The demo company's SLAs: the default calendar and policy plus an urgent policy around the clock,
// supplies around the clock: a supply request at risk, and breached urgent tickets, visible to the manager through the list filters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD } from '../factories.js';
import { type Harness, harness } from '../harness.js';

describe('SLA demo data', () => {
  let h: Harness;
  const admin = () => h.client();
  let c: ReturnType<typeof admin>;

  beforeAll(async () => {
    h = await harness();
    const res = await h.client().post('/api/v1/setup', {
      company: { name: 'Demo Corp', slug: 'demo' },
      admin: { name: 'Ada Admin', email: 'ada@demo.test', password: PASSWORD },
      demoData: true,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    c = admin();
    expect((await c.post('/api/v1/auth/login', { login: 'ada@demo.test', password: PASSWORD })).status).toBe(200);
  });
  afterAll(() => h.close());

  it('has two calendars, two policies, a ticket at risk and breached ones', async () => {
    const cals = await c.get('/api/v1/business-hours');
    expect(cals.body.items.map((x: { name: string }) => x.name)).toEqual(['Around the clock', 'Office hours']);
    const policies = await c.get('/api/v1/sla-policies');
    expect(policies.body.items.map((p: { name: string }) => p.name)).toEqual([
      'Urgent, around the clock',
      'Supplies, around the clock',
      'Standard',
    ]);
    const atRisk = await c.get('/api/v1/tickets?slaAtRisk=true');
    expect(atRisk.body.items.map((t: { title: string }) => t.title)).toContain('Printer paper A4, 10 boxes');
    expect(atRisk.body.items[0].sla.atRisk).toBe(true);
    const breached = await c.get('/api/v1/tickets?slaBreached=true');
    expect(breached.body.items.map((t: { title: string }) => t.title)).toContain('Elevator makes grinding noise');
    // Settled quietly: nobody was notified of the demo's past moments.
    const n = await h.deps.database.query<{ n: number }>("select count(*)::int n from notifications where event like 'ticket.sla_%'");
    expect(n.rows[0].n).toBe(0);
  });
});
