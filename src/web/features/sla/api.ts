// SLA screens' queries: business-hours calendars and SLA policies.
import { useQuery } from '@tanstack/react-query';
import { getAll } from '../../lib/lists';
import type { BusinessHours, SlaPolicy } from '../../../shared/contracts/sla';

export const businessHoursKey = ['business-hours'] as const;
export const slaPoliciesKey = ['sla-policies'] as const;

export const useCalendars = () =>
  useQuery({
    queryKey: [...businessHoursKey, 'all'],
    queryFn: ({ signal }) => getAll<BusinessHours>('/api/v1/business-hours', {}, signal),
  });
export const usePolicies = () =>
  useQuery({ queryKey: [...slaPoliciesKey, 'all'], queryFn: ({ signal }) => getAll<SlaPolicy>('/api/v1/sla-policies', {}, signal) });
