import { z } from 'zod';
import { quickLinkAnswer, quickLinkBody, quickLinkList, quickLinkQuery } from '../../../shared/contracts/quick-links.js';
import { ctxOf, idParam, type ModulePlugin, optionalId, toId, wrap } from '../http.js';
import * as service from './quick-links.service.js';

export const quickLinksRoutes: ModulePlugin = async (app, { deps }) => {
  app.get('/api/v1/quick-links', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['quick-links'],
      summary: "The links on one's dashboard (pinned for everyone or one's role); `audience=all` lists every link (settings.manage)",
      querystring: quickLinkQuery,
      response: { 200: quickLinkList },
    },
    handler: (req) => service.listQuickLinks(ctxOf(deps, req), req.query.audience),
  });

  app.post('/api/v1/quick-links', {
    config: { access: 'settings.manage' },
    schema: { tags: ['quick-links'], summary: 'Pin a link for everyone (no roleId) or one role', body: quickLinkBody, response: { 201: quickLinkAnswer } },
    handler: async (req, reply) =>
      reply.code(201).send(wrap('quickLink', await service.createQuickLink(ctxOf(deps, req), { ...req.body, roleId: optionalId(req.body.roleId) }))),
  });

  app.patch('/api/v1/quick-links/:id', {
    config: { access: 'settings.manage' },
    schema: { tags: ['quick-links'], summary: 'Change a quick link', params: idParam, body: quickLinkBody.partial(), response: { 200: quickLinkAnswer } },
    handler: async (req) =>
      wrap('quickLink', await service.updateQuickLink(ctxOf(deps, req), toId(req.params.id), { ...req.body, roleId: optionalId(req.body.roleId) })),
  });

  app.delete('/api/v1/quick-links/:id', {
    config: { access: 'settings.manage' },
    schema: { tags: ['quick-links'], summary: 'Unpin a quick link', params: idParam, response: { 204: z.null() } },
    handler: async (req, reply) => {
      await service.deleteQuickLink(ctxOf(deps, req), toId(req.params.id));
      return reply.code(204).send(null);
    },
  });
};
