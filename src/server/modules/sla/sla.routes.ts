import { listQuery } from '../../../shared/contracts/common.js';
import { slaPolicyAnswer, slaPolicyBody, slaPolicyList, slaPolicyPatch } from '../../../shared/contracts/sla.js';
import { ctxOf, idParam, type ModulePlugin, toId, wrap } from '../http.js';
import * as service from './sla.service.js';

export const slaRoutes: ModulePlugin = async (app, { deps }) => {
  app.get('/api/v1/sla-policies', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['sla'],
      summary: 'SLA policies in the order they are tried (the first enabled match applies)',
      querystring: listQuery,
      response: { 200: slaPolicyList },
    },
    handler: (req) => service.listPolicies(ctxOf(deps, req), req.query),
  });

  app.get('/api/v1/sla-policies/:id', {
    config: { access: 'authenticated' },
    schema: { tags: ['sla'], summary: 'One SLA policy', params: idParam, response: { 200: slaPolicyAnswer } },
    handler: async (req) => wrap('policy', await service.getPolicy(ctxOf(deps, req), toId(req.params.id))),
  });

  app.post('/api/v1/sla-policies', {
    config: { access: 'settings.manage' },
    schema: {
      tags: ['sla'],
      summary: 'Create an SLA policy: match, per-priority targets in business minutes, warning lead',
      body: slaPolicyBody,
      response: { 201: slaPolicyAnswer },
    },
    handler: async (req, reply) => reply.code(201).send(wrap('policy', await service.createPolicy(ctxOf(deps, req), req.body))),
  });

  app.patch('/api/v1/sla-policies/:id', {
    config: { access: 'settings.manage' },
    schema: {
      tags: ['sla'],
      summary: 'Edit an SLA policy or move it (position)',
      params: idParam,
      body: slaPolicyPatch,
      response: { 200: slaPolicyAnswer },
    },
    handler: async (req) => wrap('policy', await service.updatePolicy(ctxOf(deps, req), toId(req.params.id), req.body)),
  });

  app.delete('/api/v1/sla-policies/:id', {
    config: { access: 'settings.manage' },
    schema: { tags: ['sla'], summary: 'Delete an SLA policy (its tickets lose their SLA clock)', params: idParam },
    handler: async (req, reply) => {
      await service.deletePolicy(ctxOf(deps, req), toId(req.params.id));
      return reply.code(204).send();
    },
  });
};
