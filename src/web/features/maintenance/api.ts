// Recurring tickets' and maintenance plans' calls and query keys; the shapes are the server's
// contracts (src/shared/contracts/maintenance.ts).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Plan, RecurringRun, RecurringTicket, WorkOrderRun } from '../../../shared/contracts/maintenance';
import { del, get, type Page, patch, post } from '../../lib/api';
import { getAll } from '../../lib/lists';

export type { Plan, RecurringRun, RecurringTicket, WorkOrderRun };

export const recurringKey = ['recurring-tickets'] as const;
export const plansKey = ['maintenance-plans'] as const;
export const assetPlansKey = (assetId: string) => ['asset-maintenance-plans', assetId] as const;

/** The schedule presets of the editor; "custom" leaves the RRULE text to the user. */
export const PRESETS = [
  { key: 'daily', rrule: 'FREQ=DAILY' },
  { key: 'weekdays', rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR' },
  { key: 'weekly', rrule: 'FREQ=WEEKLY;BYDAY=MO' },
  { key: 'monthly', rrule: 'FREQ=MONTHLY;BYMONTHDAY=1' },
  { key: 'secondMonday', rrule: 'FREQ=MONTHLY;BYDAY=2MO' },
  { key: 'lastWeekday', rrule: 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1' },
  { key: 'quarterly15', rrule: 'FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15' },
] as const;
export const presetOf = (rrule: string) => PRESETS.find((p) => p.rrule === rrule)?.key ?? 'custom';

export function useRecurring(id: string | undefined) {
  return useQuery({
    queryKey: [...recurringKey, id],
    enabled: !!id,
    queryFn: async () => (await get<{ recurringTicket: RecurringTicket }>(`/api/v1/recurring-tickets/${id}`)).recurringTicket,
  });
}

/** The next occurrences of the rule being edited, as the server expands them (never computed here). */
export function useOccurrencePreview(q: { rrule: string; time: string; timezone: string; startsOn: string }, enabled: boolean) {
  return useQuery({
    queryKey: ['recurring-preview', q],
    enabled,
    retry: false,
    queryFn: ({ signal }) =>
      get<{ items: string[]; timezone: string }>(
        '/api/v1/recurring-tickets/occurrences',
        { ...q, startsOn: q.startsOn || undefined, count: 10 },
        signal,
      ),
  });
}

export function useSaveRecurring(id: string | undefined) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: Record<string, unknown>) =>
      id
        ? (await patch<{ recurringTicket: RecurringTicket }>(`/api/v1/recurring-tickets/${id}`, body)).recurringTicket
        : (await post<{ recurringTicket: RecurringTicket }>('/api/v1/recurring-tickets', body)).recurringTicket,
    onSuccess: (saved) => {
      queryClient.setQueryData([...recurringKey, saved.id], saved);
      queryClient.invalidateQueries({ queryKey: recurringKey });
    },
  });
}

export function useDeleteRecurring() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => del(`/api/v1/recurring-tickets/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: recurringKey }),
  });
}

export function useTeamsAndCategories() {
  const teams = useQuery({
    queryKey: ['teams-choice'],
    queryFn: ({ signal }) => getAll<{ id: string; name: string }>('/api/v1/teams', {}, signal),
  });
  const categories = useQuery({
    queryKey: ['categories-choice'],
    queryFn: ({ signal }) => getAll<{ id: string; name: string; active?: boolean }>('/api/v1/categories', {}, signal),
  });
  return {
    teams: (teams.data?.items ?? []).map((x) => ({ value: x.id, label: x.name })),
    categories: (categories.data?.items ?? []).filter((c) => c.active !== false).map((x) => ({ value: x.id, label: x.name })),
  };
}

export function useAssetPlans(assetId: string) {
  return useQuery({
    queryKey: assetPlansKey(assetId),
    queryFn: () => get<Page<Plan>>(`/api/v1/assets/${assetId}/maintenance-plans`, { limit: 200 }),
  });
}

export function useWorkOrders(planId: string, enabled: boolean) {
  return useQuery({
    queryKey: [...plansKey, planId, 'work-orders'],
    enabled,
    queryFn: () => get<Page<WorkOrderRun>>(`/api/v1/maintenance-plans/${planId}/work-orders`, { limit: 20 }),
  });
}

function useRefreshPlans(assetId: string) {
  const queryClient = useQueryClient();
  return () => {
    queryClient.invalidateQueries({ queryKey: assetPlansKey(assetId) });
    queryClient.invalidateQueries({ queryKey: plansKey });
  };
}

export function useCreatePlan(assetId: string) {
  const refresh = useRefreshPlans(assetId);
  return useMutation({
    mutationFn: async (body: Record<string, unknown>) =>
      (await post<{ plan: Plan }>(`/api/v1/assets/${assetId}/maintenance-plans`, body)).plan,
    onSuccess: refresh,
  });
}

export function useGenerate(assetId: string) {
  const refresh = useRefreshPlans(assetId);
  return useMutation({
    mutationFn: (planId: string) => post<{ ticket: { number: number }; plan: Plan }>(`/api/v1/maintenance-plans/${planId}/generate`),
    onSuccess: refresh,
  });
}

export function usePlanPatch(assetId: string) {
  const refresh = useRefreshPlans(assetId);
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: Record<string, unknown> }) =>
      patch<{ plan: Plan }>(`/api/v1/maintenance-plans/${id}`, body),
    onSuccess: refresh,
  });
}

export function useDeletePlan(assetId: string) {
  const refresh = useRefreshPlans(assetId);
  return useMutation({ mutationFn: (id: string) => del(`/api/v1/maintenance-plans/${id}`), onSuccess: refresh });
}
