// Live events: published with pg_notify once the transaction that made the change has committed,
// and so reach every web process (LISTEN/NOTIFY, on PGlite in-process).
import type { Database, Scope } from './db.js';

export const LIVE_CHANNEL = 'steward_events';

export interface LiveEvent {
  tenantId: number;
  type: string;
  data: unknown;
  /** Only these users receive it; absent means everyone of the company who is connected. */
  userIds?: number[];
  /**
   * For events about a record with its own visibility (a ticket): the record's facts, checked
   * against each socket's caller by the rule its module defined for `kind` (none defined: nobody).
   */
  audience?: { kind: string; facts: unknown };
}

/** Publishes a live event once the scope's transaction has committed (see Scope.publish). */
export async function publishLive(scope: Scope, event: LiveEvent): Promise<void> {
  scope.publish(LIVE_CHANNEL, JSON.stringify(event));
}

export interface LiveConnection {
  tenantId: number;
  userId: number;
  /** The caller behind the socket, refreshed when sign-in state changes. */
  roleId: number;
  departmentId: number | null;
  permissions: ReadonlySet<string>;
  send(message: string): void;
}

/** Keeps this process's sockets and hands each event to the ones it is meant for. */
export class LiveHub {
  private byTenant = new Map<number, Set<LiveConnection>>();
  private stopListening: (() => Promise<void>) | null = null;
  private audiences = new Map<string, (conn: LiveConnection, facts: unknown) => boolean>();

  /** The module that owns a kind of record says who may hear of it (its own visibility rule). */
  defineAudience<F>(kind: string, rule: (conn: LiveConnection, facts: F) => boolean): void {
    this.audiences.set(kind, rule as (conn: LiveConnection, facts: unknown) => boolean);
  }

  async start(database: Database): Promise<void> {
    this.stopListening = await database.listen(LIVE_CHANNEL, (payload) => {
      try {
        this.deliver(JSON.parse(payload) as LiveEvent);
      } catch {
        /* a malformed payload is dropped */
      }
    });
  }

  add(conn: LiveConnection): void {
    const set = this.byTenant.get(conn.tenantId) ?? new Set<LiveConnection>();
    set.add(conn);
    this.byTenant.set(conn.tenantId, set);
  }

  remove(conn: LiveConnection): void {
    const set = this.byTenant.get(conn.tenantId);
    set?.delete(conn);
    if (set && set.size === 0) this.byTenant.delete(conn.tenantId);
  }

  deliver(event: LiveEvent): void {
    const set = this.byTenant.get(event.tenantId);
    if (!set) return;
    const message = JSON.stringify({ type: event.type, data: event.data });
    const only = event.userIds ? new Set(event.userIds) : null;
    const audience = event.audience;
    const rule = audience ? this.audiences.get(audience.kind) : undefined;
    if (audience && !rule) return;
    for (const conn of set) {
      if (only && !only.has(conn.userId)) continue;
      if (audience && !rule?.(conn, audience.facts)) continue;
      conn.send(message);
    }
  }

  get connectionCount(): number {
    let n = 0;
    for (const set of this.byTenant.values()) n += set.size;
    return n;
  }

  async stop(): Promise<void> {
    await this.stopListening?.();
  }
}
