// A short-lived, size-bounded cache of token hash → Actor, so that an authenticated request needs
// no query on the hot path. Anything that changes who a token belongs to or what they may do calls
// invalidate() in its transaction: this process forgets at commit, the others on the NOTIFY.
import type { Actor } from './actor.js';
import type { Database, Scope } from './db.js';

const CHANNEL = 'steward_auth';

export class AuthCache {
  private entries = new Map<string, { actor: Actor; until: number }>();
  private stopListening: (() => Promise<void>) | null = null;
  private listeners = new Set<() => void>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 20_000,
  ) {}

  get(key: string): Actor | null | undefined {
    if (this.ttlMs <= 0) return undefined;
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.until < Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return hit.actor;
  }

  set(key: string, actor: Actor): void {
    if (this.ttlMs <= 0) return;
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { actor, until: Date.now() + this.ttlMs });
  }

  clear(): void {
    this.entries.clear();
    for (const listener of this.listeners) listener();
  }

  /** Called whenever sessions, users, roles or companies changed somewhere (e.g. to re-check sockets). */
  onInvalidate(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Call inside the transaction that changes sessions, users, roles or companies. */
  async invalidate(scope: Scope): Promise<void> {
    scope.afterCommit(() => this.clear());
    scope.publish(CHANNEL, '');
  }

  async start(database: Database): Promise<void> {
    // After a lost LISTEN connection an invalidation may have been missed: forget everything.
    this.stopListening = await database.listen(CHANNEL, () => this.clear(), () => this.clear());
  }

  async stop(): Promise<void> {
    await this.stopListening?.();
    this.clear();
  }
}
