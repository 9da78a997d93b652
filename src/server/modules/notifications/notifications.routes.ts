import { z } from 'zod';
import { ctxOf, idString, listQuery, type ModulePlugin } from '../http.js';
import * as service from './notifications.service.js';

const channels = z.object({ inApp: z.boolean(), email: z.boolean() });
const preferences = z.object(Object.fromEntries(service.NOTIFICATION_EVENTS.map((e) => [e, channels])) as Record<service.NotificationEvent, typeof channels>);

export const notificationsRoutes: ModulePlugin = async (app, { deps }) => {
  app.get('/api/v1/notifications', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['notifications'],
      summary: 'Your notifications, newest first, with the unread count',
      querystring: listQuery.extend({ unread: z.enum(['true', 'false']).transform((v) => v === 'true').optional() }),
      response: { 200: z.object({ items: z.array(service.notificationDto), unreadCount: z.number(), nextCursor: z.string().nullable() }) },
    },
    handler: (req) => service.listNotifications(ctxOf(deps, req), req.query),
  });

  app.post('/api/v1/notifications/read', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['notifications'],
      summary: 'Mark notifications read: {"ids":[...]} or {"all":true}',
      body: z.union([z.object({ ids: z.array(idString).min(1).max(500) }), z.object({ all: z.literal(true) })]),
      response: { 200: z.object({ updated: z.number() }) },
    },
    handler: (req) =>
      service.markRead(ctxOf(deps, req), 'ids' in req.body ? { ids: req.body.ids.map(Number) } : { all: true }),
  });

  app.get('/api/v1/notifications/preferences', {
    config: { access: 'authenticated' },
    schema: { tags: ['notifications'], summary: 'Which events reach you in the app and by e-mail', response: { 200: z.object({ preferences }) } },
    handler: async (req) => ({ preferences: await service.getPreferences(ctxOf(deps, req)) }),
  });

  app.put('/api/v1/notifications/preferences', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['notifications'],
      summary: 'Choose per event: in the app, by e-mail',
      body: z.object({ preferences: preferences.partial() }),
      response: { 200: z.object({ preferences }) },
    },
    handler: async (req) => ({ preferences: await service.setPreferences(ctxOf(deps, req), req.body.preferences) }),
  });
};
