import {
  fulfilBody,
  supplyCatalogue,
  supplyCatalogueQuery,
  supplyOfTicket,
  supplyRequestBody,
  ticketWithLines,
} from '../../../shared/contracts/supply.js';
import { ticketNumberParam } from '../../../shared/contracts/tickets.js';
import { ctxOf, type ModulePlugin, optionalId, toId } from '../http.js';
import * as service from './supply.service.js';

export const supplyRoutes: ModulePlugin = async (app, { deps }) => {
  app.post('/api/v1/supply-requests', {
    config: { access: 'tickets.create' },
    schema: {
      tags: ['supply'],
      summary: 'Ask for parts (toner, spares): opens a `supply` ticket, approved as its category says, with its lines',
      body: supplyRequestBody,
      response: { 201: ticketWithLines },
    },
    handler: async (req, reply) => {
      const b = req.body;
      const result = await service.createSupplyRequest(ctxOf(deps, req), {
        ...b,
        categoryId: optionalId(b.categoryId),
        lines: b.lines.map((l) => ({ partId: toId(l.partId), quantity: l.quantity })),
      });
      return reply.code(201).send(result);
    },
  });

  app.get('/api/v1/supply/parts', {
    config: { access: 'tickets.create' },
    schema: {
      tags: ['supply'],
      summary: 'The parts a requester may ask for, with stock on hand (no costs)',
      querystring: supplyCatalogueQuery,
      response: { 200: supplyCatalogue },
    },
    handler: (req) => service.supplyCatalogue(ctxOf(deps, req), req.query),
  });

  app.get('/api/v1/tickets/:number/supply', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['supply'],
      summary: 'The lines of a supply request you may see, with the stock available for each',
      params: ticketNumberParam,
      response: { 200: supplyOfTicket },
    },
    handler: (req) => service.supplyOf(ctxOf(deps, req), req.params.number),
  });

  app.post('/api/v1/tickets/:number/fulfil', {
    config: { access: 'inventory.issue' },
    schema: {
      tags: ['supply'],
      summary:
        'Issue every outstanding line from one location in one transaction (422 insufficient_stock naming the part: nothing issued), then resolve and close; needs inventory.issue and tickets.update, and a ticket you may see',
      params: ticketNumberParam,
      body: fulfilBody,
      response: { 200: ticketWithLines },
    },
    handler: (req) => service.fulfilSupply(ctxOf(deps, req), req.params.number, toId(req.body.locationId)),
  });
};
