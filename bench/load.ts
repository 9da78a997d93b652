// Shared pieces of the database benchmarks (bench/tickets*.ts, bench/assets*.ts):
// loopback-only targets, a bench database dropped and recreated with Steward's migrations, a closed
// load loop that times every request, the HTTP load in a child process (this file with `--load`),
// CPU per request of this process and of the PostgreSQL backends, sessions, captured SQL and plans.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openDatabase } from '../src/server/platform/db.js';
import { DEFAULT_DEPARTMENTS, DEFAULT_ROLES } from '../src/shared/permissions/index.js';

const SELF = fileURLToPath(import.meta.url);

export function intEnv(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
  return n;
}

export function assertLoopback(url: string): void {
  const host = new URL(url).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '[::1]') throw new Error(`refusing a non-loopback target: ${url}`);
}

/** Drops and recreates the database of `url` (loopback only), then applies Steward's migrations. */
export async function recreateWithMigrations(url: string): Promise<void> {
  assertLoopback(url);
  const name = new URL(url).pathname.replace(/^\//, '');
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`BENCH_DATABASE_URL: unusable database name "${name}"`);
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const client = new pg.Client({ connectionString: maintenance.toString(), connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    await client.query(`drop database if exists ${name} with (force)`);
    await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'steward-bench-gen-'));
  try {
    const database = await openDatabase({ databaseUrl: url, dataDir, poolSize: 1 });
    await database.migrate();
    await database.close();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

type Q = (text: string, values?: unknown[]) => Promise<pg.QueryResult>;

/**
 * A generator's session in bulk-load mode: large sort memory, foreign-key triggers off (the data
 * holds them by construction; this saves minutes) and the secondary indexes of `tables` dropped.
 * Returns what ends it: the triggers back on, each index rebuilt from its own definition (a bulk build
 * is much faster than a million GIN insertions), then VACUUM ANALYZE.
 */
export async function bulkLoad(q: Q, tables: string[], step: (what: string) => void): Promise<() => Promise<void>> {
  await q(`set maintenance_work_mem = '512MB'`);
  await q(`set work_mem = '256MB'`);
  await q('set session_replication_role = replica');
  const { rows: indexes } = await q(
    `select i.indexname, i.indexdef from pg_indexes i
      where i.schemaname = 'public' and i.tablename = any($1::text[])
        and not exists (select 1 from pg_constraint c where c.conindid = (quote_ident(i.indexname))::regclass)`,
    [tables],
  );
  for (const r of indexes) await q(`drop index ${r.indexname}`);
  return async () => {
    await q('set session_replication_role = origin');
    for (const r of indexes) {
      await q(r.indexdef);
      step(`index ${r.indexname}`);
    }
    await q('vacuum analyze');
    step('vacuum analyze');
  };
}

/** Companies 1…n with the default roles and departments, as Steward's setup creates them. */
export async function insertCompanies(q: Q, companies: number): Promise<void> {
  await q(
    `insert into companies (name, slug, contact_email, seats)
     select 'Company ' || g, 'company-' || g, 'contact@company-' || g || '.test', 100 from generate_series(1, $1::int) g`,
    [companies],
  );
  await q(
    `insert into roles (tenant_id, name, level, permissions, builtin)
     select c.id, r.name, r.level, array(select jsonb_array_elements_text(r.permissions)), true
       from companies c cross join jsonb_to_recordset($1::jsonb) as r(name text, level int, permissions jsonb)
      order by c.id, r.level desc`,
    [JSON.stringify(DEFAULT_ROLES)],
  );
  await q(
    `insert into departments (tenant_id, name)
     select c.id, d.name from companies c cross join unnest($1::text[]) with ordinality as d(name, n) order by c.id, d.n`,
    [DEFAULT_DEPARTMENTS],
  );
}

// ---------------------------------------------------------------------------------------------
// Timing: a closed loop per connection, every request timed, bounded by a deadline.

export interface Stats {
  count: number;
  seconds: number;
  rate: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  failures: number;
  firstFailure: string | null;
  /** Requests of the warm-up and the measured phase together (for CPU per request). */
  total: number;
}

function summarise(latencies: number[], seconds: number, failures: number, firstFailure: string | null): Stats {
  const sorted = Float64Array.from(latencies).sort();
  const at = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : Number.NaN);
  const max = sorted.length ? sorted[sorted.length - 1] : Number.NaN;
  return { count: sorted.length, seconds, rate: sorted.length / seconds, p50: at(50), p95: at(95), p99: at(99), max, failures, firstFailure, total: sorted.length + failures };
}

/** Runs `one` on `connections` loops: `warmup` s discarded, then `duration` s measured. */
export async function closedLoop(connections: number, warmup: number, duration: number, one: (conn: number) => Promise<string | null>): Promise<Stats> {
  let done = 0;
  const run = async (seconds: number, record: boolean) => {
    const latencies: number[] = [];
    let failures = 0;
    let firstFailure: string | null = null;
    const began = performance.now();
    const deadline = began + seconds * 1000;
    await Promise.all(
      Array.from({ length: connections }, async (_, conn) => {
        while (performance.now() < deadline) {
          const t = performance.now();
          let failure: string | null;
          try {
            failure = await one(conn);
          } catch (error) {
            failure = (error as Error).message;
          }
          done++;
          if (failure !== null) {
            failures++;
            firstFailure ??= failure;
          } else if (record) latencies.push(performance.now() - t);
        }
      }),
    );
    return summarise(latencies, (performance.now() - began) / 1000, failures, firstFailure);
  };
  if (warmup > 0) await run(warmup, false);
  const stats = await run(duration, true);
  stats.total = done;
  return stats;
}

// ---------------------------------------------------------------------------------------------
// The load child: `node --import tsx bench/load.ts --load '<json>'`, prints Stats as JSON.

export interface Target {
  path: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
}
export interface LoadSpec {
  base: string;
  connections: number;
  warmup: number;
  duration: number;
  /** Connection i sends targets[i % targets.length]. */
  targets: Target[];
}

/**
 * One HTTP request of a target over a keep-alive agent: resolves null on a 2xx, else the status and
 * the start of the body (a failed request is counted, not thrown); rejects on a socket error.
 */
export function requester(base: URL, agent: http.Agent, timeoutMs: number) {
  return (t: Target) =>
    new Promise<string | null>((resolve, reject) => {
      const headers = { ...t.headers, ...(t.body ? { 'content-length': Buffer.byteLength(t.body) } : {}) };
      const req = http.request({ host: base.hostname, port: base.port, path: t.path, method: t.method, agent, headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => {
          if (text.length < 500) text += d;
        });
        res.on('end', () => {
          const code = res.statusCode ?? 0;
          resolve(code >= 200 && code < 300 ? null : `${code} ${text.slice(0, 300)}`);
        });
        res.on('error', reject);
      });
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`timeout after ${timeoutMs / 1000} s`)));
      req.on('error', reject);
      req.end(t.body);
    });
}

