import { z } from 'zod';
import {
  assetAnswer,
  assetBody,
  assetFileAnswer,
  assetFileList,
  assetHistory,
  assetList,
  assetListQuery,
  assetPageAnswer,
  assetTicketParams,
  checkinBody,
  checkoutBody,
  linkTicketBody,
} from '../../../shared/contracts/assets.js';
import { contentDisposition, ctxOf, idParam, listQuery, type ModulePlugin, optionalId, partsOf, toId, versionFrom, wrap } from '../http.js';
import * as files from './assets.files.js';
import * as page from './assets.page.js';
import * as service from './assets.service.js';

type Body = z.infer<typeof assetBody>;
const toInput = (b: Partial<Body>): Partial<service.AssetInput> => ({
  ...b,
  tag: b.tag,
  categoryId: b.categoryId ? Number(b.categoryId) : undefined,
  manufacturerId: optionalId(b.manufacturerId),
  conditionId: optionalId(b.conditionId),
  locationId: optionalId(b.locationId),
  parentId: optionalId(b.parentId),
  departmentId: optionalId(b.departmentId),
  vendorId: optionalId(b.vendorId),
});

export const assetsRoutes: ModulePlugin = async (app, { deps }) => {
  app.get('/api/v1/assets', {
    config: { access: 'assets.view' },
    schema: {
      tags: ['assets'],
      summary: 'The asset list: q (tag, name, serial, model), status, categoryId, locationId (with everything below), assignedToId; newest first, keyset pages',
      querystring: assetListQuery,
      response: { 200: assetList },
    },
    handler: (req) => {
      const { limit, cursor, ...filters } = req.query;
      return page.listAssets(ctxOf(deps, req), filters, { limit, cursor });
    },
  });

  app.post('/api/v1/assets', {
    config: { access: 'assets.manage' },
    schema: { tags: ['assets'], summary: 'Register an asset (tag generated when omitted; 409 duplicate tag)', body: assetBody, response: { 201: assetAnswer } },
    handler: async (req, reply) => reply.code(201).send(wrap('asset', await service.createAsset(ctxOf(deps, req), toInput(req.body) as service.AssetInput))),
  });

  app.get('/api/v1/assets/:id', {
    config: { access: 'assets.view' },
    schema: { tags: ['assets'], summary: 'An asset with its parts, the tickets you may see and what you may do', params: idParam, response: { 200: assetPageAnswer } },
    handler: async (req) => wrap('asset', await page.getAsset(ctxOf(deps, req), toId(req.params.id))),
  });

  app.patch('/api/v1/assets/:id', {
    config: { access: 'assets.manage' },
    schema: { tags: ['assets'], summary: 'Edit an asset; optional If-Match with its version (409 stale_version)', params: idParam, body: assetBody.partial(), response: { 200: assetAnswer } },
    handler: async (req) =>
      wrap('asset', await service.updateAsset(ctxOf(deps, req), toId(req.params.id), versionFrom(req.headers['if-match'], false), toInput(req.body))),
  });

  app.get('/api/v1/assets/:id/history', {
    config: { access: 'assets.view' },
    schema: { tags: ['assets'], summary: "The asset's audit trail: who, when, before → after", params: idParam, querystring: listQuery, response: { 200: assetHistory } },
    handler: (req) => service.listHistory(ctxOf(deps, req), toId(req.params.id), req.query),
  });

  app.post('/api/v1/assets/:id/checkout', {
    config: { access: 'assets.manage' },
    schema: {
      tags: ['assets'],
      summary: 'Check out to an active user (422 already_checked_out); status becomes in_use',
      params: idParam,
      body: checkoutBody,
      response: { 200: assetAnswer },
    },
    handler: async (req) =>
      wrap('asset', await service.checkout(ctxOf(deps, req), toId(req.params.id), { userId: Number(req.body.userId), expectedReturn: req.body.expectedReturn })),
  });

  app.post('/api/v1/assets/:id/checkin', {
    config: { access: 'assets.manage' },
    schema: { tags: ['assets'], summary: 'Check in (422 not_checked_out); status becomes in_stock', params: idParam, body: checkinBody, response: { 200: assetAnswer } },
    handler: async (req) => wrap('asset', await service.checkin(ctxOf(deps, req), toId(req.params.id), { note: req.body.note })),
  });

  app.post('/api/v1/assets/:id/public-token', {
    config: { access: 'assets.manage' },
    schema: { tags: ['assets'], summary: 'A new public report link; the old one stops working', params: idParam, response: { 200: assetAnswer } },
    handler: async (req) => wrap('asset', await service.regeneratePublicToken(ctxOf(deps, req), toId(req.params.id))),
  });

  app.post('/api/v1/assets/:id/tickets', {
    config: { access: 'assets.manage' },
    schema: { tags: ['assets'], summary: 'Link a ticket you may see to this asset', params: idParam, body: linkTicketBody, response: { 200: assetPageAnswer } },
    handler: async (req) => wrap('asset', await page.setTicketLink(ctxOf(deps, req), toId(req.params.id), req.body.number, true)),
  });

  app.delete('/api/v1/assets/:id/tickets/:number', {
    config: { access: 'assets.manage' },
    schema: { tags: ['assets'], summary: 'Unlink a ticket from this asset', params: assetTicketParams, response: { 200: assetPageAnswer } },
    handler: async (req) => wrap('asset', await page.setTicketLink(ctxOf(deps, req), toId(req.params.id), req.params.number, false)),
  });

  app.post('/api/v1/assets/:id/files', {
    config: { access: 'assets.manage' },
    schema: { tags: ['assets'], summary: 'Add a photo or document (multipart field `file`); typed from its bytes, active content refused (415)', consumes: ['multipart/form-data'], params: idParam, response: { 201: assetFileAnswer } },
    handler: async (req, reply) => reply.code(201).send({ file: await files.uploadFile(ctxOf(deps, req), toId(req.params.id), () => partsOf(req)) }),
  });

  app.get('/api/v1/assets/:id/files', {
    config: { access: 'assets.view' },
    schema: { tags: ['assets'], summary: "An asset's photos and documents, oldest first (paginated)", params: idParam, querystring: listQuery, response: { 200: assetFileList } },
    handler: (req) => files.listFiles(ctxOf(deps, req), toId(req.params.id), req.query),
  });

  app.get('/api/v1/asset-files/:id', {
    config: { access: 'assets.view' },
    schema: { tags: ['assets'], summary: 'Download an asset file', params: idParam },
    handler: async (req, reply) => {
      const file = await files.openFile(ctxOf(deps, req), toId(req.params.id));
      return reply
        .header('content-type', file.contentType.startsWith('text/') ? `${file.contentType}; charset=utf-8` : file.contentType)
        .header('content-length', String(file.size))
        .header('content-disposition', contentDisposition(file.name, file.contentType))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-cache')
        .header('content-security-policy', "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox")
        .send(file.stream);
    },
  });

  app.delete('/api/v1/asset-files/:id', {
    config: { access: 'assets.manage' },
    schema: { tags: ['assets'], summary: 'Remove an asset file (kept in the audit log)', params: idParam, response: { 204: z.null() } },
    handler: async (req, reply) => {
      await files.deleteFile(ctxOf(deps, req), toId(req.params.id));
      return reply.code(204).send(null);
    },
  });
};
