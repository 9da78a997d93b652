import { z } from 'zod';
import { MOVEMENT_TYPES } from '../../db/schema/index.js';
import { ctxOf, idParam, idString, listQuery, type ModulePlugin, toId, wrap, wrapped } from '../http.js';
import * as movements from './movements.service.js';
import * as service from './parts.service.js';

// Quantities and money travel as JSON numbers; quantities keep three decimals, money four.
const decimals = (places: number) => (n: number) => Math.abs(n * 10 ** places - Math.round(n * 10 ** places)) < 1e-6;
const quantity = z.number().min(0).max(1e9).refine(decimals(3), 'at most three decimals');
const money = z.number().min(0).max(1e10).refine(decimals(4), 'at most four decimals');
const numberParam = z.object({ number: z.coerce.number().int().min(1).max(2_000_000_000) });
const text = (max: number) => z.string().trim().max(max);
const ref = z.object({ id: z.string(), name: z.string() });

const partDto = z.object({
  id: z.string(),
  sku: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  unit: z.string(),
  unitCost: z.number(),
  minQuantity: z.number(),
  maxQuantity: z.number().nullable(),
  reorderPoint: z.number(),
  vendors: z.array(z.object({ vendorId: z.string(), vendorName: z.string(), vendorSku: z.string().nullable(), price: z.number().nullable() })),
  stock: z.array(z.object({ location: ref, quantity: z.number() })),
  totalQuantity: z.number(),
  belowReorder: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const partBody = z.object({
  sku: text(60).min(1, 'is required'),
  name: text(200).min(1, 'is required'),
  unit: text(20).min(1).default('pcs'),
  unitCost: money.default(0),
  minQuantity: quantity.default(0),
  maxQuantity: quantity.nullish(),
  reorderPoint: quantity.default(0),
  description: text(5000).nullish(),
  vendors: z
    .array(z.object({ vendorId: idString, vendorSku: text(100).nullish(), price: money.nullish() }))
    .max(20)
    .optional(),
});
const partPatch = z.object({
  sku: text(60).min(1).optional(),
  name: text(200).min(1).optional(),
  unit: text(20).min(1).optional(),
  unitCost: money.optional(),
  minQuantity: quantity.optional(),
  maxQuantity: quantity.nullish(),
  reorderPoint: quantity.optional(),
  description: text(5000).nullish(),
  vendors: partBody.shape.vendors,
});
const vendorsOf = (v: z.infer<typeof partBody>['vendors']) => v?.map((x) => ({ vendorId: toId(x.vendorId), vendorSku: x.vendorSku, price: x.price }));

const vendorDto = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  website: z.string().nullable(),
  notes: z.string().nullable(),
  contactName: z.string().nullable(),
  address: z.string().nullable(),
  paymentTerms: z.string().nullable(),
  currency: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const vendorBody = z.object({
  name: text(200).min(1, 'is required'),
  email: z.email().max(254).nullish().describe('Where purchase orders are e-mailed'),
  phone: text(50).nullish(),
  website: text(500).nullish(),
  notes: text(5000).nullish(),
  contactName: text(200).nullish(),
  address: text(2000).nullish(),
  paymentTerms: text(500).nullish().describe('Printed on purchase orders, e.g. "Net 30"'),
  currency: z.string().regex(/^[A-Z]{3}$/, 'a three-letter currency code').nullish(),
});

const movementDto = z.object({
  id: z.string(),
  partId: z.string(),
  type: z.enum(MOVEMENT_TYPES),
  quantity: z.number(),
  location: ref,
  toLocation: ref.nullable(),
  ticketNumber: z.number().nullable(),
  unitCost: z.number().nullable(),
  note: z.string().nullable(),
  actor: z.object({ id: z.string().nullable(), name: z.string() }).nullable(),
  at: z.string(),
});
const movementBody = z.object({
  type: z.enum(MOVEMENT_TYPES),
  quantity: z.number().min(-1e9).max(1e9).refine(decimals(3), 'at most three decimals'),
  locationId: idString,
  toLocationId: idString.nullish(),
  ticketNumber: z.coerce.number().int().min(1).max(2_000_000_000).nullish(),
  note: text(2000).nullish(),
});

const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const inventoryRoutes: ModulePlugin = async (app, { deps }) => {
  app.get('/api/v1/parts', {
    config: { access: 'inventory.view' },
    schema: {
      tags: ['inventory'],
      summary: 'Parts by name with stock per location; `q` searches name and SKU, `belowReorder=true` keeps those under their reorder point',
      querystring: listQuery.extend({ q: z.string().trim().max(200).optional(), belowReorder: z.enum(['true', 'false']).optional() }),
      response: { 200: page(partDto) },
    },
    handler: (req) => service.listParts(ctxOf(deps, req), { ...req.query, belowReorder: req.query.belowReorder === 'true' }),
  });

  app.post('/api/v1/parts', {
    config: { access: 'inventory.manage' },
    schema: { tags: ['inventory'], summary: 'Create a part (SKU unique per company: 409)', body: partBody, response: { 201: wrapped('part', partDto) } },
    handler: async (req, reply) =>
      reply.code(201).send(wrap('part', await service.createPart(ctxOf(deps, req), { ...req.body, maxQuantity: req.body.maxQuantity ?? null, vendors: vendorsOf(req.body.vendors) }))),
  });

  app.get('/api/v1/parts/:id', {
    config: { access: 'inventory.view' },
    schema: { tags: ['inventory'], summary: 'One part with vendors, stock per location and total', params: idParam, response: { 200: wrapped('part', partDto) } },
    handler: async (req) => wrap('part', await service.getPart(ctxOf(deps, req), toId(req.params.id))),
  });

  app.patch('/api/v1/parts/:id', {
    config: { access: 'inventory.manage' },
    schema: { tags: ['inventory'], summary: 'Edit a part; `vendors` replaces its vendor list', params: idParam, body: partPatch, response: { 200: wrapped('part', partDto) } },
    handler: async (req) => wrap('part', await service.updatePart(ctxOf(deps, req), toId(req.params.id), { ...req.body, vendors: vendorsOf(req.body.vendors) })),
  });

  app.get('/api/v1/parts/:id/movements', {
    config: { access: 'inventory.view' },
    schema: { tags: ['inventory'], summary: "A part's stock ledger, newest first", params: idParam, querystring: listQuery, response: { 200: page(movementDto) } },
    handler: (req) => movements.listMovements(ctxOf(deps, req), toId(req.params.id), req.query),
  });

  app.post('/api/v1/parts/:id/movements', {
    config: { access: 'inventory.manage' },
    schema: {
      tags: ['inventory'],
      summary:
        'Receive, consume (optionally charged to `ticketNumber`), transfer (to `toLocationId`) or adjust (signed, `note` required), with inventory.manage; 422 insufficient_stock when a location has too little. Technicians use parts through POST /api/v1/tickets/:number/parts',
      params: idParam,
      body: movementBody,
      response: { 201: z.object({ movement: movementDto, part: partDto }) },
    },
    handler: async (req, reply) => {
      const b = req.body;
      const result = await movements.recordMovement(ctxOf(deps, req), toId(req.params.id), {
        ...b,
        locationId: toId(b.locationId),
        toLocationId: b.toLocationId ? toId(b.toLocationId) : null,
      });
      return reply.code(201).send(result);
    },
  });

  app.get('/api/v1/tickets/:number/parts', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['inventory'],
      summary: 'Parts consumed on a ticket you may see, with unit cost at the time and totals',
      params: numberParam,
      response: {
        200: z.object({
          items: z.array(
            z.object({
              movementId: z.string(),
              part: z.object({ id: z.string(), sku: z.string(), name: z.string(), unit: z.string() }),
              quantity: z.number(),
              unitCost: z.number(),
              totalCost: z.number(),
              at: z.string(),
              actor: z.object({ id: z.string().nullable(), name: z.string() }).nullable(),
            }),
          ),
          totalCost: z.number(),
        }),
      },
    },
    handler: (req) => movements.ticketParts(ctxOf(deps, req), req.params.number),
  });

  app.post('/api/v1/tickets/:number/parts', {
    config: { access: 'inventory.issue' },
    schema: {
      tags: ['inventory'],
      summary:
        'Use parts on a ticket you may see: consumes stock from a location and charges the ticket at unit cost (inventory.issue; receiving, transfers and adjustments need inventory.manage); 422 insufficient_stock',
      params: numberParam,
      body: z.object({ partId: idString, quantity, locationId: idString, note: text(2000).nullish() }),
      response: { 201: z.object({ movement: movementDto, part: partDto }) },
    },
    handler: async (req, reply) => {
      const b = req.body;
      const result = await movements.useParts(ctxOf(deps, req), req.params.number, { partId: toId(b.partId), quantity: b.quantity, locationId: toId(b.locationId), note: b.note });
      return reply.code(201).send(result);
    },
  });

  app.get('/api/v1/vendors', {
    config: { access: 'inventory.view' },
    schema: { tags: ['inventory'], summary: 'Vendors by name', querystring: listQuery.extend({ q: z.string().trim().max(200).optional() }), response: { 200: page(vendorDto) } },
    handler: (req) => service.listVendors(ctxOf(deps, req), req.query),
  });

  app.post('/api/v1/vendors', {
    config: { access: 'inventory.manage' },
    schema: { tags: ['inventory'], summary: 'Create a vendor (name unique per company: 409)', body: vendorBody, response: { 201: wrapped('vendor', vendorDto) } },
    handler: async (req, reply) => reply.code(201).send(wrap('vendor', await service.createVendor(ctxOf(deps, req), req.body))),
  });

  app.patch('/api/v1/vendors/:id', {
    config: { access: 'inventory.manage' },
    schema: { tags: ['inventory'], summary: 'Edit a vendor', params: idParam, body: vendorBody.partial(), response: { 200: wrapped('vendor', vendorDto) } },
    handler: async (req) => wrap('vendor', await service.updateVendor(ctxOf(deps, req), toId(req.params.id), req.body)),
  });
};