async function loadChild(spec: LoadSpec): Promise<void> {
  assertLoopback(spec.base);
  const base = new URL(spec.base);
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.connections });
  const request = requester(base, agent, 10_000);
  const stats = await closedLoop(spec.connections, spec.warmup, spec.duration, (conn) => request(spec.targets[conn % spec.targets.length]));
  agent.destroy();
  process.stdout.write(`${JSON.stringify(stats)}\n`);
}

/** HTTP load from a child process, so the load generator never shares Steward's event loop. */
export function httpLoad(spec: LoadSpec): Promise<Stats> {
  assertLoopback(spec.base);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', SELF, '--load', JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), (spec.warmup + spec.duration + 60) * 1000);
    child.on('error', (e) => {
      clearTimeout(killer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(killer);
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as Stats);
      } catch {
        reject(new Error(`load child exited ${code}: ${err.trim() || out.trim()}`));
      }
    });
  });
}

// ---------------------------------------------------------------------------------------------
// CPU per request: this process (Steward, or the pg driver for raw SQL) and the database's backends.

export type CpuSnapshot = { node: number; pg: Map<number, number> | null };

export async function cpuSnapshot(pool: pg.Pool): Promise<CpuSnapshot> {
  const u = process.cpuUsage();
  let backends: Map<number, number> | null = new Map();
  try {
    const { rows } = await pool.query('select pid from pg_stat_activity where datname = current_database()');
    for (const r of rows) {
      try {
        const stat = readFileSync(`/proc/${r.pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        backends.set(Number(r.pid), ((Number(fields[11]) + Number(fields[12])) * 1000) / 100);
      } catch {
        /* gone already */
      }
    }
    if (backends.size === 0) backends = null;
  } catch {
    backends = null;
  }
  return { node: (u.user + u.system) / 1000, pg: backends };
}

export function cpuPerRequest(before: CpuSnapshot, after: CpuSnapshot, requests: number): { node: number; pg: number | null } {
  let pgMs: number | null = null;
  if (before.pg && after.pg) {
    pgMs = 0;
    for (const [pid, ms] of after.pg) pgMs += ms - (before.pg.get(pid) ?? 0);
  }
  const n = Math.max(1, requests);
  return { node: (after.node - before.node) / n, pg: pgMs === null ? null : pgMs / n };
}

export const fmt = (n: number): string => (Number.isFinite(n) ? (n >= 100 ? n.toFixed(0) : n.toFixed(1)) : '–');

// ---------------------------------------------------------------------------------------------
// Sessions, captured SQL, tenant transactions and plans.

/** A session: the cookie, and the CSRF token cookie-authenticated writes must send as a header. */
export async function login(base: string, email: string, password: string): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: email, password }),
    signal: AbortSignal.timeout(15_000),
  });
  if (res.status !== 200) throw new Error(`login ${email} answered ${res.status}: ${await res.text()}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .find((c) => c.startsWith('steward_session='));
  if (!cookie) throw new Error('login set no session cookie');
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie, csrf: csrfToken };
}

/** Captures the SQL the pg driver is asked to run while `fn` runs (for EXPLAIN and round-trip counts). */
export async function capture(fn: () => Promise<void>): Promise<Array<{ text: string; values: unknown[] }>> {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  const seen: Array<{ text: string; values: unknown[] }> = [];
  proto.query = function (this: unknown, ...args: unknown[]) {
    const [a, b] = args;
    if (typeof a === 'string') seen.push({ text: a, values: (b as unknown[]) ?? [] });
    else if (a && typeof a === 'object' && 'text' in a)
      seen.push({ text: (a as { text: string }).text, values: (b as unknown[]) ?? (a as { values?: unknown[] }).values ?? [] });
    return original.apply(this, args);
  };
  try {
    await fn();
  } finally {
    proto.query = original;
  }
  return seen;
}

/** Enters a company as withTenant() does: app.tenant_id, the role steward_app, joins in written order. */
export const ENTER_TENANT = `select set_config('app.tenant_id', $1, true), set_config('role', 'steward_app', true), set_config('join_collapse_limit', '1', true)`;

export async function inTenant<T>(client: pg.PoolClient, tenantId: number, fn: () => Promise<T>, enter = ENTER_TENANT): Promise<T> {
  await client.query('begin');
  try {
    await client.query(enter, [String(tenantId)]);
    const result = await fn();
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  }
}

/** EXPLAIN (ANALYZE, BUFFERS) in a tenant transaction; run twice, the second (warm) plan is returned. */
export async function explain(pool: pg.Pool, tenantId: number, text: string, values: unknown[], enter = ENTER_TENANT): Promise<string> {
  const client = await pool.connect();
  try {
    return await inTenant(
      client,
      tenantId,
      async () => {
        // Twice: the first run warms this connection's catalog caches, the second is the one shown.
        await client.query(`explain (analyze, buffers) ${text}`, values);
        const res = await client.query(`explain (analyze, buffers) ${text}`, values);
        return res.rows.map((r) => r['QUERY PLAN'] as string).join('\n');
      },
      enter,
    );
  } finally {
    client.release();
  }
}

export const keyLines = (plan: string) =>
  plan
    .split('\n')
    .filter((l) => /Scan|Execution Time|Planning Time|Rows Removed|Limit|Recheck|Sort|SubPlan|Index Cond|Filter:|Buffers: shared/.test(l))
    .slice(0, 16)
    .map((l) => `    ${l}`)
    .join('\n');

if (process.argv[1] && path.resolve(process.argv[1]) === SELF && process.argv[2] === '--load') {
  loadChild(JSON.parse(process.argv[3] ?? '{}') as LoadSpec).then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
