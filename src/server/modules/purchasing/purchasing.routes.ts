// Purchasing over HTTP (API.md "Purchasing"): each route validates with the shared contract,
// declares its permission and calls one service function.
import { z } from 'zod';
import { vendorList, vendorListQuery } from '../../../shared/contracts/inventory.js';
import * as c from '../../../shared/contracts/purchasing.js';
import { uploadParts } from '../../platform/multipart.js';
import { ctxOf, type ModulePlugin, toId, wrap, wrapped } from '../http.js';
import * as documents from './order-documents.service.js';
import * as orders from './orders.service.js';
import * as service from './purchasing.service.js';
import { receiveOrder } from './receiving.service.js';

const tags = ['purchasing'];
const noContent = { 204: z.null().describe('Done') };

export const purchasingRoutes: ModulePlugin = async (app, { deps }) => {
  // Settings -----------------------------------------------------------------------------------
  app.get('/api/v1/settings/purchasing', {
    config: { access: 'purchasing.manage' },
    schema: {
      tags,
      summary: 'PO number pattern, over-receipt tolerance and default currency',
      response: { 200: c.purchasingSettingsAnswer },
    },
    handler: async (req) => ({ settings: await service.getSettings(ctxOf(deps, req)) }),
  });
  app.patch('/api/v1/settings/purchasing', {
    config: { access: 'settings.manage' },
    schema: {
      tags,
      summary: 'Change the PO number pattern (`PO-{YYYY}-{seq:4}`), the over-receipt tolerance (percent) or the currency',
      body: c.purchasingSettingsPatch,
      response: { 200: c.purchasingSettingsAnswer },
    },
    handler: async (req) => ({ settings: await service.updateSettings(ctxOf(deps, req), req.body) }),
  });

  // Buying companies ---------------------------------------------------------------------------
  app.get('/api/v1/buying-companies', {
    config: { access: 'purchasing.manage' },
    schema: {
      tags,
      summary: 'The legal entities printed on PO headers, by name',
      querystring: c.namedListQuery,
      response: { 200: c.buyingCompanyList },
    },
    handler: (req) => service.listBuyingCompanies(ctxOf(deps, req), req.query),
  });
  app.post('/api/v1/buying-companies', {
    config: { access: 'purchasing.manage' },
    schema: {
      tags,
      summary: 'Add a buying company (name unique: 409)',
      body: c.buyingCompanyBody,
      response: { 201: wrapped('buyingCompany', c.buyingCompany) },
    },
    handler: async (req, reply) =>
      reply.code(201).send(wrap('buyingCompany', await service.createBuyingCompany(ctxOf(deps, req), req.body))),
  });
  app.get('/api/v1/buying-companies/:id', {
    config: { access: 'purchasing.manage' },
    schema: { tags, summary: 'One buying company', params: c.idParams, response: { 200: wrapped('buyingCompany', c.buyingCompany) } },
    handler: async (req) => wrap('buyingCompany', await service.getBuyingCompany(ctxOf(deps, req), toId(req.params.id))),
  });
  app.patch('/api/v1/buying-companies/:id', {
    config: { access: 'purchasing.manage' },
    schema: {
      tags,
      summary: 'Edit a buying company',
      params: c.idParams,
      body: c.buyingCompanyPatch,
      response: { 200: wrapped('buyingCompany', c.buyingCompany) },
    },
    handler: async (req) => wrap('buyingCompany', await service.updateBuyingCompany(ctxOf(deps, req), toId(req.params.id), req.body)),
  });
  app.put('/api/v1/buying-companies/:id/logo', {
    config: { access: 'purchasing.manage' },
    schema: {
      tags,
      summary: `Upload the logo (multipart field \`file\`, PNG or JPEG, up to ${service.LOGO_MAX_BYTES / 1024} KB)`,
      consumes: ['multipart/form-data'],
      params: c.idParams,
      response: { 200: wrapped('buyingCompany', c.buyingCompany) },
    },
    handler: async (req) => {
      // The shared multipart reader: a body without a boundary, or cut off, is a 400, never a 500.
      for await (const part of uploadParts(req, 'Send the logo as multipart/form-data in the field "file"')) {
        if (part.type === 'file' && part.name === 'file') {
          return wrap('buyingCompany', await service.setBuyingCompanyLogo(ctxOf(deps, req), toId(req.params.id), { stream: part.stream }));
        }
        if (part.type === 'file') part.stream.resume();
      }
      return wrap('buyingCompany', await service.setBuyingCompanyLogo(ctxOf(deps, req), toId(req.params.id), null));
    },
  });
  app.get('/api/v1/buying-companies/:id/logo', {
    config: { access: 'purchasing.manage' },
    schema: { tags, summary: 'The logo image', params: c.idParams },
    handler: async (req, reply) => {
      const logo = await service.getBuyingCompanyLogo(ctxOf(deps, req), toId(req.params.id));
      return reply.header('content-type', logo.contentType).header('cache-control', 'private, max-age=86400').send(logo.content);
    },
  });

  // Ship-to ------------------------------------------------------------------------------------
  app.get('/api/v1/ship-to', {
    config: { access: 'purchasing.manage' },
    schema: {
      tags,
      summary: 'Delivery addresses with their tax rate (percent), by name',
      querystring: c.namedListQuery,
      response: { 200: c.shipToList },
    },
    handler: (req) => service.listShipTos(ctxOf(deps, req), req.query),
  });
  app.post('/api/v1/ship-to', {
    config: { access: 'purchasing.manage' },
    schema: {
      tags,
      summary: 'Add a ship-to location; `locationId` is the stock location receipts go to by default',
      body: c.shipToBody,
      response: { 201: wrapped('shipTo', c.shipTo) },
    },
    handler: async (req, reply) => reply.code(201).send(wrap('shipTo', await service.createShipTo(ctxOf(deps, req), req.body))),
  });
  app.get('/api/v1/ship-to/:id', {
    config: { access: 'purchasing.manage' },
    schema: { tags, summary: 'One ship-to location', params: c.idParams, response: { 200: wrapped('shipTo', c.shipTo) } },
    handler: async (req) => wrap('shipTo', await service.getShipTo(ctxOf(deps, req), toId(req.params.id))),
  });
  app.patch('/api/v1/ship-to/:id', {
    config: { access: 'purchasing.manage' },
    schema: {
      tags,
      summary: 'Edit a ship-to location (drafts take the new tax rate; finalised POs keep theirs)',
      params: c.idParams,
      body: c.shipToPatch,
      response: { 200: wrapped('shipTo', c.shipTo) },
    },
    handler: async (req) => wrap('shipTo', await service.updateShipTo(ctxOf(deps, req), toId(req.params.id), req.body)),
  });

  app.get('/api/v1/purchasing/vendors', {
    config: { access: 'purchasing.manage' },
    schema: {
      tags,
      summary: 'Vendors to buy from, by name, `q` searches (the pickers of the plan; the vendor list itself needs inventory.view)',
      querystring: vendorListQuery,
      response: { 200: vendorList },
    },
    handler: (req) => service.vendorChoices(ctxOf(deps, req), req.query),
  });

  // Planned items ------------------------------------------------------------------------------
  app.get('/api/v1/planned-items', {
    config: { access: 'purchasing.manage' },
    schema: {
      tags,
      summary:
        'The plan (items on no purchase order), newest first; filters `vendorId` (or `none`), `departmentId`, `costCode`, `source`, `q`',
      querystring: c.plannedItemQuery,
      response: { 200: c.plannedItemList },
    },
    handler: (req) => {
      const { vendorId, departmentId, ...rest } = req.query;
      return service.listPlannedItems(ctxOf(deps, req), {
        ...rest,
        vendorId: vendorId === 'none' ? 'none' : vendorId ? Number(vendorId) : undefined,
        departmentId: departmentId ? Number(departmentId) : undefined,
      });
    },
  });
  app.post('/api/v1/planned-items', {
    config: { access: 'purchasing.manage' },
    schema: { tags, summary: 'Add an item to the plan', body: c.plannedItemBody, response: { 201: wrapped('plannedItem', c.plannedItem) } },
    handler: async (req, reply) => reply.code(201).send(wrap('plannedItem', await service.createPlannedItem(ctxOf(deps, req), req.body))),
  });
  app.patch('/api/v1/planned-items/:id', {
    config: { access: 'purchasing.manage' },
    schema: {
      tags,
      summary: 'Edit an item on the plan (items on a PO are edited there)',
      params: c.idParams,
      body: c.plannedItemPatch,
      response: { 200: wrapped('plannedItem', c.plannedItem) },
    },
    handler: async (req) => wrap('plannedItem', await service.updatePlannedItem(ctxOf(deps, req), toId(req.params.id), req.body)),
  });
  app.post('/api/v1/planned-items/delete', {
    config: { access: 'purchasing.manage' },
    schema: {
      tags,
      summary: 'Delete items from the plan; ids on a PO or unknown are left alone',
      body: c.deleteIdsBody,
      response: { 200: c.deletedAnswer },
    },
    handler: (req) => service.deletePlannedItems(ctxOf(deps, req), req.body.ids),
  });

  // Purchase orders ----------------------------------------------------------------------------
  app.post('/api/v1/purchase-orders/drafts', {
    config: { access: 'purchasing.manage' },
    schema: {
      tags,
      summary: 'Draft purchase orders from planned items: one per vendor',
      body: c.draftsBody,
      response: { 201: c.draftsAnswer },
    },
    handler: async (req, reply) => reply.code(201).send(await orders.createDrafts(ctxOf(deps, req), req.body)),
  });
  app.get('/api/v1/purchase-orders', {
    config: { access: 'purchasing.manage' },
    schema: {
      tags,
      summary: 'Purchase orders, newest first; filters `status`, `vendorId`, `q` (number or vendor)',
      querystring: c.purchaseOrderQuery,
      response: { 200: c.purchaseOrderList },
    },
    handler: (req) => orders.listOrders(ctxOf(deps, req), req.query),
  });
  app.get('/api/v1/purchase-orders/:id', {
    config: { access: 'purchasing.manage' },
    schema: {
      tags,
      summary: 'One purchase order with its lines, totals and what you may do (`can`)',
      params: c.idParams,
      response: { 200: c.purchaseOrderAnswer },
    },
    handler: async (req) => ({ purchaseOrder: await orders.getOrder(ctxOf(deps, req), toId(req.params.id)) }),
  });
  app.patch('/api/v1/purchase-orders/:id', {
    config: { access: 'purchasing.manage' },
    schema: {
      tags,
      summary: 'Edit a draft: `lines` replaces the lines (a line with an `id` is kept and edited); 422 not_draft once finalised',
      params: c.idParams,
      body: c.purchaseOrderPatch,
      response: { 200: c.purchaseOrderAnswer },
    },
    handler: async (req) => ({ purchaseOrder: await orders.updateDraft(ctxOf(deps, req), toId(req.params.id), req.body) }),
  });
  app.delete('/api/v1/purchase-orders/:id', {
    config: { access: 'purchasing.manage' },
    schema: {
      tags,
      summary: 'Delete a draft; its items go back to the plan (422 not_draft once finalised)',
      params: c.idParams,
      response: noContent,
    },
    handler: async (req, reply) => {
      await orders.deleteDraft(ctxOf(deps, req), toId(req.params.id));
      return reply.code(204).send(null);
    },
  });
  app.post('/api/v1/purchase-orders/:id/finalize', {
    config: { access: 'purchasing.finalize' },
    schema: {
      tags,
      summary: 'Draft → sent: number, PDF, e-mail to the vendor with the PDF (through the outbox)',
      params: c.idParams,
      response: { 200: c.purchaseOrderAnswer },
    },
    handler: async (req) => ({ purchaseOrder: await documents.finalizeOrder(ctxOf(deps, req), toId(req.params.id)) }),
  });
  app.post('/api/v1/purchase-orders/:id/send', {
    config: { access: 'purchasing.finalize' },
    schema: {
      tags,
      summary: 'E-mail the finalised PO (its stored PDF) to the vendor again',
      params: c.idParams,
      response: { 200: c.purchaseOrderAnswer },
    },
    handler: async (req) => ({ purchaseOrder: await documents.sendAgain(ctxOf(deps, req), toId(req.params.id)) }),
  });
  app.get('/api/v1/purchase-orders/:id/pdf', {
    config: { access: 'purchasing.manage' },
    schema: { tags, summary: 'The PO document (`application/pdf`); a draft gives a marked preview', params: c.idParams },
    handler: async (req, reply) => {
      const pdf = await documents.orderPdf(ctxOf(deps, req), toId(req.params.id));
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `inline; filename="${pdf.fileName.replace(/[^A-Za-z0-9._-]/g, '_')}"`)
        .send(pdf.content);
    },
  });
  app.post('/api/v1/purchase-orders/:id/receive', {
    config: { access: 'purchasing.manage' },
    schema: {
      tags,
      summary:
        "Receive per line: parts into stock at `locationId` (default the ship-to's stock location), equipment as assets with `createAssets`; 422 over_receipt past the ordered quantity (plus the tolerance)",
      params: c.idParams,
      body: c.receiveBody,
      response: { 200: c.receiveAnswer },
    },
    handler: (req) => receiveOrder(ctxOf(deps, req), toId(req.params.id), req.body),
  });
  app.post('/api/v1/purchase-orders/:id/close', {
    config: { access: 'purchasing.manage' },
    schema: {
      tags,
      summary: 'Received or partly received → closed (nothing more is expected)',
      params: c.idParams,
      response: { 200: c.purchaseOrderAnswer },
    },
    handler: async (req) => ({ purchaseOrder: await orders.closeOrder(ctxOf(deps, req), toId(req.params.id)) }),
  });
  app.post('/api/v1/purchase-orders/:id/cancel', {
    config: { access: 'purchasing.finalize' },
    schema: {
      tags,
      summary: 'Cancel a sent PO with nothing received, with a reason',
      params: c.idParams,
      body: c.cancelBody,
      response: { 200: c.purchaseOrderAnswer },
    },
    handler: async (req) => ({ purchaseOrder: await orders.cancelOrder(ctxOf(deps, req), toId(req.params.id), req.body.reason) }),
  });
  app.get('/api/v1/purchase-orders/:id/history', {
    config: { access: 'purchasing.manage' },
    schema: {
      tags,
      summary: 'Who did what, oldest first, and every receipt',
      params: c.idParams,
      response: { 200: c.purchaseOrderHistory },
    },
    handler: (req) => orders.orderHistory(ctxOf(deps, req), toId(req.params.id)),
  });
};
