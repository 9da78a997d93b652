// The embedded MQTT broker (aedes), used when no MQTT_URL is set: devices log in with their key and
// password (checked against the database), may publish only below steward/<ownKey>/ and may not
// subscribe. Readings go straight to the ingest batcher; a QoS 1 PUBACK is sent only after the
// reading's batch has committed (the authorizePublish hook waits for it; aedes acks after it).
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import type { Deps } from '../../platform/context.js';
import { Ingest } from './ingest.js';
import { authenticateDevice, DEVICE_REVOKED_CHANNEL } from './meters.service.js';
import { safeEqual } from '../../platform/crypto.js';
import { createHmac } from 'node:crypto';

/** The MQTT login of web processes that watch meters on another process's embedded broker. */
export const LIVE_USERNAME = '$steward-live';
export const liveMqttPassword = (sessionSecret: string) => createHmac('sha256', sessionSecret).update('steward-live-mqtt').digest('base64url');

interface DeviceSession {
  tenantId: number;
  deviceId: number;
  deviceKey: string;
}

export interface MeterBroker {
  /** The port it listens on without TLS (useful with port 0); null with MQTT_PLAIN=false. */
  port: number | null;
  /** The TLS port (MQTT_TLS_CERT/KEY set), else null. */
  tlsPort: number | null;
  ingest: Ingest;
  /** In-process subscription for the live charts (delivered after the reading's authorizePublish). */
  watch(topic: string, deliver: (topic: string, payload: Buffer) => void): () => void;
  /** Drops the connections of a device (rotated password, deleted device). */
  disconnectDevice(deviceKey: string): void;
  close(): Promise<void>;
}

const running = new WeakMap<Deps, MeterBroker>();

/** The broker this process runs, if any. */
export const meterBroker = (deps: Deps): MeterBroker | null => running.get(deps) ?? null;

function authError(message: string): AuthenticateError {
  return Object.assign(new Error(message), { returnCode: 4 as const }) as AuthenticateError;
}

/** steward/<deviceKey>/<meterKey>: the two keys, or null for any other topic. */
export function topicKeys(topic: string): { deviceKey: string; meterKey: string } | null {
  if (!topic.startsWith('steward/')) return null;
  const slash = topic.indexOf('/', 8);
  if (slash <= 8 || slash === topic.length - 1 || topic.indexOf('/', slash + 1) !== -1) return null;
  return { deviceKey: topic.slice(8, slash), meterKey: topic.slice(slash + 1) };
}

/** Listens and answers the port it got (port 0: any free one). */
async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  return typeof address === 'object' && address ? address.port : port;
}

/** The TLS certificate and key of the embedded broker, read once at start (a clear error when unreadable). */
async function tlsFiles(tls: { cert: string; key: string }): Promise<{ cert: Buffer; key: Buffer }> {
  const read = (file: string, what: string) =>
    readFile(file).catch((err: NodeJS.ErrnoException) => {
      throw new Error(`MQTT TLS ${what} ${file} cannot be read (${err.code ?? err.message})`);
    });
  return { cert: await read(tls.cert, 'certificate'), key: await read(tls.key, 'key') };
}

