// Time correctness of the schedule: entries across the DST changes of Europe/London,
// America/New_York, Australia/Sydney and Pacific/Auckland (the missing and the repeated hour), across
// midnight, a viewer in another zone than the entry, and a week view spanning a DST change. Wall
// clocks become instants through src/shared/time only; the server's own zone plays no part.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wallClockToInstant } from '../../src/shared/time/index.js';
import { createCompany, createUser, type TestCompany, type TestUser } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { outbox } from '../helpers.js';

const HOUR = 3_600_000;
const wall = (date: string, time: string, zone: string) => wallClockToInstant(date, time, zone).toISOString();
const hours = (e: { startsAt: string; endsAt: string }) => (Date.parse(e.endsAt) - Date.parse(e.startsAt)) / HOUR;

describe('schedule across time zones and DST', () => {
  let h: Harness;
  let acme: TestCompany;
  let planner: TestUser;
  let tech: TestUser;

  const book = (kind: string, zone: string, startsAt: string, endsAt: string, who = tech) =>
    planner.client.post('/api/v1/schedule/entries', { technicianId: String(who.id), kind, timezone: zone, startsAt, endsAt });

  beforeAll(async () => {
    h = await harness();
    acme = await createCompany(h);
    planner = await createUser(h, acme, { role: 'Manager' });
    tech = await createUser(h, acme, { role: 'Technician' });
    expect((await acme.admin.client.patch('/api/v1/settings', { timezone: 'Europe/London' })).status).toBe(200);
  });
  afterAll(() => h.close());

  it('books a night shift over the London spring-forward (7 hours) and the autumn fall-back (9 hours)', async () => {
    const spring = await book(
      'shift',
      'Europe/London',
      wall('2026-03-28', '22:00', 'Europe/London'),
      wall('2026-03-29', '06:00', 'Europe/London'),
    );
    expect(spring.status).toBe(201);
    expect(spring.body.entry).toMatchObject({ startsAt: '2026-03-28T22:00:00.000Z', endsAt: '2026-03-29T05:00:00.000Z' });
    expect(hours(spring.body.entry)).toBe(7);
    const autumn = await book(
      'shift',
      'Europe/London',
      wall('2026-10-24', '22:00', 'Europe/London'),
      wall('2026-10-25', '06:00', 'Europe/London'),
    );
    expect(hours(autumn.body.entry)).toBe(9);
    // 01:30 does not exist that spring night: it moves forward by the gap (02:30 BST = 01:30Z).
    expect(wall('2026-03-29', '01:30', 'Europe/London')).toBe('2026-03-29T01:30:00.000Z');
  });

  it('keeps the two 01:00–02:00 hours of New York’s fall-back apart: back to back, not overlapping', async () => {
    // 01:00 EDT = 05:00Z, 01:00 EST = 06:00Z, 02:00 EST = 07:00Z.
    const first = await book('on_call', 'America/New_York', '2026-11-01T01:00:00-04:00', '2026-11-01T01:00:00-05:00');
    const second = await book('on_call', 'America/New_York', '2026-11-01T01:00:00-05:00', '2026-11-01T02:00:00-05:00');
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body.entry.startsAt).toBe('2026-11-01T06:00:00.000Z');
    // A third in the repeated hour overlaps the first.
    const third = await book('on_call', 'America/New_York', '2026-11-01T01:30:00-04:00', '2026-11-01T01:45:00-04:00');
    expect(third.status).toBe(422);
    expect(third.body.error.details.conflicts.map((c: { id: string }) => c.id)).toEqual([first.body.entry.id]);
    // The missing hour of the spring: 02:30 on 8 March becomes 03:30 EDT.
    expect(wall('2026-03-08', '02:30', 'America/New_York')).toBe('2026-03-08T07:30:00.000Z');
  });

  it('books across the southern DST changes of Sydney and Auckland', async () => {
    // Sydney, 5 April 2026: 03:00 AEDT becomes 02:00 AEST: a 00:00–06:00 shift lasts 7 hours.
    const syd = await book(
      'shift',
      'Australia/Sydney',
      wall('2026-04-05', '00:00', 'Australia/Sydney'),
      wall('2026-04-05', '06:00', 'Australia/Sydney'),
    );
    expect(hours(syd.body.entry)).toBe(7);
    // Sydney, 4 October 2026: 02:00 AEST becomes 03:00 AEDT: 5 hours.
    const sydSpring = await book(
      'shift',
      'Australia/Sydney',
      wall('2026-10-04', '00:00', 'Australia/Sydney'),
      wall('2026-10-04', '06:00', 'Australia/Sydney'),
    );
    expect(hours(sydSpring.body.entry)).toBe(5);
    // Auckland, 27 September 2026: 02:00 NZST becomes 03:00 NZDT; 02:30 does not exist.
    expect(wall('2026-09-27', '02:30', 'Pacific/Auckland')).toBe(wall('2026-09-27', '03:30', 'Pacific/Auckland'));
    const akl = await book(
      'shift',
      'Pacific/Auckland',
      wall('2026-09-26', '22:00', 'Pacific/Auckland'),
      wall('2026-09-27', '06:00', 'Pacific/Auckland'),
    );
    expect(hours(akl.body.entry)).toBe(7);
    // Auckland, 5 April 2026: the 02:00–03:00 hour repeats; an entry over it lasts 2 hours of wall clock + 1.
    const aklBack = await book('on_call', 'Pacific/Auckland', '2026-04-05T01:30:00+13:00', '2026-04-05T03:30:00+12:00');
    expect(hours(aklBack.body.entry)).toBe(3);
  });

  it('shows an entry crossing midnight on both days', async () => {
    const other = await createUser(h, acme, { role: 'Technician' });
    const night = (await book('shift', 'Europe/London', '2026-06-15T22:00:00+01:00', '2026-06-16T06:00:00+01:00', other)).body.entry;
    const mon = (await planner.client.get(`/api/v1/schedule?from=2026-06-15&to=2026-06-15&technicianId=${other.id}`)).body;
    const tue = (await planner.client.get(`/api/v1/schedule?from=2026-06-16&to=2026-06-16&technicianId=${other.id}`)).body;
    const wed = (await planner.client.get(`/api/v1/schedule?from=2026-06-17&to=2026-06-17&technicianId=${other.id}`)).body;
    expect(mon.entries.map((e: { id: string }) => e.id)).toEqual([night.id]);
    expect(tue.entries.map((e: { id: string }) => e.id)).toEqual([night.id]);
    expect(wed.entries).toEqual([]);
    // A day in the company zone (London, BST) starts at 23:00Z the evening before.
    expect(mon.from).toBe('2026-06-14T23:00:00.000Z');
  });

  it('answers a week spanning a DST change with its real length, by the company zone', async () => {
    const other = await createUser(h, acme, { role: 'Technician' });
    const lastIn = (await book('job', 'Europe/London', '2026-03-29T23:00:00+01:00', '2026-03-29T23:59:00+01:00', other)).body.entry;
    const firstOut = (await book('job', 'Europe/London', '2026-03-30T00:00:00+01:00', '2026-03-30T00:30:00+01:00', other)).body.entry;
    const week = (await planner.client.get(`/api/v1/schedule?from=2026-03-23&to=2026-03-29&technicianId=${other.id}`)).body;
    expect(week.from).toBe('2026-03-23T00:00:00.000Z');
    expect(week.to).toBe('2026-03-29T23:00:00.000Z');
    expect((Date.parse(week.to) - Date.parse(week.from)) / HOUR).toBe(167);
    expect(week.entries.map((e: { id: string }) => e.id)).toEqual([lastIn.id]);
    expect(week.entries.map((e: { id: string }) => e.id)).not.toContain(firstOut.id);
  });

  it('copies a week across the spring change keeping 08:00 on the wall clock, skipping what would overlap', async () => {
    const other = await createUser(h, acme, { role: 'Technician' });
    for (const day of ['2026-03-23', '2026-03-24']) {
      expect(
        (await book('shift', 'Europe/London', wall(day, '08:00', 'Europe/London'), wall(day, '16:00', 'Europe/London'), other)).status,
      ).toBe(201);
    }
    // A job is not copied; a shift already on the Tuesday after makes that copy skip.
    expect(
      (
        await book(
          'job',
          'Europe/London',
          wall('2026-03-23', '09:00', 'Europe/London'),
          wall('2026-03-23', '10:00', 'Europe/London'),
          other,
        )
      ).status,
    ).toBe(201);
    const blocker = (
      await book(
        'shift',
        'Europe/London',
        wall('2026-03-31', '12:00', 'Europe/London'),
        wall('2026-03-31', '20:00', 'Europe/London'),
        other,
      )
    ).body.entry;
    const copy = await planner.client.post('/api/v1/schedule/copy-week', {
      fromWeek: '2026-03-23',
      toWeek: '2026-03-30',
      technicianId: String(other.id),
    });
    expect(copy.status).toBe(200);
    expect(copy.body.created.map((e: { startsAt: string; kind: string }) => [e.kind, e.startsAt])).toEqual([
      ['shift', '2026-03-30T07:00:00.000Z'],
    ]);
    expect(copy.body.skipped).toHaveLength(1);
    expect(copy.body.skipped[0].conflicts.map((c: { id: string }) => c.id)).toEqual([blocker.id]);
    expect(copy.body.skipped[0].message).toContain(`#${blocker.id}`);
    expect((await planner.client.post('/api/v1/schedule/copy-week', { fromWeek: '2026-03-24', toWeek: '2026-03-30' })).status).toBe(400);
    expect((await tech.client.post('/api/v1/schedule/copy-week', { fromWeek: '2026-03-23', toWeek: '2026-03-30' })).status).toBe(403);
  });

  it('tells a technician in another zone the times on their own clock', async () => {
    const tokyo = await createUser(h, acme, { role: 'Technician' });
    expect((await tokyo.client.patch('/api/v1/me', { timezone: 'Asia/Tokyo' })).status).toBe(200);
    // Made in London: 09:00–17:00 BST is 17:00–01:00 in Tokyo.
    const e = (await book('shift', 'Europe/London', '2026-07-01T09:00:00+01:00', '2026-07-01T17:00:00+01:00', tokyo)).body.entry;
    expect(e.timezone).toBe('Europe/London');
    const mails = await outbox(h, { to: tokyo.email });
    expect(mails.at(-1)?.text).toContain('Wed 1 Jul 17:00–Thu 2 Jul 01:00 (Asia/Tokyo)');
    // Read with explicit offsets by a viewer elsewhere, the same instants come back.
    const viewed = (
      await planner.client.get(
        `/api/v1/schedule?from=${encodeURIComponent('2026-07-01T00:00:00-07:00')}&to=${encodeURIComponent('2026-07-02T00:00:00+09:00')}&technicianId=${tokyo.id}`,
      )
    ).body;
    expect(viewed.entries.map((x: { id: string }) => x.id)).toEqual([e.id]);
  });
});
