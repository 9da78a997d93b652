// Background jobs on pg-boss, on PostgreSQL and on PGlite alike (through pg-boss's `db` adapter).
// Modules declare their queues and schedules; the worker role runs the handlers.
import PgBoss from 'pg-boss';
import type { Database } from './db.js';
import type { Logger } from './logger.js';

export interface JobDefinition<T = unknown> {
  name: string;
  handler: (data: T) => Promise<void>;
  /** Cron expression (UTC) for recurring jobs. */
  cron?: string;
  retryLimit?: number;
  retryDelay?: number;
  retryBackoff?: boolean;
  expireInSeconds?: number;
  /** Jobs fetched per poll (default 1); a queue of many small jobs drains faster with more. */
  batchSize?: number;
  /** pg-boss queue policy: `short` keeps one queued job per singletonKey; `stately` also one active. */
  policy?: PgBoss.QueuePolicy;
  /** Jobs of this queue a worker process runs at once (default 1). */
  concurrency?: number;
}

export interface Jobs {
  send(name: string, data?: object, options?: PgBoss.SendOptions): Promise<string | null>;
  /** Several jobs of one queue in one statement (the queue's retry and expiry settings apply). */
  sendMany(name: string, jobs: Array<{ data: object; singletonKey?: string; startAfter?: Date }>): Promise<void>;
  start(definitions: JobDefinition[], work: boolean): Promise<void>;
  stop(): Promise<void>;
  /** Jobs this process ran since it started, by queue (for the heartbeat and /metrics). */
  stats(): ReadonlyMap<string, JobStats>;
}

export interface JobStats {
  completed: number;
  failed: number;
}

export function createJobs(database: Database, log: Logger): Jobs {
  const boss = new PgBoss({
    db: {
      async executeSql(text: string, values?: unknown[]) {
        // PGlite's extended protocol takes one statement; pg-boss sends migration scripts without values.
        if ((!values || values.length === 0) && database.kind === 'pglite' && text.includes(';')) {
          await database.exec(text);
          return { rows: [] };
        }
        return database.query(text, values);
      },
    },
    schema: 'pgboss',
    supervise: true,
    schedule: true,
  } as PgBoss.ConstructorOptions);
  boss.on('error', (err) => log.error({ err }, 'job system error'));
  let started = false;
  let ready: Promise<void> | null = null;
  const stats = new Map<string, JobStats>();
  const statsOf = (name: string) => {
    let entry = stats.get(name);
    if (!entry) stats.set(name, (entry = { completed: 0, failed: 0 }));
    return entry;
  };

  return {
    async send(name, data = {}, options = {}) {
      if (ready) await ready;
      return boss.send(name, data, options);
    },
    async sendMany(name, jobs) {
      if (jobs.length === 0) return;
      if (ready) await ready;
      await boss.insert(
        jobs.map((j) => ({
          name,
          data: j.data,
          singletonKey: j.singletonKey,
          // Serialised as an ISO instant ending in Z, which pg-boss's insert reads as a timestamp.
          ...(j.startAfter ? { startAfter: j.startAfter } : {}),
        })),
      );
    },
    async start(definitions, work) {
      ready = (async () => {
        await boss.start();
        started = true;
        // A web and a worker process starting together on a fresh database both create the queues:
        // one at a time (pg-boss's create_queue, a row plus a partition, deadlocks between two
        // creators, and each deadlock costs PostgreSQL's deadlock_timeout before the loser retries:
        // 40 s for three processes and 40 queues). A queue that exists is left as it is.
        const exclusive = database.exclusive ?? ((_key: number, fn: () => Promise<void>) => fn());
        await exclusive(QUEUES_LOCK, async () => {
          const existing = new Set((await boss.getQueues()).map((q) => q.name));
          for (const def of definitions) {
            const options = {
              name: def.name,
              retryLimit: def.retryLimit ?? 5,
              retryDelay: def.retryDelay ?? 30,
              retryBackoff: def.retryBackoff ?? true,
              expireInSeconds: def.expireInSeconds ?? 15 * 60,
              ...(def.policy ? { policy: def.policy } : {}),
            } as PgBoss.Queue;
            // Retried still: a process of an earlier version creates its queues without the lock.
            if (!existing.has(def.name)) await retryOnConflict(() => boss.createQueue(def.name, options), log);
          }
        });
        if (!work) return;
        for (const def of definitions) {
          for (let i = 0; i < Math.max(1, def.concurrency ?? 1); i++) {
            await boss.work(def.name, { batchSize: def.batchSize ?? 1, pollingIntervalSeconds: 2 }, async (jobs) => {
              const entry = statsOf(def.name);
              for (const job of jobs) {
                try {
                  await def.handler(job.data as never);
                  entry.completed++;
                } catch (err) {
                  entry.failed++;
                  throw err;
                }
              }
            });
          }
          if (def.cron) await boss.schedule(def.name, def.cron, {}, { tz: 'UTC' });
        }
      })();
      await ready;
    },
    async stop() {
      if (started) await boss.stop({ graceful: true, timeout: 5000, close: false, wait: true });
    },
    stats: () => stats,
  };
}

/** The advisory lock the processes creating the job queues take in turn. */
const QUEUES_LOCK = 727276;

const RETRYABLE = new Set(['40P01', '40001', '23505']);

/** Runs `fn` again (up to 5 times, after a short random pause) when PostgreSQL reports a deadlock,
 *  a serialization failure or a unique violation from a concurrent creator. */
export async function retryOnConflict<T>(fn: () => Promise<T>, log: Logger, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (!code || !RETRYABLE.has(code) || attempt >= attempts) throw err;
      log.warn({ code, attempt }, 'job queue setup met a concurrent process; retrying');
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 200 * attempt));
    }
  }
}
