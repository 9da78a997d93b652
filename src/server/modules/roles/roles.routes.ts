import { z } from 'zod';
import { permissionCatalogue, roleAnswer, roleBody, roleList } from '../../../shared/contracts/roles.js';
import { ctxOf, idParam, type ModulePlugin, toId, wrap } from '../http.js';
import * as service from './roles.service.js';

export const rolesRoutes: ModulePlugin = async (app, { deps }) => {
  app.get('/api/v1/permissions', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['roles'],
      summary: 'The permission catalogue',
      response: { 200: permissionCatalogue },
    },
    handler: async () => service.permissionCatalogue(),
  });

  app.get('/api/v1/roles', {
    config: { access: 'users.view' },
    schema: { tags: ['roles'], summary: 'Roles of the company', response: { 200: roleList } },
    handler: (req) => service.listRoles(ctxOf(deps, req)),
  });

  app.post('/api/v1/roles', {
    config: { access: 'roles.manage' },
    schema: { tags: ['roles'], summary: 'Create a custom role', body: roleBody, response: { 201: roleAnswer } },
    handler: async (req, reply) => reply.code(201).send(wrap('role', await service.createRole(ctxOf(deps, req), req.body))),
  });

  app.get('/api/v1/roles/:id', {
    config: { access: 'users.view' },
    schema: { tags: ['roles'], summary: 'One role', params: idParam, response: { 200: roleAnswer } },
    handler: async (req) => wrap('role', await service.getRole(ctxOf(deps, req), toId(req.params.id))),
  });

  app.patch('/api/v1/roles/:id', {
    config: { access: 'roles.manage' },
    schema: { tags: ['roles'], summary: 'Edit a role', params: idParam, body: roleBody.partial(), response: { 200: roleAnswer } },
    handler: async (req) => wrap('role', await service.updateRole(ctxOf(deps, req), toId(req.params.id), req.body)),
  });

  app.delete('/api/v1/roles/:id', {
    config: { access: 'roles.manage' },
    schema: { tags: ['roles'], summary: 'Delete a custom role without users', params: idParam, response: { 204: z.null() } },
    handler: async (req, reply) => {
      await service.deleteRole(ctxOf(deps, req), toId(req.params.id));
      return reply.code(204).send(null);
    },
  });
};
