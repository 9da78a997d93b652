// Dates and times are shown in the user's own time zone, written the company's way (its locale).
import { useCallback } from 'react';
import { useLocale } from './company';
import { useMeQuery } from './useMe';

export function useFormatDate() {
  const { data: me } = useMeQuery();
  const locale = useLocale();
  const timeZone = me?.user.timezone || undefined;
  return useCallback(
    (value: string | null | undefined, withTime = true): string => {
      if (!value) return '—';
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
