// The admin "Outbox": every message Steward sent or keeps (without SMTP), to read and check.
import { z } from 'zod';
import { ctxOf, idParam, listQuery, type ModulePlugin, toId } from '../http.js';
import { getMessage, listOutbox } from './outbox.service.js';

const summary = z.object({
  id: z.string(),
  to: z.string(),
  subject: z.string(),
  template: z.string(),
  status: z.enum(['kept', 'pending', 'sent', 'failed']),
  attempts: z.number(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});

export const outboxRoutes: ModulePlugin = async (app, { deps }) => {
  app.get('/api/v1/outbox', {
    config: { access: 'settings.manage' },
    schema: {
      tags: ['mail'],
      summary: 'Outgoing mail of the company, newest first',
      querystring: listQuery,
      response: { 200: z.object({ items: z.array(summary), nextCursor: z.string().nullable() }) },
    },
    handler: (req) => listOutbox(ctxOf(deps, req), req.query),
  });

  app.get('/api/v1/outbox/:id', {
    config: { access: 'settings.manage' },
    schema: {
      tags: ['mail'],
      summary: 'One outgoing message with its text',
      params: idParam,
      response: { 200: z.object({ message: summary.extend({ text: z.string(), html: z.string().nullable() }) }) },
    },
    handler: async (req) => ({ message: await getMessage(ctxOf(deps, req), toId(req.params.id)) }),
  });
};
