// Business-hours arithmetic for SLAs and planning: a calendar is a week of wall-clock ranges in its
// own IANA zone plus holidays (whole days, in that zone). Every computation walks the calendar's
// wall clock day by day through temporal-polyfill and measures real elapsed time between instants,
// so a range containing a DST gap or a repeated hour counts the minutes that actually pass.
import { Temporal } from 'temporal-polyfill';
import type { DateOnly, WallTime } from './index';

/** One open range on a weekday (1 = Monday … 7 = Sunday); `end` may be `24:00`; `end` < `start` runs overnight. */
export interface BusinessRange {
  day: number;
  start: WallTime;
  end: WallTime;
}

export interface BusinessCalendar {
  timezone: string;
  week: readonly BusinessRange[];
  holidays: readonly DateOnly[];
}

const MINUTE = 60_000;
const RANGE_TIME = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
/** No target reaches further than this many calendar days (about 30 years): the loops are bounded. */
const MAX_DAYS = 11_000;

/** Problems that make a calendar unusable, as `{field, message}` (empty when fine). */
export function calendarProblems(calendar: BusinessCalendar): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  try {
    Temporal.Now.instant().toZonedDateTimeISO(calendar.timezone);
  } catch {
    problems.push({ field: 'timezone', message: `unknown time zone ${calendar.timezone}` });
  }
  calendar.week.forEach((r, i) => {
    if (!Number.isInteger(r.day) || r.day < 1 || r.day > 7)
      problems.push({ field: `week.${i}.day`, message: 'day is 1 (Monday) to 7 (Sunday)' });
    if (!RANGE_TIME.test(r.start) || r.start === '24:00') problems.push({ field: `week.${i}.start`, message: 'start is HH:MM' });
    if (!RANGE_TIME.test(r.end)) problems.push({ field: `week.${i}.end`, message: 'end is HH:MM or 24:00' });
    else if (r.start === r.end) problems.push({ field: `week.${i}.end`, message: 'a range cannot start and end at the same time' });
  });
  calendar.holidays.forEach((h, i) => {
    try {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(h)) throw new RangeError(h);
      Temporal.PlainDate.from(h, { overflow: 'reject' });
    } catch {
      problems.push({ field: `holidays.${i}`, message: 'a holiday is a date YYYY-MM-DD' });
    }
  });
  if (problems.length === 0 && weeklyWallMinutes(normalise(calendar)) === 0)
    problems.push({ field: 'week', message: 'the calendar has no open hours' });
  return problems;
}

/** Minutes since midnight per weekday index 0..6 (Monday first), merged and sorted. */
type Week = [number, number][][];

const toMinutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));

const normCache = new WeakMap<BusinessCalendar, { week: Week; holidays: Set<string> }>();

function normalise(calendar: BusinessCalendar): { week: Week; holidays: Set<string> } {
  const cached = normCache.get(calendar);
  if (cached) return cached;
  const week: Week = [[], [], [], [], [], [], []];
  for (const r of calendar.week) {
    const d = r.day - 1;
    const s = toMinutes(r.start);
    const e = toMinutes(r.end);
    if (e > s) week[d].push([s, e]);
    else {
      // Overnight: the part after midnight belongs to the next weekday (and to that date's holiday).
      week[d].push([s, 1440]);
      if (e > 0) week[(d + 1) % 7].push([0, e]);
    }
  }
  for (let d = 0; d < 7; d++) {
    const sorted = week[d].sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const r of sorted) {
      const last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push([r[0], r[1]]);
    }
    week[d] = merged;
  }
  const result = { week, holidays: new Set(calendar.holidays) };
  normCache.set(calendar, result);
  return result;
}

function weeklyWallMinutes(n: { week: Week }): number {
  return n.week.reduce((sum, day) => sum + day.reduce((s, [a, b]) => s + (b - a), 0), 0);
}

function instantAt(date: Temporal.PlainDate, minute: number, zone: string): number {
  if (minute === 0) return date.toZonedDateTime({ timeZone: zone }).epochMilliseconds;
  if (minute >= 1440) return date.add({ days: 1 }).toZonedDateTime({ timeZone: zone }).epochMilliseconds;
  const plainTime = new Temporal.PlainTime(Math.floor(minute / 60), minute % 60);
  return date.toZonedDateTime({ timeZone: zone, plainTime }).epochMilliseconds;
}

/**
 * Open intervals per date of one calendar object (a calendar is a snapshot: callers build a new one
 * from a changed row), so both targets and their warnings of one clock walk each day once.
 */
const dayCache = new WeakMap<BusinessCalendar, Map<string, [number, number][]>>();
const DAY_CACHE_MAX = 2000;

/** The open intervals of one calendar date as epoch-ms pairs, half-open, in order. */
function openIntervals(calendar: BusinessCalendar, date: Temporal.PlainDate): [number, number][] {
  let days = dayCache.get(calendar);
  if (!days) {
    days = new Map();
    dayCache.set(calendar, days);
  }
  const key = date.toString();
  const hit = days.get(key);
  if (hit) return hit;
  const out = computeIntervals(calendar, date);
  if (days.size >= DAY_CACHE_MAX) days.clear();
  days.set(key, out);
  return out;
}

