// The admin "Outbox": every message Steward sent or keeps (without SMTP), to read and check.
import { outboxMessageAnswer, outboxPage } from '../../../shared/contracts/outbox.js';
import { ctxOf, idParam, listQuery, type ModulePlugin, toId } from '../http.js';
import { getMessage, listOutbox } from './outbox.service.js';

export const outboxRoutes: ModulePlugin = async (app, { deps }) => {
  app.get('/api/v1/outbox', {
    config: { access: 'settings.manage' },
    schema: {
      tags: ['mail'],
      summary: 'Outgoing mail of the company, newest first',
      querystring: listQuery,
      response: { 200: outboxPage },
    },
    handler: (req) => listOutbox(ctxOf(deps, req), req.query),
  });

  app.get('/api/v1/outbox/:id', {
    config: { access: 'settings.manage' },
    schema: {
      tags: ['mail'],
      summary: 'One outgoing message with its text',
      params: idParam,
      response: { 200: outboxMessageAnswer },
    },
    handler: async (req) => ({ message: await getMessage(ctxOf(deps, req), toId(req.params.id)) }),
  });
};
