// Preventive maintenance plans over HTTP and their scheduler (injected clock): schedule mode opens
// the work order leadDays before each grid date, once; completion mode waits for the open work
// order and counts from its completion (done early → due earlier); generate now; due lists; bad
// input changes nothing; meter and threshold triggers need a meter of the company and are not
// fired by the interval scheduler (test/http/meter-alerts.test.ts fires them from readings).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { planSchedulerTestHooks, runMaintenancePlans } from '../../src/server/modules/maintenance/maintenance.scheduler.js';
import { addDays, todayIn } from '../../src/shared/time/index.js';
import { createCompany, type TestCompany } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { count } from '../helpers.js';
import { makePart } from '../inventory-fixtures.js';

describe('maintenance plans', () => {
  let h: Harness;
  let co: TestCompany;
  let assetId: string;
  let partId: string;
  const today = () => todayIn('UTC');
  const day = (n: number) => new Date(Date.now() + n * 86_400_000);

  beforeAll(async () => {
    h = await harness();
    co = await createCompany(h);
    const category = (await co.admin.client.get('/api/v1/picklists/categories')).body.items[0].id;
    const asset = await co.admin.client.post('/api/v1/assets', { name: 'Air handler AHU-1', categoryId: category });
    expect(asset.status).toBe(201);
    assetId = asset.body.id;
    partId = (await makePart(co.admin.client, { name: 'Filter G4' })).id;
  });
  afterAll(() => h.close());
  afterEach(() => {
    planSchedulerTestHooks.beforeCommit = null;
  });
  const admin = () => co.admin.client;
  const runsOf = (id: string) => count(h, 'select count(*) from maintenance_plan_runs where plan_id = $1', [id]);

  async function createPlan(body: Record<string, unknown>) {
    const res = await admin().post(`/api/v1/assets/${assetId}/maintenance-plans`, body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.plan;
  }

  it('schedule mode: the work order opens leadDays before the due date, once, with tasks, parts and the asset; the next date stays on the grid', async () => {
    const startsOn = addDays(today(), 10);
    const plan = await createPlan({
      title: 'Replace AHU filters',
      trigger: { type: 'interval', every: 2, unit: 'week', from: 'schedule', startsOn },
      leadDays: 3,
      template: { priority: 'high', tasks: [{ title: 'Switch off' }, { title: 'Swap filters' }], parts: [{ partId, quantity: 2 }] },
    });
    expect(plan).toMatchObject({ nextDueOn: startsOn, openWorkOrder: null, fires: true, leadDays: 3 });
    expect((await runMaintenancePlans(h.deps, new Date())).workOrders).toBe(0);
    // Seven days on (midnight UTC, the company's zone), the work order for the due date three days later opens.
    const openAt = new Date(`${addDays(startsOn, -3)}T00:00:00Z`).getTime();
    expect((await runMaintenancePlans(h.deps, new Date(openAt - 60_000))).workOrders).toBe(0);
    const opened = await runMaintenancePlans(h.deps, new Date(openAt + 60_000));
    expect(opened.workOrders).toBe(1);
    await runMaintenancePlans(h.deps, new Date(openAt + 120_000));
    expect(await runsOf(plan.id)).toBe(1);
    const after = (await admin().get(`/api/v1/maintenance-plans/${plan.id}`)).body.plan;
    expect(after.nextDueOn).toBe(addDays(startsOn, 14));
    expect(after.openWorkOrder).toEqual(expect.any(Number));
    const ticket = (await admin().get(`/api/v1/tickets/${after.openWorkOrder}`)).body.ticket;
    expect(ticket).toMatchObject({ kind: 'work_order', priority: 'high', title: 'Replace AHU filters', assetIds: [assetId] });
    expect(ticket.description).toContain('2 × Filter G4');
    expect(ticket.dueAt).toBe(new Date(`${addDays(startsOn, 1)}T00:00:00Z`).toISOString());
    const tasks = (await admin().get(`/api/v1/tickets/${after.openWorkOrder}/tasks`)).body.items;
    expect(tasks.map((t: { title: string }) => t.title)).toEqual(['Switch off', 'Swap filters']);
    const history = (await admin().get(`/api/v1/maintenance-plans/${plan.id}/work-orders`)).body.items;
    expect(history).toEqual([expect.objectContaining({ ticketNumber: after.openWorkOrder, manual: false, late: false, status: 'open' })]);
    const onAsset = (await admin().get(`/api/v1/assets/${assetId}/maintenance-plans`)).body.items;
    expect(onAsset.map((p: { id: string }) => p.id)).toContain(plan.id);
  });

  it('completion mode: nothing is due while the work order is open; a job done early moves the next date earlier; generate now', async () => {
    const plan = await createPlan({
      title: 'Lubricate bearings',
      trigger: { type: 'interval', every: 30, unit: 'day', from: 'completion', startsOn: addDays(today(), 5) },
      leadDays: 7,
      template: { priority: 'medium', tasks: [{ title: 'Grease' }] },
    });
    expect(plan.nextDueOn).toBe(addDays(today(), 5));
    // The lead time has begun: the work order opens now.
    expect((await runMaintenancePlans(h.deps, new Date())).workOrders).toBe(1);
    const open = (await admin().get(`/api/v1/maintenance-plans/${plan.id}`)).body.plan;
    expect(open).toMatchObject({ nextDueAt: null, nextDueOn: null });
    expect(open.openWorkOrder).toEqual(expect.any(Number));
    // While it is open nothing more opens, and "generate now" is refused.
    await runMaintenancePlans(h.deps, day(60));
    expect(await runsOf(plan.id)).toBe(1);
    const refused = await admin().post(`/api/v1/maintenance-plans/${plan.id}/generate`);
    expect(refused.status).toBe(409);
    // Done today, five days early: due again 30 days from today, not from the planned date.
    expect((await admin().post(`/api/v1/tickets/${open.openWorkOrder}/status`, { status: 'resolved' })).status).toBe(200);
    const done = (await admin().get(`/api/v1/maintenance-plans/${plan.id}`)).body.plan;
    expect(done).toMatchObject({ openWorkOrder: null, nextDueOn: addDays(today(), 30) });
    expect(done.lastCompletedAt).not.toBeNull();
    // Generate now: opens it at once; the plan waits for its completion again.
    const gen = await admin().post(`/api/v1/maintenance-plans/${plan.id}/generate`);
    expect(gen.status).toBe(201);
    expect(gen.body.ticket).toMatchObject({ status: 'open', title: 'Lubricate bearings' });
    expect(gen.body.plan).toMatchObject({ openWorkOrder: gen.body.ticket.number, nextDueAt: null });
    const history = (await admin().get(`/api/v1/maintenance-plans/${plan.id}/work-orders`)).body.items;
    expect(history.map((r: { manual: boolean }) => r.manual)).toEqual([true, false]);
  });

  it('a work order finished outside the status change (closed by another path, or deleted) still completes its plan on the next pass', async () => {
    const plan = await createPlan({
      title: 'Belt tension',
      trigger: { type: 'interval', every: 2, unit: 'week', from: 'completion' },
      template: { priority: 'low' },
    });
    await runMaintenancePlans(h.deps, new Date());
    const open = (await admin().get(`/api/v1/maintenance-plans/${plan.id}`)).body.plan;
    expect(open.openWorkOrder).toEqual(expect.any(Number));
    await h.deps.database.query("update tickets set status = 'closed', closed_at = now() where tenant_id = $1 and number = $2", [
      co.id,
      open.openWorkOrder,
    ]);
    await runMaintenancePlans(h.deps, new Date());
    const done = (await admin().get(`/api/v1/maintenance-plans/${plan.id}`)).body.plan;
    expect(done).toMatchObject({ openWorkOrder: null, nextDueOn: addDays(today(), 14) });
  });

  it('a crash before commit opens nothing; the retry opens the work order once', async () => {
    const plan = await createPlan({
      title: 'Crash-safe PM',
      trigger: { type: 'interval', every: 1, unit: 'month', from: 'schedule' },
      template: { priority: 'low' },
    });
    planSchedulerTestHooks.beforeCommit = ({ planId }) => {
      if (String(planId) === plan.id) throw new Error('worker killed');
    };
    const crashed = await runMaintenancePlans(h.deps, new Date());
    expect(crashed.failed).toBeGreaterThanOrEqual(1);
    expect(await runsOf(plan.id)).toBe(0);
    expect(await count(h, "select count(*) from tickets where tenant_id = $1 and title = 'Crash-safe PM'", [co.id])).toBe(0);
    planSchedulerTestHooks.beforeCommit = null;
    await Promise.all([runMaintenancePlans(h.deps, new Date()), runMaintenancePlans(h.deps, new Date())]);
    expect(await runsOf(plan.id)).toBe(1);
    expect(await count(h, "select count(*) from tickets where tenant_id = $1 and title = 'Crash-safe PM'", [co.id])).toBe(1);
  });

  it('lists what is due this week and what is overdue', async () => {
    const soon = await createPlan({
      title: 'Due soon',
      trigger: { type: 'interval', every: 3, unit: 'month', startsOn: addDays(today(), 3) },
      template: { priority: 'low' },
    });
    const later = await createPlan({
      title: 'Due later',
      trigger: { type: 'interval', every: 3, unit: 'month', startsOn: addDays(today(), 40) },
      template: { priority: 'low' },
    });
    const late = await createPlan({
      title: 'Overdue one',
      trigger: { type: 'interval', every: 3, unit: 'month', startsOn: addDays(today(), 20) },
      template: { priority: 'low' },
    });
    // As if the worker had not opened it: due two days ago.
    await h.deps.database.query('update maintenance_plans set next_due_at = $2, next_open_at = null where id = $1', [
      late.id,
      new Date(`${addDays(today(), -2)}T00:00:00Z`),
    ]);
    const week = (await admin().get('/api/v1/maintenance-plans?due=week')).body.items.map((p: { id: string }) => p.id);
    expect(week).toContain(soon.id);
    expect(week).toContain(late.id);
    expect(week).not.toContain(later.id);
    const overdue = (await admin().get('/api/v1/maintenance-plans?due=overdue')).body.items;
    expect(overdue.map((p: { id: string }) => p.id)).toContain(late.id);
    expect(overdue.map((p: { id: string }) => p.id)).not.toContain(soon.id);
    expect(overdue.find((p: { id: string }) => p.id === late.id).overdue).toBe(true);
  });

  it('refuses a plan with no interval (400, nothing stored); refuses a meter trigger on no meter; the interval scheduler leaves meter and threshold plans alone', async () => {
    const before = await count(h, 'select count(*) from maintenance_plans where tenant_id = $1', [co.id]);
    const none = await admin().post(`/api/v1/assets/${assetId}/maintenance-plans`, {
      title: 'No interval',
      trigger: { type: 'interval', unit: 'day' },
      template: { priority: 'low' },
    });
    expect(none.status).toBe(400);
    expect(none.body.error.code).toBe('validation');
    const zero = await admin().post(`/api/v1/assets/${assetId}/maintenance-plans`, {
      title: 'Zero',
      trigger: { type: 'interval', every: 0, unit: 'day' },
      template: { priority: 'low' },
    });
    expect(zero.status).toBe(400);
    const ghostPart = await admin().post(`/api/v1/assets/${assetId}/maintenance-plans`, {
      title: 'Ghost part',
      trigger: { type: 'interval', every: 1, unit: 'day' },
      template: { priority: 'low', parts: [{ partId: '99999', quantity: 1 }] },
    });
    expect(ghostPart.status).toBe(400);
    expect(await count(h, 'select count(*) from maintenance_plans where tenant_id = $1', [co.id])).toBe(before);

    const ghostMeter = await admin().post(`/api/v1/assets/${assetId}/maintenance-plans`, {
      title: 'Ghost meter',
      trigger: { type: 'meter', meterId: '99999', everyUnits: 500 },
      template: { priority: 'low' },
    });
    expect(ghostMeter.status).toBe(400);
    expect(ghostMeter.body.error.details.fields).toHaveProperty(['trigger.meterId']);
    const device = await admin().post('/api/v1/devices', { name: 'PLC' });
    const m = await admin().post('/api/v1/meters', { deviceId: device.body.device.id, key: 'hours', name: 'Running hours', unit: 'h' });
    expect(m.status).toBe(201);
    const meterId = m.body.meter.id as string;
    const meter = await createPlan({
      title: 'Every 500 hours',
      trigger: { type: 'meter', meterId, everyUnits: 500 },
      template: { priority: 'low' },
    });
    expect(meter).toMatchObject({ fires: true, nextDueAt: null, nextDueValue: null, trigger: { type: 'meter', everyUnits: 500 } });
    const threshold = await createPlan({
      title: 'Too hot',
      trigger: { type: 'threshold', meterId, op: '>', value: 80, forSeconds: 300 },
      template: { priority: 'urgent' },
    });
    expect(threshold).toMatchObject({ fires: true, trigger: { op: '>', value: 80 } });
    const badOp = await admin().post(`/api/v1/assets/${assetId}/maintenance-plans`, {
      title: 'Bad',
      trigger: { type: 'threshold', meterId: '1', op: '=', value: 1, forSeconds: 0 },
      template: { priority: 'low' },
    });
    expect(badOp.status).toBe(400);
    await runMaintenancePlans(h.deps, day(400));
    expect(await runsOf(meter.id)).toBe(0);
    expect(await runsOf(threshold.id)).toBe(0);

    const paused = await admin().patch(`/api/v1/maintenance-plans/${meter.id}`, { active: false });
    expect(paused.status).toBe(200);
    expect((await admin().delete(`/api/v1/maintenance-plans/${meter.id}`)).status).toBe(204);
    expect((await admin().get(`/api/v1/maintenance-plans/${meter.id}`)).status).toBe(404);
    expect((await admin().get('/api/v1/assets/99999/maintenance-plans')).status).toBe(404);
  });
});
