// Live meter readings for the browser (/api/v1/live): a socket sends {"type":"subscribe","meters":[…]}
// and receives {"type":"meter.readings","data":{"meterId","items":[{"ts","v"}]}} at most every 250 ms.
// Each web process subscribes at the broker only to the topics its sockets watch, ref-counted (the
// last socket that stops watching a meter unsubscribes): in process on the embedded aedes broker,
// else with its own MQTT client (not the shared ingest subscription) on Mosquitto (MQTT_URL) or on the
// embedded broker of a worker process (roles split; internal login derived from SESSION_SECRET).
// The meters are looked up in the caller's company, so another company's meter is never watched.
import { readFile } from 'node:fs/promises';
import { rootCertificates } from 'node:tls';
import { randomUUID } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { liveMessage, meterWatchMessage } from '../../../shared/contracts/live.js';
import type { Deps } from '../../platform/context.js';
import type { LiveConnection } from '../../platform/realtime.js';
import { LIVE_USERNAME, liveMqttPassword, meterBroker } from './broker.js';
import { parsePayload } from './ingest.js';
import * as repo from './meters.repo.js';

/** A socket's readings are sent at most this often. */
export const LIVE_BATCH_MS = 250;
/** Meters one socket may watch. */
export const MAX_WATCHED = 200;
/** Readings kept per meter between two sends (a slower socket loses the oldest). */
const MAX_BUFFERED = 5000;

/** Where the readings come from: per-topic subscriptions at a broker. */
interface ReadingSource {
  subscribe(topic: string): Promise<void>;
  unsubscribe(topic: string): Promise<void>;
  close(): Promise<void>;
}

type Deliver = (topic: string, payload: Buffer) => void;

/** The embedded broker of this process: in-memory subscriptions, no socket. */
function aedesSource(deps: Deps, deliver: Deliver): ReadingSource | null {
  const broker = meterBroker(deps);
  if (!broker) return null;
  const stops = new Map<string, () => void>();
  return {
    async subscribe(topic) {
      if (!stops.has(topic)) stops.set(topic, broker.watch(topic, deliver));
    },
    async unsubscribe(topic) {
      stops.get(topic)?.();
      stops.delete(topic);
    },
    async close() {
      for (const stop of stops.values()) stop();
      stops.clear();
    },
  };
}

/** An MQTT client of its own (clean session, QoS 0, one subscription per watched topic). */
async function mqttSource(
  url: string,
  auth: { username?: string; password?: string },
  deliver: Deliver,
  ownCert?: string,
): Promise<ReadingSource> {
  // mqtts:// to the embedded broker's TLS listener: its certificate may be self-signed, so it is
  // trusted beside the system's roots (the host name is still checked).
  const ca = url.startsWith('mqtts:') && ownCert ? [...rootCertificates, await readFile(ownCert, 'utf8')] : undefined;
  const client: MqttClient = await mqtt.connectAsync(url, {
    ...auth,
    ...(ca ? { ca } : {}),
    clientId: `steward-live-${randomUUID().slice(0, 8)}`,
    clean: true,
    reconnectPeriod: 2000,
    connectTimeout: 5000,
  });
  client.on('message', (topic, payload) => deliver(topic, payload));
  client.on('error', () => undefined);
  return {
    async subscribe(topic) {
      const granted = await client.subscribeAsync(topic, { qos: 0 });
      if (granted[0] && granted[0].qos > 2) throw new Error(`the MQTT broker refused the subscription to ${topic}`);
    },
    async unsubscribe(topic) {
      await client.unsubscribeAsync(topic);
    },
    async close() {
      await client.endAsync(true);
    },
  };
}

interface Watcher {
  conn: LiveConnection;
  /** meter id → topic */
  meters: Map<string, string>;
  buffer: Map<string, Array<{ ts: string; v: number }>>;
  timer: NodeJS.Timeout | null;
}

interface TopicEntry {
  meterId: string;
  watchers: Set<Watcher>;
  subscribed: boolean;
  /** Subscribe/unsubscribe calls of this topic run one after the other. */
  chain: Promise<void>;
}

const feeds = new WeakMap<Deps, MeterFeed>();
/** The live feed of this process's web role (tests, metrics). */
export const meterFeedOf = (deps: Deps): MeterFeed | null => feeds.get(deps) ?? null;

const mayRead = (conn: LiveConnection) => conn.permissions.has('assets.view') || conn.permissions.has('meters.manage');

export class MeterFeed {
  private watchers = new Map<LiveConnection, Watcher>();
  private topics = new Map<string, TopicEntry>();
  private source: Promise<ReadingSource | null> | null = null;
  private closed = false;
  readonly stats = { delivered: 0, sent: 0, subscribes: 0, unsubscribes: 0 };

  private gone = new WeakSet<LiveConnection>();

  constructor(private readonly deps: Deps) {
    feeds.set(deps, this);
  }

  /** Topics this process is subscribed to at the broker now (for tests and metrics). */
  get subscribedTopics(): string[] {
    return [...this.topics.entries()].filter(([, e]) => e.subscribed).map(([t]) => t);
  }

