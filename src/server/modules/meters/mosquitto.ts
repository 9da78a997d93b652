// Mosquitto in production (MQTT_URL set, with its Dynamic Security plugin): Steward logs in as the
// dynsec admin of MQTT_URL, creates, rotates and deletes each device's client and its publish ACL
// (steward/<deviceKey>/#) over $CONTROL/dynamic-security/v1, and (worker role) reads the readings
// with the shared subscription $share/steward/steward/+/+ so several workers split the ingest, or
// (MQTT_SHARED_SUBSCRIPTION=false) with a plain steward/+/+ that Mosquitto keeps in the persistent
// session over its own restart: one ingest worker only, but nothing acknowledged is lost. A
// QoS 1 message is acknowledged to Mosquitto only after its batch committed (MQTT.js sends the
// PUBACK when handleMessage calls back).
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import mqtt, { type MqttClient } from 'mqtt';
import type { Deps } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { topicKeys } from './broker.js';
import { DeviceKeys } from './device-keys.js';
import { type Done, Ingest } from './ingest.js';
import { setDeviceControl } from './meters.service.js';

const CONTROL = '$CONTROL/dynamic-security/v1';
const CONTROL_RESPONSE = `${CONTROL}/response`;
/** handleMessage's "no PUBACK now" answer (see the ingest below). */
const DEFERRED = Object.assign(new Error('puback deferred until the batch commits'), { deferred: true });
const SHARED = '$share/steward/steward/+/+';
const PLAIN = 'steward/+/+';

export interface MosquittoLink {
  ingest: Ingest | null;
  /** Whether the MQTT connection is up now (it reconnects by itself). */
  readonly connected: boolean;
  close(): Promise<void>;
}

/** Sends dynsec commands and waits for their answers (one correlation id per request). */
class Dynsec {
  private waiting = new Map<string, (answer: { error?: string }[]) => void>();
  constructor(private readonly client: MqttClient) {
    client.on('message', (topic, payload) => {
      if (topic !== CONTROL_RESPONSE) return;
      try {
        const body = JSON.parse(payload.toString()) as { responses: Array<{ command: string; error?: string; correlationData?: string }> };
        const id = body.responses[0]?.correlationData;
        if (id) this.waiting.get(id)?.(body.responses);
      } catch {
        /* not ours */
      }
    });
  }

  async run(commands: Array<Record<string, unknown>>, ignore: RegExp | null = null): Promise<void> {
    const id = randomUUID();
    const answered = new Promise<{ error?: string }[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new AppError('internal', 'The MQTT broker did not answer'));
      }, 5000);
      this.waiting.set(id, (r) => {
        clearTimeout(timer);
        this.waiting.delete(id);
        resolve(r);
      });
    });
    answered.catch(() => undefined);
    await this.client.publishAsync(CONTROL, JSON.stringify({ commands: commands.map((c) => ({ ...c, correlationData: id })) }), { qos: 1 });
    const responses = await answered;
    const failed = responses.find((r) => r.error && !ignore?.test(r.error));
    if (failed) throw new AppError('internal', `The MQTT broker refused: ${failed.error}`);
  }
}

const roleOf = (deviceKey: string) => `steward-${deviceKey}`;

