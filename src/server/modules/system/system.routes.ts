// Health, readiness, metrics, the OpenAPI document and the instance's version.
import { z } from 'zod';
import { VERSION } from '../../version.js';
import { LISTENER_STATES } from '../../platform/listener.js';
import type { ModulePlugin } from '../http.js';

const listenerState = z.enum(LISTENER_STATES);

export const systemRoutes: ModulePlugin = async (app, { deps }) => {
  app.get('/healthz', {
    config: { access: 'public' },
    schema: { tags: ['system'], summary: 'Liveness', response: { 200: z.object({ status: z.literal('ok') }) } },
    handler: async () => ({ status: 'ok' as const }),
  });

  app.get('/readyz', {
    config: { access: 'public' },
    schema: {
      tags: ['system'],
      summary: 'Ready when the database answers and every migration is applied',
      response: {
        200: z.object({ status: z.literal('ready'), listener: listenerState }),
        503: z.object({ status: z.literal('unavailable'), reason: z.string(), listener: listenerState }),
      },
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
      response: { 200: z.object({ version: z.string(), database: z.enum(['pglite', 'postgres']), mailDelivery: z.boolean() }) },
    },
    handler: async () => ({ version: VERSION, database: deps.database.kind, mailDelivery: deps.mailer.delivering }),
  });
};