  private getSource(): Promise<ReadingSource | null> {
    if (this.source) return this.source;
    const deliver: Deliver = (topic, payload) => this.deliver(topic, payload);
    const config = this.deps.config;
    const inProcess = aedesSource(this.deps, deliver);
    let made: Promise<ReadingSource | null>;
    if (inProcess) made = Promise.resolve(inProcess);
    else if (config.mqttUrl) made = mqttSource(config.mqttUrl, {}, deliver);
    else if (config.sessionSecret && !config.roles.includes('worker'))
      made = mqttSource(
        config.mqttPublicUrl,
        { username: LIVE_USERNAME, password: liveMqttPassword(config.sessionSecret) },
        deliver,
        config.mqttTls?.cert,
      );
    else return Promise.resolve(null); // the broker of this process has not started (yet): try again next time
    this.source = made.catch((err) => {
      this.deps.log.warn({ err }, 'live meters: no connection to the MQTT broker');
      this.source = null;
      return null;
    });
    return this.source;
  }

  /** A message of the socket: subscribe/unsubscribe meters; anything else is not ours (false). */
  async message(conn: LiveConnection, raw: string): Promise<boolean> {
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return false;
    }
    const parsed = meterWatchMessage.safeParse(body);
    if (!parsed.success) return false;
    if (parsed.data.type === 'unsubscribe') {
      this.unwatch(conn, parsed.data.meters);
      return true;
    }
    const accepted = await this.watch(conn, parsed.data.meters ?? []);
    conn.send(liveMessage('meter.subscribed', { meters: accepted }));
    return true;
  }

  /** Watches the meters of the caller's company among `ids`; answers the ids now watched. */
  async watch(conn: LiveConnection, ids: string[]): Promise<string[]> {
    if (this.closed || !mayRead(conn)) return [];
    const found =
      ids.length === 0
        ? []
        : await this.deps.database.withTenant(conn.tenantId, ({ tx }) => repo.meterTopics(tx, conn.tenantId, [...new Set(ids)].map(Number)));
    if (this.gone.has(conn) || this.closed) return [];
    let w = this.watchers.get(conn);
    if (!w) {
      w = { conn, meters: new Map(), buffer: new Map(), timer: null };
      this.watchers.set(conn, w);
    }
    const pending: Promise<void>[] = [];
    for (const m of found) {
      const id = String(m.id);
      if (w.meters.has(id) || w.meters.size >= MAX_WATCHED) continue;
      w.meters.set(id, m.topic);
      const entry = this.topics.get(m.topic) ?? { meterId: id, watchers: new Set(), subscribed: false, chain: Promise.resolve() };
      this.topics.set(m.topic, entry);
      entry.watchers.add(w);
      pending.push(this.sync(m.topic));
    }
    await Promise.all(pending);
    return [...w.meters.keys()];
  }

  /** Stops watching these meters (none named: all of them). */
  unwatch(conn: LiveConnection, ids?: string[]): void {
    const w = this.watchers.get(conn);
    if (!w) return;
    for (const id of ids ?? [...w.meters.keys()]) {
      const topic = w.meters.get(id);
      if (!topic) continue;
      w.meters.delete(id);
      w.buffer.delete(id);
      const entry = this.topics.get(topic);
      entry?.watchers.delete(w);
      void this.sync(topic);
    }
    if (w.meters.size === 0) {
      if (w.timer) clearTimeout(w.timer);
      this.watchers.delete(conn);
    }
  }

  /** The socket closed. */
  drop(conn: LiveConnection): void {
    this.gone.add(conn);
    this.unwatch(conn);
  }

  /** Brings the broker subscription of a topic in line with its watchers (serialised per topic). */
  private sync(topic: string): Promise<void> {
    const entry = this.topics.get(topic);
    if (!entry) return Promise.resolve();
    entry.chain = entry.chain.then(async () => {
      const want = entry.watchers.size > 0 && !this.closed;
      try {
        if (want && !entry.subscribed) {
          const source = await this.getSource();
          if (!source) return;
          await source.subscribe(topic);
          entry.subscribed = true;
          this.stats.subscribes++;
        } else if (!want && entry.subscribed) {
          entry.subscribed = false;
          this.stats.unsubscribes++;
          await (await this.source)?.unsubscribe(topic);
        }
      } catch (err) {
        this.deps.log.warn({ err, topic }, 'live meters: broker subscription failed');
      } finally {
        if (entry.watchers.size === 0 && !entry.subscribed && this.topics.get(topic) === entry) this.topics.delete(topic);
      }
    });
    return entry.chain;
  }

  private deliver(topic: string, payload: Buffer): void {
    const entry = this.topics.get(topic);
    if (!entry || entry.watchers.size === 0) return;
    const parsed = parsePayload(payload);
    if (!parsed.ok) return;
    this.stats.delivered++;
    const item = { ts: parsed.ts.endsWith('Z') ? parsed.ts : new Date(Date.parse(parsed.ts)).toISOString(), v: parsed.v };
    for (const w of entry.watchers) {
      const list = w.buffer.get(entry.meterId) ?? [];
      list.push(item);
      if (list.length > MAX_BUFFERED) list.splice(0, list.length - MAX_BUFFERED);
      w.buffer.set(entry.meterId, list);
      if (!w.timer) w.timer = setTimeout(() => this.flush(w), LIVE_BATCH_MS);
    }
  }

  private flush(w: Watcher): void {
    w.timer = null;
    const batch = w.buffer;
    w.buffer = new Map();
    // Permissions are refreshed on the connection when sign-in state changes.
    if (!mayRead(w.conn)) {
      this.unwatch(w.conn);
      return;
    }
    for (const [meterId, items] of batch) {
      if (!w.meters.has(meterId) || items.length === 0) continue;
      w.conn.send(liveMessage('meter.readings', { meterId, items }));
      this.stats.sent++;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.watchers.values()) if (w.timer) clearTimeout(w.timer);
    this.watchers.clear();
    this.topics.clear();
    const source = await this.source;
    this.source = null;
    await source?.close().catch(() => undefined);
  }
}
