// The demo company (setup with demoData) and the role dashboards computed over it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, type Harness, harness } from '../harness.js';
import { createCompany, createUser, type TestCompany } from '../factories.js';

const PASSWORD = 'demo-admin-password';

describe('demo tickets and role dashboards', () => {
  let h: Harness;
  let tenantId: number;
  const as = async (name: string): Promise<Client> => {
    const [first, last] = name.toLowerCase().split(' ');
    const c = h.client();
    const res = await c.login(`${first}.${last}@demo${tenantId}.example.com`, PASSWORD);
    expect(res.status, name).toBe(200);
    return c;
  };
  const q = async <T = Record<string, unknown>>(text: string, values: unknown[] = []) =>
    (await h.deps.database.query<T>(text, values)).rows;
  const numberOf = async (title: string) =>
    (await q<{ number: number }>('select number from tickets where tenant_id = $1 and title = $2', [tenantId, title]))[0].number;

  beforeAll(async () => {
    h = await harness();
    const res = await h.client().post('/api/v1/setup', {
      company: { name: 'Demo Corp', slug: 'demo' },
      admin: { name: 'Ada Admin', email: 'ada@demo.test', password: PASSWORD },
      demoData: true,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    tenantId = Number(res.body.company.id);
  });
  afterAll(() => h.close());

  it('setup with demo data creates 20 tickets across kinds, categories, statuses, comments and approvals', async () => {
    const tickets = await q<{ number: number; status: string; kind: string; category: string | null }>(
      'select t.number, t.status, t.kind, c.name as category from tickets t left join categories c on c.tenant_id = t.tenant_id and c.id = t.category_id where t.tenant_id = $1 and t.number <= 20 order by t.number',
      [tenantId],
    );
    // The ticket demo's twenty; the inventory demo adds three supply requests after them (21–23).
    expect(tickets).toHaveLength(20);
    expect(tickets.map((t) => t.number)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(new Set(tickets.map((t) => t.status))).toEqual(
      new Set(['open', 'in_progress', 'on_hold', 'resolved', 'closed', 'pending_approval', 'rejected']),
    );
    expect(new Set(tickets.map((t) => t.kind))).toEqual(new Set(['incident', 'request', 'work_order', 'supply']));
    expect(new Set(tickets.map((t) => t.category))).toEqual(new Set(['IT hardware', 'Facilities', 'Maintenance', null]));
    expect((await q<{ last: number }>('select last from ticket_counters where tenant_id = $1', [tenantId]))[0].last).toBe(26); // and 3 supply requests, 2 tickets by mail (mail.demo.ts), 1 maintenance work order
    const comments = await q<{ internal: boolean; n: number }>(
      'select internal, count(*)::int as n from ticket_comments where tenant_id = $1 group by internal',
      [tenantId],
    );
    expect(comments.find((c) => c.internal)?.n).toBeGreaterThan(0);
    expect(comments.find((c) => !c.internal)?.n).toBeGreaterThan(5);
    const decisions = await q<{ decision: string }>('select distinct decision from ticket_approvals where tenant_id = $1', [tenantId]);
    expect(decisions.map((d) => d.decision).sort()).toEqual(['approved', 'rejected', 'skipped']);

    // The laptop went through both steps of its chain; the history tells the whole story.
    const lukas = await as('Lukas Novak');
    const laptop = await numberOf('New laptop for data analysis');
    const history = await lukas.get(`/api/v1/tickets/${laptop}/history`);
    expect(history.body.approvals.map((a: { decision: string; decider: { name: string } }) => [a.decision, a.decider.name])).toEqual([
      ['approved', 'Tom Becker'],
      ['approved', 'Maria Lopez'],
    ]);
    expect(history.body.items.filter((i: { field: string }) => i.field === 'status').map((i: { after: string }) => i.after)).toEqual([
      'pending_approval',
      'open',
      'in_progress',
    ]);
    const seen = await lukas.get(`/api/v1/tickets/${laptop}/comments`);
    expect(JSON.stringify(seen.body)).not.toContain('Vendor quote');
    expect(new Date(history.body.items[0].at).getTime()).toBeLessThan(Date.now() - 10 * 86_400_000);
    // In-app notifications were left, e-mails to the fictional people were not.
    expect((await q<{ n: number }>('select count(*)::int as n from notifications where tenant_id = $1', [tenantId]))[0].n).toBeGreaterThan(
      20,
    );
    expect(
      (
        await q<{ n: number }>('select count(*)::int as n from mail_outbox where tenant_id = $1 and "to" like \'%example.com\'', [tenantId])
      )[0].n,
    ).toBe(0);
  });

  it('a requester gets only "my tickets": their open tickets by status and the latest five', async () => {
    const res = await (await as('Lukas Novak')).get('/api/v1/dashboard');
    expect(res.status).toBe(200);
    expect(res.body.sections).toEqual(['mine']);
    for (const key of ['queue', 'approvals', 'unassigned', 'overdue', 'workload', 'statusOverTime'])
      expect(res.body).not.toHaveProperty(key);
    expect(res.body.mine.byStatus).toMatchObject({ in_progress: 2, open: 0 });
    expect(res.body.mine.open).toBe(2);
    expect(res.body.mine.latest.map((t: { title: string }) => t.title).sort()).toEqual([
      'New laptop for data analysis',
      'VPN disconnects every hour',
    ]);
  });

  it("a technician's queue: assigned to them, not resolved or closed, by priority then due date", async () => {
    const res = await (await as('Lena Fischer')).get('/api/v1/dashboard');
    expect(res.body.sections).toEqual(['mine', 'queue']);
    expect(res.body.queue.count).toBe(3);
    expect(res.body.queue.items.map((t: { title: string }) => t.title)).toEqual([
      'VPN disconnects every hour',
      'New laptop for data analysis',
      'Excel crashes on large files',
    ]);
  });

  it('a manager: approvals waiting for their role, unassigned, overdue, workload per technician and 30 days of status', async () => {
    const res = await (await as('Maria Lopez')).get('/api/v1/dashboard');
    expect(res.body.sections).toEqual(['mine', 'queue', 'approvals', 'unassigned', 'overdue', 'workload', 'statusOverTime']);
    expect(res.body.approvals.items.map((t: { title: string }) => t.title).sort()).toEqual([
      'Docking station',
      'Replace conveyor belt on line 3',
      'Second monitor for month-end closing',
    ]);
    expect(res.body.approvals.count).toBe(3);
    expect(res.body.unassigned.items.map((t: { title: string }) => t.title).sort()).toEqual([
      'Badge reader at the loading dock rejects our cards',
      'Coffee machine leaking',
      'Elevator makes grinding noise',
      'Move six desks to the 3rd floor',
      'Printer paper A4, 10 boxes',
      'Second monitor for the front desk',
      'Supplies: Paper A4, box of 5 reams',
      'Supplies: USB keyboard, HDMI cable 2 m',
    ]);
    expect(res.body.unassigned.items[0].title).toBe('Elevator makes grinding noise');
    expect(res.body.overdue.items.map((t: { title: string }) => t.title)).toEqual([
      'VPN disconnects every hour',
      expect.any(String),
      expect.any(String),
    ]);
    expect(res.body.overdue.count).toBe(3);
    const load = Object.fromEntries(
      res.body.workload.items.map((w: { assignee: { name: string }; open: number }) => [w.assignee.name, w.open]),
    );
    expect(load).toEqual({ 'Lena Fischer': 3, 'Sven Larsen': 2, 'Priya Nair': 1, 'Diego Santos': 1 }); // Sven also has the demo plan's open work order
    expect(res.body.workload.items[0]).toMatchObject({ assignee: { name: 'Lena Fischer' }, open: 3, inProgress: 3 });
    const days = res.body.statusOverTime.items as Array<{ date: string; total: number; byStatus: Record<string, number> }>;
    expect(days).toHaveLength(30);
    expect(days.at(-1)!.date).toBe(new Date().toISOString().slice(0, 10));
    expect(days.reduce((n, d) => n + d.total, 0)).toBe(26); // 20 demo tickets, 3 demo supply requests, 2 by mail, 1 maintenance work order
    expect(days.reduce((n, d) => n + d.byStatus.rejected, 0)).toBe(2);
  });

  it("a department head sees only their department's workload, and approvals meant for them", async () => {
    const tom = await as('Tom Becker');
    const res = await tom.get('/api/v1/dashboard');
    expect(res.body.sections).toEqual(['mine', 'approvals', 'overdue', 'workload', 'statusOverTime']);
    expect(res.body.approvals).toEqual({ count: 0, items: [] });
    expect(res.body.workload.items.map((w: { assignee: { name: string }; open: number }) => [w.assignee.name, w.open])).toEqual([
      ['Lena Fischer', 2],
    ]);
    expect(res.body.statusOverTime.items.reduce((n: number, d: { total: number }) => n + d.total, 0)).toBe(2);
  });

  it("another company's dashboard never shows the demo company", async () => {
    const other: TestCompany = await createCompany(h);
    const res = await other.admin.client.get('/api/v1/dashboard');
    expect(res.status).toBe(200);
    expect(res.body.unassigned).toEqual({ count: 0, items: [] });
    expect(res.body.workload.items).toEqual([]);
    expect(res.body.statusOverTime.items.reduce((n: number, d: { total: number }) => n + d.total, 0)).toBe(0);
    const requester = await createUser(h, other, { role: 'Requester' });
    expect((await requester.client.get('/api/v1/dashboard')).body).toMatchObject({ sections: ['mine'], mine: { open: 0, latest: [] } });
    expect((await h.client().get('/api/v1/dashboard')).status).toBe(401);
  });
});