export async function startEmbeddedBroker(
  deps: Deps,
  opts: { port?: number; host?: string; tlsPort?: number; /** Tests: the ingest's backpressure mark. */ highWater?: number } = {},
): Promise<MeterBroker> {
  const ingest = new Ingest(deps, { highWater: opts.highWater });
  const sessions = new WeakMap<Client, DeviceSession>();
  const byKey = new Map<string, Set<Client>>();
  const liveClients = new WeakSet<Client>();

  const aedes = await Aedes.createBroker({
    authenticate(client, username, password, done) {
      const key = username ?? '';
      // Web processes without the broker (roles split) watch meters for the live charts as this user.
      if (key === LIVE_USERNAME) {
        if (deps.config.sessionSecret && safeEqual(password?.toString() ?? '', liveMqttPassword(deps.config.sessionSecret))) {
          liveClients.add(client);
          return done(null, true);
        }
        return done(authError('Bad username or password'), false);
      }
      authenticateDevice(deps, key, password?.toString() ?? '').then(
        (found) => {
          if (!found) {
            deps.log.debug({ deviceKey: key.slice(0, 100) }, 'mqtt login refused');
            return done(authError('Bad username or password'), false);
          }
          sessions.set(client, { ...found, deviceKey: key });
          const set = byKey.get(key) ?? new Set<Client>();
          set.add(client);
          byKey.set(key, set);
          done(null, true);
        },
        (err) => {
          deps.log.error({ err }, 'mqtt login check failed');
          done(Object.assign(new Error('Server unavailable'), { returnCode: 3 as const }) as AuthenticateError, false);
        },
      );
    },
    authorizePublish(client, packet, callback) {
      if (!client) return callback(null);
      if (liveClients.has(client)) return callback(new Error('Not authorised to publish'));
      const session = sessions.get(client);
      const keys = topicKeys(packet.topic);
      if (!session || !keys || keys.deviceKey !== session.deviceKey) {
        deps.log.debug({ topic: packet.topic.slice(0, 200), deviceKey: session?.deviceKey }, 'mqtt publish refused');
        return callback(new Error('Not authorised to publish to this topic'));
      }
      if (packet.retain) packet.retain = false;
      // aedes writes a QoS 1 PUBACK right after this callback (before its `published` hook), so the
      // reading is stored here: the callback waits for the batch's commit. A failed batch closes the
      // connection without PUBACK and the client sends the message again.
      if (packet.qos === 0) {
        ingest.push(session.tenantId, session.deviceId, keys.meterKey, packet.payload as Buffer, null);
        // Nobody waits for a QoS 0 reading, so a flood would only grow the pending batches: at the
        // ingest's high water this client's next packet waits until a part has settled.
        if (ingest.full) ingest.whenDrained(() => callback(null));
        else callback(null);
        return;
      }
      ingest.push(session.tenantId, session.deviceId, keys.meterKey, packet.payload as Buffer, callback);
    },
    authorizeSubscribe(client, subscription, callback) {
      // The live watcher may read single meter topics (QoS 0); devices only publish: a refused
      // subscription is answered with a failure code in SUBACK.
      if (client && liveClients.has(client) && topicKeys(subscription.topic) && !/[+#]/.test(subscription.topic))
        return callback(null, { ...subscription, qos: 0 });
      callback(null, null);
    },
  });
  aedes.on('clientDisconnect', (client) => {
    const s = sessions.get(client);
    if (s) byKey.get(s.deviceKey)?.delete(client);
  });

  const host = opts.host ?? deps.config.host;
  const servers: Server[] = [];
  let port: number | null = null;
  let tlsPort: number | null = null;
  try {
    const tls = deps.config.mqttTls;
    if (tls) {
      const tlsServer = createTlsServer({ ...(await tlsFiles(tls)), minVersion: 'TLSv1.2' }, aedes.handle);
      tlsPort = await listen(tlsServer, opts.tlsPort ?? tls.port, host);
      servers.push(tlsServer);
    }
    if (deps.config.mqttPlain) {
      const server = createServer(aedes.handle);
      port = await listen(server, opts.port ?? deps.config.mqttPort, host);
      servers.push(server);
    }
  } catch (err) {
    for (const server of servers) server.close();
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    await ingest.close();
    throw err;
  }
  deps.log.info({ port, tlsPort }, 'embedded MQTT broker listening');

  const unlisten = await deps.database.listen(DEVICE_REVOKED_CHANNEL, (deviceKey) => broker.disconnectDevice(deviceKey));
  const broker: MeterBroker = {
    port,
    tlsPort,
    ingest,
    watch(topic, deliver) {
      const fn = (packet: { topic: string; payload: string | Buffer }, cb: () => void) => {
        deliver(packet.topic, Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload));
        // Not synchronously: with a backlog, mqemitter would recurse through its queue (stack overflow).
        process.nextTick(cb);
      };
      aedes.subscribe(topic, fn, () => undefined);
      return () => aedes.unsubscribe(topic, fn, () => undefined);
    },
    disconnectDevice(deviceKey) {
      for (const client of byKey.get(deviceKey) ?? []) client.close();
      byKey.delete(deviceKey);
    },
    async close() {
      running.delete(deps);
      await unlisten();
      await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await ingest.close();
    },
  };
  running.set(deps, broker);
  return broker;
}
