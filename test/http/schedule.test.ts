// Scheduling over HTTP (API.md "Scheduling"): half-open ranges, a job inside a shift, same-kind and
// time-off overlaps refused with the conflict named, time off requested / approved (force → flagged),
// permissions, the ticket's window following its job entry, notices, and bad input changing nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompany, createRole, createUser, type TestCompany, type TestUser } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { count, eventually, outbox, snapshot } from '../helpers.js';
import { openLive } from '../live.js';

const at = (s: string) => new Date(s).toISOString();

describe('schedule', () => {
  let h: Harness;
  let acme: TestCompany;
  let planner: TestUser;
  let tech: TestUser;
  let tech2: TestUser;
  let viewer: TestUser;

  const book = (who: TestUser, body: Record<string, unknown>, by = planner) =>
    by.client.post('/api/v1/schedule/entries', { technicianId: String(who.id), timezone: 'Europe/London', ...body });

  beforeAll(async () => {
    h = await harness();
    acme = await createCompany(h);
    planner = await createUser(h, acme, { role: 'Manager' });
    tech = await createUser(h, acme, { role: 'Technician' });
    tech2 = await createUser(h, acme, { role: 'Technician' });
    viewer = await createUser(h, acme, { role: 'Viewer' });
  });
  afterAll(() => h.close());

  it('books back to back and a job inside a shift, refuses a same-kind overlap naming the conflict', async () => {
    const shift = await book(tech, { kind: 'shift', startsAt: '2026-06-01T08:00:00+01:00', endsAt: '2026-06-01T16:00:00+01:00' });
    expect(shift.status).toBe(201);
    expect(shift.body.entry).toMatchObject({
      kind: 'shift',
      startsAt: at('2026-06-01T07:00:00Z'),
      endsAt: at('2026-06-01T15:00:00Z'),
      timezone: 'Europe/London',
      version: 1,
      flagged: false,
    });
    expect(shift.body.id).toBe(shift.body.entry.id);
    // Back to back: [16:00, 20:00) after [08:00, 16:00).
    expect((await book(tech, { kind: 'shift', startsAt: '2026-06-01T16:00:00+01:00', endsAt: '2026-06-01T20:00:00+01:00' })).status).toBe(
      201,
    );
    // A job inside the shift is normal.
    expect((await book(tech, { kind: 'job', startsAt: '2026-06-01T09:00:00+01:00', endsAt: '2026-06-01T10:00:00+01:00' })).status).toBe(
      201,
    );
    // Another shift intersecting by one minute is not.
    const clash = await book(tech, { kind: 'shift', startsAt: '2026-06-01T15:59:00+01:00', endsAt: '2026-06-01T17:00:00+01:00' });
    expect(clash.status).toBe(422);
    expect(clash.body.error.code).toBe('overlap');
    expect(clash.body.error.details.conflicts).toHaveLength(2);
    expect(clash.body.error.details.conflicts[0]).toEqual({
      type: 'entry',
      id: shift.body.entry.id,
      kind: 'shift',
      startsAt: at('2026-06-01T07:00:00Z'),
      endsAt: at('2026-06-01T15:00:00Z'),
    });
    expect(clash.body.error.message).toContain(`#${shift.body.entry.id}`);
    // Another technician at the same time is fine.
    expect((await book(tech2, { kind: 'shift', startsAt: '2026-06-01T08:00:00+01:00', endsAt: '2026-06-01T16:00:00+01:00' })).status).toBe(
      201,
    );
  });

  it('moves and resizes with the version; a stale version is 409, an overlapping move 422 and changes nothing', async () => {
    const a = (await book(tech, { kind: 'on_call', startsAt: '2026-06-02T18:00:00+01:00', endsAt: '2026-06-02T22:00:00+01:00' })).body
      .entry;
    const b = (await book(tech, { kind: 'on_call', startsAt: '2026-06-03T18:00:00+01:00', endsAt: '2026-06-03T22:00:00+01:00' })).body
      .entry;
    const moved = await planner.client.patch(`/api/v1/schedule/entries/${a.id}`, {
      version: 1,
      startsAt: '2026-06-02T19:00:00+01:00',
      endsAt: '2026-06-03T01:00:00+01:00',
    });
    expect(moved.status).toBe(200);
    expect(moved.body.entry).toMatchObject({ version: 2, startsAt: at('2026-06-02T18:00:00Z'), endsAt: at('2026-06-03T00:00:00Z') });
    expect((await planner.client.patch(`/api/v1/schedule/entries/${a.id}`, { version: 1, note: 'x' })).status).toBe(409);
    const over = await planner.client.patch(`/api/v1/schedule/entries/${a.id}`, { version: 2, endsAt: '2026-06-03T19:00:00+01:00' });
    expect(over.status).toBe(422);
    expect(over.body.error.details.conflicts.map((c: { id: string }) => c.id)).toEqual([b.id]);
    expect((await planner.client.get(`/api/v1/schedule/entries/${a.id}`)).body.entry).toMatchObject({
      version: 2,
      endsAt: at('2026-06-03T00:00:00Z'),
    });
    expect((await planner.client.delete(`/api/v1/schedule/entries/${b.id}`)).status).toBe(204);
    expect((await planner.client.get(`/api/v1/schedule/entries/${b.id}`)).status).toBe(404);
  });

  it('lets a technician request time off, a planner approve it (not their own), then blocks bookings', async () => {
    const req = await tech.client.post('/api/v1/time-off', {
      kind: 'vacation',
      startsAt: '2026-07-06T00:00:00+01:00',
      endsAt: '2026-07-11T00:00:00+01:00',
      note: 'Beach',
    });
    expect(req.status).toBe(201);
    expect(req.body.timeOff).toMatchObject({ status: 'requested', kind: 'vacation', userId: String(tech.id) });
    // Requested time off does not block yet.
    const during = await book(tech, { kind: 'shift', startsAt: '2026-07-07T08:00:00+01:00', endsAt: '2026-07-07T16:00:00+01:00' });
    expect(during.status).toBe(201);
    // A technician may not decide, nor request for someone else.
    expect((await tech.client.post(`/api/v1/time-off/${req.body.timeOff.id}/approve`)).status).toBe(403);
    expect(
      (
        await tech.client.post('/api/v1/time-off', {
          userId: String(tech2.id),
          kind: 'sick',
          startsAt: '2026-07-01T00:00:00Z',
          endsAt: '2026-07-02T00:00:00Z',
        })
      ).status,
    ).toBe(403);
    // Approving over the shift is refused, listing it; forced, the shift stays flagged.
    const refused = await planner.client.post(`/api/v1/time-off/${req.body.timeOff.id}/approve`, {});
    expect(refused.status).toBe(422);
    expect(refused.body.error.details.conflicts).toEqual([
      expect.objectContaining({ type: 'entry', id: during.body.entry.id, kind: 'shift' }),
    ]);
    const forced = await planner.client.post(`/api/v1/time-off/${req.body.timeOff.id}/approve`, { force: true });
    expect(forced.status).toBe(200);
    expect(forced.body.timeOff).toMatchObject({ status: 'approved', decidedById: String(planner.id) });
    expect((await planner.client.get(`/api/v1/schedule/entries/${during.body.entry.id}`)).body.entry.flagged).toBe(true);
    // A flagged entry's note can still be edited; moving it within the time off is refused; moving it out clears the flag.
    expect(
      (await planner.client.patch(`/api/v1/schedule/entries/${during.body.entry.id}`, { note: 'Swap with Sam?' })).body.entry,
    ).toMatchObject({ flagged: true, note: 'Swap with Sam?' });
    expect(
      (await planner.client.patch(`/api/v1/schedule/entries/${during.body.entry.id}`, { startsAt: '2026-07-07T09:00:00+01:00' })).status,
    ).toBe(422);
    const out = await planner.client.patch(`/api/v1/schedule/entries/${during.body.entry.id}`, {
      startsAt: '2026-07-13T08:00:00+01:00',
      endsAt: '2026-07-13T16:00:00+01:00',
    });
    expect(out.body.entry.flagged).toBe(false);
    // Now any booking during it is refused, naming the time off.
    const blocked = await book(tech, { kind: 'job', startsAt: '2026-07-08T10:00:00+01:00', endsAt: '2026-07-08T11:00:00+01:00' });
    expect(blocked.status).toBe(422);
    expect(blocked.body.error.details.conflicts[0]).toMatchObject({ type: 'time_off', id: req.body.timeOff.id, kind: 'vacation' });
    expect(blocked.body.error.message).toMatch(/has approved vacation/);
    // The technician heard about the decision, in app and by mail.
    expect(await count(h, `select count(*) from notifications where user_id = $1 and event = 'time_off.decided'`, [tech.id])).toBe(1);
    expect((await outbox(h, { to: tech.email })).some((m) => m.subject === 'Time off approved')).toBe(true);
    // A planner's own request waits for someone else.
    const own = (
      await planner.client.post('/api/v1/time-off', { kind: 'other', startsAt: '2026-08-01T00:00:00Z', endsAt: '2026-08-02T00:00:00Z' })
    ).body.timeOff;
    expect(own.status).toBe('requested');
    expect((await planner.client.post(`/api/v1/time-off/${own.id}/approve`)).status).toBe(403);
    expect((await acme.admin.client.post(`/api/v1/time-off/${own.id}/reject`)).body.timeOff.status).toBe('rejected');
    // Entered by a planner for someone else: approved at once.
    const entered = await planner.client.post('/api/v1/time-off', {
      userId: String(tech2.id),
      kind: 'sick',
      startsAt: '2026-07-20T00:00:00Z',
      endsAt: '2026-07-21T00:00:00Z',
    });
    expect(entered.body.timeOff.status).toBe('approved');
  });

  it('shows technicians their own time off only; the viewer sees the calendar but may not book', async () => {
    const list = await tech2.client.get('/api/v1/time-off');
    expect(list.status).toBe(200);
    expect(list.body.items.every((t: { userId: string }) => t.userId === String(tech2.id))).toBe(true);
    expect((await viewer.client.get('/api/v1/schedule?from=2026-06-01&to=2026-06-07')).status).toBe(200);
    expect((await book(tech, { kind: 'shift', startsAt: '2026-09-01T08:00:00Z', endsAt: '2026-09-01T09:00:00Z' }, viewer)).status).toBe(
      403,
    );
    const week = (await tech.client.get('/api/v1/schedule?from=2026-06-01&to=2026-06-07')).body;
    expect(week.entries.length).toBeGreaterThanOrEqual(4);
    const filtered = (await tech.client.get(`/api/v1/schedule?from=2026-06-01&to=2026-06-07&technicianId=${tech2.id}`)).body;
    expect(filtered.entries.every((e: { technicianId: string }) => e.technicianId === String(tech2.id))).toBe(true);
  });

  it('pages the time-off list in start order with a cursor', async () => {
    for (const day of ['2031-03-02', '2031-03-09', '2031-03-16']) {
      const r = await tech2.client.post('/api/v1/time-off', { kind: 'other', startsAt: `${day}T00:00:00Z`, endsAt: `${day}T12:00:00Z` });
      expect(r.status).toBe(201);
    }
    const all = (await tech2.client.get('/api/v1/time-off?from=2031-03-01&to=2031-03-31')).body.items;
    expect(all).toHaveLength(3);
    const first = (await tech2.client.get('/api/v1/time-off?from=2031-03-01&to=2031-03-31&limit=2')).body;
    expect(first.items.map((t: { id: string }) => t.id)).toEqual(all.slice(0, 2).map((t: { id: string }) => t.id));
    expect(first.nextCursor).toBeTruthy();
    const second = (await tech2.client.get(`/api/v1/time-off?from=2031-03-01&to=2031-03-31&limit=2&cursor=${first.nextCursor}`)).body;
    expect(second.items.map((t: { id: string }) => t.id)).toEqual([all[2].id]);
    expect(second.nextCursor).toBeNull();
    expect((await tech2.client.get('/api/v1/time-off?cursor=nonsense')).status).toBe(400);
  });

  it('links a job to a work order: the ticket window follows the entry and it leaves the unscheduled list', async () => {
    const wo = (await planner.client.post('/api/v1/tickets', { kind: 'work_order', title: 'Replace filter in AHU-3' })).body.ticket;
    expect((await planner.client.get('/api/v1/schedule/unscheduled')).body.items.map((i: { number: number }) => i.number)).toContain(
      wo.number,
    );
    const job = await book(tech2, {
      kind: 'job',
      ticketNumber: wo.number,
      startsAt: '2026-06-10T09:00:00+01:00',
      endsAt: '2026-06-10T11:00:00+01:00',
    });
    expect(job.status).toBe(201);
    expect(job.body.entry).toMatchObject({ ticketNumber: wo.number, ticketTitle: 'Replace filter in AHU-3' });
    let t = (await planner.client.get(`/api/v1/tickets/${wo.number}`)).body.ticket;
    expect(t).toMatchObject({ scheduledStart: at('2026-06-10T08:00:00Z'), scheduledEnd: at('2026-06-10T10:00:00Z') });
    expect(t.assignee?.id ?? t.assigneeId).toBe(String(tech2.id));
    expect((await planner.client.get('/api/v1/schedule/unscheduled')).body.items.map((i: { number: number }) => i.number)).not.toContain(
      wo.number,
    );
    // The ticket's number and title only for those who may see the ticket (tech2 now has it; tech may not).
    const seen = async (who: TestUser) =>
      (await who.client.get(`/api/v1/schedule/entries/${job.body.entry.id}`)).body.entry as {
        ticketNumber: number | null;
        ticketTitle: string | null;
      };
    expect(await seen(tech2)).toMatchObject({ ticketNumber: wo.number, ticketTitle: 'Replace filter in AHU-3' });
    expect(await seen(tech)).toMatchObject({ ticketNumber: null, ticketTitle: null });
    const techWeek = (await tech.client.get('/api/v1/schedule?from=2026-06-08&to=2026-06-14')).body.entries.find(
      (x: { id: string }) => x.id === job.body.entry.id,
    );
    expect(techWeek).toMatchObject({ ticketNumber: null, ticketTitle: null });
    await planner.client.patch(`/api/v1/schedule/entries/${job.body.entry.id}`, {
      startsAt: '2026-06-11T13:00:00+01:00',
      endsAt: '2026-06-11T15:30:00+01:00',
    });
    t = (await planner.client.get(`/api/v1/tickets/${wo.number}`)).body.ticket;
    expect(t).toMatchObject({ scheduledStart: at('2026-06-11T12:00:00Z'), scheduledEnd: at('2026-06-11T14:30:00Z') });
    // The technician was told in app, with the ticket linked.
    expect(
      await count(h, `select count(*) from notifications where user_id = $1 and event = 'schedule.changed' and ticket_number = $2`, [
        tech2.id,
        wo.number,
      ]),
    ).toBe(2);
    await planner.client.delete(`/api/v1/schedule/entries/${job.body.entry.id}`);
    t = (await planner.client.get(`/api/v1/tickets/${wo.number}`)).body.ticket;
    expect(t).toMatchObject({ scheduledStart: null, scheduledEnd: null });
  });

  it('answers bad input with 400 in the error shape and changes nothing; another company sees nothing', async () => {
    const before = await snapshot(h, acme.id);
    const bad = [
      { kind: 'shift', startsAt: '2026-06-01T10:00:00Z', endsAt: '2026-06-01T09:00:00Z' },
      { kind: 'nap', startsAt: '2026-06-01T10:00:00Z', endsAt: '2026-06-01T11:00:00Z' },
      { kind: 'shift', startsAt: '2026-06-01 10:00', endsAt: '2026-06-01T11:00:00Z' },
      { kind: 'shift', startsAt: '2026-06-01T10:00:00', endsAt: '2026-06-01T11:00:00Z' },
      { kind: 'shift', startsAt: '2026-06-01T10:00:00Z', endsAt: '2026-06-01T11:00:00Z', timezone: 'Mars/Olympus' },
      { kind: 'shift', startsAt: '2026-06-01T10:00:00Z', endsAt: '2026-06-01T11:00:00Z', ticketNumber: 999999 },
      { kind: 'shift', startsAt: '2026-06-01T10:00:00Z', endsAt: '2026-06-01T11:00:00Z', locationId: '999999' },
    ];
    for (const body of bad) {
      const r = await book(tech, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toBe('validation');
    }
    expect((await planner.client.get('/api/v1/schedule?from=2026-06-10&to=2026-06-01')).status).toBe(400);
    expect((await planner.client.get('/api/v1/schedule?from=2020-01-01&to=2026-06-01')).status).toBe(400);
    expect(await snapshot(h, acme.id)).toEqual(before);
    const globex = await createCompany(h);
    const other = await createUser(h, globex, { role: 'Manager' });
    expect((await other.client.get('/api/v1/schedule?from=2026-06-01&to=2026-06-07')).body.entries).toEqual([]);
    expect((await book(tech, { kind: 'shift', startsAt: '2026-09-01T08:00:00Z', endsAt: '2026-09-01T09:00:00Z' }, other)).status).toBe(400);
    const someEntry = (await planner.client.get('/api/v1/schedule?from=2026-06-01&to=2026-06-07')).body.entries[0];
    expect((await other.client.patch(`/api/v1/schedule/entries/${someEntry.id}`, { note: 'x' })).status).toBe(404);
    expect((await other.client.delete(`/api/v1/schedule/entries/${someEntry.id}`)).status).toBe(404);
  });

  it('pushes schedule.changed to open calendars after commit, and e-mails only as the preferences say', async () => {
    const socket = await openLive(h, viewer.client.cookie as string);
    try {
      expect(await eventually(async () => socket.messages.some((m) => m.type === 'hello'))).toBe(true);
      const prefs = await tech.client.request('PUT', '/api/v1/notifications/preferences', {
        preferences: { 'schedule.changed': { inApp: true, email: false } },
      });
      expect(prefs.status).toBe(200);
      const mailsBefore = (await outbox(h, { to: tech.email })).length;
      const inAppBefore = await count(h, `select count(*) from notifications where user_id = $1 and event = 'schedule.changed'`, [tech.id]);
      const e = await book(tech, { kind: 'job', startsAt: '2026-11-20T10:00:00Z', endsAt: '2026-11-20T11:00:00Z' });
      expect(e.status).toBe(201);
      expect(
        await eventually(async () =>
          socket.messages.some(
            (m) => m.type === 'schedule.changed' && (m.data as { technicianId: string }).technicianId === String(tech.id),
          ),
        ),
      ).toBe(true);
      expect((await outbox(h, { to: tech.email })).length).toBe(mailsBefore);
      expect(await count(h, `select count(*) from notifications where user_id = $1 and event = 'schedule.changed'`, [tech.id])).toBe(
        inAppBefore + 1,
      );
      // A refused booking pushes nothing and notifies nobody.
      const pushes = socket.messages.filter((m) => m.type === 'schedule.changed').length;
      expect((await book(tech, { kind: 'job', startsAt: '2026-11-20T10:30:00Z', endsAt: '2026-11-20T11:30:00Z' })).status).toBe(422);
      expect(await count(h, `select count(*) from notifications where user_id = $1 and event = 'schedule.changed'`, [tech.id])).toBe(
        inAppBefore + 1,
      );
      expect(socket.messages.filter((m) => m.type === 'schedule.changed').length).toBe(pushes);
    } finally {
      await socket.close();
    }
  });

  it('uses a planner role with only schedule.manage', async () => {
    const only = await createUser(h, acme, { roleId: await createRole(h, acme, ['schedule.view', 'schedule.manage']) });
    expect((await book(tech2, { kind: 'on_call', startsAt: '2026-10-01T00:00:00Z', endsAt: '2026-10-02T00:00:00Z' }, only)).status).toBe(
      201,
    );
  });
});
