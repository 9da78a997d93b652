import { z } from 'zod';
import { ticketDto } from '../tickets/tickets.dto.js';
import { ctxOf, idString, listQuery, type ModulePlugin, optionalId, toId } from '../http.js';
import * as service from './supply.service.js';

const numberParam = z.object({ number: z.coerce.number().int().min(1).max(2_000_000_000) });
const ref = z.object({ id: z.string(), name: z.string() });

const lineDto = z.object({
  id: z.string(),
  part: z.object({ id: z.string(), sku: z.string(), name: z.string(), unit: z.string() }),
  quantity: z.number(),
  issuedQuantity: z.number(),
  /** Stock on hand over all locations, and per location. */
  available: z.number(),
  stock: z.array(z.object({ location: ref, quantity: z.number() })),
});
const ticketWithLines = z.object({
  ticket: ticketDto,
  can: z.record(z.string(), z.union([z.boolean(), z.array(z.string())])),
  lines: z.array(lineDto),
});

const quantity = z
  .number()
  .positive()
  .max(1e6)
  .refine((n) => Math.abs(n * 1000 - Math.round(n * 1000)) < 1e-6, 'at most three decimals');

export const supplyRoutes: ModulePlugin = async (app, { deps }) => {
  app.post('/api/v1/supply-requests', {
    config: { access: 'tickets.create' },
    schema: {
      tags: ['supply'],
      summary: 'Ask for parts (toner, spares): opens a `supply` ticket, approved as its category says, with its lines',
      body: z.object({
        title: z.string().trim().max(300).optional(),
        description: z.string().max(100_000).optional(),
        categoryId: idString.nullish(),
        lines: z
          .array(z.object({ partId: idString, quantity }))
          .min(1, 'ask for at least one part')
          .max(50),
      }),
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
      querystring: listQuery.extend({ q: z.string().trim().max(200).optional() }),
      response: {
        200: z.object({
          items: z.array(z.object({ id: z.string(), sku: z.string(), name: z.string(), unit: z.string(), available: z.number() })),
          nextCursor: z.string().nullable(),
        }),
      },
    },
    handler: (req) => service.supplyCatalogue(ctxOf(deps, req), req.query),
  });

  app.get('/api/v1/tickets/:number/supply', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['supply'],
      summary: 'The lines of a supply request you may see, with the stock available for each',
      params: numberParam,
      response: { 200: z.object({ items: z.array(lineDto), can: z.object({ fulfil: z.boolean() }) }) },
    },
    handler: (req) => service.supplyOf(ctxOf(deps, req), req.params.number),
  });

  app.post('/api/v1/tickets/:number/fulfil', {
    config: { access: 'inventory.issue' },
    schema: {
      tags: ['supply'],
      summary:
        'Issue every outstanding line from one location in one transaction (422 insufficient_stock naming the part: nothing issued), then resolve and close; needs inventory.issue and tickets.update, and a ticket you may see',
      params: numberParam,
      body: z.object({ locationId: idString }),
      response: { 200: ticketWithLines },
    },
    handler: (req) => service.fulfilSupply(ctxOf(deps, req), req.params.number, toId(req.body.locationId)),
  });
};
