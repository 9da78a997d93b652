// Recurring tickets over HTTP (API.md "Recurring tickets and preventive maintenance"): CRUD, the
// next occurrences (also of an unsaved rule, for the editor's preview) and the runs.
import { z } from 'zod';
import * as c from '../../../shared/contracts/maintenance.js';
import { ctxOf, type ModulePlugin, toId, wrap, wrapped } from '../http.js';
import * as service from './recurring.service.js';

const tags = ['recurring tickets'];
const access = 'maintenance.manage' as const;

export const recurringRoutes: ModulePlugin = async (app, { deps }) => {
  app.get('/api/v1/recurring-tickets', {
    config: { access },
    schema: {
      tags,
      summary: 'Recurring tickets by title',
      querystring: c.recurringTicketListQuery,
      response: { 200: c.recurringTicketList },
    },
    handler: (req) => service.listRecurring(ctxOf(deps, req), req.query),
  });
  app.post('/api/v1/recurring-tickets', {
    config: { access },
    schema: {
      tags,
      summary: 'Create a recurring ticket: a ticket template with an RRULE at a time of day in a zone (400 for a rule that never occurs)',
      body: c.recurringTicketBody,
      response: { 201: wrapped('recurringTicket', c.recurringTicket) },
    },
    handler: async (req, reply) => reply.code(201).send(wrap('recurringTicket', await service.createRecurring(ctxOf(deps, req), req.body))),
  });
  app.get('/api/v1/recurring-tickets/occurrences', {
    config: { access },
    schema: {
      tags,
      summary: 'Preview the next occurrences of an unsaved rule (rrule, time; startsOn and timezone optional)',
      querystring: c.previewQuery,
      response: { 200: c.occurrences },
    },
    handler: (req) => service.previewOccurrences(ctxOf(deps, req), null, req.query),
  });
  app.get('/api/v1/recurring-tickets/:id', {
    config: { access },
    schema: { tags, summary: 'One recurring ticket', params: c.idParams, response: { 200: wrapped('recurringTicket', c.recurringTicket) } },
    handler: async (req) => wrap('recurringTicket', await service.getRecurring(ctxOf(deps, req), toId(req.params.id))),
  });
  app.patch('/api/v1/recurring-tickets/:id', {
    config: { access },
    schema: {
      tags,
      summary: 'Edit, pause (active false) or resume a recurring ticket; a new schedule or a resume counts from now (no backfill)',
      params: c.idParams,
      body: c.recurringTicketPatch,
      response: { 200: wrapped('recurringTicket', c.recurringTicket) },
    },
    handler: async (req) => wrap('recurringTicket', await service.updateRecurring(ctxOf(deps, req), toId(req.params.id), req.body)),
  });
  app.delete('/api/v1/recurring-tickets/:id', {
    config: { access },
    schema: {
      tags,
      summary: 'Delete a recurring ticket (the tickets it opened stay)',
      params: c.idParams,
      response: { 204: z.null().describe('Deleted') },
    },
    handler: async (req, reply) => {
      await service.deleteRecurring(ctxOf(deps, req), toId(req.params.id));
      return reply.code(204).send(null);
    },
  });
  app.get('/api/v1/recurring-tickets/:id/occurrences', {
    config: { access },
    schema: {
      tags,
      summary:
        'The next occurrences as instants, without creating anything (?count=10; rrule, startsOn, time, timezone override the saved rule)',
      params: c.idParams,
      querystring: c.occurrencesQuery,
      response: { 200: c.occurrences },
    },
    handler: (req) => service.previewOccurrences(ctxOf(deps, req), toId(req.params.id), req.query),
  });
  app.get('/api/v1/recurring-tickets/:id/runs', {
    config: { access },
    schema: {
      tags,
      summary: 'One row per occurrence fired, newest first, with its ticket; `late` when caught up after downtime',
      params: c.idParams,
      querystring: c.runListQuery,
      response: { 200: c.runList },
    },
    handler: (req) => service.listRuns(ctxOf(deps, req), toId(req.params.id), req.query),
  });
};
