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
  const queueDepth = new client.Gauge({
    name: 'steward_job_queue_depth',
    help: 'Jobs per queue and state (created, retry, active, failed) in the database, for the whole instance',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
  });
  // Totals kept by this process, published as counters: each scrape adds what happened since the last.
  const delta = (counter: client.Counter<string>) => {
    const seen = new Map<string, number>();
    return (labels: Record<string, string>, total: number) => {
      const key = JSON.stringify(labels);
      const before = seen.get(key) ?? 0;
      if (total > before) counter.inc(labels, total - before);
      seen.set(key, total);
    };
  };
  const jobsRun = delta(
    new client.Counter({
      name: 'steward_jobs_total',
      help: 'Jobs this process ran, by queue and outcome (completed, failed)',
      labelNames: ['queue', 'outcome'] as const,
      registers: [registry],
    }),
  );
  const mailDeliveries = delta(
    new client.Counter({
      name: 'steward_mail_deliveries_total',
      help: 'Mail delivery attempts by this process, by outcome (sent, retrying, failed)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
  );
  const webhookDeliveries = delta(
    new client.Counter({
      name: 'steward_webhook_deliveries_total',
      help: 'Webhook delivery attempts by this process, by outcome (delivered, retrying, failed)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
  );
  const readings = delta(
    new client.Counter({
      name: 'steward_meter_readings_total',
      help: 'Meter readings this process took from MQTT, by outcome (stored, dropped)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
  );
  return {
    registry,
    liveConnections,
    /** Brings the listener metrics up to date with the database's listener (read at scrape time). */
    observeListener(status: ListenerStatus) {
      listenerConnected.set(status.state === 'connected' || status.state === 'in-process' ? 1 : 0);
      if (status.reconnects > reconnectsSeen) listenerReconnects.inc(status.reconnects - reconnectsSeen);
      reconnectsSeen = status.reconnects;
    },
    /** Brings the instance and process figures up to date (read at scrape time). */
    observeInstance(figures: {
      queues: Array<{ name: string; state: string; n: number }>;
      jobs: ReadonlyMap<string, { completed: number; failed: number }>;
      mail: { sent: number; retrying: number; failed: number };
      webhooks: { delivered: number; retrying: number; failed: number };
      ingest: { stored: number; dropped: number } | null;
    }) {
      queueDepth.reset();
      for (const q of figures.queues) queueDepth.set({ queue: q.name, state: q.state }, q.n);
      for (const [queue, s] of figures.jobs) {
        jobsRun({ queue, outcome: 'completed' }, s.completed);
        jobsRun({ queue, outcome: 'failed' }, s.failed);
      }
      for (const outcome of ['sent', 'retrying', 'failed'] as const) mailDeliveries({ outcome }, figures.mail[outcome]);
      for (const outcome of ['delivered', 'retrying', 'failed'] as const) webhookDeliveries({ outcome }, figures.webhooks[outcome]);
      if (figures.ingest) {
        readings({ outcome: 'stored' }, figures.ingest.stored);
        readings({ outcome: 'dropped' }, figures.ingest.dropped);
      }
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
