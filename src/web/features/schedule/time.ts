// Showing instants in a person's zone (their profile), and FullCalendar's named-zone support built on
// src/shared/time (temporal-polyfill), so the calendar never uses the browser's own zone.
import { createPlugin } from '@fullcalendar/core';
import { NamedTimeZoneImpl } from '@fullcalendar/core/internal';
import { wallClockToInstant } from '../../../shared/time';
import { offsetAtWallClock, wallClockAt } from '../../../shared/time/zones';

class TemporalZone extends NamedTimeZoneImpl {
  offsetForArray(a: number[]): number {
    return offsetAtWallClock(a, this.timeZoneName);
  }
  timestampToArray(ms: number): number[] {
    return wallClockAt(ms, this.timeZoneName);
  }
}

export const temporalZonePlugin = createPlugin({ name: 'steward-temporal-zone', namedTimeZonedImpl: TemporalZone });

/** `09:00` in `zone`. */
export function timeIn(iso: string, zone: string, language = 'en'): string {
  return new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: zone }).format(new Date(iso));
}

/** `Tue 3 Mar, 09:00–17:00` in `zone` (the end's day too when it differs). */
export function spanIn(startIso: string, endIso: string, zone: string, language = 'en'): string {
  const day = new Intl.DateTimeFormat(language, { weekday: 'short', day: 'numeric', month: 'short', timeZone: zone });
  const a = day.format(new Date(startIso));
  const b = day.format(new Date(endIso));
  return `${a}, ${timeIn(startIso, zone, language)}–${a === b ? '' : `${b}, `}${timeIn(endIso, zone, language)}`;
}

/** The start of a whole day `date` (YYYY-MM-DD) in `zone`, as ISO. */
export const dayStartIso = (date: string, zone: string) => wallClockToInstant(date, '00:00', zone).toISOString();

/** Black or white, whichever reads better on the `#rrggbb` colour (WCAG relative luminance). */
export function textOn(hex: string): string {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return '#ffffff';
  const lin = (c: string) => {
    const v = Number.parseInt(c, 16) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  const l = 0.2126 * lin(m[1]) + 0.7152 * lin(m[2]) + 0.0722 * lin(m[3]);
  // Contrast with white (1.05 / (l + 0.05)) against contrast with black ((l + 0.05) / 0.05).
  return 1.05 / (l + 0.05) >= (l + 0.05) / 0.05 ? '#ffffff' : '#000000';
}
