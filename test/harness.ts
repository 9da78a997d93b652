// A fresh Steward per test file: buildApp on a new database (in-memory PGlite, or a new database on
// the PostgreSQL server of TEST_DATABASE_URL), with an HTTP client that keeps cookies and CSRF.
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../src/server/app.js';
import { testConfig } from '../src/server/config.js';
import type { Deps } from '../src/server/platform/context.js';
import { openDatabase } from '../src/server/platform/db.js';
import { createPostgresDatabase, pgliteTemplate } from './db-template.js';
import { createLogger } from '../src/server/platform/logger.js';
import { createDeps } from '../src/server/runtime.js';
import { MODULES } from '../src/server/modules/index.js';
import type { ModulePlugin } from '../src/server/modules/http.js';
import type { RouteAccess } from '../src/shared/permissions/index.js';

export const TEST_DB = (process.env.STEWARD_TEST_DB ?? 'pglite') as 'pglite' | 'postgres';

/** One registered route (HEAD twins left out), with the access it declares. */
export interface RouteInfo {
  method: string;
  url: string;
  access: RouteAccess | undefined;
  websocket: boolean;
}

export interface Harness {
  app: FastifyInstance;
  deps: Deps;
  /** Every route the modules registered, collected by an onRoute hook installed before them. */
  routes: RouteInfo[];
  client(): Client;
  close(): Promise<void>;
}

export async function harness(overrides: Parameters<typeof testConfig>[0] = {}): Promise<Harness> {
  const base = process.env.TEST_DATABASE_URL;
  if (TEST_DB === 'postgres' && !base) throw new Error('STEWARD_TEST_DB=postgres needs TEST_DATABASE_URL');
  const pgdb = TEST_DB === 'postgres' ? await createPostgresDatabase(base as string) : null;
  const template = TEST_DB === 'pglite' ? await pgliteTemplate() : undefined;
  const config = testConfig({
    databaseUrl: pgdb?.url ?? null,
    dataDir: path.join(tmpdir(), `steward-test-${randomBytes(4).toString('hex')}`),
    ...overrides,
  });
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, memory: true, template, poolSize: 5 });
  // A no-op on a template (its migrations are recorded); kept so a stale template cannot hide one.
  await database.migrate();
  const deps = await createDeps(config, { database, log: createLogger('silent') });
  const routes: RouteInfo[] = [];
  // A plugin run before the modules (skip-override: its hook lands in the root context) that sees
  // every module route with its final config.
  const collector = (async (instance) => {
    instance.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) {
        if (method === 'HEAD') continue;
        routes.push({
          method,
          url: route.url,
          access: (route.config as { access?: RouteAccess } | undefined)?.access,
          websocket: Boolean((route as { websocket?: boolean }).websocket),
        });
      }
    });
  }) as ModulePlugin;
  (collector as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;
  MODULES.unshift(collector);
  let app: FastifyInstance;
  try {
    app = await buildApp(deps, { webDir: null });
  } finally {
    MODULES.splice(MODULES.indexOf(collector), 1);
  }
  await app.ready();
  await deps.hub.start(database);
  return {
    app,
    deps,
    routes,
    client: () => new Client(app),
    async close() {
      await app.close();
      await deps.hub.stop();
      await database.close();
      await pgdb?.drop();
      await rm(config.dataDir, { recursive: true, force: true });
    },
  };
}

export interface Answer<T = any> {
  status: number;
  body: T;
  headers: LightMyRequestResponse['headers'];
  raw: LightMyRequestResponse;
}

/** An HTTP client over inject(): keeps the session cookie and sends the CSRF header. */
export class Client {
  cookie: string | null = null;
  csrf: string | null = null;
  bearer: string | null = null;
  /** Set false to leave the CSRF header out (to test the check). */
  sendCsrf = true;
  /** The caller's address (login throttling counts per IP). */
  remoteAddress = '127.0.0.1';

  constructor(readonly app: FastifyInstance) {}

  async request<T = any>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer<T>> {
    const h: Record<string, string> = { ...headers };
    if (this.cookie) h.cookie = this.cookie;
    if (this.bearer) h.authorization = `Bearer ${this.bearer}`;
    if (this.csrf && this.sendCsrf && method !== 'GET') h['x-csrf-token'] = this.csrf;
    const raw = await this.app.inject({
      method: method as never,
      url,
      payload: body as never,
      headers: h,
      remoteAddress: this.remoteAddress,
    });
    const setCookie = raw.headers['set-cookie'];
    for (const c of [setCookie].flat()) {
      if (typeof c === 'string' && c.startsWith('steward_session=')) {
        const value = c.split(';')[0];
        this.cookie = value === 'steward_session=' ? null : value;
      }
    }
    let parsed: unknown = raw.body;
    if (String(raw.headers['content-type'] ?? '').includes('application/json') && raw.body) parsed = JSON.parse(raw.body);
    if (url === '/api/v1/auth/login' && raw.statusCode === 200) this.csrf = (parsed as { csrfToken: string }).csrfToken;
    return { status: raw.statusCode, body: parsed as T, headers: raw.headers, raw };
  }

  get = <T = any>(url: string) => this.request<T>('GET', url);
  post = <T = any>(url: string, body: unknown = {}) => this.request<T>('POST', url, body);
  patch = <T = any>(url: string, body: unknown = {}) => this.request<T>('PATCH', url, body);
  delete = <T = any>(url: string) => this.request<T>('DELETE', url);

  async login(login: string, password: string, extra: Record<string, unknown> = {}): Promise<Answer> {
    return this.post('/api/v1/auth/login', { login, password, ...extra });
  }
}
