import { z } from 'zod';
import { ctxOf, idParam, type ModulePlugin, name, toId, wrap, wrapped } from '../http.js';
import * as service from './saved-views.service.js';

/** The ticket list's query parameters, as the list takes them (`status=open,in_progress` or an array). */
const filters = z.record(z.string().max(40), z.union([z.string().max(500), z.array(z.string().max(100)).max(50)]));
const viewDto = z.object({ id: z.string(), name: z.string(), filters, createdAt: z.string() });

export const savedViewsRoutes: ModulePlugin = async (app, { deps }) => {
  app.get('/api/v1/saved-views', {
    config: { access: 'authenticated' },
    schema: { tags: ['tickets'], summary: 'Your saved ticket list views', response: { 200: z.object({ items: z.array(viewDto) }) } },
    handler: (req) => service.listViews(ctxOf(deps, req)),
  });

  app.post('/api/v1/saved-views', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['tickets'],
      summary: 'Save the ticket list filters under a name (only you see it)',
      body: z.object({ name, filters: filters.default({}) }),
      response: { 201: wrapped('view', viewDto) },
    },
    handler: async (req, reply) => reply.code(201).send(wrap('view', await service.createView(ctxOf(deps, req), req.body))),
  });

  app.patch('/api/v1/saved-views/:id', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['tickets'],
      summary: 'Rename one of your views or change its filters',
      params: idParam,
      body: z.object({ name: name.optional(), filters: filters.optional() }),
      response: { 200: wrapped('view', viewDto) },
    },
    handler: async (req) => wrap('view', await service.updateView(ctxOf(deps, req), toId(req.params.id), req.body)),
  });

  app.delete('/api/v1/saved-views/:id', {
    config: { access: 'authenticated' },
    schema: { tags: ['tickets'], summary: 'Delete one of your views', params: idParam, response: { 204: z.null() } },
    handler: async (req, reply) => {
      await service.deleteView(ctxOf(deps, req), toId(req.params.id));
      return reply.code(204).send(null);
    },
  });
};
