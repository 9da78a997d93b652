// The database: PGlite (embedded, file-backed) or PostgreSQL, behind one interface. Every company
// request runs in withTenant(): a transaction that sets app.tenant_id and drops to the non-owner
// role steward_app, so row-level security applies on both engines alike.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { type SQL, sql } from 'drizzle-orm';
import { NodePgSession, NodePgTransaction, drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgDialect, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import * as schema from '../db/schema/index.js';
import { type ListenerStatus, PgListener } from './listener.js';

export type Schema = typeof schema;
export type DrizzleDb = PgDatabase<PgQueryResultHKT, Schema>;
// The drivers differ only in the transaction's internals, hence `any` there.
export type Tx = PgTransaction<PgQueryResultHKT, Schema, any>;

/** A transaction plus work to run once it has committed (pushes, job enqueues). */
export interface Scope {
  tx: Tx;
  tenantId: number | null;
  afterCommit(fn: () => unknown): void;
  /**
   * NOTIFY once the transaction has committed (never for one that rolled back). Sent outside it: a
   * transaction that NOTIFYs holds PostgreSQL's instance-wide notify lock through its commit flush,
   * which serialises the commits of all writers (docs/PERFORMANCE.md). Notifications of transactions
   * that commit at about the same time go out in one statement.
   */
  publish(channel: string, payload: string): void;
}

export interface Database {
  kind: 'pglite' | 'postgres';
  drizzle: DrizzleDb;
  /** A company's transaction with row-level security. */
  withTenant<T>(tenantId: number, fn: (scope: Scope) => Promise<T>): Promise<T>;
  /** An owner transaction without row-level security: instance-level work only (login lookup, setup, jobs). */
  system<T>(fn: (scope: Scope) => Promise<T>): Promise<T>;
  /** Raw parameterised SQL on the owner connection (pg-boss adapter, health checks). */
  query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
  /** Several statements without parameters, on the owner connection. */
  exec(text: string): Promise<void>;
  /**
   * PostgreSQL only (absent on PGlite, whose one connection is the transaction's): one statement in
   * its own transaction on a dedicated owner connection, so a transaction in flight may call it
   * without waiting for a pooled connection, and the row locks it takes end with the statement.
   * Its commit does not wait for the WAL flush (`synchronous_commit = off`): use it only for what
   * the caller's transaction then writes and commits synchronously — that later flush covers this
   * earlier commit, and a crash before it loses both. Calls run one at a time, in order.
   */
  autonomous?<R = Record<string, unknown>>(text: string, values: unknown[]): Promise<R[]>;
  /**
   * Subscribes to NOTIFY on a channel; notifications sent in a transaction arrive after commit.
   * `onResync` runs after the LISTEN connection was lost and re-established: whatever was sent
   * meanwhile is gone, so a subscriber that caches derived state drops it.
   */
  listen(channel: string, onMessage: (payload: string) => void, onResync?: () => void): Promise<() => Promise<void>>;
  /** The LISTEN connection's state (PostgreSQL); 'in-process' on PGlite. */
  listenerStatus(): ListenerStatus;
  migrate(): Promise<void>;
  /**
   * PostgreSQL only (PGlite has one process): runs `fn` while this process holds the session
   * advisory lock `key` on a connection of its own (outside the pool), so processes starting
   * together run it one after the other (what `fn` runs goes through the pool as usual).
   */
  exclusive?<T>(key: number, fn: () => Promise<T>): Promise<T>;
  migrationsPending(): Promise<number>;
  /** For tests, PGlite only: the database's files, for the next test database to start from. */
  dumpFiles?(): Promise<Blob>;
  close(): Promise<void>;
}

export const APP_ROLE = 'steward_app';
const MIGRATIONS = fileURLToPath(new URL('../db/migrations', import.meta.url));

export interface DatabaseOptions {
  databaseUrl: string | null;
  dataDir: string;
  /** For tests: an in-memory PGlite. */
  memory?: boolean;
  /** For tests: the files of an in-memory PGlite to start from (a dump of a migrated database). */
  template?: Blob;
  poolSize?: number;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options.poolSize ?? 10) : openPglite(options);
}

function journalCount(): number {
  const journal = JSON.parse(readFileSync(path.join(MIGRATIONS, 'meta/_journal.json'), 'utf8')) as { entries: unknown[] };
  return journal.entries.length;
}

