// The company's time zone (GET /api/v1/settings `timezone`). Date-only values — due dates, return
// dates — are days of the company's calendar (src/shared/time), whatever the browser's zone.
import { useQuery } from '@tanstack/react-query';
import { get } from './api';
import { useMeQuery } from './useMe';

export const companySettingsKey = ['settings'] as const;

export function useCompanyZone(): string {
  const { data: me } = useMeQuery();
  const { data } = useQuery({
    queryKey: companySettingsKey,
    queryFn: () => get<{ settings: { timezone: string } }>('/api/v1/settings'),
    enabled: !!me?.company,
    staleTime: 5 * 60_000,
  });
  return data?.settings.timezone ?? 'UTC';
}
