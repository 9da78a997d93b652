// Zone helpers for scheduling: offsets and DST transitions of an IANA zone (from the zone database
// through temporal-polyfill, never the host's zone), the VTIMEZONE text a calendar feed needs, and
// the instants a week covers in a zone (167, 168 or 169 hours).
import { Temporal } from 'temporal-polyfill';

type DateOnly = string;

const instantOf = (at: Date) => Temporal.Instant.fromEpochMilliseconds(at.getTime());

/** The instant `at` as a wall clock in `zone` (a Temporal.ZonedDateTime: ical-generator writes it as TZID + local time). */
export function zonedDateTime(at: Date, zone: string): Temporal.ZonedDateTime {
  return instantOf(at).toZonedDateTimeISO(zone);
}

/** Minutes east of UTC that `zone` is at `at` (London in summer: 60; New York in winter: -300). */
export function offsetMinutes(at: Date, zone: string): number {
  return Math.round(zonedDateTime(at, zone).offsetNanoseconds / 60e9);
}

export interface ZoneTransition {
  /** The first instant of the new offset. */
  at: Date;
  offsetBefore: number;
  offsetAfter: number;
}

/** Every offset change of `zone` with `from <= at < to`, in order. */
export function zoneTransitions(zone: string, from: Date, to: Date): ZoneTransition[] {
  const out: ZoneTransition[] = [];
  let cursor: Temporal.ZonedDateTime | null = zonedDateTime(new Date(from.getTime() - 1), zone);
  for (let i = 0; i < 1000 && cursor; i++) {
    cursor = cursor.getTimeZoneTransition('next');
    if (!cursor || cursor.epochMilliseconds >= to.getTime()) break;
    const at = new Date(cursor.epochMilliseconds);
    out.push({ at, offsetBefore: offsetMinutes(new Date(at.getTime() - 1), zone), offsetAfter: offsetMinutes(at, zone) });
  }
  return out;
}

const pad = (n: number, w = 2) => String(Math.abs(n)).padStart(w, '0');
const utcOffset = (minutes: number) => `${minutes < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(minutes) / 60))}${pad(Math.abs(minutes) % 60)}`;
/** Local time written `YYYYMMDDTHHMMSS` at `at` when the clock reads `offset` minutes east of UTC. */
const localStamp = (at: Date, offset: number) => {
  const d = new Date(at.getTime() + offset * 60_000);
  return `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
};

/**
 * The VTIMEZONE component (RFC 5545 §3.6.5) of `zone` covering `from`..`to`: one observance per real
 * transition (the one in force at `from` included), each with its DTSTART in the offset before it,
 * so a reader needs no RRULE and no zone database. A zone without changes gets one STANDARD.
 */
export function vtimezone(zone: string, from: Date, to: Date): string {
  const previous = zonedDateTime(from, zone).getTimeZoneTransition('previous');
  const start = previous ? new Date(previous.epochMilliseconds) : from;
  const changes = zoneTransitions(zone, start, to);
  const lines = ['BEGIN:VTIMEZONE', `TZID:${zone}`];
  if (changes.length === 0) {
    const offset = offsetMinutes(from, zone);
    lines.push(
      'BEGIN:STANDARD',
      'DTSTART:19700101T000000',
      `TZOFFSETFROM:${utcOffset(offset)}`,
      `TZOFFSETTO:${utcOffset(offset)}`,
      `TZNAME:${zone}`,
      'END:STANDARD',
    );
  }
  for (const c of changes) {
    const kind = c.offsetAfter > c.offsetBefore ? 'DAYLIGHT' : 'STANDARD';
    lines.push(
      `BEGIN:${kind}`,
      `DTSTART:${localStamp(c.at, c.offsetBefore)}`,
      `TZOFFSETFROM:${utcOffset(c.offsetBefore)}`,
      `TZOFFSETTO:${utcOffset(c.offsetAfter)}`,
      `END:${kind}`,
    );
  }
  lines.push('END:VTIMEZONE');
  return lines.join('\r\n');
}

/** The ISO weekday (1 = Monday … 7 = Sunday) of a calendar date. */
export function weekdayOf(date: DateOnly): number {
  return Temporal.PlainDate.from(date).dayOfWeek;
}

/** The Monday of the week `date` falls in. */
export function weekStart(date: DateOnly): DateOnly {
  const d = Temporal.PlainDate.from(date);
  return d.subtract({ days: d.dayOfWeek - 1 }).toString();
}

/** The instants of the seven days from `monday` in `zone`, half-open (a DST week lasts 167 or 169 hours). */
export function weekRange(monday: DateOnly, zone: string): { start: Date; end: Date } {
  const day = Temporal.PlainDate.from(monday);
  const at = (d: Temporal.PlainDate) => new Date(d.toZonedDateTime({ timeZone: zone }).epochMilliseconds);
  return { start: at(day), end: at(day.add({ days: 7 })) };
}

/** The calendar date and `HH:MM` at `at` in `zone`, with the zone's offset then (`+01:00`). */
export function describeInZone(at: Date, zone: string): { date: DateOnly; time: string; offset: string } {
  const z = zonedDateTime(at, zone);
  return { date: z.toPlainDate().toString(), time: z.toPlainTime().toString({ smallestUnit: 'minute' }), offset: z.offset };
}

/**
 * For a calendar widget's named-zone support (FullCalendar's NamedTimeZoneImpl): the offset in
 * minutes to subtract from the wall clock `[year, month0, day, hour, minute, second, ms]` read as UTC
 * to get its instant (a time in a DST gap moves forward by the gap, a repeated one takes the earlier,
 * as wallClockToInstant), and the wall clock at an instant.
 */
export function offsetAtWallClock(a: number[], zone: string): number {
  const [year, month0 = 0, day = 1, hour = 0, minute = 0, second = 0, millisecond = 0] = a;
  const zdt = Temporal.ZonedDateTime.from(
    { timeZone: zone, year, month: month0 + 1, day, hour, minute, second, millisecond },
    { disambiguation: 'compatible', offset: 'ignore' },
  );
  return Math.round((Date.UTC(year, month0, day, hour, minute, second, millisecond) - zdt.epochMilliseconds) / 60_000);
}

export function wallClockAt(ms: number, zone: string): number[] {
  const z = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(zone);
  return [z.year, z.month - 1, z.day, z.hour, z.minute, z.second, z.millisecond];
}

/** The same wall-clock time `days` calendar days later in `zone` (08:00 stays 08:00 across a DST change). */
export function addDaysInZone(at: Date, days: number, zone: string): Date {
  return new Date(zonedDateTime(at, zone).add({ days }).epochMilliseconds);
}
