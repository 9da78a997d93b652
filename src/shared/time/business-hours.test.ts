import { describe, expect, it } from 'vitest';
import { type BusinessCalendar, addBusinessMinutes, businessMinutesBetween, calendarProblems, isOpen, nextOpenAt } from './business-hours.js';

const at = (iso: string) => new Date(iso);
const weekdays = (start: string, end: string) => [1, 2, 3, 4, 5].map((day) => ({ day, start, end }));
const cal = (timezone: string, week = weekdays('09:00', '17:00'), holidays: string[] = []): BusinessCalendar => ({
  timezone,
  week,
  holidays,
});

describe('addBusinessMinutes', () => {
  const london = cal('Europe/London');

  it('is due at the close when the target ends exactly there (480 minutes from 09:00 is 17:00)', () => {
    // Tuesday 1 December 2026, 09:00 GMT.
    expect(addBusinessMinutes(london, at('2026-12-01T09:00:00Z'), 480).toISOString()).toBe('2026-12-01T17:00:00.000Z');
    expect(addBusinessMinutes(london, at('2026-12-01T09:00:00Z'), 481).toISOString()).toBe('2026-12-02T09:01:00.000Z');
  });

  it('starts counting at the next opening when created outside hours', () => {
    expect(addBusinessMinutes(london, at('2026-12-01T20:00:00Z'), 60).toISOString()).toBe('2026-12-02T10:00:00.000Z');
    expect(addBusinessMinutes(london, at('2026-12-01T06:00:00Z'), 30).toISOString()).toBe('2026-12-01T09:30:00.000Z');
  });

  it('skips the weekend and holidays in the calendar zone', () => {
    // Friday 4 December 16:00 + 120 minutes: one hour Friday, Monday 7 is a holiday, so Tuesday 10:00.
    const withHoliday = cal('Europe/London', weekdays('09:00', '17:00'), ['2026-12-07']);
    expect(addBusinessMinutes(withHoliday, at('2026-12-04T16:00:00Z'), 120).toISOString()).toBe('2026-12-08T10:00:00.000Z');
    expect(addBusinessMinutes(london, at('2026-12-04T16:00:00Z'), 120).toISOString()).toBe('2026-12-07T10:00:00.000Z');
  });

  it('handles several ranges a day (a lunch break)', () => {
    const split = cal('UTC', [...weekdays('09:00', '12:00'), ...weekdays('13:00', '17:00')]);
    expect(addBusinessMinutes(split, at('2026-12-01T11:00:00Z'), 120).toISOString()).toBe('2026-12-01T14:00:00.000Z');
    expect(addBusinessMinutes(split, at('2026-12-01T12:30:00Z'), 30).toISOString()).toBe('2026-12-01T13:30:00.000Z');
  });

  it('reaches 10,000-minute targets by skipping whole weeks, and agrees with the day-by-day count', () => {
    const from = at('2026-12-01T09:00:00Z');
    const due = addBusinessMinutes(london, from, 10_000);
    // 10,000 minutes = 20 days of 480 + 400 minutes; from Tuesday 1 December: the 21st business day
    // is Tuesday 29 December, 09:00 + 400 minutes = 15:40.
    expect(due.toISOString()).toBe('2026-12-29T15:40:00.000Z');
    expect(businessMinutesBetween(london, from, due)).toBe(10_000);
    const far = addBusinessMinutes(cal('America/New_York', weekdays('08:00', '18:00'), ['2027-01-01']), from, 100_000);
    expect(businessMinutesBetween(cal('America/New_York', weekdays('08:00', '18:00'), ['2027-01-01']), from, far)).toBe(100_000);
  });

  it('supports ranges ending at 24:00 and overnight ranges', () => {
    const evening = cal('UTC', [{ day: 1, start: '20:00', end: '24:00' }]);
    // Monday 30 November 2026 20:00 + 240 = Tuesday 00:00 (the close).
    expect(addBusinessMinutes(evening, at('2026-11-30T20:00:00Z'), 240).toISOString()).toBe('2026-12-01T00:00:00.000Z');
    const night = cal('UTC', [{ day: 1, start: '22:00', end: '06:00' }]);
    // Monday 22:00 + 480 runs through midnight into Tuesday 06:00.
    expect(addBusinessMinutes(night, at('2026-11-30T22:00:00Z'), 480).toISOString()).toBe('2026-12-01T06:00:00.000Z');
    expect(isOpen(night, at('2026-12-01T03:00:00Z'))).toBe(true);
    expect(isOpen(night, at('2026-12-01T07:00:00Z'))).toBe(false);
  });
});

