// Throughput of authenticated GET /api/v1/me and of login, next to a bare Fastify JSON route
// measured in the same run, on PGlite and on PostgreSQL.
//
//   npm run bench
//
// One Node process (this one) serves both the bare Fastify app and Steward, each on its own
// 127.0.0.1 port; the load comes from autocannon in a child process, so the server and the load
// generator never share an event loop. Scenarios run one after another, never at once.
//
// Scenarios, per database (the bare route is measured again for each, for the ratio):
//   bare Fastify GET /bare         Fastify() with one route answering {"hello":"world"}
//   Steward GET /healthz           Steward's whole plugin stack, no cookie, no database
//   GET /api/v1/system (session)   the session lookup of the auth hook, then a constant answer
//   GET /api/v1/me (session)       the session lookup, then a tenant transaction with one select
//   POST /api/v1/auth/login        a correct login: argon2id verification and a new session
//
// Environment (all optional):
//   BENCH_DURATION            seconds per measured scenario (default 10)
//   BENCH_CONNECTIONS         concurrent connections (default 10)
//   BENCH_WARMUP              seconds of discarded load before each scenario (default 2)
//   BENCH_LOGIN_DURATION      seconds for the login scenario (default 5)
//   BENCH_LOGIN_CONNECTIONS   connections for the login scenario (default 4)
//   BENCH_DATABASES           comma list of pglite,postgres (default both)
//   BENCH_DATABASE_URL        PostgreSQL database to drop and recreate
//                             (default postgres://postgres@127.0.0.1:5432/steward_bench)
//   BENCH_JSON                file to write the raw results to, as JSON
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import pg from 'pg';
import { loadConfig } from '../src/server/config.js';
import { type Running, start } from '../src/server/main.js';

type DbKind = 'pglite' | 'postgres';

interface Scenario {
  name: string;
  database: DbKind;
  connections: number;
  duration: number;
  rps: number;
  p50: number;
  p99: number;
  total: number;
  non2xx: number;
  errors: number;
  ratio: number | null;
}

function intEnv(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
  return n;
}

const DURATION = intEnv('BENCH_DURATION', 10, 1, 120);
const CONNECTIONS = intEnv('BENCH_CONNECTIONS', 10, 1, 256);
const WARMUP = intEnv('BENCH_WARMUP', 2, 0, 30);
const LOGIN_DURATION = intEnv('BENCH_LOGIN_DURATION', 5, 1, 120);
const LOGIN_CONNECTIONS = intEnv('BENCH_LOGIN_CONNECTIONS', 4, 1, 64);
const DATABASES = (process.env.BENCH_DATABASES ?? 'pglite,postgres')
  .split(',')
  .map((s) => s.trim())
  .filter((s): s is DbKind => s === 'pglite' || s === 'postgres');
const PG_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/steward_bench';
const TARGET = 0.4;

const require = createRequire(import.meta.url);
const AUTOCANNON = require.resolve('autocannon/autocannon.js');

const PASSWORD = 'bench-password-1234';
const ADMIN_EMAIL = 'admin@bench.test';

/** Only loopback targets: this tool must never load anything else. */
function assertLoopback(url: string): void {
  const host = new URL(url).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '[::1]') throw new Error(`refusing a non-loopback target: ${url}`);
}

interface LoadOptions {
  url: string;
  connections: number;
  duration: number;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
}

/** Runs autocannon in a child process and returns its JSON summary; killed if it overruns. */
function autocannon(opts: LoadOptions): Promise<AutocannonResult> {
  assertLoopback(opts.url);
  const args = [
    AUTOCANNON,
    '--json',
    '--no-progress',
    '-c',
    String(opts.connections),
    '-d',
    String(opts.duration),
    '-m',
    opts.method ?? 'GET',
    '-t',
    '10',
  ];
  for (const [k, v] of Object.entries(opts.headers ?? {})) args.push('-H', `${k}=${v}`);
  if (opts.body !== undefined) args.push('-b', opts.body);
  args.push(opts.url);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), (opts.duration + 30) * 1000);
    child.on('error', (e) => {
      clearTimeout(killer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(killer);
      const line = out.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as AutocannonResult);
      } catch {
        reject(new Error(`autocannon exited ${code}: ${err.trim() || out.trim()}`));
      }
    });
  });
}

async function measure(name: string, database: DbKind, opts: LoadOptions): Promise<Scenario> {
  if (WARMUP > 0) await autocannon({ ...opts, duration: WARMUP });
  const r = await autocannon(opts);
  const s: Scenario = {
    name,
    database,
    connections: opts.connections,
    duration: opts.duration,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    total: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    ratio: null,
  };
  process.stderr.write(
    `  ${database.padEnd(8)} ${name.padEnd(28)} ${s.rps.toFixed(0).padStart(7)} req/s  p50 ${s.p50} ms  p99 ${s.p99} ms\n`,
  );
  if (s.non2xx > 0 || s.errors > 0)
    throw new Error(`${name} on ${database}: ${s.non2xx} non-2xx answers and ${s.errors} errors; the numbers would be meaningless`);
  return s;
}

