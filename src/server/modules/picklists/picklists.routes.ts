import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { searchListQuery } from '../../../shared/contracts/common.js';
import { PICKLISTS, type PicklistName } from '../../../shared/contracts/enums.js';
import { picklistItemAnswer, picklistItemBody, picklistItemList, picklistItemParam, picklistParam } from '../../../shared/contracts/picklists.js';
import type { Permission } from '../../../shared/permissions/index.js';
import { checkAccess } from '../../platform/auth.js';
import { notFound } from '../../platform/errors.js';
import { ctxOf, type ModulePlugin, optionalId, toId, wrap } from '../http.js';
import * as service from './picklists.service.js';

const listOf = (list: string): PicklistName => {
  if (!(PICKLISTS as readonly string[]).includes(list)) throw notFound('Picklist');
  return list as PicklistName;
};

/**
 * The asset lists need assets.view / assets.manage; the document categories documents.view /
 * documents.manage (checked here, so the route declares only that the caller is signed in).
 */
function allowed(req: FastifyRequest, list: string, mode: 'view' | 'manage'): PicklistName {
  const name = listOf(list);
  const need: Permission = name === 'document_categories' ? `documents.${mode}` : `assets.${mode}`;
  checkAccess(req.actor, need);
  return name;
}
export const picklistsRoutes: ModulePlugin = async (app, { deps }) => {
  app.get('/api/v1/picklists/:list', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['assets'],
      summary: 'A picklist by name: categories, manufacturers, conditions (assets.view) or document_categories (documents.view); `q` searches the name',
      params: picklistParam,
      querystring: searchListQuery,
      response: { 200: picklistItemList },
    },
    handler: (req) => service.listItems(ctxOf(deps, req), allowed(req, req.params.list, 'view'), req.query),
  });

  app.post('/api/v1/picklists/:list', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['assets'],
      summary: 'Add a value (assets.manage; documents.manage for document_categories; customFields and ticketCategoryId only for categories); 409 duplicate',
      params: picklistParam,
      body: picklistItemBody,
      response: { 201: picklistItemAnswer },
    },
    handler: async (req, reply) =>
      reply
        .code(201)
        .send(wrap('item', await service.createItem(ctxOf(deps, req), allowed(req, req.params.list, 'manage'), { ...req.body, ticketCategoryId: optionalId(req.body.ticketCategoryId) }))),
  });

  app.patch('/api/v1/picklists/:list/:id', {
    config: { access: 'authenticated' },
    schema: { tags: ['assets'], summary: 'Rename a value or change its custom fields', params: picklistItemParam, body: picklistItemBody.partial(), response: { 200: picklistItemAnswer } },
    handler: async (req) =>
      wrap(
        'item',
        await service.updateItem(ctxOf(deps, req), allowed(req, req.params.list, 'manage'), toId(req.params.id), { ...req.body, ticketCategoryId: optionalId(req.body.ticketCategoryId) }),
      ),
  });

  app.delete('/api/v1/picklists/:list/:id', {
    config: { access: 'authenticated' },
    schema: { tags: ['assets'], summary: 'Remove a value; 422 picklist_in_use while assets use it', params: picklistItemParam, response: { 204: z.null() } },
    handler: async (req, reply) => {
      await service.deleteItem(ctxOf(deps, req), allowed(req, req.params.list, 'manage'), toId(req.params.id));
      return reply.code(204).send(null);
    },
  });
};
