// Instants are shown in the user's own time zone; date-only values as the calendar day they name;
// both written the company's way (its locale).
import { useCallback } from 'react';
import { isDateOnly } from '../../shared/time';
import { useLocale } from './company';
import { useMeQuery } from './useMe';

export function dateFormat(language: string, day: string): string {
  try {
    return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
  } catch {
    return day;
  }
}

export function useFormatDate() {
  const { data: me } = useMeQuery();
  const locale = useLocale();
  const timeZone = me?.user.timezone || undefined;
  return useCallback(
    (value: string | null | undefined, withTime = true): string => {
      if (!value) return '—';
      // A date-only value is a calendar day, not UTC midnight: shown as is, never shifted a day by the zone.
      if (isDateOnly(value)) return dateFormat(locale, value);
      const date = new Date(value);
      if (Number.isNaN(date.getTime())) return value;
      try {
        return new Intl.DateTimeFormat(locale, {
          dateStyle: 'medium',
          timeStyle: withTime ? 'short' : undefined,
          timeZone,
        }).format(date);
      } catch {
        return date.toLocaleString();
      }
    },
    [timeZone, locale],
  );
}
