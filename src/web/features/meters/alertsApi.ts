// Thresholds' and meter alerts' calls; the shapes are the server's contracts (src/shared/contracts/meter-alerts.ts).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { MeterAlert, MeterAlertList, Threshold } from '../../../shared/contracts/meter-alerts';
import { del, get, post } from '../../lib/api';
import { useKeysetList } from '../../lib/lists';

export type { MeterAlert, Threshold };

export const thresholdsKey = ['thresholds'] as const;
export const meterAlertsKey = ['meter-alerts'] as const;

export function useThresholds(meterId: string | undefined) {
  return useQuery({
    queryKey: [...thresholdsKey, meterId],
    enabled: !!meterId,
    refetchInterval: 10_000,
    queryFn: async () => (await get<{ items: Threshold[] }>(`/api/v1/meters/${meterId}/thresholds`)).items,
  });
}

export interface ThresholdInput {
  op: '>' | '<';
  value: number;
  forSeconds: number;
  action: 'alert' | 'work_order';
  template?: { title: string; priority: string };
}

export function useCreateThreshold(meterId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ThresholdInput) => post<{ threshold: Threshold }>(`/api/v1/meters/${meterId}/thresholds`, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: thresholdsKey }),
  });
}

export function useDeleteThreshold() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => del(`/api/v1/thresholds/${id}`),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: thresholdsKey });
      void queryClient.invalidateQueries({ queryKey: meterAlertsKey });
    },
  });
}

export function useMeterAlerts(query: { status: 'open' | 'closed' | 'all'; meterId?: string; acknowledged?: boolean }) {
  return useKeysetList<MeterAlert>(meterAlertsKey, '/api/v1/meter-alerts', { limit: 50, ...query });
}

/** The count of open alerts nobody acknowledged (the navigation badge), refreshed every 30 s. */
export function useOpenAlertCount(enabled: boolean) {
  return useQuery({
    queryKey: [...meterAlertsKey, 'count'],
    enabled,
    refetchInterval: 30_000,
    queryFn: async () => (await get<MeterAlertList>('/api/v1/meter-alerts', { status: 'open', limit: 1 })).unacknowledgedCount,
  });
}

export function useAcknowledgeAlert() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, note }: { id: string; note: string }) =>
      post<{ alert: MeterAlert }>(`/api/v1/meter-alerts/${id}/acknowledge`, note.trim() ? { note: note.trim() } : {}),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: meterAlertsKey }),
  });
}
