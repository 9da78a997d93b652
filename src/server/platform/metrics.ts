import type { FastifyInstance } from 'fastify';
import client from 'prom-client';
import type { ListenerStatus } from './listener.js';

export function createMetrics() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'steward_' });
  const requests = new client.Histogram({
    name: 'steward_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const liveConnections = new client.Gauge({ name: 'steward_live_connections', help: 'Open WebSocket connections', registers: [registry] });
  const listenerConnected = new client.Gauge({
    name: 'steward_db_listener_connected',
    help: 'Whether the LISTEN connection (live pushes, auth-cache invalidation between processes) is up: 1 up or in-process, 0 down',
    registers: [registry],
  });
  const listenerReconnects = new client.Counter({
    name: 'steward_db_listener_reconnects_total',
    help: 'Times the LISTEN connection was lost and re-established',
    registers: [registry],
  });
  let reconnectsSeen = 0;
  return {
    registry,
    liveConnections,
    /** Brings the listener metrics up to date with the database's listener (read at scrape time). */
    observeListener(status: ListenerStatus) {
      listenerConnected.set(status.state === 'connected' || status.state === 'in-process' ? 1 : 0);
      if (status.reconnects > reconnectsSeen) listenerReconnects.inc(status.reconnects - reconnectsSeen);
      reconnectsSeen = status.reconnects;
    },
    install(app: FastifyInstance) {
      app.addHook('onResponse', async (request, reply) => {
        const route = request.routeOptions.url ?? 'unmatched';
        requests.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
      });
    },
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