function computeIntervals(calendar: BusinessCalendar, date: Temporal.PlainDate): [number, number][] {
  const n = normalise(calendar);
  if (n.holidays.has(date.toString())) return [];
  const out: [number, number][] = [];
  for (const [s, e] of n.week[date.dayOfWeek - 1]) {
    const a = instantAt(date, s, calendar.timezone);
    const b = instantAt(date, e, calendar.timezone);
    // A range whose start falls into a DST gap moves forward; keep it from running backwards.
    if (b > a) {
      const last = out[out.length - 1];
      if (last && a <= last[1]) last[1] = Math.max(last[1], b);
      else out.push([a, b]);
    }
  }
  return out;
}

const dateIn = (ms: number, zone: string) => Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(zone).toPlainDate();

/** Open milliseconds of the 7 dates starting at `monday` (holidays and DST changes included). */
function weekOpenMs(calendar: BusinessCalendar, monday: Temporal.PlainDate): number {
  let total = 0;
  for (let i = 0; i < 7; i++) for (const [a, b] of openIntervals(calendar, monday.add({ days: i }))) total += b - a;
  return total;
}

function assertUsable(calendar: BusinessCalendar) {
  if (weeklyWallMinutes(normalise(calendar)) === 0) throw new RangeError('the business-hours calendar has no open hours');
}

/** Whether the calendar is open at `at` (a range's close is not open; its start is). */
export function isOpen(calendar: BusinessCalendar, at: Date): boolean {
  const t = at.getTime();
  const day = dateIn(t, calendar.timezone);
  // An overnight range is split at midnight, so the intervals of `at`'s own date are enough.
  return openIntervals(calendar, day).some(([a, b]) => t >= a && t < b);
}

/** The first instant at or after `at` when the calendar is open (`at` itself when open). */
export function nextOpenAt(calendar: BusinessCalendar, at: Date): Date {
  assertUsable(calendar);
  const t = at.getTime();
  let day = dateIn(t, calendar.timezone);
  for (let i = 0; i < MAX_DAYS; i++, day = day.add({ days: 1 })) {
    for (const [a, b] of openIntervals(calendar, day)) if (b > t) return new Date(Math.max(a, t));
  }
  throw new RangeError('the business-hours calendar never opens again');
}

/**
 * The instant `minutes` business minutes after `from`. A target that ends exactly at a range's close
 * is due at that close (480 minutes from 09:00 on a 09:00–17:00 day: 17:00 the same day). Zero
 * minutes from a closed moment is `from` itself. Whole weeks are skipped when the target is far.
 */
export function addBusinessMinutes(calendar: BusinessCalendar, from: Date, minutes: number): Date {
  assertUsable(calendar);
  if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError('business minutes must be a non-negative number');
  let remaining = Math.round(minutes * MINUTE);
  if (remaining === 0) return from;
  const t = from.getTime();
  let day = dateIn(t, calendar.timezone);
  for (let i = 0; i < MAX_DAYS; i++) {
    // At a Monday strictly after `from`'s date, jump whole weeks while the target lies beyond them.
    if (i > 0 && day.dayOfWeek === 1) {
      const week = weekOpenMs(calendar, day);
      if (week > 0 && week < remaining) {
        remaining -= week;
        day = day.add({ days: 7 });
        i += 6;
        continue;
      }
    }
    for (const [a, b] of openIntervals(calendar, day)) {
      const start = Math.max(a, t);
      if (b <= start) continue;
      if (b - start >= remaining) return new Date(start + remaining);
      remaining -= b - start;
    }
    day = day.add({ days: 1 });
  }
  throw new RangeError('the business-minute target lies too far ahead');
}

/** Business minutes between two instants (negative when `b` is before `a`), fractional when seconds are. */
export function businessMinutesBetween(calendar: BusinessCalendar, a: Date, b: Date): number {
  if (b.getTime() < a.getTime()) return -businessMinutesBetween(calendar, b, a);
  const from = a.getTime();
  const to = b.getTime();
  let total = 0;
  let day = dateIn(from, calendar.timezone);
  const last = dateIn(to, calendar.timezone);
  for (let i = 0; i < MAX_DAYS && Temporal.PlainDate.compare(day, last) <= 0; i++, day = day.add({ days: 1 })) {
    if (i > 0 && day.dayOfWeek === 1 && Temporal.PlainDate.compare(day.add({ days: 6 }), last) < 0) {
      total += weekOpenMs(calendar, day);
      day = day.add({ days: 6 });
      i += 6;
      continue;
    }
    for (const [s, e] of openIntervals(calendar, day)) {
      const x = Math.max(s, from);
      const y = Math.min(e, to);
      if (y > x) total += y - x;
    }
  }
  return total / MINUTE;
}
