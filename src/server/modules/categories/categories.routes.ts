import { z } from 'zod';
import { ctxOf, idParam, idString, type ModulePlugin, name, optionalId, toId, wrap, wrapped } from '../http.js';
import * as service from './categories.service.js';

const step = z.discriminatedUnion('type', [
  z.object({ type: z.literal('role'), roleId: idString }),
  z.object({ type: z.literal('user'), userId: idString }),
  z.object({ type: z.literal('department_head') }),
]);
const categoryDto = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  approvalSteps: z.array(step),
  defaultTeamId: z.string().nullable(),
  active: z.boolean(),
  can: z.object({ update: z.boolean() }),
});
const categoryBody = z.object({
  name,
  description: z.string().max(2000).nullish(),
  approvalSteps: z.array(step).max(10).default([]),
  defaultTeamId: idString.nullish(),
  active: z.boolean().optional(),
});
const teamDto = z.object({
  id: z.string(),
  name: z.string(),
  memberIds: z.array(z.string()),
  members: z.array(z.object({ id: z.string(), name: z.string() })),
  can: z.object({ update: z.boolean() }),
});

export const categoriesRoutes: ModulePlugin = async (app, { deps }) => {
  app.get('/api/v1/categories', {
    config: { access: 'authenticated' },
    schema: { tags: ['tickets'], summary: 'Ticket categories and their approval routes', response: { 200: z.object({ items: z.array(categoryDto) }) } },
    handler: (req) => service.listCategories(ctxOf(deps, req)),
  });

  app.post('/api/v1/categories', {
    config: { access: 'categories.manage' },
    schema: { tags: ['tickets'], summary: 'Create a category: direct, or an ordered approval chain', body: categoryBody, response: { 201: wrapped('category', categoryDto) } },
    handler: async (req, reply) =>
      reply.code(201).send(wrap('category', await service.createCategory(ctxOf(deps, req), { ...req.body, defaultTeamId: optionalId(req.body.defaultTeamId) }))),
  });

  app.patch('/api/v1/categories/:id', {
    config: { access: 'categories.manage' },
    schema: { tags: ['tickets'], summary: 'Edit a category and its route', params: idParam, body: categoryBody.partial(), response: { 200: wrapped('category', categoryDto) } },
    handler: async (req) =>
      wrap('category', await service.updateCategory(ctxOf(deps, req), toId(req.params.id), { ...req.body, defaultTeamId: optionalId(req.body.defaultTeamId) })),
  });

  app.get('/api/v1/teams', {
    config: { access: 'authenticated' },
    schema: { tags: ['tickets'], summary: 'Teams and their members', response: { 200: z.object({ items: z.array(teamDto) }) } },
    handler: (req) => service.listTeams(ctxOf(deps, req)),
  });

  app.post('/api/v1/teams', {
    config: { access: 'categories.manage' },
    schema: { tags: ['tickets'], summary: 'Create a team', body: z.object({ name, memberIds: z.array(idString).max(500).default([]) }), response: { 201: wrapped('team', teamDto) } },
    handler: async (req, reply) =>
      reply.code(201).send(wrap('team', await service.createTeam(ctxOf(deps, req), { name: req.body.name, memberIds: req.body.memberIds.map(Number) }))),
  });

  app.patch('/api/v1/teams/:id', {
    config: { access: 'categories.manage' },
    schema: { tags: ['tickets'], summary: 'Rename a team or change its members', params: idParam, body: z.object({ name: name.optional(), memberIds: z.array(idString).max(500).optional() }), response: { 200: wrapped('team', teamDto) } },
    handler: async (req) =>
      wrap('team', await service.updateTeam(ctxOf(deps, req), toId(req.params.id), { name: req.body.name, memberIds: req.body.memberIds?.map(Number) })),
  });
};
