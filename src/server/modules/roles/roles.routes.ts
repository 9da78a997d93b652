import { z } from 'zod';
import { isPermission, type Permission } from '../../../shared/permissions/index.js';
import { ctxOf, idParam, type ModulePlugin, name, toId, wrap, wrapped } from '../http.js';
import * as service from './roles.service.js';

const permission = z.string().refine(isPermission, 'is not a known permission') as unknown as z.ZodType<Permission>;
const roleDto = z.object({
  id: z.string(),
  name: z.string(),
  level: z.number(),
  permissions: z.array(z.string()),
  builtin: z.boolean(),
  userCount: z.number(),
  can: z.object({ update: z.boolean(), delete: z.boolean() }),
});
const roleBody = z.object({ name, level: z.number().int().min(0).max(1000), permissions: z.array(permission).max(200) });

export const rolesRoutes: ModulePlugin = async (app, { deps }) => {
  app.get('/api/v1/permissions', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['roles'],
      summary: 'The permission catalogue',
      response: { 200: z.object({ items: z.array(z.object({ key: z.string(), area: z.string(), label: z.string() })) }) },
    },
    handler: async () => service.permissionCatalogue(),
  });

  app.get('/api/v1/roles', {
    config: { access: 'users.view' },
    schema: { tags: ['roles'], summary: 'Roles of the company', response: { 200: z.object({ items: z.array(roleDto) }) } },
    handler: (req) => service.listRoles(ctxOf(deps, req)),
  });

  app.post('/api/v1/roles', {
    config: { access: 'roles.manage' },
    schema: { tags: ['roles'], summary: 'Create a custom role', body: roleBody, response: { 201: wrapped('role', roleDto) } },
    handler: async (req, reply) => reply.code(201).send(wrap('role', await service.createRole(ctxOf(deps, req), req.body))),
  });

  app.get('/api/v1/roles/:id', {
    config: { access: 'users.view' },
    schema: { tags: ['roles'], summary: 'One role', params: idParam, response: { 200: wrapped('role', roleDto) } },
    handler: async (req) => wrap('role', await service.getRole(ctxOf(deps, req), toId(req.params.id))),
  });

  app.patch('/api/v1/roles/:id', {
    config: { access: 'roles.manage' },
    schema: { tags: ['roles'], summary: 'Edit a role', params: idParam, body: roleBody.partial(), response: { 200: wrapped('role', roleDto) } },
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
