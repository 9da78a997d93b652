// Notifications: the bell's unread count, the list, marking read, and preferences.
import { useQuery } from '@tanstack/react-query';
import { get } from '../../lib/api';

export interface Notification {
  id: string;
  event: string;
  ticketNumber: number | null;
  title: string;
  body: string | null;
  read: boolean;
  createdAt: string;
}

export interface NotificationPage {
  items: Notification[];
  unreadCount: number;
  nextCursor: string | null;
}

export const notificationsKey = ['notifications'] as const;
export const bellKey = ['notifications', 'bell'] as const;

export const NOTIFICATION_EVENTS = [
  'ticket.created',
  'ticket.assigned',
  'ticket.status_changed',
  'ticket.commented',
  'ticket.mentioned',
  'ticket.approval_needed',
  'ticket.approved',
  'ticket.rejected',
] as const;

export function useBell() {
  return useQuery({
    queryKey: bellKey,
    queryFn: () => get<NotificationPage>('/api/v1/notifications', { limit: 8 }),
    refetchInterval: 120_000,
  });
}

export const eventKey = (event: string) => event.replace(/^ticket\./, '').replace(/\./g, '_');
