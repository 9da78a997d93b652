import { z } from 'zod';
import { ctxOf, idParam, type ModulePlugin, name, toId, wrap, wrapped } from '../http.js';
import * as service from './projects.service.js';

const projectDto = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  status: z.enum(service.PROJECT_STATUSES),
  tickets: z.object({ open: z.number(), all: z.number() }),
  createdAt: z.string(),
  updatedAt: z.string(),
  can: z.object({ update: z.boolean() }),
});
const projectBody = z.object({
  name,
  description: z.string().max(10_000).nullish(),
  status: z.enum(service.PROJECT_STATUSES).default('active'),
});
const statusFilter = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(z.enum(service.PROJECT_STATUSES)).max(3));

export const projectsRoutes: ModulePlugin = async (app, { deps }) => {
  app.get('/api/v1/projects', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['projects'],
      summary: 'Projects with their open and all ticket counts; their tickets: GET /api/v1/tickets?projectId=',
      querystring: z.object({ status: statusFilter.optional() }),
      response: { 200: z.object({ items: z.array(projectDto) }) },
    },
    handler: (req) => service.listProjects(ctxOf(deps, req), { status: req.query.status }),
  });

  app.post('/api/v1/projects', {
    config: { access: 'projects.manage' },
    schema: { tags: ['projects'], summary: 'Create a project', body: projectBody, response: { 201: wrapped('project', projectDto) } },
    handler: async (req, reply) => reply.code(201).send(wrap('project', await service.createProject(ctxOf(deps, req), req.body))),
  });

  app.get('/api/v1/projects/:id', {
    config: { access: 'authenticated' },
    schema: { tags: ['projects'], summary: 'One project with its ticket counts', params: idParam, response: { 200: wrapped('project', projectDto) } },
    handler: async (req) => wrap('project', await service.getProject(ctxOf(deps, req), toId(req.params.id))),
  });

  app.patch('/api/v1/projects/:id', {
    config: { access: 'projects.manage' },
    schema: {
      tags: ['projects'],
      summary: 'Rename a project, describe it or change its status',
      params: idParam,
      body: z.object({ name: name.optional(), description: z.string().max(10_000).nullish(), status: z.enum(service.PROJECT_STATUSES).optional() }),
      response: { 200: wrapped('project', projectDto) },
    },
    handler: async (req) => wrap('project', await service.updateProject(ctxOf(deps, req), toId(req.params.id), req.body)),
  });
};
