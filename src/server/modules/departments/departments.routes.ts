import { z } from 'zod';
import { departmentAnswer, departmentBody, departmentList } from '../../../shared/contracts/departments.js';
import { searchListQuery } from '../../../shared/contracts/common.js';
import { ctxOf, idParam, type ModulePlugin, optionalId, toId, wrap } from '../http.js';
import * as service from './departments.service.js';

export const departmentsRoutes: ModulePlugin = async (app, { deps }) => {
  app.get('/api/v1/departments', {
    config: { access: 'authenticated' },
    schema: { tags: ['departments'], summary: 'Departments and their heads, by name; `q` searches the name', querystring: searchListQuery, response: { 200: departmentList } },
    handler: (req) => service.listDepartments(ctxOf(deps, req), req.query),
  });

  app.post('/api/v1/departments', {
    config: { access: 'departments.manage' },
    schema: { tags: ['departments'], summary: 'Create a department', body: departmentBody, response: { 201: departmentAnswer } },
    handler: async (req, reply) =>
      reply.code(201).send(wrap('department', await service.createDepartment(ctxOf(deps, req), { name: req.body.name, headUserId: optionalId(req.body.headUserId) }))),
  });

  app.patch('/api/v1/departments/:id', {
    config: { access: 'departments.manage' },
    schema: { tags: ['departments'], summary: 'Rename a department or change its head', params: idParam, body: departmentBody.partial(), response: { 200: departmentAnswer } },
    handler: async (req) =>
      wrap('department', await service.updateDepartment(ctxOf(deps, req), toId(req.params.id), { name: req.body.name, headUserId: optionalId(req.body.headUserId) })),
  });

  app.delete('/api/v1/departments/:id', {
    config: { access: 'departments.manage' },
    schema: { tags: ['departments'], summary: 'Delete a department (its users keep working without one)', params: idParam, response: { 204: z.null() } },
    handler: async (req, reply) => {
      await service.deleteDepartment(ctxOf(deps, req), toId(req.params.id));
      return reply.code(204).send(null);
    },
  });
};
