// The private iCalendar feed, read back with a real parser (node-ical): VTIMEZONE for every zone used,
// times in the entry's zone (across DST), stable UIDs whose SEQUENCE grows on update, REFRESH-INTERVAL,
// approved time off only, and rotation (the old URL answers 404).
import ical from 'node-ical';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompany, createUser, type TestCompany, type TestUser } from '../factories.js';
import { type Harness, harness } from '../harness.js';

const pathOf = (url: string) => new URL(url).pathname;

describe('calendar feed', () => {
  let h: Harness;
  let acme: TestCompany;
  let planner: TestUser;
  let tech: TestUser;
  const soon = (days: number, hour: number) => {
    const d = new Date(Date.now() + days * 86_400_000);
    d.setUTCHours(hour, 0, 0, 0);
    return d.toISOString();
  };

  beforeAll(async () => {
    h = await harness();
    acme = await createCompany(h);
    planner = await createUser(h, acme, { role: 'Manager' });
    tech = await createUser(h, acme, { role: 'Technician' });
  });
  afterAll(() => h.close());

  it('serves entries and approved time off with VTIMEZONEs, stable UIDs and a refresh interval', async () => {
    const url = (await tech.client.get('/api/v1/me/calendar-feed')).body.url as string;
    expect(url).toMatch(/\/api\/v1\/calendar\/[A-Za-z0-9_-]+\.ics$/);
    // Asking again gives the same URL (it is not rotated by reading it).
    expect((await tech.client.get('/api/v1/me/calendar-feed')).body.url).toBe(url);
    const london = (
      await planner.client.post('/api/v1/schedule/entries', {
        technicianId: String(tech.id),
        kind: 'shift',
        timezone: 'Europe/London',
        startsAt: soon(3, 8),
        endsAt: soon(3, 16),
        note: 'Front desk',
      })
    ).body.entry;
    const ny = (
      await planner.client.post('/api/v1/schedule/entries', {
        technicianId: String(tech.id),
        kind: 'job',
        timezone: 'America/New_York',
        startsAt: soon(4, 14),
        endsAt: soon(4, 15),
      })
    ).body.entry;
    await planner.client.post('/api/v1/time-off', {
      userId: String(tech.id),
      kind: 'vacation',
      startsAt: soon(20, 0),
      endsAt: soon(25, 0),
    });
    await tech.client.post('/api/v1/time-off', { kind: 'sick', startsAt: soon(30, 0), endsAt: soon(31, 0) });

    const anon = h.client();
    const res = await anon.get(pathOf(url));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/calendar/);
    const text = res.body as string;
    expect(text).toMatch(/REFRESH-INTERVAL;VALUE=DURATION:PT1H/);
    expect(text).toContain('BEGIN:VTIMEZONE\r\nTZID:Europe/London');
    expect(text).toContain('BEGIN:VTIMEZONE\r\nTZID:America/New_York');
    expect(text).toMatch(/DTSTART;TZID=Europe\/London:\d{8}T\d{6}\r\n/);
    const parsed = ical.sync.parseICS(text);
    const events = Object.values(parsed).filter((c) => c?.type === 'VEVENT') as ical.VEvent[];
    expect(events).toHaveLength(3);
    const shift = events.find((e) => String(e.uid).startsWith(`entry-${acme.id}-${london.id}@`)) as ical.VEvent;
    expect(new Date(shift.start as Date).toISOString()).toBe(london.startsAt);
    expect(new Date(shift.end as Date).toISOString()).toBe(london.endsAt);
    expect(shift.description).toContain('Front desk');
    const job = events.find((e) => String(e.uid).startsWith(`entry-${acme.id}-${ny.id}@`)) as ical.VEvent;
    expect(new Date(job.start as Date).toISOString()).toBe(ny.startsAt);
    expect(events.filter((e) => String(e.uid).startsWith('time-off-'))).toHaveLength(1);

    // An update keeps the UID and raises SEQUENCE: subscribers replace the event.
    await planner.client.patch(`/api/v1/schedule/entries/${london.id}`, { startsAt: soon(3, 9) });
    const again = Object.values(ical.sync.parseICS((await anon.get(pathOf(url))).body as string)).filter(
      (c) => c?.type === 'VEVENT',
    ) as ical.VEvent[];
    const moved = again.find((e) => e.uid === shift.uid) as ical.VEvent;
    expect(new Date(moved.start as Date).toISOString()).toBe(soon(3, 9));
    expect(Number(moved.sequence)).toBe(Number(shift.sequence) + 1);
  });

  it('rotates: the old URL answers 404, the new one works', async () => {
    const old = (await tech.client.get('/api/v1/me/calendar-feed')).body.url as string;
    const rotated = (await tech.client.post('/api/v1/me/calendar-feed')).body.url as string;
    expect(rotated).not.toBe(old);
    const anon = h.client();
    expect((await anon.get(pathOf(old))).status).toBe(404);
    expect((await anon.get(pathOf(rotated))).status).toBe(200);
    expect((await anon.get('/api/v1/calendar/nope.ics')).status).toBe(404);
    expect((await anon.get('/api/v1/calendar/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics')).status).toBe(404);
    expect((await anon.get(`${pathOf(rotated).slice(0, -4)}`)).status).toBe(404);
    // A suspended company is read-only, not gone: its feeds keep serving.
    await h.deps.database.query('update companies set suspended = true where id = $1', [acme.id]);
    expect((await anon.get(pathOf(rotated))).status).toBe(200);
    await h.deps.database.query('update companies set suspended = false where id = $1', [acme.id]);
    expect((await anon.get(pathOf(rotated))).status).toBe(200);
  });
});
