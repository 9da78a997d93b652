// Webhooks' calls; the shapes are the server's contracts (src/shared/contracts/webhooks.ts).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Webhook, WebhookDelivery, WebhookWithSecret } from '../../../shared/contracts/webhooks';
import { del, patch, post } from '../../lib/api';

export type { Webhook, WebhookDelivery, WebhookWithSecret };
export { WEBHOOK_EVENTS } from '../../../shared/contracts/enums';

export const webhooksKey = ['webhooks'] as const;
export const deliveriesKey = (id: string) => ['webhooks', id, 'deliveries'] as const;

export interface WebhookInput {
  url: string;
  events: string[];
  active: boolean;
}

export function useSaveWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string | null; body: WebhookInput }) =>
      id ? patch<{ webhook: Webhook }>(`/api/v1/webhooks/${id}`, body).then(() => null) : post<WebhookWithSecret>('/api/v1/webhooks', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: webhooksKey }),
  });
}

export function useToggleWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, active }: { id: string; active: boolean }) => patch<{ webhook: Webhook }>(`/api/v1/webhooks/${id}`, { active }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: webhooksKey }),
  });
}

export function useRotateWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => post<WebhookWithSecret>(`/api/v1/webhooks/${id}/rotate-secret`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: webhooksKey }),
  });
}

export function useDeleteWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => del(`/api/v1/webhooks/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: webhooksKey }),
  });
}

export function useRetryDelivery(webhookId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (deliveryId: string) => post<{ delivery: WebhookDelivery }>(`/api/v1/webhooks/${webhookId}/deliveries/${deliveryId}/retry`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: deliveriesKey(webhookId) }),
  });
}
