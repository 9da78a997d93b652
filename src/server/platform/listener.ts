// The one LISTEN connection of a process on PostgreSQL. When it drops (server restart, failover,
// pg_terminate_backend, a network cut) it reconnects with capped, jittered backoff and LISTENs to
// every channel again; subscribers that asked to be told then resync, since notifications sent
// while it was down are lost.
import pg from 'pg';

import type { ListenerState } from '../../shared/contracts/enums.js';

export { LISTENER_STATES, type ListenerState } from '../../shared/contracts/enums.js';

export interface ListenerStatus {
  state: ListenerState;
  /** Successful reconnections since start. */
  reconnects: number;
}

interface Subscriber {
  onMessage: (payload: string) => void;
  onResync?: () => void;
}

export const LISTENER_APPLICATION_NAME = 'steward-listen';
const BACKOFF_BASE_MS = 250;
const BACKOFF_CAP_MS = 15_000;

/** Full jitter: a random wait up to the capped exponential, so processes do not reconnect in step. */
export function reconnectDelay(attempt: number, random = Math.random): number {
  return Math.floor(random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt));
}

const log = (level: number, msg: string, extra: Record<string, unknown> = {}) => console.error(JSON.stringify({ level, msg, ...extra }));

export class PgListener {
  private channels = new Map<string, Set<Subscriber>>();
  private client: pg.Client | null = null;
  private connecting: Promise<pg.Client> | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private state: ListenerState = 'idle';
  private reconnects = 0;

  constructor(private readonly url: string) {}

  status(): ListenerStatus {
    return { state: this.state, reconnects: this.reconnects };
  }

  async listen(channel: string, onMessage: (payload: string) => void, onResync?: () => void): Promise<() => Promise<void>> {
    const subscriber: Subscriber = { onMessage, onResync };
    let set = this.channels.get(channel);
    const fresh = !set;
    if (!set) {
      set = new Set();
      this.channels.set(channel, set);
    }
    set.add(subscriber);
    const unsubscribe = async () => {
      set.delete(subscriber);
    };
    // The reconnect under way LISTENs to every known channel, this one included.
    if (this.state === 'reconnecting') return unsubscribe;
    const client = await this.connection();
    // Again if the connection was opened meanwhile: LISTEN twice is harmless, missing one is not.
    if (fresh) {
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`).catch((error: Error) => {
        if (this.state !== 'reconnecting') throw error;
      });
    }
    return unsubscribe;
  }

  async close(): Promise<void> {
    this.state = 'closed';
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client ?? (await this.connecting?.catch(() => null));
    this.client = null;
    await client?.end().catch(() => {});
  }

  /** The live connection, or the first one being opened; during a reconnect, the one it will open. */
  private connection(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= this.open().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async open(): Promise<pg.Client> {
    if (this.state === 'idle') this.state = 'connecting';
    // Named, so that operators (and the test) can find it in pg_stat_activity.
    const client = new pg.Client({ connectionString: this.url, application_name: LISTENER_APPLICATION_NAME });
    client.on('notification', (msg) => {
      for (const s of this.channels.get(msg.channel) ?? []) s.onMessage(msg.payload ?? '');
    });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    try {
      await client.connect();
      const names = [...this.channels.keys()];
      if (names.length > 0) await client.query(names.map((c) => `LISTEN ${pg.escapeIdentifier(c)}`).join('; '));
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
    if (this.state === 'closed') {
      await client.end().catch(() => {});
      throw new Error('listener closed');
    }
    const wasReconnect = this.state === 'reconnecting';
    this.client = client;
    this.state = 'connected';
    if (wasReconnect) {
      this.reconnects++;
      log(30, 'listen connection re-established', { reconnects: this.reconnects });
      for (const set of this.channels.values()) for (const s of set) s.onResync?.();
    }
    return client;
  }

  private lost(client: pg.Client, err: Error): void {
    if (this.client !== client || this.state === 'closed') return;
    this.client = null;
    this.state = 'reconnecting';
    log(50, 'listen connection lost; reconnecting', { err: err.message });
    client.end().catch(() => {});
    this.retry(0);
  }

  private retry(attempt: number): void {
    if (this.state === 'closed') return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connection().catch((err: Error) => {
        if (this.state === 'closed') return;
        log(40, 'listen reconnect failed', { attempt: attempt + 1, err: err.message });
        this.retry(attempt + 1);
      });
    }, reconnectDelay(attempt));
    this.retryTimer.unref();
  }
}