/**
 * Runs a hot statement whose text never changes as a named prepared statement on PostgreSQL (parsed
 * and planned once per connection instead of on every call); PGlite runs it as is. Rows come back
 * as the driver reads them: use JSON (or int) columns so both engines give the same values.
 */
export async function preparedRows<R>(tx: Tx, name: string, query: SQL): Promise<R[]> {
  const { sql: text, params } = (tx as unknown as { dialect: PgDialect }).dialect.sqlToQuery(query);
  const client = (tx as unknown as { session: { client: { query: (...args: unknown[]) => Promise<{ rows: R[] }> } } }).session.client;
  const result = client instanceof pg.Client ? await client.query({ name, text, values: params }) : await client.query(text, params);
  return result.rows;
}

/** Sends notifications in batches: everything queued in one turn of the event loop goes out in one statement. */
export function notifier(run: (text: string, values: unknown[]) => Promise<unknown>) {
  let queue: Array<{ c: string; p: string }> = [];
  let flushing: Promise<void> | null = null;
  return (items: Array<{ c: string; p: string }>): Promise<void> => {
    queue.push(...items);
    flushing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
      const batch = queue;
      queue = [];
      flushing = null;
      await run(
        "select pg_notify(e.value ->> 'c', e.value ->> 'p') from json_array_elements($1::json) with ordinality as e(value, n) order by e.n",
        [JSON.stringify(batch)],
      );
    });
    return flushing;
  };
}

/**
 * Runs `fn` in a transaction that enters the company, if any: its id for row-level security, the
 * non-owner role steward_app that the policies apply to, and joins in the order written (every query
 * starts from its main table and joins names by key; searching join orders cost more than running
 * the query, docs/PERFORMANCE.md). Text to append to BEGIN; the id is checked to be an integer first.
 */
function enterCompany(tenantId: number | null): string | null {
  if (tenantId === null) return null;
  if (!Number.isSafeInteger(tenantId) || tenantId <= 0) throw new Error(`invalid tenant id ${tenantId}`);
  return `select set_config('app.tenant_id', '${tenantId}', true), set_config('role', '${APP_ROLE}', true), set_config('join_collapse_limit', '1', true)`;
}

/** Times a transaction is run when PostgreSQL aborts it to break a deadlock. */
const DEADLOCK_ATTEMPTS = 4;

/** PostgreSQL's deadlock_detected, raised by the driver or wrapped by Drizzle ("Failed query", cause). */
function isDeadlock(error: unknown): boolean {
  for (let e = error as { code?: string; cause?: unknown } | undefined, depth = 0; e && depth < 3; e = e.cause as never, depth++) {
    if (e.code === '40P01') return true;
  }
  return false;
}

/** A driver's transaction: BEGIN, then `enter` if given, `fn`, then COMMIT (ROLLBACK if it throws). */
type Transact = <T>(enter: string | null, fn: (tx: Tx) => Promise<T>) => Promise<T>;

async function runScoped<T>(
  transact: Transact,
  send: ReturnType<typeof notifier>,
  tenantId: number | null,
  fn: (scope: Scope) => Promise<T>,
): Promise<T> {
  const pending: Array<() => unknown> = [];
  const notices: Array<{ c: string; p: string }> = [];
  let result: T;
  for (let attempt = 1; ; attempt++) {
    pending.length = 0;
    notices.length = 0;
    try {
      result = await transact(enterCompany(tenantId), (tx) =>
        fn({ tx, tenantId, afterCommit: (f) => pending.push(f), publish: (c, p) => notices.push({ c, p }) }),
      );
      break;
    } catch (error) {
      // PostgreSQL broke a deadlock by aborting this transaction (nothing of it was kept): run it again,
      // after a short random pause, rather than answer 500 for a race the other writer already won.
      // Only deadlocks: a transaction that streamed out what it read is never a writer that deadlocks.
      if (!isDeadlock(error) || attempt >= DEADLOCK_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 40 * attempt));
    }
  }
  if (notices.length > 0) pending.unshift(() => send(notices));
  for (const f of pending) {
    try {
      await f();
    } catch (error) {
      // After-commit work is best effort by design: the outbox sweeper and clients' reloads recover.
      console.error(JSON.stringify({ level: 50, msg: 'after-commit task failed', err: String(error) }));
    }
  }
  return result;
}

