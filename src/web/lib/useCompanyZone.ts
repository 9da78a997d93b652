// The company's time zone (GET /api/v1/settings `timezone`). Date-only values — due dates, return
// dates — are days of the company's calendar (src/shared/time), whatever the browser's zone.
import { useCompanySettings } from './company';

export function useCompanyZone(): string {
  return useCompanySettings().data?.timezone ?? 'UTC';
}
