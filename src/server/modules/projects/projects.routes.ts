import { createProjectBody, projectAnswer, projectList, projectListQuery, updateProjectBody } from '../../../shared/contracts/projects.js';
import { ctxOf, idParam, type ModulePlugin, toId, wrap } from '../http.js';
import * as service from './projects.service.js';

export const projectsRoutes: ModulePlugin = async (app, { deps }) => {
  app.get('/api/v1/projects', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['projects'],
      summary: 'Projects with their open and all ticket counts; their tickets: GET /api/v1/tickets?projectId=',
      querystring: projectListQuery,
      response: { 200: projectList },
    },
    handler: (req) => service.listProjects(ctxOf(deps, req), { status: req.query.status }),
  });

  app.post('/api/v1/projects', {
    config: { access: 'projects.manage' },
    schema: { tags: ['projects'], summary: 'Create a project', body: createProjectBody, response: { 201: projectAnswer } },
    handler: async (req, reply) => reply.code(201).send(wrap('project', await service.createProject(ctxOf(deps, req), req.body))),
  });

  app.get('/api/v1/projects/:id', {
    config: { access: 'authenticated' },
    schema: { tags: ['projects'], summary: 'One project with its ticket counts', params: idParam, response: { 200: projectAnswer } },
    handler: async (req) => wrap('project', await service.getProject(ctxOf(deps, req), toId(req.params.id))),
  });

  app.patch('/api/v1/projects/:id', {
    config: { access: 'projects.manage' },
    schema: {
      tags: ['projects'],
      summary: 'Rename a project, describe it or change its status',
      params: idParam,
      body: updateProjectBody,
      response: { 200: projectAnswer },
    },
    handler: async (req) => wrap('project', await service.updateProject(ctxOf(deps, req), toId(req.params.id), req.body)),
  });
};
