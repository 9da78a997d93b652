// Dates and times are shown in the user's own time zone.
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { useMeQuery } from './useMe';

export function useFormatDate() {
  const { data: me } = useMeQuery();
  const { i18n } = useTranslation();
  const timeZone = me?.user.timezone || undefined;
  return useCallback(
    (value: string | null | undefined, withTime = true): string => {
      if (!value) return '—';
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
