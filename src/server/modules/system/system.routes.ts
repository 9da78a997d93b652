// Health, readiness, metrics, the OpenAPI document and the instance's version.
import { liveAnswer, notReadyAnswer, readyAnswer, systemOverview, versionAnswer } from '../../../shared/contracts/system.js';
import { VERSION } from '../../version.js';
import { ctxOf, type ModulePlugin } from '../http.js';
import { deliveryCounts } from '../webhooks/webhooks.service.js';
import * as service from './system.service.js';

export const systemRoutes: ModulePlugin = async (app, { deps }) => {
  app.get('/healthz', {
    config: { access: 'public' },
    schema: { tags: ['system'], summary: 'Liveness', response: { 200: liveAnswer } },
    handler: async () => ({ status: 'ok' as const }),
  });

  app.get('/readyz', {
    config: { access: 'public' },
    schema: {
      tags: ['system'],
      summary: 'Ready when the database answers and every migration is applied',
      response: { 200: readyAnswer, 503: notReadyAnswer },
    },
    // Only the database decides (API.md); the listener, workers, broker and mail are details: without
    // them some work pauses, but requests are served, so a load balancer should keep sending them.
    handler: async (_req, reply) => {
      const listener = deps.database.listenerStatus().state;
      const { ready, reason, checks } = await service.readiness(deps);
      if (!ready) return reply.code(503).send({ status: 'unavailable', reason: reason ?? 'not ready', listener, checks });
      return { status: 'ready' as const, listener, checks };
    },
  });

  app.get('/metrics', {
    config: { access: 'public' },
    schema: { tags: ['system'], summary: 'Prometheus metrics', hide: true },
    handler: async (_req, reply) => {
      app.metrics.liveConnections.set(deps.hub.connectionCount);
      app.metrics.observeListener(deps.database.listenerStatus());
      app.metrics.observeInstance({
        queues: await service.queueDepths(deps).catch(() => []),
        jobs: deps.jobs.stats(),
        mail: deps.mailer.deliveries,
        webhooks: deliveryCounts,
        ingest: service.localIngest(deps),
      });
      reply.header('content-type', app.metrics.registry.contentType);
      return app.metrics.registry.metrics();
    },
  });

  app.get('/api/v1/openapi.json', {
    config: { access: 'public' },
    schema: { hide: true },
    handler: async () => app.swagger(),
  });

  app.get('/api/v1/admin/system', {
    config: { access: 'superadmin' },
    schema: {
      tags: ['system'],
      summary: "The instance's version, processes (web, worker) with their heartbeats, job queues and dependency checks",
      response: { 200: systemOverview },
    },
    handler: (req) => service.overview(ctxOf(deps, req)),
  });

  app.get('/api/v1/system', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['system'],
      summary: 'Version and database of this instance',
      response: { 200: versionAnswer },
    },
    handler: async () => ({ version: VERSION, database: deps.database.kind, mailDelivery: deps.mailer.delivering }),
  });
};
