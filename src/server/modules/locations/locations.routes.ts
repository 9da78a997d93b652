import { z } from 'zod';
import { searchListQuery } from '../../../shared/contracts/common.js';
import { locationAnswer, locationBody, locationDetailAnswer, locationList } from '../../../shared/contracts/locations.js';
import { ctxOf, idParam, type ModulePlugin, optionalId, toId, wrap } from '../http.js';
import * as service from './locations.service.js';

export const locationsRoutes: ModulePlugin = async (app, { deps }) => {
  app.get('/api/v1/locations', {
    config: { access: 'assets.view' },
    schema: {
      tags: ['assets'],
      summary:
        'The location tree, flat (parentId, path, depth) in tree order (each location after its parent, siblings by name), with asset counts including sub-locations; `q` searches the names',
      querystring: searchListQuery,
      response: { 200: locationList },
    },
    handler: (req) => service.listLocations(ctxOf(deps, req), req.query),
  });

  app.post('/api/v1/locations', {
    config: { access: 'assets.manage' },
    schema: { tags: ['assets'], summary: 'Add a location (a root, or below parentId)', body: locationBody, response: { 201: locationAnswer } },
    handler: async (req, reply) =>
      reply.code(201).send(wrap('location', await service.createLocation(ctxOf(deps, req), { name: req.body.name, parentId: optionalId(req.body.parentId) }))),
  });

  app.get('/api/v1/locations/:id', {
    config: { access: 'assets.view' },
    schema: { tags: ['assets'], summary: 'A location with its ancestors (breadcrumb), children and roll-up counts', params: idParam, response: { 200: locationDetailAnswer } },
    handler: async (req) => wrap('location', await service.getLocation(ctxOf(deps, req), toId(req.params.id))),
  });

  app.patch('/api/v1/locations/:id', {
    config: { access: 'assets.manage' },
    schema: { tags: ['assets'], summary: 'Rename, or move below another parent (422 location_cycle)', params: idParam, body: locationBody.partial(), response: { 200: locationDetailAnswer } },
    handler: async (req) => wrap('location', await service.updateLocation(ctxOf(deps, req), toId(req.params.id), { name: req.body.name, parentId: optionalId(req.body.parentId) })),
  });

  app.delete('/api/v1/locations/:id', {
    config: { access: 'assets.manage' },
    schema: { tags: ['assets'], summary: 'Remove a location; 422 location_in_use while it has sub-locations, assets or stock', params: idParam, response: { 204: z.null() } },
    handler: async (req, reply) => {
      await service.deleteLocation(ctxOf(deps, req), toId(req.params.id));
      return reply.code(204).send(null);
    },
  });
};
