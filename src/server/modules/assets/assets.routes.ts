import { z } from 'zod';
import { ASSET_STATUSES } from '../../db/schema/index.js';
import { contentDisposition } from '../attachments/attachments.sniff.js';
import { partsOf } from '../attachments/attachments.routes.js';
import { ctxOf, idParam, idString, listQuery, type ModulePlugin, optionalId, toId, wrap, wrapped } from '../http.js';
import { versionFrom } from '../tickets/tickets.routes.js';
import { assetDto } from './assets.dto.js';
import { isDate } from './assets.fields.js';
import * as files from './assets.files.js';
import { assetFilters } from './assets.list.js';
import * as page from './assets.page.js';
import * as service from './assets.service.js';

const day = z.string().refine(isDate, 'must be a date (YYYY-MM-DD)');
const text = (max: number) => z.string().trim().max(max);
const assetBody = z.object({
  tag: z.string().trim().min(1).max(60).regex(/^[^\s/?#]+( [^\s/?#]+)*$/, 'letters, digits and punctuation (no / ? #)').optional(),
  name: z.string().trim().min(1, 'is required').max(200),
  categoryId: idString,
  manufacturerId: idString.nullish(),
  model: text(200).nullish(),
  serial: text(200).nullish(),
  status: z.enum(ASSET_STATUSES).optional(),
  conditionId: idString.nullish(),
  locationId: idString.nullish(),
  parentId: idString.nullish(),
  departmentId: idString.nullish(),
  vendorId: idString.nullish(),
  purchaseDate: day.nullish(),
  purchaseCost: z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/).transform(Number)]).pipe(z.number().min(0).max(999_999_999_999)).nullish(),
  warrantyEnd: day.nullish(),
  specifications: text(20_000).nullish(),
  customFields: z.record(z.string().max(60), z.union([z.string().max(2000), z.number(), z.null()])).optional(),
});
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

const can = z.object({ update: z.boolean(), checkout: z.boolean(), checkin: z.boolean(), manageFiles: z.boolean(), linkTickets: z.boolean(), regeneratePublicLink: z.boolean() });
const pageDto = assetDto.extend({
  children: z.array(z.object({ id: z.string(), tag: z.string(), name: z.string() })),
  tickets: z.array(z.object({ number: z.number(), title: z.string(), kind: z.string(), status: z.string() })),
  can,
});
const historyDto = z.object({
  id: z.string(),
  event: z.string(),
  at: z.string(),
  actor: z.object({ id: z.string().nullable(), name: z.string() }).nullable(),
  changes: z.array(
    z.object({
      field: z.string(),
      before: z.unknown(),
      after: z.unknown(),
      beforeLabel: z.string().nullable().describe('The name of what `before` refers to (a user, location...); null when not a reference'),
      afterLabel: z.string().nullable(),
    }),
  ),
});
const fileDto = z.object({
  id: z.string(),
  assetId: z.string(),
  name: z.string(),
  size: z.number(),
  contentType: z.string(),
  uploadedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  createdAt: z.string(),
});
const numberParam = idParam.extend({ number: z.coerce.number().int().min(1).max(2_000_000_000) });
const one = wrapped('asset', assetDto);