export async function startMosquitto(
  deps: Deps,
  url: string,
  opts: { ingest: boolean; /** Tests: the ingest's backpressure mark (ingest.ts HIGH_WATER). */ highWater?: number },
): Promise<MosquittoLink> {
  // The ingest keeps a persistent session (clean: false, a stable client id): readings that reach
  // Mosquitto while Steward reconnects, or that were sent but not yet acknowledged, are queued for
  // it (and kept over a broker restart with `persistence true`) instead of dropped.
  const clientId = opts.ingest
    ? (deps.config.mqttClientId ?? `steward-ingest-${hostname().replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 40)}`)
    : `steward-${randomUUID().slice(0, 8)}`;
  // manualConnect: the ingest's handler is in place before a persistent session's queue arrives.
  const client = mqtt.connect(url, { clientId, clean: !opts.ingest, reconnectPeriod: 2000, manualConnect: true });
  const dynsec = new Dynsec(client);
  let ingest: Ingest | null = null;
  if (opts.ingest) {
    const live = new Ingest(deps, { highWater: opts.highWater });
    ingest = live;
    // The device of a topic's key, cached (device-keys.ts): a hit is a Map lookup, the misses of a
    // moment are one query.
    const devices = new DeviceKeys(deps);
    // MQTT.js handles incoming packets one at a time and sends a QoS 1 PUBACK when handleMessage
    // calls back, so waiting there for the batch would store one reading per flush. Instead the
    // handler calls back at once with DEFERRED (MQTT.js then sends no PUBACK and reads on) and the
    // PUBACK is written once the reading's batch has committed, on the same connection only (after
    // a reconnect Mosquitto resends the message to the persistent session; it is stored once).
    const puback = (messageId: number | undefined, stream: unknown) => {
      if (messageId === undefined || client.stream !== stream || !client.connected) return;
      (client as unknown as { _sendPacket(p: object): void })._sendPacket({ cmd: 'puback', messageId, reasonCode: 0 });
    };
    // Not acknowledged: the connection is dropped and Mosquitto sends it again after the reconnect.
    const refuse = (err: Error, stream: unknown) => {
      deps.log.error({ err }, 'mqtt reading not stored; not acknowledged');
      if (client.stream === stream) client.stream?.destroy();
    };
    client.handleMessage = (packet, callback) => {
      const keysOf = topicKeys(packet.topic);
      if (!keysOf) return callback();
      const payload = packet.payload as Buffer;
      // QoS 0: nobody waits (a failed batch is logged by the ingest), no closure per reading.
      let done: Done | null = null;
      if (packet.qos === 1) {
        const stream = client.stream;
        const messageId = packet.messageId;
        done = (err) => (err ? refuse(err, stream) : puback(messageId, stream));
      }
      const device = devices.get(keysOf.deviceKey);
      if (device) live.push(device.tenantId, device.deviceId, keysOf.meterKey, payload, done);
      else if (device === null) done?.(null);
      else {
        // Counted toward the high water while its key is looked up (at a start: every device's).
        live.hold();
        devices.resolve(keysOf.deviceKey, (found, err) => {
          if (err) {
            if (done) done(err);
            else deps.log.error({ err }, 'mqtt reading not stored');
          } else if (found) live.push(found.tenantId, found.deviceId, keysOf.meterKey, payload, done);
          else done?.(null);
          live.release();
        });
      }
      // Backpressure: at HIGH_WATER readings not yet settled, MQTT.js reads no further packet until
      // the ingest has drained (the socket fills and Mosquitto holds the rest; it has no in-flight
      // limit of its own, see HIGH_WATER).
      const next = done ? () => callback(DEFERRED) : () => callback();
      if (live.full) live.whenDrained(next);
      else next();
    };
  }
  // The first connection must succeed (a wrong MQTT_URL fails the start); later errors only reconnect.
  await new Promise<void>((resolve, reject) => {
    const failed = (err: Error) => {
      client.end(true);
      reject(err);
    };
    client.once('error', failed);
    client.once('connect', () => {
      client.off('error', failed);
      resolve();
    });
    client.connect();
  });
  client.on('error', (err) => deps.log.warn({ err }, 'MQTT broker connection'));
  await client.subscribeAsync(CONTROL_RESPONSE, { qos: 1 });
  setDeviceControl(deps, {
    created: (deviceKey, password) =>
      dynsec.run([
        { command: 'createRole', rolename: roleOf(deviceKey) },
        { command: 'addRoleACL', rolename: roleOf(deviceKey), acltype: 'publishClientSend', topic: `steward/${deviceKey}/#`, allow: true },
        { command: 'createClient', username: deviceKey, password, roles: [{ rolename: roleOf(deviceKey) }] },
      ]),
    rotated: (deviceKey, password) => dynsec.run([{ command: 'setClientPassword', username: deviceKey, password }]),
    deleted: (deviceKey) =>
      dynsec.run(
        [
          { command: 'deleteClient', username: deviceKey },
          { command: 'deleteRole', rolename: roleOf(deviceKey) },
        ],
        /not found/i,
      ),
  });

  if (opts.ingest) {
    const shared = deps.config.mqttSharedSubscription;
    const topic = shared ? SHARED : PLAIN;
    const granted = await client.subscribeAsync(topic, { qos: 1 });
    if (granted[0] && granted[0].qos > 2) throw new Error(`the MQTT broker refused the subscription to ${topic}`);
    // Mosquitto 2.0 does not restore a shared subscription with the session after a restart, and
    // MQTT.js does not resubscribe when the session is present: subscribe again on every reconnect
    // (what devices published before that is lost). A plain subscription is part of the persistent
    // session (saved with `persistence true`) and Mosquitto queues for it while Steward is away;
    // MQTT.js subscribes again by itself when the broker reports no session.
    if (shared) {
      client.on('connect', () => {
        client.subscribeAsync(SHARED, { qos: 1 }).catch((err) => deps.log.warn({ err }, 'MQTT shared subscription after reconnect'));
      });
    }
  }
  deps.log.info({ ingest: opts.ingest, shared: opts.ingest ? deps.config.mqttSharedSubscription : undefined }, 'connected to the MQTT broker (Mosquitto dynamic security)');
  return {
    ingest,
    get connected() {
      return client.connected;
    },
    async close() {
      setDeviceControl(deps, null);
      await ingest?.close();
      await client.endAsync();
    },
  };
}
