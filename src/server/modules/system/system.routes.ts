// Health, readiness, metrics, the OpenAPI document and the instance's version.
import { liveAnswer, notReadyAnswer, readyAnswer, versionAnswer } from '../../../shared/contracts/system.js';
import { VERSION } from '../../version.js';
import type { ModulePlugin } from '../http.js';

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
    // The listener's state is a detail, not a condition: without it pushes between processes pause,
    // but requests are served, so a load balancer should keep sending them (GET /readyz in API.md).
    handler: async (_req, reply) => {
      const listener = deps.database.listenerStatus().state;
      try {
        const pending = await deps.database.migrationsPending();
        if (pending > 0) return reply.code(503).send({ status: 'unavailable', reason: `${pending} migration(s) pending`, listener });
        return { status: 'ready' as const, listener };
      } catch {
        return reply.code(503).send({ status: 'unavailable', reason: 'database unreachable', listener });
      }
    },
  });

  app.get('/metrics', {
    config: { access: 'public' },
    schema: { tags: ['system'], summary: 'Prometheus metrics', hide: true },
    handler: async (_req, reply) => {
      app.metrics.liveConnections.set(deps.hub.connectionCount);
      app.metrics.observeListener(deps.database.listenerStatus());
      reply.header('content-type', app.metrics.registry.contentType);
      return app.metrics.registry.metrics();
    },
  });

  app.get('/api/v1/openapi.json', {
    config: { access: 'public' },
    schema: { hide: true },
    handler: async () => app.swagger(),
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