export const assetsRoutes: ModulePlugin = async (app, { deps }) => {
  app.get('/api/v1/assets', {
    config: { access: 'assets.view' },
    schema: {
      tags: ['assets'],
      summary: 'The asset list: q (tag, name, serial, model), status, categoryId, locationId (with everything below), assignedToId; newest first, keyset pages',
      querystring: assetFilters.extend(listQuery.shape),
      response: { 200: z.object({ items: z.array(assetDto), nextCursor: z.string().nullable() }) },
    },
    handler: (req) => {
      const { limit, cursor, ...filters } = req.query;
      return page.listAssets(ctxOf(deps, req), filters, { limit, cursor });
    },
  });

  app.post('/api/v1/assets', {
    config: { access: 'assets.manage' },
    schema: { tags: ['assets'], summary: 'Register an asset (tag generated when omitted; 409 duplicate tag)', body: assetBody, response: { 201: one } },
    handler: async (req, reply) => reply.code(201).send(wrap('asset', await service.createAsset(ctxOf(deps, req), toInput(req.body) as service.AssetInput))),
  });

  app.get('/api/v1/assets/:id', {
    config: { access: 'assets.view' },
    schema: { tags: ['assets'], summary: 'An asset with its parts, the tickets you may see and what you may do', params: idParam, response: { 200: wrapped('asset', pageDto) } },
    handler: async (req) => wrap('asset', await page.getAsset(ctxOf(deps, req), toId(req.params.id))),
  });

  app.patch('/api/v1/assets/:id', {
    config: { access: 'assets.manage' },
    schema: { tags: ['assets'], summary: 'Edit an asset; optional If-Match with its version (409 stale_version)', params: idParam, body: assetBody.partial(), response: { 200: one } },
    handler: async (req) =>
      wrap('asset', await service.updateAsset(ctxOf(deps, req), toId(req.params.id), versionFrom(req.headers['if-match'], false), toInput(req.body))),
  });

  app.get('/api/v1/assets/:id/history', {
    config: { access: 'assets.view' },
    schema: { tags: ['assets'], summary: "The asset's audit trail: who, when, before → after", params: idParam, response: { 200: z.object({ items: z.array(historyDto) }) } },
    handler: (req) => service.listHistory(ctxOf(deps, req), toId(req.params.id)),
  });

  app.post('/api/v1/assets/:id/checkout', {
    config: { access: 'assets.manage' },
    schema: {
      tags: ['assets'],
      summary: 'Check out to an active user (422 already_checked_out); status becomes in_use',
      params: idParam,
      body: z.object({ userId: idString, expectedReturn: day.nullish() }),
      response: { 200: one },
    },
    handler: async (req) =>
      wrap('asset', await service.checkout(ctxOf(deps, req), toId(req.params.id), { userId: Number(req.body.userId), expectedReturn: req.body.expectedReturn })),
  });

  app.post('/api/v1/assets/:id/checkin', {
    config: { access: 'assets.manage' },
    schema: { tags: ['assets'], summary: 'Check in (422 not_checked_out); status becomes in_stock', params: idParam, body: z.object({ note: text(2000).nullish() }), response: { 200: one } },
    handler: async (req) => wrap('asset', await service.checkin(ctxOf(deps, req), toId(req.params.id), { note: req.body.note })),
  });

  app.post('/api/v1/assets/:id/public-token', {
    config: { access: 'assets.manage' },
    schema: { tags: ['assets'], summary: 'A new public report link; the old one stops working', params: idParam, response: { 200: one } },
    handler: async (req) => wrap('asset', await service.regeneratePublicToken(ctxOf(deps, req), toId(req.params.id))),
  });

  app.post('/api/v1/assets/:id/tickets', {
    config: { access: 'assets.manage' },
    schema: { tags: ['assets'], summary: 'Link a ticket you may see to this asset', params: idParam, body: z.object({ number: z.coerce.number().int().min(1).max(2_000_000_000) }), response: { 200: wrapped('asset', pageDto) } },
    handler: async (req) => wrap('asset', await page.setTicketLink(ctxOf(deps, req), toId(req.params.id), req.body.number, true)),
  });

  app.delete('/api/v1/assets/:id/tickets/:number', {
    config: { access: 'assets.manage' },
    schema: { tags: ['assets'], summary: 'Unlink a ticket from this asset', params: numberParam, response: { 200: wrapped('asset', pageDto) } },
    handler: async (req) => wrap('asset', await page.setTicketLink(ctxOf(deps, req), toId(req.params.id), req.params.number, false)),
  });

  app.post('/api/v1/assets/:id/files', {
    config: { access: 'assets.manage' },
    schema: { tags: ['assets'], summary: 'Add a photo or document (multipart field `file`); typed from its bytes, active content refused (415)', consumes: ['multipart/form-data'], params: idParam, response: { 201: z.object({ file: fileDto }) } },
    handler: async (req, reply) => reply.code(201).send({ file: await files.uploadFile(ctxOf(deps, req), toId(req.params.id), () => partsOf(req)) }),
  });

  app.get('/api/v1/assets/:id/files', {
    config: { access: 'assets.view' },
    schema: { tags: ['assets'], summary: "An asset's photos and documents", params: idParam, response: { 200: z.object({ items: z.array(fileDto) }) } },
    handler: (req) => files.listFiles(ctxOf(deps, req), toId(req.params.id)),
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
