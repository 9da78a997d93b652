import { describe, expect, it } from 'vitest';
import { addDays, dayRange, instantToWallClock, isDateOnly, isOverdue, isTimeZone, todayIn, wallClockToInstant } from './index.js';

const at = (iso: string) => new Date(iso);
const hours = (r: { start: Date; end: Date }) => (r.end.getTime() - r.start.getTime()) / 3_600_000;

describe('todayIn and isOverdue', () => {
  // 23:30 on 30 November in Los Angeles (UTC−8) is already 1 December in UTC.
  const evening = at('2026-12-01T07:30:00Z');

  it('is the date on the wall clock of the zone, not in UTC, on an evening west of UTC', () => {
    expect(todayIn('America/Los_Angeles', evening)).toBe('2026-11-30');
    expect(todayIn('UTC', evening)).toBe('2026-12-01');
    expect(todayIn('Pacific/Auckland', evening)).toBe('2026-12-01');
  });

  it('turns over at midnight in the zone', () => {
    expect(todayIn('Pacific/Auckland', at('2026-12-01T10:59:59Z'))).toBe('2026-12-01'); // 23:59:59 NZDT
    expect(todayIn('Pacific/Auckland', at('2026-12-01T11:00:00Z'))).toBe('2026-12-02'); // 00:00 NZDT
    expect(todayIn('Europe/London', at('2026-07-01T22:59:00Z'))).toBe('2026-07-01'); // 23:59 BST
    expect(todayIn('Europe/London', at('2026-07-01T23:00:00Z'))).toBe('2026-07-02');
  });

  it('counts the due day itself as on time, wherever the company is', () => {
    expect(isOverdue('2026-11-30', 'America/Los_Angeles', evening)).toBe(false);
    expect(isOverdue('2026-11-30', 'UTC', evening)).toBe(true);
    expect(isOverdue('2026-11-29', 'America/Los_Angeles', evening)).toBe(true);
    expect(isOverdue(null, 'UTC', evening)).toBe(false);
  });
});

describe('dayRange', () => {
  it('is 24 hours on an ordinary day, starting at local midnight', () => {
    const r = dayRange('2026-12-01', 'America/Los_Angeles');
    expect(r.start.toISOString()).toBe('2026-12-01T08:00:00.000Z');
    expect(r.end.toISOString()).toBe('2026-12-02T08:00:00.000Z');
  });

  it('is 23 hours on a spring-forward day and 25 on a fall-back day (Europe/London)', () => {
    const spring = dayRange('2026-03-29', 'Europe/London');
    expect([spring.start.toISOString(), spring.end.toISOString(), hours(spring)]).toEqual([
      '2026-03-29T00:00:00.000Z',
      '2026-03-29T23:00:00.000Z',
      23,
    ]);
    const autumn = dayRange('2026-10-25', 'Europe/London');
    expect([autumn.start.toISOString(), autumn.end.toISOString(), hours(autumn)]).toEqual([
      '2026-10-24T23:00:00.000Z',
      '2026-10-26T00:00:00.000Z',
      25,
    ]);
  });

  it('follows America/Los_Angeles and Pacific/Auckland (southern hemisphere) across their changes', () => {
    expect(hours(dayRange('2026-03-08', 'America/Los_Angeles'))).toBe(23);
    expect(hours(dayRange('2026-11-01', 'America/Los_Angeles'))).toBe(25);
    const nzSpring = dayRange('2026-09-27', 'Pacific/Auckland');
    expect([nzSpring.start.toISOString(), hours(nzSpring)]).toEqual(['2026-09-26T12:00:00.000Z', 23]);
    expect(hours(dayRange('2026-04-05', 'Pacific/Auckland'))).toBe(25);
  });

  it('starts at the first existing instant when a DST change skips midnight (America/Santiago)', () => {
    // Chile springs forward at 24:00 on 5 September 2026: that day begins at 01:00 local time.
    const r = dayRange('2026-09-06', 'America/Santiago');
    expect(instantToWallClock(r.start, 'America/Santiago')).toEqual({ date: '2026-09-06', time: '01:00' });
    expect(hours(r)).toBe(23);
  });
});

describe('wall clock and instants', () => {
  it('converts both ways in a zone', () => {
    const instant = wallClockToInstant('2026-12-01', '20:00', 'America/Los_Angeles');
    expect(instant.toISOString()).toBe('2026-12-02T04:00:00.000Z');
    expect(instantToWallClock(instant, 'America/Los_Angeles')).toEqual({ date: '2026-12-01', time: '20:00' });
    expect(instantToWallClock(instant, 'Pacific/Auckland')).toEqual({ date: '2026-12-02', time: '17:00' });
  });

  it('moves a time skipped by spring-forward on by the gap, and takes the earlier of a repeated time', () => {
    // 01:30 does not exist in London on 29 March 2026 (01:00 GMT → 02:00 BST): 02:30 BST.
    const skipped = wallClockToInstant('2026-03-29', '01:30', 'Europe/London');
    expect(skipped.toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(instantToWallClock(skipped, 'Europe/London').time).toBe('02:30');
    // 01:30 happens twice on 25 October 2026: the first (BST) one.
    expect(wallClockToInstant('2026-10-25', '01:30', 'Europe/London').toISOString()).toBe('2026-10-25T00:30:00.000Z');
    // Los Angeles 02:30 on 8 March 2026 is 03:30 PDT.
    expect(instantToWallClock(wallClockToInstant('2026-03-08', '02:30', 'America/Los_Angeles'), 'America/Los_Angeles').time).toBe('03:30');
  });

  it('refuses a malformed time', () => {
    expect(() => wallClockToInstant('2026-12-01', '24:00', 'UTC')).toThrow(RangeError);
  });
});

describe('validation and arithmetic', () => {
  it('knows zones and real dates', () => {
    expect(isTimeZone('Pacific/Auckland')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isDateOnly('2028-02-29')).toBe(true);
    expect(isDateOnly('2026-02-29')).toBe(false);
    expect(isDateOnly('2026-2-01')).toBe(false);
  });

  it('adds calendar days across month, year and DST boundaries', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-03-28', 2)).toBe('2026-03-30');
  });
});