/** PGlite: Drizzle's transaction (it holds PGlite's lock), then the company entered. */
function pgliteTransact(db: DrizzleDb): Transact {
  return (enter, fn) =>
    db.transaction(async (tx) => {
      if (enter) await tx.execute(sql.raw(enter));
      return fn(tx as Tx);
    });
}

/**
 * PostgreSQL: BEGIN and entering the company in one round trip (the simple-query protocol takes both
 * statements in one message), then a Drizzle transaction object on the pooled connection, as
 * Drizzle's own transaction() builds it. Saves a statement on every request (docs/PERFORMANCE.md).
 */
function postgresTransact(pool: pg.Pool, db: DrizzleDb): Transact {
  const { dialect, session } = db as unknown as { dialect: PgDialect; session: { schema: never; options: never } };
  return async (enter, fn) => {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query(enter ? `begin; ${enter}` : 'begin');
      const tx = new NodePgTransaction(dialect, new NodePgSession(client, dialect, session.schema, session.options), session.schema);
      const result = await fn(tx as Tx);
      await client.query('commit');
      return result;
    } catch (error) {
      // After a failed COMMIT this ROLLBACK only warns; a connection that cannot roll back is dropped.
      await client.query('rollback').catch((e: Error) => {
        broken = e;
      });
      throw error;
    } finally {
      client.release(broken);
    }
  };
}

/** Extensions the schema uses, and the non-owner role row-level security applies to (roles are cluster-wide, so tolerate races). */
const ROLE_SQL = `CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS btree_gin;
CREATE EXTENSION IF NOT EXISTS btree_gist;
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
    CREATE ROLE ${APP_ROLE} NOLOGIN NOBYPASSRLS;
  END IF;
  IF NOT pg_has_role(current_user, '${APP_ROLE}', 'MEMBER') THEN
    EXECUTE format('GRANT ${APP_ROLE} TO %I', current_user);
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;`;

const GRANTS_SQL = `GRANT USAGE ON SCHEMA public TO ${APP_ROLE};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${APP_ROLE};
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${APP_ROLE};
REVOKE ALL ON super_admins, login_throttle FROM ${APP_ROLE};`;

/** initdb for a new embedded database, in a child process so that its memory goes with it (pglite-init.mjs). */
async function initDataDirectory(dir: string): Promise<void> {
  const script = fileURLToPath(new URL('./pglite-init.mjs', import.meta.url));
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [script, dir], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('error', reject);
    child.on('close', (c) => resolve({ code: c, stderr: err }));
  });
  if (code !== 0) throw new Error(`creating the embedded database in ${dir} failed (exit ${code}): ${stderr.trim().slice(0, 2000)}`);
}

async function openPglite(options: DatabaseOptions): Promise<Database> {
  let dir: string | undefined;
  if (!options.memory) {
    dir = path.join(options.dataDir, 'db');
    mkdirSync(dir, { recursive: true });
    if (!databaseExists(options.dataDir)) await initDataDirectory(dir);
  }
  // 32 MB of shared buffers instead of PGlite's 128 MB: PostgreSQL initialises all of them at start,
  // so they are resident at once, while the embedded database's files stay in the OS cache anyway
  // (docs/PERFORMANCE.md, "Embedded mode").
  const client = await PGlite.create(dir, {
    extensions: { pg_trgm, btree_gin, btree_gist },
    postgresqlconf: ['shared_buffers = 32MB'],
    // A test database from a migrated template skips initdb and the migrations (most of its start).
    ...(options.memory && options.template ? { loadDataDir: options.template } : {}),
  });
  const db = drizzlePglite(client, { schema, casing: 'snake_case' }) as unknown as DrizzleDb;
  // Nothing to tell once closed (a socket closing during shutdown still reports its presence).
  const send = notifier(async (text, values) => (client.closed ? undefined : client.query(text, values)));
  const transact = pgliteTransact(db);
  return {
    kind: 'pglite',
    drizzle: db,
    withTenant: (tenantId, fn) => runScoped(transact, send, tenantId, fn),
    system: (fn) => runScoped(transact, send, null, fn),
    async query(text, values) {
      const res = await client.query(text, values as unknown[]);
      return { rows: res.rows as never[] };
    },
    async exec(text) {
      await client.exec(text);
    },
    async listen(channel, onMessage) {
      const unlisten = await client.listen(channel, onMessage);
      return async () => unlisten();
    },
    listenerStatus: () => ({ state: 'in-process', reconnects: 0 }),
    async migrate() {
      await client.exec(ROLE_SQL);
      await migratePglite(db as never, { migrationsFolder: MIGRATIONS });
      await client.exec(GRANTS_SQL);
    },
    async migrationsPending() {
      return pendingMigrations((t) => client.query(t).then((r) => r.rows as never[]));
    },
    dumpFiles: () => client.dumpDataDir('none') as Promise<Blob>,
    async close() {
      if (!client.closed) await client.close();
    },
  };
}

