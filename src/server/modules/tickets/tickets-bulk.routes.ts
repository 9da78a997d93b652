// POST /api/v1/tickets/bulk: assign or change the status of up to 200 tickets, one result each.
import { z } from 'zod';
import { TICKET_STATUSES } from '../../db/schema/index.js';
import { ctxOf, idString, type ModulePlugin, optionalId } from '../http.js';
import { bulkTickets } from './tickets-bulk.service.js';

export const BULK_MAX = 200;

const numbers = z
  .array(z.number().int().min(1).max(2_000_000_000))
  .min(1, 'name at least one ticket')
  .max(BULK_MAX, `at most ${BULK_MAX} tickets at once`);

const bulkBody = z.discriminatedUnion('action', [
  z
    .object({ action: z.literal('assign'), numbers, assigneeId: idString.nullish(), teamId: idString.nullish() })
    .refine((b) => b.assigneeId !== undefined || b.teamId !== undefined, {
      message: 'give assigneeId and/or teamId (null clears)',
      path: ['assigneeId'],
    }),
  z.object({ action: z.literal('status'), numbers, status: z.enum(TICKET_STATUSES), note: z.string().max(5000).optional() }),
]);

const bulkAnswer = z.object({
  results: z.array(
    z.object({
      number: z.number(),
      ok: z.boolean(),
      error: z.object({ code: z.string(), message: z.string() }).optional(),
    }),
  ),
  succeeded: z.number(),
  failed: z.number(),
});

export const ticketsBulkRoutes: ModulePlugin = async (app, { deps }) => {
  app.post('/api/v1/tickets/bulk', {
    // Per ticket the same rules as the single routes apply (assign also needs tickets.assign).
    config: { access: 'authenticated' },
    schema: {
      tags: ['tickets'],
      summary: 'Assign or change the status of many tickets; one result per ticket (not_found for tickets you cannot see)',
      body: bulkBody,
      response: { 200: bulkAnswer },
    },
    handler: (req) => {
      const b = req.body;
      return bulkTickets(
        ctxOf(deps, req),
        b.numbers,
        b.action === 'assign'
          ? { action: 'assign', assigneeId: optionalId(b.assigneeId), teamId: optionalId(b.teamId) }
          : { action: 'status', status: b.status, note: b.note },
      );
    },
  });
};
