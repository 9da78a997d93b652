// Instants are shown in the user's own time zone; date-only values as the calendar day they name.
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { isDateOnly } from '../../shared/time';
import { useMeQuery } from './useMe';

function dateFormat(language: string, day: string): string {
  try {
    return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
  } catch {
    return day;
  }
}

export function useFormatDate() {
  const { data: me } = useMeQuery();
  const { i18n } = useTranslation();
  const timeZone = me?.user.timezone || undefined;
  return useCallback(
    (value: string | null | undefined, withTime = true): string => {
      if (!value) return '—';
      // A date-only value is a calendar day, not UTC midnight: shown as is, never shifted a day by the zone.
      if (isDateOnly(value)) return dateFormat(i18n.language, value);
      const date = new Date(value);
      if (Number.isNaN(date.getTime())) return value;
      try {
        return new Intl.DateTimeFormat(i18n.language, {
          dateStyle: 'medium',
          timeStyle: withTime ? 'short' : undefined,
          timeZone,
        }).format(date);
      } catch {
        return date.toLocaleString();
      }
    },
    [timeZone, i18n.language],
  );
}
