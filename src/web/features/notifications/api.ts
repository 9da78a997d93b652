// Notifications: the bell's unread count, the list, marking read, and preferences.
import { useQuery } from '@tanstack/react-query';
import { get } from '../../lib/api';
import type { NotificationPage } from '../../../shared/contracts/notifications';

export type { Notification, NotificationPage } from '../../../shared/contracts/notifications';
export { NOTIFICATION_EVENTS } from '../../../shared/contracts/enums';

export const notificationsKey = ['notifications'] as const;
export const bellKey = ['notifications', 'bell'] as const;

export function useBell() {
  return useQuery({
    queryKey: bellKey,
    queryFn: () => get<NotificationPage>('/api/v1/notifications', { limit: 8 }),
    refetchInterval: 120_000,
  });
}

export const eventKey = (event: string) => event.replace(/^ticket\./, '').replace(/\./g, '_');
