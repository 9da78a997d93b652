import { describe, expect, it } from 'vitest';
import { instantToWallClock } from './index.js';
import {
  firstOccurrenceFrom,
  nextOccurrences,
  occurrencesBetween,
  type Recurrence,
  RecurrenceError,
  validateRecurrence,
} from './recurrence.js';

const at = (iso: string) => new Date(iso);
const walls = (dates: Date[], zone: string) =>
  dates.map((d) => {
    const w = instantToWallClock(d, zone);
    return `${w.date} ${w.time}`;
  });
const rule = (rrule: string, extra: Partial<Recurrence> = {}): Recurrence => ({
  rrule,
  startsOn: '2026-01-01',
  time: '07:30',
  timezone: 'UTC',
  ...extra,
});

describe('RRULE patterns in floating local time', () => {
  it('every 2nd Monday of the month', () => {
    const r = rule('FREQ=MONTHLY;BYDAY=2MO', { timezone: 'Europe/Berlin' });
    expect(walls(nextOccurrences(r, at('2026-01-01T00:00:00Z'), 4), 'Europe/Berlin')).toEqual([
      '2026-01-12 07:30',
      '2026-02-09 07:30',
      '2026-03-09 07:30',
      '2026-04-13 07:30',
    ]);
  });

  it('the last weekday of the month', () => {
    const r = rule('FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1', { time: '16:00' });
    expect(walls(nextOccurrences(r, at('2026-01-01T00:00:00Z'), 5), 'UTC')).toEqual([
      '2026-01-30 16:00',
      '2026-02-27 16:00',
      '2026-03-31 16:00',
      '2026-04-30 16:00',
      '2026-05-29 16:00',
    ]);
  });

  it('every 3 months on the 15th', () => {
    const r = rule('FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15', { startsOn: '2026-02-01', time: '09:00', timezone: 'America/New_York' });
    expect(walls(nextOccurrences(r, at('2026-01-01T00:00:00Z'), 4), 'America/New_York')).toEqual([
      '2026-02-15 09:00',
      '2026-05-15 09:00',
      '2026-08-15 09:00',
      '2026-11-15 09:00',
    ]);
  });

  it('starts on startsOn, never before, and the first run of a rule counts the start itself', () => {
    const r = rule('FREQ=DAILY', { startsOn: '2026-03-10' });
    expect(firstOccurrenceFrom(r, at('2026-01-01T00:00:00Z'))?.toISOString()).toBe('2026-03-10T07:30:00.000Z');
    expect(firstOccurrenceFrom(r, at('2026-03-12T07:30:00Z'))?.toISOString()).toBe('2026-03-12T07:30:00.000Z');
  });

  it('ends with COUNT or UNTIL', () => {
    const r = rule('FREQ=WEEKLY;COUNT=2');
    expect(nextOccurrences(r, at('2025-12-31T00:00:00Z'), 10)).toHaveLength(2);
    expect(nextOccurrences(r, at('2026-02-01T00:00:00Z'), 10)).toEqual([]);
  });

  it('lists missed occurrences once each, oldest first (catch-up)', () => {
    const r = rule('FREQ=DAILY');
    const missed = occurrencesBetween(r, at('2026-01-04T07:30:00Z'), at('2026-01-07T08:00:00Z'), 100);
    expect(missed.map((d) => d.toISOString())).toEqual([
      '2026-01-05T07:30:00.000Z',
      '2026-01-06T07:30:00.000Z',
      '2026-01-07T07:30:00.000Z',
    ]);
  });
});

