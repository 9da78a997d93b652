import {
  categoryAnswer,
  categoryBody,
  categoryList,
  createTeamBody,
  teamAnswer,
  teamList,
  updateTeamBody,
} from '../../../shared/contracts/categories.js';
import { searchListQuery } from '../../../shared/contracts/common.js';
import { ctxOf, idParam, type ModulePlugin, optionalId, toId, wrap } from '../http.js';
import * as service from './categories.service.js';

export const categoriesRoutes: ModulePlugin = async (app, { deps }) => {
  app.get('/api/v1/categories', {
    config: { access: 'authenticated' },
    schema: { tags: ['tickets'], summary: 'Ticket categories and their approval routes, by name; `q` searches the name', querystring: searchListQuery, response: { 200: categoryList } },
    handler: (req) => service.listCategories(ctxOf(deps, req), req.query),
  });

  app.post('/api/v1/categories', {
    config: { access: 'categories.manage' },
    schema: { tags: ['tickets'], summary: 'Create a category: direct, or an ordered approval chain', body: categoryBody, response: { 201: categoryAnswer } },
    handler: async (req, reply) =>
      reply.code(201).send(wrap('category', await service.createCategory(ctxOf(deps, req), { ...req.body, defaultTeamId: optionalId(req.body.defaultTeamId) }))),
  });

  app.patch('/api/v1/categories/:id', {
    config: { access: 'categories.manage' },
    schema: { tags: ['tickets'], summary: 'Edit a category and its route', params: idParam, body: categoryBody.partial(), response: { 200: categoryAnswer } },
    handler: async (req) =>
      wrap('category', await service.updateCategory(ctxOf(deps, req), toId(req.params.id), { ...req.body, defaultTeamId: optionalId(req.body.defaultTeamId) })),
  });

  app.get('/api/v1/teams', {
    config: { access: 'authenticated' },
    schema: { tags: ['tickets'], summary: 'Teams and their members, by name; `q` searches the name', querystring: searchListQuery, response: { 200: teamList } },
    handler: (req) => service.listTeams(ctxOf(deps, req), req.query),
  });

  app.post('/api/v1/teams', {
    config: { access: 'categories.manage' },
    schema: { tags: ['tickets'], summary: 'Create a team', body: createTeamBody, response: { 201: teamAnswer } },
    handler: async (req, reply) =>
      reply.code(201).send(wrap('team', await service.createTeam(ctxOf(deps, req), { name: req.body.name, memberIds: req.body.memberIds.map(Number) }))),
  });

  app.patch('/api/v1/teams/:id', {
    config: { access: 'categories.manage' },
    schema: { tags: ['tickets'], summary: 'Rename a team or change its members', params: idParam, body: updateTeamBody, response: { 200: teamAnswer } },
    handler: async (req) =>
      wrap('team', await service.updateTeam(ctxOf(deps, req), toId(req.params.id), { name: req.body.name, memberIds: req.body.memberIds?.map(Number) })),
  });
};
