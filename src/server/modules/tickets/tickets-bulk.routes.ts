// POST /api/v1/tickets/bulk: assign or change the status of up to 200 tickets, one result each.
import { bulkAnswer, bulkBody } from '../../../shared/contracts/tickets-bulk.js';
import { ctxOf, type ModulePlugin, optionalId } from '../http.js';
import { bulkTickets } from './tickets-bulk.service.js';

export { BULK_MAX } from '../../../shared/contracts/tickets-bulk.js';

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