describe('DST: the wall clock holds', () => {
  it('07:30 Europe/London stays 07:30 across both changes', () => {
    const r = rule('FREQ=DAILY', { startsOn: '2026-03-27', timezone: 'Europe/London' });
    const spring = nextOccurrences(r, at('2026-03-27T00:00:00Z'), 4);
    expect(walls(spring, 'Europe/London')).toEqual(['2026-03-27 07:30', '2026-03-28 07:30', '2026-03-29 07:30', '2026-03-30 07:30']);
    expect(spring.map((d) => d.toISOString())).toEqual([
      '2026-03-27T07:30:00.000Z',
      '2026-03-28T07:30:00.000Z',
      '2026-03-29T06:30:00.000Z',
      '2026-03-30T06:30:00.000Z',
    ]);
    const autumn = nextOccurrences(r, at('2026-10-24T00:00:00Z'), 3);
    expect(walls(autumn, 'Europe/London')).toEqual(['2026-10-24 07:30', '2026-10-25 07:30', '2026-10-26 07:30']);
    expect(autumn[1].getTime() - autumn[0].getTime()).toBe(25 * 3_600_000); // 25 October is a 25-hour day
  });

  it('America/New_York: a time the spring change skips moves forward, the repeated hour takes the first', () => {
    const r = rule('FREQ=DAILY', { startsOn: '2026-03-07', time: '02:30', timezone: 'America/New_York' });
    const days = nextOccurrences(r, at('2026-03-07T00:00:00Z'), 3);
    expect(walls(days, 'America/New_York')).toEqual(['2026-03-07 02:30', '2026-03-08 03:30', '2026-03-09 02:30']);
    const fall = rule('FREQ=DAILY', { startsOn: '2026-11-01', time: '01:30', timezone: 'America/New_York' });
    expect(nextOccurrences(fall, at('2026-10-31T00:00:00Z'), 1)[0].toISOString()).toBe('2026-11-01T05:30:00.000Z'); // EDT, the first 01:30
  });

  it('Australia/Sydney (southern hemisphere: clocks go back in April, forward in October)', () => {
    const r = rule('FREQ=WEEKLY;BYDAY=SU', { startsOn: '2026-03-29', time: '09:00', timezone: 'Australia/Sydney' });
    const runs = nextOccurrences(r, at('2026-03-28T00:00:00Z'), 2);
    expect(walls(runs, 'Australia/Sydney')).toEqual(['2026-03-29 09:00', '2026-04-05 09:00']);
    expect(runs.map((d) => d.toISOString())).toEqual(['2026-03-28T22:00:00.000Z', '2026-04-04T23:00:00.000Z']);
    const oct = nextOccurrences(r, at('2026-09-30T00:00:00Z'), 2);
    expect(walls(oct, 'Australia/Sydney')).toEqual(['2026-10-04 09:00', '2026-10-11 09:00']);
    expect(oct[0].toISOString()).toBe('2026-10-03T22:00:00.000Z');
  });

  it('Pacific/Auckland: a monthly rule keeps its local time and the gap hour moves forward', () => {
    const r = rule('FREQ=MONTHLY;BYMONTHDAY=5', { startsOn: '2026-03-01', time: '08:00', timezone: 'Pacific/Auckland' });
    expect(walls(nextOccurrences(r, at('2026-03-01T00:00:00Z'), 2), 'Pacific/Auckland')).toEqual(['2026-03-05 08:00', '2026-04-05 08:00']);
    const gap = rule('FREQ=YEARLY', { startsOn: '2026-09-27', time: '02:15', timezone: 'Pacific/Auckland' });
    expect(walls(nextOccurrences(gap, at('2026-09-01T00:00:00Z'), 1), 'Pacific/Auckland')).toEqual(['2026-09-27 03:15']);
  });

  it('keeps an occurrence whose gap-moved instant is just after the asked instant', () => {
    const r = rule('FREQ=DAILY', { startsOn: '2026-03-07', time: '02:30', timezone: 'America/New_York' });
    // 03:10 EDT on the spring day: the 02:30 occurrence is placed at 03:30, still ahead.
    const next = nextOccurrences(r, at('2026-03-08T07:10:00Z'), 1);
    expect(next[0].toISOString()).toBe('2026-03-08T07:30:00.000Z');
  });
});

describe('validation', () => {
  const fieldOf = (r: Recurrence) => {
    try {
      validateRecurrence(r);
      return null;
    } catch (e) {
      return e instanceof RecurrenceError ? e.field : 'other';
    }
  };
  it('refuses a rule with no occurrence, bad text, sub-daily rules and fields it owns', () => {
    expect(fieldOf(rule('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=31'))).toBe('rrule');
    expect(fieldOf(rule('BYMONTHDAY=31;BYMONTH=2'))).toBe('rrule');
    expect(fieldOf(rule('FREQ=WEEKLY;UNTIL=20200101T000000Z'))).toBe('rrule');
    expect(fieldOf(rule('garbage'))).toBe('rrule');
    expect(fieldOf(rule('FREQ=HOURLY'))).toBe('rrule');
    expect(fieldOf(rule('FREQ=DAILY;BYHOUR=3'))).toBe('rrule');
    expect(fieldOf(rule('FREQ=DAILY', { timezone: 'Mars/Olympus' }))).toBe('timezone');
    expect(fieldOf(rule('FREQ=DAILY', { time: '25:00' }))).toBe('time');
    expect(fieldOf(rule('FREQ=DAILY', { startsOn: '2026-02-30' }))).toBe('startsOn');
    expect(fieldOf(rule('RRULE:FREQ=weekly;BYDAY=MO'))).toBeNull();
  });
});

describe('maintenance intervals', () => {
  it('keeps a fixed grid from the start, months clamped without drift', async () => {
    const { addPeriod, nextSlot } = await import('./recurrence.js');
    expect(addPeriod('2026-01-31', 1, 'month')).toBe('2026-02-28');
    expect(nextSlot('2026-01-31', 1, 'month', '2026-02-28')).toBe('2026-03-31');
    expect(nextSlot('2026-01-31', 1, 'month', '2026-02-27')).toBe('2026-02-28');
    expect(nextSlot('2026-01-05', 2, 'week', '2026-01-05')).toBe('2026-01-19');
    expect(nextSlot('2026-01-05', 2, 'week', '2026-01-05', true)).toBe('2026-01-05');
    expect(nextSlot('2026-01-05', 10, 'day', '2026-03-01')).toBe('2026-03-06');
    expect(nextSlot('2026-06-01', 3, 'month', '2026-01-01')).toBe('2026-06-01');
  });
});
