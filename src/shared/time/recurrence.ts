// Recurrence rules (RFC 5545 RRULE) expanded in floating local time: the rule runs on wall-clock
// dates and times with no zone at all (rrule's "UTC" dates used as plain fields), and only then is
// each wall clock placed in its IANA zone with wallClockToInstant. So 07:30 in Europe/London stays
// 07:30 on both sides of a DST change, and a time the change skips moves forward by the gap.
// rrule's own TZID support is not used: it converts through the host's zone and drifts across DST.
import * as rruleModule from 'rrule';
import { Temporal } from 'temporal-polyfill';

// The zone arithmetic is index.ts's (wallClockToInstant: "compatible", a skipped time moves forward),
// written against Temporal here because index.ts re-exports this file (no import cycle).
// rrule ships CommonJS for Node (whose named-export detection misses Frequency) and ESM for bundlers.
const rrule = ('RRule' in rruleModule && rruleModule.RRule ? rruleModule : Reflect.get(rruleModule, 'default')) as typeof rruleModule;
const { Frequency, RRule } = rrule;
type RRule = InstanceType<typeof RRule>;
type DateOnly = string;
type WallTime = string;
const isTimeZone = (zone: string) => {
  try {
    Temporal.Now.instant().toZonedDateTimeISO(zone);
    return true;
  } catch {
    return false;
  }
};
const isDateOnly = (v: string) => {
  try {
    return /^\d{4}-\d{2}-\d{2}$/.test(v) && !!Temporal.PlainDate.from(v, { overflow: 'reject' });
  } catch {
    return false;
  }
};
const addDays = (date: DateOnly, days: number): DateOnly => Temporal.PlainDate.from(date).add({ days }).toString();
const wallClockToInstant = (date: DateOnly, time: WallTime, zone: string) =>
  new Date(Temporal.PlainDate.from(date).toZonedDateTime({ timeZone: zone, plainTime: Temporal.PlainTime.from(time) }).epochMilliseconds);
const instantToWallClock = (at: Date, zone: string) => {
  const zdt = Temporal.Instant.fromEpochMilliseconds(at.getTime()).toZonedDateTimeISO(zone);
  return { date: zdt.toPlainDate().toString(), time: zdt.toPlainTime().toString({ smallestUnit: 'minute' }) };
};

/** A rule in Steward's terms: the RRULE text, the first day, the time of day and the zone. */
export interface Recurrence {
  rrule: string;
  startsOn: DateOnly;
  time: WallTime;
  timezone: string;
}

/** Why a rule is refused, by field (the API answers 400 with these as `details.fields`). */
export class RecurrenceError extends Error {
  constructor(
    readonly field: 'rrule' | 'startsOn' | 'time' | 'timezone',
    message: string,
  ) {
    super(message);
  }
}

const WALL_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
/** Properties the rule may not carry: Steward owns the start, the zone and the time of day. */
const OWNED = ['DTSTART', 'TZID', 'BYHOUR', 'BYMINUTE', 'BYSECOND'];
/** A first occurrence further out than this counts as none (a typo, not a plan). */
const HORIZON_YEARS = 30;

const floating = (date: DateOnly, time: WallTime) => {
  const [y, m, d] = date.split('-').map(Number);
  const [hh, mm] = time.split(':').map(Number);
  return new Date(Date.UTC(y, m - 1, d, hh, mm));
};
const floatingDate = (f: Date): DateOnly => f.toISOString().slice(0, 10);
const floatingTime = (f: Date): WallTime => f.toISOString().slice(11, 16);

/** The RRULE text without an optional `RRULE:` prefix, upper-cased and trimmed. */
export function normaliseRrule(text: string): string {
  return text
    .trim()
    .replace(/^RRULE:/i, '')
    .toUpperCase();
}

function compile(r: Recurrence): RRule {
  if (!isTimeZone(r.timezone)) throw new RecurrenceError('timezone', 'not a time zone');
  if (!isDateOnly(r.startsOn)) throw new RecurrenceError('startsOn', 'not a date (YYYY-MM-DD)');
  if (!WALL_TIME.test(r.time)) throw new RecurrenceError('time', 'not a time of day (HH:MM)');
  const text = normaliseRrule(r.rrule);
  if (text === '' || /[\n\r]/.test(text)) throw new RecurrenceError('rrule', 'write one RRULE, e.g. FREQ=WEEKLY;BYDAY=MO');
  const keys = text.split(';').map((part) => part.split('=')[0]);
  const owned = keys.find((k) => OWNED.includes(k));
  if (owned) throw new RecurrenceError('rrule', `${owned} is set by startsOn, time and timezone, not in the rule`);
  let options: ReturnType<typeof RRule.parseString>;
  try {
    options = RRule.parseString(text);
  } catch (error) {
    throw new RecurrenceError('rrule', `not an RRULE: ${(error as Error).message}`);
  }
  if (options.freq === undefined || options.freq === null || Number.isNaN(options.freq))
    throw new RecurrenceError('rrule', 'FREQ is missing');
  if (options.freq > Frequency.DAILY)
    throw new RecurrenceError('rrule', 'a recurring ticket repeats at most daily (FREQ=DAILY, WEEKLY, MONTHLY or YEARLY)');
  if (options.interval !== undefined && (!Number.isInteger(options.interval) || options.interval < 1 || options.interval > 1000)) {
    throw new RecurrenceError('rrule', 'INTERVAL must be a whole number from 1 to 1000');
  }
  try {
    return new RRule({ ...options, dtstart: floating(r.startsOn, r.time), tzid: null });
  } catch (error) {
    throw new RecurrenceError('rrule', `not an RRULE: ${(error as Error).message}`);
  }
}

