import {
  markReadAnswer,
  markReadBody,
  notificationPage,
  notificationQuery,
  preferencesAnswer,
  updatePreferencesBody,
} from '../../../shared/contracts/notifications.js';
import { ctxOf, type ModulePlugin } from '../http.js';
import * as service from './notifications.service.js';

export const notificationsRoutes: ModulePlugin = async (app, { deps }) => {
  app.get('/api/v1/notifications', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['notifications'],
      summary: 'Your notifications, newest first, with the unread count',
      querystring: notificationQuery,
      response: { 200: notificationPage },
    },
    handler: (req) => service.listNotifications(ctxOf(deps, req), req.query),
  });

  app.post('/api/v1/notifications/read', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['notifications'],
      summary: 'Mark notifications read: {"ids":[...]} or {"all":true}',
      body: markReadBody,
      response: { 200: markReadAnswer },
    },
    handler: (req) =>
      service.markRead(ctxOf(deps, req), 'ids' in req.body ? { ids: req.body.ids.map(Number) } : { all: true }),
  });

  app.get('/api/v1/notifications/preferences', {
    config: { access: 'authenticated' },
    schema: { tags: ['notifications'], summary: 'Which events reach you in the app and by e-mail', response: { 200: preferencesAnswer } },
    handler: async (req) => ({ preferences: await service.getPreferences(ctxOf(deps, req)) }),
  });

  app.put('/api/v1/notifications/preferences', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['notifications'],
      summary: 'Choose per event: in the app, by e-mail',
      body: updatePreferencesBody,
      response: { 200: preferencesAnswer },
    },
    handler: async (req) => ({ preferences: await service.setPreferences(ctxOf(deps, req), req.body.preferences) }),
  });
};
