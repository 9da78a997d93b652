// Outgoing webhooks over HTTP (API.md "Data and integrations"): endpoints, secret rotation, the
// delivery log and manual retry. Company admins only (webhooks.manage).
import { z } from 'zod';
import * as c from '../../../shared/contracts/webhooks.js';
import { ctxOf, type ModulePlugin, toId, wrap, wrapped } from '../http.js';
import * as service from './webhooks.service.js';

const tags = ['webhooks'];
const access = 'webhooks.manage' as const;

export const webhooksRoutes: ModulePlugin = async (app, { deps }) => {
  service.registerWebhooks(deps);
  app.get('/api/v1/webhooks', {
    config: { access },
    schema: {
      tags,
      summary: 'Webhooks, newest first, each with its last delivery',
      querystring: c.webhookListQuery,
      response: { 200: c.webhookList },
    },
    handler: (req) => service.listWebhooks(ctxOf(deps, req), req.query),
  });
  app.post('/api/v1/webhooks', {
    config: { access },
    schema: {
      tags,
      summary: 'Add a webhook: its signing secret (whsec_…) is shown this once',
      description:
        'A URL on a loopback, link-local, private or otherwise non-public address is refused with 422 url_not_allowed (unless WEBHOOK_ALLOW_PRIVATE=true); delivery checks the resolved address again.',
      body: c.webhookBody,
      response: { 201: c.webhookWithSecret },
    },
    handler: async (req, reply) => reply.code(201).send(await service.createWebhook(ctxOf(deps, req), req.body)),
  });
  app.get('/api/v1/webhooks/:id', {
    config: { access },
    schema: {
      tags,
      summary: 'One webhook (never its secret)',
      params: c.webhookIdParams,
      response: { 200: wrapped('webhook', c.webhook) },
    },
    handler: async (req) => wrap('webhook', await service.getWebhook(ctxOf(deps, req), toId(req.params.id))),
  });
  app.patch('/api/v1/webhooks/:id', {
    config: { access },
    schema: {
      tags,
      summary: 'Change the URL, the events, or (de)activate',
      params: c.webhookIdParams,
      body: c.webhookPatch,
      response: { 200: wrapped('webhook', c.webhook) },
    },
    handler: async (req) => wrap('webhook', await service.updateWebhook(ctxOf(deps, req), toId(req.params.id), req.body)),
  });
  app.delete('/api/v1/webhooks/:id', {
    config: { access },
    schema: {
      tags,
      summary: 'Delete a webhook with its delivery log',
      params: c.webhookIdParams,
      response: { 204: z.null().describe('Deleted') },
    },
    handler: async (req, reply) => {
      await service.deleteWebhook(ctxOf(deps, req), toId(req.params.id));
      return reply.code(204).send(null);
    },
  });
  app.post('/api/v1/webhooks/:id/rotate-secret', {
    config: { access },
    schema: {
      tags,
      summary: 'A new secret (shown this once); the old one keeps signing beside it for 24 hours',
      params: c.webhookIdParams,
      response: { 200: c.webhookWithSecret },
    },
    handler: (req) => service.rotateSecret(ctxOf(deps, req), toId(req.params.id)),
  });
  app.get('/api/v1/webhooks/:id/deliveries', {
    config: { access },
    schema: {
      tags,
      summary: 'The delivery log, newest first (keyset pages); ?status= filters',
      params: c.webhookIdParams,
      querystring: c.deliveryListQuery,
      response: { 200: c.deliveryList },
    },
    handler: (req) => service.listDeliveries(ctxOf(deps, req), toId(req.params.id), req.query),
  });
  app.post('/api/v1/webhooks/:id/deliveries/:deliveryId/retry', {
    config: { access },
    schema: {
      tags,
      summary: 'Send a delivery again now; a failure retries on the usual schedule',
      params: c.deliveryParams,
      response: { 202: z.object({ delivery: c.delivery }) },
    },
    handler: async (req, reply) =>
      reply.code(202).send(await service.retryDelivery(ctxOf(deps, req), toId(req.params.id), toId(req.params.deliveryId))),
  });
};