describe('across DST changes (real elapsed minutes)', () => {
  // A desk open 00:00–06:00 on Sundays: the change happens inside the range.
  const sundayNight = (zone: string) => cal(zone, [{ day: 7, start: '00:00', end: '06:00' }]);
  const cases: [string, string, string, number][] = [
    // zone, spring-forward Sunday, fall-back Sunday, (ignored)
    ['Europe/London', '2026-03-29', '2026-10-25', 0],
    ['America/New_York', '2026-03-08', '2026-11-01', 0],
    ['Australia/Sydney', '2026-10-04', '2026-04-05', 0],
    ['Pacific/Auckland', '2026-09-27', '2026-04-05', 0],
  ];
  for (const [zone, spring, autumn] of cases) {
    it(`${zone}: the missing hour is not counted, the repeated hour is counted twice`, () => {
      const c = sundayNight(zone);
      const springStart = nextOpenAt(c, new Date(Date.parse(`${spring}T00:00:00Z`) - 86_400_000));
      const springEnd = addBusinessMinutes(c, springStart, 300);
      expect(springEnd.getTime() - springStart.getTime()).toBe(300 * 60_000);
      // The whole range holds 5 real hours on the spring-forward night, 7 on the fall-back night.
      expect(businessMinutesBetween(c, springStart, new Date(springStart.getTime() + 86_400_000))).toBe(300);
      const autumnStart = nextOpenAt(c, new Date(Date.parse(`${autumn}T00:00:00Z`) - 86_400_000));
      expect(businessMinutesBetween(c, autumnStart, new Date(autumnStart.getTime() + 86_400_000))).toBe(420);
      expect(addBusinessMinutes(c, autumnStart, 420).getTime() - autumnStart.getTime()).toBe(420 * 60_000);
    });

    it(`${zone}: a 09:00–17:00 day after the change still opens at 09:00 local`, () => {
      const c = cal(zone, [{ day: 1, start: '09:00', end: '17:00' }]);
      // The Monday after each change.
      for (const sunday of [spring, autumn]) {
        const monday = new Date(Date.parse(`${sunday}T00:00:00Z`));
        const opens = nextOpenAt(c, monday);
        const local = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', weekday: 'short' }).format(
          opens,
        );
        expect(local).toBe('Mon 09:00');
        expect(addBusinessMinutes(c, opens, 480).getTime() - opens.getTime()).toBe(480 * 60_000);
      }
    });
  }

  it('a week spanning the change in London counts 5 × 480 minutes', () => {
    const london = cal('Europe/London');
    expect(businessMinutesBetween(london, at('2026-03-23T00:00:00Z'), at('2026-04-06T00:00:00Z'))).toBe(4800);
    expect(addBusinessMinutes(london, at('2026-03-27T16:00:00Z'), 120).toISOString()).toBe('2026-03-30T09:00:00.000Z'); // 10:00 BST
  });
});

describe('isOpen, nextOpenAt, businessMinutesBetween', () => {
  const ny = cal('America/New_York');
  it('reads the wall clock of the calendar zone, not the server zone', () => {
    expect(isOpen(ny, at('2026-12-01T14:00:00Z'))).toBe(true); // 09:00 EST
    expect(isOpen(ny, at('2026-12-01T13:59:00Z'))).toBe(false);
    expect(isOpen(ny, at('2026-12-01T22:00:00Z'))).toBe(false); // the close is not open
  });
  it('never opens on a Sunday at 03:00 unless the calendar says so', () => {
    expect(nextOpenAt(ny, at('2026-12-06T08:00:00Z')).toISOString()).toBe('2026-12-07T14:00:00.000Z');
  });
  it('is negative backwards and zero over a closed stretch', () => {
    expect(businessMinutesBetween(ny, at('2026-12-01T16:00:00Z'), at('2026-12-01T15:00:00Z'))).toBe(-60);
    expect(businessMinutesBetween(ny, at('2026-12-05T10:00:00Z'), at('2026-12-06T20:00:00Z'))).toBe(0);
  });
});

describe('calendarProblems', () => {
  it('refuses a calendar with no open hours, unknown zones, bad days and times', () => {
    expect(calendarProblems(cal('UTC', []))).toEqual([{ field: 'week', message: 'the calendar has no open hours' }]);
    expect(calendarProblems(cal('Mars/Olympus')).map((p) => p.field)).toEqual(['timezone']);
    expect(calendarProblems(cal('UTC', [{ day: 8, start: '25:00', end: '09:00' }])).map((p) => p.field)).toEqual([
      'week.0.day',
      'week.0.start',
    ]);
    expect(calendarProblems(cal('UTC', weekdays('09:00', '09:00'))).length).toBe(5);
    expect(calendarProblems(cal('UTC', weekdays('09:00', '17:00'), ['2026-02-30'])).map((p) => p.field)).toEqual(['holidays.0']);
    expect(calendarProblems(cal('UTC'))).toEqual([]);
    expect(() => addBusinessMinutes(cal('UTC', []), new Date(), 10)).toThrow(RangeError);
  });
});
