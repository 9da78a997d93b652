// Time for server and web alike: calendar dates and wall-clock times in IANA zones, through
// temporal-polyfill so DST gaps and overlaps follow the zone database instead of the host's zone.
// Every date-only rule (today, due, overdue) takes the company's zone (settings `timezone`); a
// date-only value is a day *in that zone*, never UTC midnight. Business hours and RRULE expansion
// are to be built on these functions here.
import { Temporal } from 'temporal-polyfill';

/** A calendar date, `YYYY-MM-DD`. */
export type DateOnly = string;
/** A wall-clock time, `HH:MM` or `HH:MM:SS`. */
export type WallTime = string;

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const WALL_TIME = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/;

/** True for an IANA zone name this runtime knows (`UTC`, `Europe/London`…). */
export function isTimeZone(zone: string): boolean {
  try {
    Temporal.Now.instant().toZonedDateTimeISO(zone);
    return true;
  } catch {
    return false;
  }
}

/** True for an existing calendar date written `YYYY-MM-DD` (not 2026-02-30). */
export function isDateOnly(value: string): value is DateOnly {
  if (!DATE_ONLY.test(value)) return false;
  try {
    Temporal.PlainDate.from(value, { overflow: 'reject' });
    return true;
  } catch {
    return false;
  }
}

const instantOf = (at: Date) => Temporal.Instant.fromEpochMilliseconds(at.getTime());
const dateOf = (zdt: Temporal.ZonedDateTime) => new Date(zdt.epochMilliseconds);

/** The calendar date in `zone` at the instant `now`. */
export function todayIn(zone: string, now: Date = new Date()): DateOnly {
  return instantOf(now).toZonedDateTimeISO(zone).toPlainDate().toString();
}

/** `date` plus `days` calendar days (negative: earlier). */
export function addDays(date: DateOnly, days: number): DateOnly {
  return Temporal.PlainDate.from(date).add({ days }).toString();
}

/**
 * The instants a calendar day covers in `zone`, half-open: `start` is its first instant (midnight,
 * or the first time that exists when a DST change skips midnight), `end` the next day's start. A day
 * lasts 23, 24 or 25 hours.
 */
export function dayRange(date: DateOnly, zone: string): { start: Date; end: Date } {
  const day = Temporal.PlainDate.from(date);
  return { start: dateOf(day.toZonedDateTime({ timeZone: zone })), end: dateOf(day.add({ days: 1 }).toZonedDateTime({ timeZone: zone })) };
}

/**
 * Whether something due on `due` (the last allowed day, in `zone`) is overdue at `now`: only once
 * that whole day has passed there. No due date is never overdue.
 */
export function isOverdue(due: DateOnly | null | undefined, zone: string, now: Date = new Date()): boolean {
  return !!due && due < todayIn(zone, now);
}

/**
 * The instant a wall clock in `zone` shows `time` on `date`. A time that a DST change skips (02:30 on
 * a spring-forward night) moves forward by the gap; a time that occurs twice takes the earlier one
 * (Temporal's "compatible", as calendars do).
 */
export function wallClockToInstant(date: DateOnly, time: WallTime, zone: string): Date {
  if (!WALL_TIME.test(time)) throw new RangeError(`not a wall-clock time: ${time}`);
  return dateOf(Temporal.PlainDate.from(date).toZonedDateTime({ timeZone: zone, plainTime: Temporal.PlainTime.from(time) }));
}

/** What a wall clock in `zone` shows at `instant`: its date and `HH:MM` time. */
export function instantToWallClock(instant: Date, zone: string): { date: DateOnly; time: WallTime } {
  const zdt = instantOf(instant).toZonedDateTimeISO(zone);
  return { date: zdt.toPlainDate().toString(), time: zdt.toPlainTime().toString({ smallestUnit: 'minute' }) };
}
// Recurrence rules (rrule) are imported from './recurrence.js' directly: the web client's first load
// would otherwise carry rrule on every page.
// Zones (VTIMEZONE, week ranges) and business hours are imported from './zones.js' and
// './business-hours.js' directly, for the same reason.
