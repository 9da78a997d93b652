import { z } from 'zod';
import { createSavedViewBody, savedViewAnswer, savedViewList, updateSavedViewBody } from '../../../shared/contracts/saved-views.js';
import { ctxOf, idParam, type ModulePlugin, toId, wrap } from '../http.js';
import * as service from './saved-views.service.js';

export const savedViewsRoutes: ModulePlugin = async (app, { deps }) => {
  app.get('/api/v1/saved-views', {
    config: { access: 'authenticated' },
    schema: { tags: ['tickets'], summary: 'Your saved ticket list views', response: { 200: savedViewList } },
    handler: (req) => service.listViews(ctxOf(deps, req)),
  });

  app.post('/api/v1/saved-views', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['tickets'],
      summary: 'Save the ticket list filters under a name (only you see it)',
      body: createSavedViewBody,
      response: { 201: savedViewAnswer },
    },
    handler: async (req, reply) => reply.code(201).send(wrap('view', await service.createView(ctxOf(deps, req), req.body))),
  });

  app.patch('/api/v1/saved-views/:id', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['tickets'],
      summary: 'Rename one of your views or change its filters',
      params: idParam,
      body: updateSavedViewBody,
      response: { 200: savedViewAnswer },
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