/** The rule's floating occurrences strictly after `after` (floating), at most `count`, within the horizon. */
function floatingAfter(rule: RRule, after: Date, count: number): Date[] {
  const until = new Date(after.getTime());
  until.setUTCFullYear(until.getUTCFullYear() + HORIZON_YEARS);
  const out: Date[] = [];
  rule.between(after, until, false, (d) => {
    out.push(d);
    return out.length < count;
  });
  return out;
}

/** Places a floating occurrence in the zone: the instant its wall clock shows there. */
const place = (f: Date, zone: string) => wallClockToInstant(floatingDate(f), floatingTime(f), zone);

/**
 * Checks a rule (throws RecurrenceError by field) and that it occurs at least once: an RRULE such
 * as `FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=31` never does and is refused.
 */
export function validateRecurrence(r: Recurrence): void {
  const rule = compile(r);
  const start = floating(r.startsOn, r.time);
  if (floatingAfter(rule, new Date(start.getTime() - 1), 1).length === 0) {
    throw new RecurrenceError('rrule', 'this rule never occurs (from startsOn, within 30 years)');
  }
}

/**
 * The next `count` occurrences strictly after the instant `after`, as instants. Expanded from a day
 * before `after`'s wall clock so an occurrence in a DST gap (placed later than it reads) is kept.
 */
export function nextOccurrences(r: Recurrence, after: Date, count: number): Date[] {
  if (count <= 0) return [];
  const rule = compile(r);
  const wall = instantToWallClock(after, r.timezone);
  const from = floating(addDays(wall.date, -1), wall.time);
  const start = floating(r.startsOn, r.time);
  const cursor = from < start ? new Date(start.getTime() - 1) : from;
  const out: Date[] = [];
  // Occurrences placed at or before `after` are skipped; a few extra cover the day stepped back.
  for (const f of floatingAfter(rule, cursor, count + 4)) {
    const at = place(f, r.timezone);
    if (at.getTime() > after.getTime() && (out.length === 0 || at.getTime() > out[out.length - 1].getTime())) out.push(at);
    if (out.length === count) return out;
  }
  if (out.length < count && out.length > 0) {
    // More than count + 4 floating occurrences fell before `after` only if the window was dense: go on from the last.
    return [...out, ...nextOccurrences(r, out[out.length - 1], count - out.length)];
  }
  return out;
}

/** The first occurrence strictly after `after`, or null when the rule has ended. */
export function nextOccurrence(r: Recurrence, after: Date): Date | null {
  return nextOccurrences(r, after, 1)[0] ?? null;
}

/** The first occurrence at or after the instant `from` (the first run of a new or edited rule). */
export function firstOccurrenceFrom(r: Recurrence, from: Date): Date | null {
  return nextOccurrence(r, new Date(from.getTime() - 1));
}

/** Occurrences in (after, until], oldest first, at most `limit` (a catch-up after downtime). */
export function occurrencesBetween(r: Recurrence, after: Date, until: Date, limit: number): Date[] {
  const out: Date[] = [];
  let cursor = after;
  while (out.length < limit) {
    const batch = nextOccurrences(r, cursor, Math.min(50, limit - out.length));
    for (const at of batch) {
      if (at.getTime() > until.getTime()) return out;
      out.push(at);
    }
    if (batch.length === 0) return out;
    cursor = batch[batch.length - 1];
  }
  return out;
}

/** `date` plus `amount` days, weeks or months (months clamp: 31 January + 1 month is 28 or 29 February). */
export function addPeriod(date: DateOnly, amount: number, unit: 'day' | 'week' | 'month'): DateOnly {
  const d = Temporal.PlainDate.from(date);
  return (unit === 'day' ? d.add({ days: amount }) : unit === 'week' ? d.add({ weeks: amount }) : d.add({ months: amount })).toString();
}

/**
 * The first day of the fixed grid `startsOn + k × every unit` (k ≥ 0) that falls after `day`
 * (on or after with `inclusive`). Each slot counts from startsOn, so month ends do not drift.
 */
export function nextSlot(startsOn: DateOnly, every: number, unit: 'day' | 'week' | 'month', day: DateOnly, inclusive = false): DateOnly {
  const passes = (slot: DateOnly) => (inclusive ? slot >= day : slot > day);
  if (passes(startsOn)) return startsOn;
  const from = Temporal.PlainDate.from(startsOn);
  const to = Temporal.PlainDate.from(day);
  const span =
    unit === 'month'
      ? (to.year - from.year) * 12 + (to.month - from.month)
      : from.until(to, { largestUnit: 'day' }).days / (unit === 'week' ? 7 : 1);
  let k = Math.max(0, Math.floor(span / every) - 1);
  while (!passes(addPeriod(startsOn, k * every, unit))) k++;
  return addPeriod(startsOn, k * every, unit);
}
