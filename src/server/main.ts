// Starts the roles named in STEWARD_ROLES (web, worker; default both) on one database.
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { type Config, configOrExit } from './config.js';
import type { Deps } from './platform/context.js';
import type { Database } from './platform/db.js';
import { type MeterBroker, startEmbeddedBroker } from './modules/meters/broker.js';
import { startMeterSweep } from './modules/meters/triggers.js';
import { type MosquittoLink, startMosquitto } from './modules/meters/mosquitto.js';
import { registerProcess, startHeartbeat } from './modules/system/system.service.js';
import { createDeps, jobDefinitions } from './runtime.js';

export { configOrExit };

export interface Running {
  app: FastifyInstance | null;
  deps: Deps;
  url: string | null;
  stop(): Promise<void>;
}

/** `database`: one already being opened (the CLI starts that before loading the server's modules). */
export async function start(config: Config, overrideRoles?: Config['roles'], database?: Promise<Database>): Promise<Running> {
  const roles = overrideRoles ?? config.roles;
  const deps = await createDeps(config, { database: await database });
  const started = Date.now();
  await deps.database.migrate();
  let app: FastifyInstance | null = null;
  let url: string | null = null;
  if (roles.includes('web')) {
    app = await buildApp(deps);
    await deps.hub.start(deps.database);
    await app.listen({ port: config.port, host: config.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    url = config.publicUrl.replace(/:\d+$/, `:${port}`);
  }
  await deps.jobs.start(jobDefinitions(deps), roles.includes('worker'));
  // The embedded MQTT broker (no MQTT_URL) runs in the worker: it writes readings, like the other background work.
  let broker: MeterBroker | null = null;
  if (!config.mqttUrl && roles.includes('worker')) {
    // A busy port must not keep the rest of Steward down: devices then cannot connect, which the log says.
    broker = await startEmbeddedBroker(deps).catch((err) => {
      deps.log.error({ err, port: config.mqttPort }, 'the embedded MQTT broker could not start');
      return null;
    });
  }
  // With MQTT_URL (Mosquitto + dynsec): every process manages device accounts; workers read readings.
  let mosquitto: MosquittoLink | null = null;
  if (config.mqttUrl) mosquitto = await startMosquitto(deps, config.mqttUrl, { ingest: roles.includes('worker') });
  // The heartbeat: the operator's system page and every process's /readyz see which workers run.
  const me = registerProcess(deps, [...roles], {
    broker: broker
      ? () => ({ kind: 'embedded', state: 'ok', detail: `embedded MQTT broker on ${[broker?.port !== null ? `port ${broker?.port}` : null, broker?.tlsPort !== null ? `TLS port ${broker?.tlsPort}` : null].filter(Boolean).join(' and ')}` })
      : mosquitto
        ? () =>
            mosquitto?.connected
              ? { kind: 'mosquitto', state: 'ok', detail: `connected to ${redactUrl(config.mqttUrl ?? '')}` }
              : { kind: 'mosquitto', state: 'down', detail: `not connected to ${redactUrl(config.mqttUrl ?? '')} (reconnecting)` }
        : !config.mqttUrl && roles.includes('worker')
          ? () => ({ kind: 'embedded', state: 'down', detail: `the embedded MQTT broker could not start on port ${config.mqttPort}` })
          : null,
    ingest: () => {
      const stats = (broker?.ingest ?? mosquitto?.ingest)?.stats;
      return stats ? { stored: stats.stored, dropped: stats.dropped } : { stored: 0, dropped: 0 };
    },
  });
  const stopHeartbeat = await startHeartbeat(deps, me);
  // Offline alerts and excursions that outlast their readings: a short timer in every worker (state in the rows).
  const meterSweep = roles.includes('worker') ? startMeterSweep(deps) : null;
  if (deps.database.kind === 'pglite' && !roles.includes('worker')) {
    deps.log.warn('the embedded database runs in one process: without the worker role here, no background jobs run');
  }
  deps.log.info({ roles, database: deps.database.kind, url, startMs: Date.now() - started }, 'steward started');

  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      await app?.close();
      await stopHeartbeat();
      await meterSweep?.stop();
      await broker?.close().catch((err) => deps.log.warn({ err }, 'mqtt broker shutdown'));
      await mosquitto?.close().catch((err) => deps.log.warn({ err }, 'mqtt connection shutdown'));
      await deps.jobs.stop().catch((err) => deps.log.warn({ err }, 'job shutdown'));
      await deps.hub.stop();
      await deps.database.close();
    })());
  return { app, deps, url, stop };
}

/** A URL without its password (the broker's admin login is in MQTT_URL). */
function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'the MQTT broker';
  }
}

/** Runs until SIGINT/SIGTERM, then finishes requests and jobs in flight and closes the database. */
export async function serve(roles?: Config['roles'], config = configOrExit(), database?: Promise<Database>): Promise<void> {
  const running = await start(config, roles, database);
  if (running.url) console.log(`\n  Steward is running at ${running.url}\n`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      running.deps.log.info({ signal }, 'shutting down');
      const force = setTimeout(() => process.exit(1), 15_000);
      force.unref();
      running.stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  serve().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
