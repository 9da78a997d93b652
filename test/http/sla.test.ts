// Business-hours calendars and SLA policies over HTTP: the defaults of a new company, validation,
// the arithmetic endpoint, policy order and matching, and the `sla` object of tickets through their
// life (priority change, first public staff reply, on hold, resolved), list filters and sort.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fireDue } from '../../src/server/modules/sla/sla.service.js';
import { createCompany, createUser, type TestCompany, type TestUser } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { count } from '../helpers.js';

const ALWAYS = [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, start: '00:00', end: '24:00' }));
const MIN = 60_000;

describe('SLA over HTTP', () => {
  let h: Harness;
  let acme: TestCompany;
  let other: TestCompany;
  let tech: TestUser;
  let requester: TestUser;
  beforeAll(async () => {
    h = await harness();
    acme = await createCompany(h);
    other = await createCompany(h);
    tech = await createUser(h, acme, { role: 'Technician' });
    requester = await createUser(h, acme, { role: 'Requester' });
  });
  afterAll(() => h.close());

  it('gives a new company a default calendar and a default policy', async () => {
    const cals = await acme.admin.client.get('/api/v1/business-hours');
    expect(cals.status).toBe(200);
    expect(cals.body.items).toHaveLength(1);
    expect(cals.body.items[0]).toMatchObject({ name: 'Office hours', timezone: 'UTC', isDefault: true, policyCount: 1, holidays: [] });
    expect(cals.body.items[0].week).toHaveLength(5);
    const policies = await tech.client.get('/api/v1/sla-policies');
    expect(policies.body.items).toHaveLength(1);
    expect(policies.body.items[0]).toMatchObject({
      name: 'Standard',
      position: 1,
      enabled: true,
      businessHoursId: cals.body.items[0].id,
      match: {},
    });
    expect(policies.body.items[0].targets.urgent).toEqual({ firstResponseMinutes: 30, resolutionMinutes: 240 });
    expect(policies.body.items[0].escalationRoleId).toBe(String(acme.roleIds.get('Manager')));
  });

  it('refuses calendars with no open hours, unknown zones and bad ranges, and non-admins', async () => {
    const admin = acme.admin.client;
    const none = await admin.post('/api/v1/business-hours', { name: 'Never', timezone: 'Europe/London', week: [] });
    expect(none.status).toBe(400);
    expect(none.body.error.code).toBe('validation');
    expect(JSON.stringify(none.body.error.details)).toContain('no open hours');
    const zone = await admin.post('/api/v1/business-hours', { name: 'Mars', timezone: 'Mars/Olympus', week: ALWAYS });
    expect(zone.status).toBe(400);
    const same = await admin.post('/api/v1/business-hours', {
      name: 'Zero',
      timezone: 'UTC',
      week: [{ day: 1, start: '09:00', end: '09:00' }],
    });
    expect(same.status).toBe(400);
    const badDate = await admin.post('/api/v1/business-hours', { name: 'Bad', timezone: 'UTC', week: ALWAYS, holidays: ['2026-02-30'] });
    expect(badDate.status).toBe(400);
    expect((await tech.client.post('/api/v1/business-hours', { name: 'Mine', timezone: 'UTC', week: ALWAYS })).status).toBe(403);
    expect(await count(h, 'select count(*) from business_hours where tenant_id = $1', [acme.id])).toBe(1);
  });

  it('creates, edits and computes with a calendar; 480 minutes from 09:00 on a 09:00–17:00 day is 17:00', async () => {
    const admin = acme.admin.client;
    const made = await admin.post('/api/v1/business-hours', {
      name: 'London desk',
      timezone: 'Europe/London',
      week: [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '17:00' })),
      holidays: ['2026-12-25', '2026-12-28'],
    });
    expect(made.status).toBe(201);
    const id = made.body.businessHours.id;
    expect(made.body.businessHours).toMatchObject({ name: 'London desk', timezone: 'Europe/London', policyCount: 0, isDefault: false });
    const due = await tech.client.post(`/api/v1/business-hours/${id}/compute`, {
      from: '2026-12-01T09:00:00Z',
      minutes: 480,
      to: '2026-12-02T10:00:00Z',
    });
    expect(due.status).toBe(200);
    expect(due.body).toEqual({ dueAt: '2026-12-01T17:00:00.000Z', minutes: 540, openNow: true, nextOpenAt: '2026-12-01T09:00:00.000Z' });
    // Christmas Eve 16:00 + 120: Friday 25th and Monday 28th are holidays, so Tuesday 29th 10:00.
    const xmas = await tech.client.post(`/api/v1/business-hours/${id}/compute`, { from: '2026-12-24T16:00:00Z', minutes: 120 });
    expect(xmas.body.dueAt).toBe('2026-12-29T10:00:00.000Z');
    const edited = await admin.patch(`/api/v1/business-hours/${id}`, { holidays: [] });
    expect(edited.status).toBe(200);
    expect(edited.body.businessHours.holidays).toEqual([]);
    expect((await admin.patch(`/api/v1/business-hours/${id}`, { week: [] })).status).toBe(400);
    expect((await other.admin.client.get(`/api/v1/business-hours/${id}`)).status).toBe(404);
    expect((await other.admin.client.patch(`/api/v1/business-hours/${id}`, { name: 'Stolen' })).status).toBe(404);
    expect((await admin.post('/api/v1/business-hours', { name: 'london DESK', timezone: 'UTC', week: ALWAYS })).status).toBe(409);
  });

  it('applies the first enabled matching policy by position, and follows priority changes', async () => {
    const admin = acme.admin.client;
    const always = await admin.post('/api/v1/business-hours', { name: 'Always', timezone: 'UTC', week: ALWAYS });
    const urgentPolicy = await admin.post('/api/v1/sla-policies', {
      name: 'Urgent around the clock',
      businessHoursId: always.body.businessHours.id,
      match: { priorities: ['urgent'] },
      targets: { urgent: { firstResponseMinutes: 30, resolutionMinutes: 120 } },
      warnBeforeMinutes: 10,
      position: 1,
    });
    expect(urgentPolicy.status).toBe(201);
    expect(urgentPolicy.body.policy.position).toBe(1);
    const list = await admin.get('/api/v1/sla-policies');
    expect(list.body.items.map((p: { name: string; position: number }) => [p.name, p.position])).toEqual([
      ['Urgent around the clock', 1],
      ['Standard', 2],
    ]);
    // The calendar is now in use.
    const del = await admin.delete(`/api/v1/business-hours/${always.body.businessHours.id}`);
    expect(del.status).toBe(422);
    expect(del.body.error.code).toBe('business_hours_in_use');

    const created = await tech.client.post('/api/v1/tickets', { kind: 'incident', title: 'Server down', priority: 'urgent' });
    expect(created.status).toBe(201);
    const sla = created.body.ticket.sla;
    expect(sla).toMatchObject({
      policyId: urgentPolicy.body.policy.id,
      firstRespondedAt: null,
      paused: false,
      breached: { firstResponse: false, resolution: false },
    });
    const createdAt = Date.parse(created.body.ticket.createdAt);
    expect(Date.parse(sla.firstResponseDueAt) - createdAt).toBe(30 * MIN);
    expect(Date.parse(sla.resolutionDueAt) - createdAt).toBe(120 * MIN);
    const number = created.body.ticket.number;
    const read = await tech.client.get(`/api/v1/tickets/${number}`);
    expect(read.body.ticket.sla).toEqual(sla);

    const patched = await tech.client.request(
      'PATCH',
      `/api/v1/tickets/${number}`,
      { priority: 'medium' },
      { 'if-match': String(read.body.ticket.version) },
    );
    expect(patched.status).toBe(200);
    const standard = list.body.items[1].id;
    expect(patched.body.ticket.sla.policyId).toBe(standard);

    // Disabled policies are skipped; moving one changes the order of the others.
    await admin.patch(`/api/v1/sla-policies/${urgentPolicy.body.policy.id}`, { enabled: false });
    const second = await tech.client.post('/api/v1/tickets', { kind: 'incident', title: 'Printer down', priority: 'urgent' });
    expect(second.body.ticket.sla.policyId).toBe(standard);
    const moved = await admin.patch(`/api/v1/sla-policies/${urgentPolicy.body.policy.id}`, { position: 2, enabled: true });
    expect(moved.body.policy.position).toBe(2);
    expect((await admin.get('/api/v1/sla-policies')).body.items.map((p: { name: string }) => p.name)).toEqual([
      'Standard',
      'Urgent around the clock',
    ]);
    expect((await tech.client.patch(`/api/v1/sla-policies/${standard}`, { warnBeforeMinutes: 5 })).status).toBe(403);
    expect(
      (await admin.post('/api/v1/sla-policies', { name: 'Empty', businessHoursId: always.body.businessHours.id, targets: {} })).status,
    ).toBe(400);
    expect(
      (
        await admin.post('/api/v1/sla-policies', {
          name: 'Foreign',
          businessHoursId: '999999',
          targets: { low: { firstResponseMinutes: 1, resolutionMinutes: 2 } },
        })
      ).status,
    ).toBe(400);
    await admin.patch(`/api/v1/sla-policies/${urgentPolicy.body.policy.id}`, { position: 1 });
  });

  it('meets first response with the first public staff reply, pauses on hold and records resolution', async () => {
    const opened = await requester.client.post('/api/v1/tickets', { kind: 'incident', title: 'No VPN', priority: 'urgent' });
    const number = opened.body.ticket.number;
    const admin = acme.admin.client;
    await admin.post(`/api/v1/tickets/${number}/assign`, { assigneeId: String(tech.id) });
    await requester.client.post(`/api/v1/tickets/${number}/comments`, { body: 'Still broken', internal: false });
    await tech.client.post(`/api/v1/tickets/${number}/comments`, { body: 'Looking (note)', internal: true });
    expect((await tech.client.get(`/api/v1/tickets/${number}`)).body.ticket.sla.firstRespondedAt).toBeNull();
    const reply = await tech.client.post(`/api/v1/tickets/${number}/comments`, { body: 'On it', internal: false });
    expect(reply.status).toBe(201);
    const after = (await tech.client.get(`/api/v1/tickets/${number}`)).body.ticket;
    expect(after.sla.firstRespondedAt).not.toBeNull();

    const hold = await tech.client.post(`/api/v1/tickets/${number}/status`, { status: 'on_hold' });
    expect(hold.status).toBe(200);
    expect(hold.body.ticket.sla.paused).toBe(true);
    const back = await tech.client.post(`/api/v1/tickets/${number}/status`, { status: 'in_progress' });
    expect(back.body.ticket.sla.paused).toBe(false);
    const done = await tech.client.post(`/api/v1/tickets/${number}/status`, { status: 'resolved' });
    expect(done.body.ticket.sla.resolvedAt).not.toBeNull();
    expect(done.body.ticket.sla.breached).toEqual({ firstResponse: false, resolution: false });
  });

  it('filters the list by breached and at risk and sorts by SLA due; a breach notifies the assignee once', async () => {
    const a = await acme.admin.client.post('/api/v1/tickets', {
      kind: 'incident',
      title: 'Breach me',
      priority: 'urgent',
      assigneeId: String(tech.id),
    });
    const b = await tech.client.post('/api/v1/tickets', { kind: 'incident', title: 'Later', priority: 'low' });
    expect(a.status).toBe(201);
    const idOf = async (n: number) => Number((await tech.client.get(`/api/v1/tickets/${n}`)).body.ticket.id);
    const aId = await idOf(a.body.ticket.number);
    const inTwoHours = new Date(Date.now() + 125 * MIN);
    const fired = await fireDue(h.deps, acme.id, aId, { now: inTwoHours });
    expect(fired.map((e) => `${e.target}:${e.kind}`).sort()).toEqual(['first_response:breach', 'resolution:breach']);
    expect(await fireDue(h.deps, acme.id, aId, { now: inTwoHours })).toEqual([]);
    const breached = await tech.client.get('/api/v1/tickets?slaBreached=true');
    expect(breached.body.items.map((t: { number: number }) => t.number)).toEqual([a.body.ticket.number]);
    expect(breached.body.items[0].sla.breached).toEqual({ firstResponse: true, resolution: true });
    const notBreached = await tech.client.get('/api/v1/tickets?slaBreached=false&limit=200');
    expect(notBreached.body.items.map((t: { number: number }) => t.number)).toContain(b.body.ticket.number);
    expect((await tech.client.get('/api/v1/tickets?slaAtRisk=true')).status).toBe(200);
    // Soonest unmet due first (breached ones included), tickets without a running clock last; keyset pages follow it.
    type Item = {
      number: number;
      sla: {
        firstResponseDueAt: string;
        resolutionDueAt: string;
        firstRespondedAt: string | null;
        paused: boolean;
        resolvedAt: string | null;
      } | null;
    };
    const all = (await tech.client.get('/api/v1/tickets?sort=slaDue&limit=200')).body.items as Item[];
    const nextDue = (t: Item) =>
      !t.sla || t.sla.paused || t.sla.resolvedAt
        ? Number.POSITIVE_INFINITY
        : Math.min(
            t.sla.firstRespondedAt ? Number.POSITIVE_INFINITY : Date.parse(t.sla.firstResponseDueAt),
            Date.parse(t.sla.resolutionDueAt),
          );
    const dues = all.map(nextDue);
    expect(dues).toEqual([...dues].sort((x, y) => x - y));
    expect(dues.filter(Number.isFinite).length).toBeGreaterThan(2);
    const page1 = await tech.client.get('/api/v1/tickets?sort=slaDue&limit=1');
    const page2 = await tech.client.get(`/api/v1/tickets?sort=slaDue&limit=1&cursor=${page1.body.nextCursor}`);
    expect([page1.body.items[0].number, page2.body.items[0].number]).toEqual([all[0].number, all[1].number]);
    // Paging two at a time walks the same order, across the running clocks into the tickets without one.
    const walked: number[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: { items: Item[]; nextCursor: string | null } } = await tech.client.get(
        `/api/v1/tickets?sort=slaDue&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.status).toBe(200);
      walked.push(...res.body.items.map((i: Item) => i.number));
      cursor = res.body.nextCursor;
    } while (cursor && walked.length < 400);
    expect(walked).toEqual(all.map((i) => i.number));
    const forged = Buffer.from(JSON.stringify([123, 1])).toString('base64url');
    const bad = await tech.client.get(`/api/v1/tickets?sort=slaDue&cursor=${forged}`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation');
    expect(dues.some((d) => !Number.isFinite(d))).toBe(true);
    expect(
      await count(h, `select count(*) from notifications where tenant_id = $1 and user_id = $2 and event = 'ticket.sla_breached'`, [
        acme.id,
        tech.id,
      ]),
    ).toBe(2);
    // The Manager role (the default escalation role) has no members here; the policy's is used.
  });
});