async function pendingMigrations(run: (text: string) => Promise<Array<{ n: number | string }>>): Promise<number> {
  try {
    const rows = await run('select count(*)::int as n from drizzle.__drizzle_migrations');
    return Math.max(0, journalCount() - Number(rows[0]?.n ?? 0));
  } catch {
    return journalCount();
  }
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  pool.on('error', (err) => console.error(JSON.stringify({ level: 50, msg: 'idle database client error', err: err.message })));
  const db = drizzlePg(pool, { schema, casing: 'snake_case' }) as unknown as DrizzleDb;
  let closed = false;
  const send = notifier(async (text, values) => (closed ? undefined : pool.query(text, values)));
  const transact = postgresTransact(pool, db);
  const listener = new PgListener(url);
  const autonomous = dedicatedClient(url);
  return {
    kind: 'postgres',
    drizzle: db,
    withTenant: (tenantId, fn) => runScoped(transact, send, tenantId, fn),
    system: (fn) => runScoped(transact, send, null, fn),
    async query(text, values) {
      const res = await pool.query(text, values as unknown[]);
      return { rows: res.rows };
    },
    async exec(text) {
      await pool.query(text);
    },
    autonomous: autonomous.run,
    listen: (channel, onMessage, onResync) => listener.listen(channel, onMessage, onResync),
    listenerStatus: () => listener.status(),
    async migrate() {
      const client = await pool.connect();
      try {
        // One migrator at a time when several processes start together.
        await client.query('select pg_advisory_lock(727274)');
        await client.query(ROLE_SQL);
        await migratePg(drizzlePg(client, { casing: 'snake_case' }), { migrationsFolder: MIGRATIONS });
        await client.query(GRANTS_SQL);
      } finally {
        await client.query('select pg_advisory_unlock(727274)').catch(() => {});
        client.release();
      }
    },
    async exclusive(key, fn) {
      // A connection outside the pool: `fn` may need every pooled one.
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query('select pg_advisory_lock($1)', [key]);
        return await fn();
      } finally {
        await client.end().catch(() => {}); // ending the session releases its lock
      }
    },
    migrationsPending: () => pendingMigrations((t) => pool.query(t).then((r) => r.rows)),
    async close() {
      closed = true;
      await listener.close();
      await autonomous.close();
      await pool.end();
    },
  };
}

/** The connection of Database.autonomous: opened on first use, opened again after it failed. */
function dedicatedClient(url: string) {
  let client: Promise<pg.Client> | null = null;
  const open = async () => {
    const c = new pg.Client({ connectionString: url });
    c.on('error', () => {
      client = null;
    });
    await c.connect();
    await c.query('set synchronous_commit = off');
    return c;
  };
  // One statement at a time: the next waits for the one before (failed or not).
  let last: Promise<unknown> = Promise.resolve();
  const once = async <R>(text: string, values: unknown[]): Promise<R[]> => {
    client ??= open();
    const current = client;
    try {
      const c = await current;
      return (await c.query(text, values)).rows as R[];
    } catch (error) {
      // A broken connection (no server error: a socket one) is replaced on the next call; a
      // statement PostgreSQL refused leaves it usable.
      if (!(error as { severity?: string }).severity && client === current) {
        client = null;
        void current.then((c) => c.end()).catch(() => {});
      }
      throw error;
    }
  };
  return {
    run<R>(text: string, values: unknown[]): Promise<R[]> {
      const result = last.then(() => once<R>(text, values));
      last = result.catch(() => undefined);
      return result;
    },
    async close() {
      await last;
      const current = client;
      client = null;
      if (current) await current.then((c) => c.end()).catch(() => {});
    },
  };
}

export function databaseExists(dataDir: string): boolean {
  return existsSync(path.join(dataDir, 'db', 'PG_VERSION'));
}