/** The reference: a Fastify instance with one JSON route and nothing else, in this process. */
async function bareServer(): Promise<{ app: FastifyInstance; url: string }> {
  const app = Fastify({ logger: false });
  app.get('/bare', async () => ({ hello: 'world' }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address !== 'object') throw new Error('bare server has no address');
  return { app, url: `http://127.0.0.1:${address.port}/bare` };
}

/** Drops and recreates the bench database; null when the server does not answer. */
async function recreatePostgres(url: string): Promise<string | null> {
  assertLoopback(url);
  const target = new URL(url);
  const name = target.pathname.replace(/^\//, '');
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`BENCH_DATABASE_URL: unusable database name "${name}"`);
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const client = new pg.Client({ connectionString: maintenance.toString(), connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
  } catch (error) {
    process.stderr.write(`PostgreSQL at ${maintenance.host} is not reachable (${(error as Error).message}); skipping it\n`);
    return null;
  }
  try {
    await client.query(`drop database if exists ${name} with (force)`);
    await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
  return url;
}

async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  assertLoopback(url);
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
}

/** The first company and its admin through the setup screen's endpoint, then a real login. */
async function seed(base: string): Promise<string> {
  const setup = await postJson(`${base}/api/v1/setup`, {
    company: { name: 'Bench Company', slug: 'bench' },
    admin: { name: 'Bench Admin', email: ADMIN_EMAIL, password: PASSWORD },
  });
  if (setup.status !== 201) throw new Error(`setup answered ${setup.status}: ${await setup.text()}`);
  const login = await postJson(`${base}/api/v1/auth/login`, { login: ADMIN_EMAIL, password: PASSWORD });
  if (login.status !== 200) throw new Error(`login answered ${login.status}: ${await login.text()}`);
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .find((c) => c.startsWith('steward_session='));
  if (!cookie) throw new Error('login set no session cookie');
  const me = await fetch(`${base}/api/v1/me`, { headers: { cookie }, signal: AbortSignal.timeout(15_000) });
  if (me.status !== 200) throw new Error(`GET /api/v1/me answered ${me.status}: ${await me.text()}`);
  return cookie;
}

async function benchDatabase(kind: DbKind, bareUrl: string): Promise<Scenario[]> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `steward-bench-${kind}-`));
  let running: Running | null = null;
  try {
    const databaseUrl = kind === 'postgres' ? await recreatePostgres(PG_URL) : null;
    if (kind === 'postgres' && !databaseUrl) return [];
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      STEWARD_DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl ?? undefined,
      LOG_LEVEL: 'silent',
      SESSION_SECRET: randomBytes(32).toString('hex'),
      STEWARD_ROLES: 'web,worker',
      // AUTH_CACHE_SECONDS=0 measures the uncached path (a session query per request).
      AUTH_CACHE_SECONDS: process.env.AUTH_CACHE_SECONDS,
    });
    process.stderr.write(`${kind}: starting Steward (data in ${dataDir})\n`);
    running = await start(config);
    const base = running.url;
    if (!base) throw new Error('Steward did not start its web role');
    assertLoopback(base);
    const cookie = await seed(base);

    const results: Scenario[] = [];
    const bare = await measure('bare Fastify GET /bare', kind, { url: bareUrl, connections: CONNECTIONS, duration: DURATION });
    results.push(bare);
    results.push(await measure('Steward GET /healthz', kind, { url: `${base}/healthz`, connections: CONNECTIONS, duration: DURATION }));
    results.push(
      await measure('GET /api/v1/system (session)', kind, {
        url: `${base}/api/v1/system`,
        connections: CONNECTIONS,
        duration: DURATION,
        headers: { cookie },
      }),
    );
    results.push(
      await measure('GET /api/v1/me (session)', kind, {
        url: `${base}/api/v1/me`,
        connections: CONNECTIONS,
        duration: DURATION,
        headers: { cookie },
      }),
    );
    results.push(
      await measure('POST /api/v1/auth/login', kind, {
        url: `${base}/api/v1/auth/login`,
        connections: LOGIN_CONNECTIONS,
        duration: LOGIN_DURATION,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login: ADMIN_EMAIL, password: PASSWORD }),
      }),
    );
    for (const r of results) r.ratio = r.rps / bare.rps;
    return results;
  } finally {
    await running?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function table(results: Scenario[]): string {
  const lines = [
    '| Scenario | Database | Conn. | req/s | p50 (ms) | p99 (ms) | vs bare |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of results) {
    const ratio = r.ratio === null ? '' : `${(r.ratio * 100).toFixed(1)} %`;
    lines.push(`| ${r.name} | ${r.database} | ${r.connections} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${ratio} |`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const started = Date.now();
  const cpus = os.cpus();
  const machine = `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.type()} ${os.release()}, Node ${process.version}`;
  const settings = `${CONNECTIONS} connections × ${DURATION} s after ${WARMUP} s warm-up; login ${LOGIN_CONNECTIONS} connections × ${LOGIN_DURATION} s`;
  process.stderr.write(`${machine}\n${settings}\n`);

  const bare = await bareServer();
  const results: Scenario[] = [];
  try {
    for (const kind of DATABASES) results.push(...(await benchDatabase(kind, bare.url)));
  } finally {
    await bare.app.close();
  }

  const verdicts = DATABASES.map((db) => {
    const me = results.find((r) => r.database === db && r.name.startsWith('GET /api/v1/me'));
    if (!me || me.ratio === null) return `- ${db}: not measured`;
    return `- ${db}: authenticated GET at ${(me.ratio * 100).toFixed(1)} % of the bare route — target ≥ ${TARGET * 100} % ${me.ratio >= TARGET ? 'met' : 'NOT met'}`;
  });
  console.log(`Machine: ${machine}\nSettings: ${settings}\n\n${table(results)}\n\n${verdicts.join('\n')}`);
  process.stderr.write(`finished in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, JSON.stringify({ machine, settings, results }, null, 2));
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
