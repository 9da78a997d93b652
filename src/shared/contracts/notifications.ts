// In-app notifications and each user's delivery preferences.
import { z } from 'zod';
import { idString, listQuery } from './common.js';
import { NOTIFICATION_EVENTS, type NotificationEvent } from './enums.js';

export const notification = z.object({
  id: z.string(),
  event: z.string(),
  ticketNumber: z.number().nullable(),
  title: z.string(),
  body: z.string(),
  read: z.boolean(),
  createdAt: z.string(),
});
export type Notification = z.infer<typeof notification>;
export const notificationQuery = listQuery.extend({ unread: z.enum(['true', 'false']).transform((v) => v === 'true').optional() });
export const notificationPage = z.object({ items: z.array(notification), unreadCount: z.number(), nextCursor: z.string().nullable() });
export type NotificationPage = z.infer<typeof notificationPage>;
export const markReadBody = z.union([z.object({ ids: z.array(idString).min(1).max(500) }), z.object({ all: z.literal(true) })]);
export const markReadAnswer = z.object({ updated: z.number() });

const channels = z.object({ inApp: z.boolean(), email: z.boolean() });
export const notificationPreferences = z.object(
  Object.fromEntries(NOTIFICATION_EVENTS.map((e) => [e, channels])) as Record<NotificationEvent, typeof channels>,
);
export type NotificationPreferences = z.infer<typeof notificationPreferences>;
export const preferencesAnswer = z.object({ preferences: notificationPreferences });
export const updatePreferencesBody = z.object({ preferences: notificationPreferences.partial() });
