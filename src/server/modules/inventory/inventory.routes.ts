import { z } from 'zod';
import {
  inventoryFileAnswer,
  inventoryFileList,
  movementAnswer,
  movementBody,
  movementList,
  partAnswer,
  partBody,
  partList,
  partListQuery,
  partPatch,
  ticketParts,
  useOnTicketBody,
  vendorAnswer,
  vendorBody,
  vendorList,
  vendorListQuery,
} from '../../../shared/contracts/inventory.js';
import { ticketNumberParam } from '../../../shared/contracts/tickets.js';
import { ctxOf, idParam, listQuery, type ModulePlugin, partsOf, sendStoredFile, toId, wrap } from '../http.js';
import * as files from './files.service.js';
import * as movements from './movements.service.js';
import * as service from './parts.service.js';

const vendorsOf = (v: z.infer<typeof partBody>['vendors']) => v?.map((x) => ({ vendorId: toId(x.vendorId), vendorSku: x.vendorSku, price: x.price }));

export const inventoryRoutes: ModulePlugin = async (app, { deps }) => {
  app.get('/api/v1/parts', {
    config: { access: 'inventory.view' },
    schema: {
      tags: ['inventory'],
      summary: 'Parts by name with stock per location; `q` searches name and SKU, `belowReorder=true` keeps those under their reorder point',
      querystring: partListQuery,
      response: { 200: partList },
    },
    handler: (req) => service.listParts(ctxOf(deps, req), { ...req.query, belowReorder: req.query.belowReorder === 'true' }),
  });

  app.post('/api/v1/parts', {
    config: { access: 'inventory.manage' },
    schema: { tags: ['inventory'], summary: 'Create a part (SKU unique per company: 409)', body: partBody, response: { 201: partAnswer } },
    handler: async (req, reply) =>
      reply.code(201).send(wrap('part', await service.createPart(ctxOf(deps, req), { ...req.body, maxQuantity: req.body.maxQuantity ?? null, vendors: vendorsOf(req.body.vendors) }))),
  });

  app.get('/api/v1/parts/:id', {
    config: { access: 'inventory.view' },
    schema: { tags: ['inventory'], summary: 'One part with vendors, stock per location and total', params: idParam, response: { 200: partAnswer } },
    handler: async (req) => wrap('part', await service.getPart(ctxOf(deps, req), toId(req.params.id))),
  });

  app.patch('/api/v1/parts/:id', {
    config: { access: 'inventory.manage' },
    schema: { tags: ['inventory'], summary: 'Edit a part; `vendors` replaces its vendor list', params: idParam, body: partPatch, response: { 200: partAnswer } },
    handler: async (req) => wrap('part', await service.updatePart(ctxOf(deps, req), toId(req.params.id), { ...req.body, vendors: vendorsOf(req.body.vendors) })),
  });

  app.get('/api/v1/parts/:id/movements', {
    config: { access: 'inventory.view' },
    schema: { tags: ['inventory'], summary: "A part's stock ledger, newest first", params: idParam, querystring: listQuery, response: { 200: movementList } },
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
      response: { 201: movementAnswer },
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
      params: ticketNumberParam,
      response: { 200: ticketParts },
    },
    handler: (req) => movements.ticketParts(ctxOf(deps, req), req.params.number),
  });

  app.post('/api/v1/tickets/:number/parts', {
    config: { access: 'inventory.issue' },
    schema: {
      tags: ['inventory'],
      summary:
        'Use parts on a ticket you may see: consumes stock from a location and charges the ticket at unit cost (inventory.issue; receiving, transfers and adjustments need inventory.manage); 422 insufficient_stock',
      params: ticketNumberParam,
      body: useOnTicketBody,
      response: { 201: movementAnswer },
    },
    handler: async (req, reply) => {
      const b = req.body;
      const result = await movements.useParts(ctxOf(deps, req), req.params.number, { partId: toId(b.partId), quantity: b.quantity, locationId: toId(b.locationId), note: b.note });
      return reply.code(201).send(result);
    },
  });

  app.get('/api/v1/vendors', {
    config: { access: 'inventory.view' },
    schema: { tags: ['inventory'], summary: 'Vendors by name', querystring: vendorListQuery, response: { 200: vendorList } },
    handler: (req) => service.listVendors(ctxOf(deps, req), req.query),
  });

  app.post('/api/v1/vendors', {
    config: { access: 'inventory.manage' },
    schema: { tags: ['inventory'], summary: 'Create a vendor (name unique per company: 409)', body: vendorBody, response: { 201: vendorAnswer } },
    handler: async (req, reply) => reply.code(201).send(wrap('vendor', await service.createVendor(ctxOf(deps, req), req.body))),
  });

  app.patch('/api/v1/vendors/:id', {
    config: { access: 'inventory.manage' },
    schema: { tags: ['inventory'], summary: 'Edit a vendor', params: idParam, body: vendorBody.partial(), response: { 200: vendorAnswer } },
    handler: async (req) => wrap('vendor', await service.updateVendor(ctxOf(deps, req), toId(req.params.id), req.body)),
  });

  // Photos, manuals, videos and audio notes of parts and vendors.
  const uploadSummary = 'Add a photo, manual, video or audio note (multipart field `file`); typed from its bytes, active content refused (415)';
  for (const [owner, what] of [['parts', 'part'], ['vendors', 'vendor']] as const) {
    const ownerOf = (id: string) => (what === 'part' ? { partId: toId(id) } : { vendorId: toId(id) });
    app.get(`/api/v1/${owner}/:id/files`, {
      config: { access: 'inventory.view' },
      schema: { tags: ['inventory'], summary: `A ${what}'s files, oldest first`, params: idParam, querystring: listQuery, response: { 200: inventoryFileList } },
      handler: (req) => files.listFiles(ctxOf(deps, req), ownerOf(req.params.id), req.query),
    });
    app.post(`/api/v1/${owner}/:id/files`, {
      config: { access: 'inventory.manage' },
      schema: { tags: ['inventory'], summary: uploadSummary, consumes: ['multipart/form-data'], params: idParam, response: { 201: inventoryFileAnswer } },
      handler: async (req, reply) => reply.code(201).send({ file: await files.uploadFile(ctxOf(deps, req), ownerOf(req.params.id), () => partsOf(req)) }),
    });
  }

  app.get('/api/v1/inventory-files/:id', {
    config: { access: 'inventory.view' },
    schema: { tags: ['inventory'], summary: 'Download a part or vendor file', params: idParam },
    handler: async (req, reply) => sendStoredFile(reply, await files.openFile(ctxOf(deps, req), toId(req.params.id))),
  });

  app.delete('/api/v1/inventory-files/:id', {
    config: { access: 'inventory.manage' },
    schema: { tags: ['inventory'], summary: 'Remove a part or vendor file (kept in the audit log)', params: idParam, response: { 204: z.null() } },
    handler: async (req, reply) => {
      await files.deleteFile(ctxOf(deps, req), toId(req.params.id));
      return reply.code(204).send(null);
    },
  });
};
