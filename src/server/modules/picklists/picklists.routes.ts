import { z } from 'zod';
import { PICKLISTS, type PicklistName } from '../../db/schema/index.js';
import { notFound } from '../../platform/errors.js';
import { ctxOf, idString, type ModulePlugin, name, optionalId, toId, wrap, wrapped } from '../http.js';
import * as service from './picklists.service.js';

const customField = z.object({
  key: z.string().trim().regex(/^[a-z][a-z0-9_]{0,39}$/, 'lower-case letters, digits and underscores'),
  label: z.string().trim().min(1).max(100),
  type: z.enum(['text', 'number', 'date', 'choice']),
  options: z.array(z.string().trim().min(1).max(100)).max(100).optional(),
  required: z.boolean().optional(),
});
const itemDto = z.object({
  id: z.string(),
  list: z.enum(PICKLISTS),
  name: z.string(),
  customFields: z.array(customField),
  ticketCategoryId: z.string().nullable(),
  can: z.object({ update: z.boolean(), delete: z.boolean() }),
});
const itemBody = z.object({ name, customFields: z.array(customField).max(50).optional(), ticketCategoryId: idString.nullish() });
// An unknown list is a missing resource (404), like an unknown id.
const listParam = z.object({ list: z.string().max(40).describe(PICKLISTS.join(' | ')) });
const listOf = (list: string): PicklistName => {
  if (!(PICKLISTS as readonly string[]).includes(list)) throw notFound('Picklist');
  return list as PicklistName;
};
const itemParam = listParam.extend({ id: idString });

export const picklistsRoutes: ModulePlugin = async (app, { deps }) => {
  app.get('/api/v1/picklists/:list', {
    config: { access: 'assets.view' },
    schema: { tags: ['assets'], summary: 'A picklist: categories, manufacturers or conditions', params: listParam, response: { 200: z.object({ items: z.array(itemDto) }) } },
    handler: (req) => service.listItems(ctxOf(deps, req), listOf(req.params.list)),
  });

  app.post('/api/v1/picklists/:list', {
    config: { access: 'assets.manage' },
    schema: {
      tags: ['assets'],
      summary: 'Add a value (customFields and ticketCategoryId only for categories); 409 duplicate',
      params: listParam,
      body: itemBody,
      response: { 201: wrapped('item', itemDto) },
    },
    handler: async (req, reply) =>
      reply
        .code(201)
        .send(wrap('item', await service.createItem(ctxOf(deps, req), listOf(req.params.list), { ...req.body, ticketCategoryId: optionalId(req.body.ticketCategoryId) }))),
  });

  app.patch('/api/v1/picklists/:list/:id', {
    config: { access: 'assets.manage' },
    schema: { tags: ['assets'], summary: 'Rename a value or change its custom fields', params: itemParam, body: itemBody.partial(), response: { 200: wrapped('item', itemDto) } },
    handler: async (req) =>
      wrap(
        'item',
        await service.updateItem(ctxOf(deps, req), listOf(req.params.list), toId(req.params.id), { ...req.body, ticketCategoryId: optionalId(req.body.ticketCategoryId) }),
      ),
  });

  app.delete('/api/v1/picklists/:list/:id', {
    config: { access: 'assets.manage' },
    schema: { tags: ['assets'], summary: 'Remove a value; 422 picklist_in_use while assets use it', params: itemParam, response: { 204: z.null() } },
    handler: async (req, reply) => {
      await service.deleteItem(ctxOf(deps, req), listOf(req.params.list), toId(req.params.id));
      return reply.code(204).send(null);
    },
  });
};
