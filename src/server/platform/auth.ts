// Who is calling: resolves the session cookie or the Bearer token to an Actor with one query, and
// enforces each route's declared access (permission, 'authenticated', 'superadmin' or 'public')
// and the CSRF header on cookie-authenticated writes.
import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isPermission, type Permission, type RouteAccess } from '../../shared/permissions/index.js';
import { apiTokens, companies, roles, sessions, superAdmins, users } from '../db/schema/index.js';
import type { Actor, RequestInfo } from './actor.js';
import { safeEqual, sha256 } from './crypto.js';
import type { Database } from './db.js';
import type { AuthCache } from './auth-cache.js';
import { AppError } from './errors.js';

export const SESSION_COOKIE = 'steward_session';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    actor: Actor | null;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface SessionLifetimes {
  sessionDays: number;
  rememberDays: number;
}

/** The session lookup runs on every uncached request: built (and on PostgreSQL prepared) once. */
const sessionQueries = new WeakMap<Database, ReturnType<typeof buildSessionQuery>>();
function buildSessionQuery(database: Database) {
  return database.drizzle
    .select({
      sessionId: sessions.id,
      csrfToken: sessions.csrfToken,
      lastSeenAt: sessions.lastSeenAt,
      remember: sessions.remember,
      superAdminId: superAdmins.id,
      saName: superAdmins.name,
      saEmail: superAdmins.email,
      user: {
        id: users.id,
        tenantId: users.tenantId,
        name: users.name,
        email: users.email,
        username: users.username,
        status: users.status,
        departmentId: users.departmentId,
        ...profileColumns,
      },
      role: { id: roles.id, name: roles.name, level: roles.level, permissions: roles.permissions },
      suspended: companies.suspended,
      companyName: companies.name,
      companySlug: companies.slug,
      companyTimezone: companies.timezone,
    })
    .from(sessions)
    .leftJoin(superAdmins, eq(superAdmins.id, sessions.superAdminId))
    .leftJoin(users, and(eq(users.tenantId, sessions.tenantId), eq(users.id, sessions.userId)))
    .leftJoin(roles, and(eq(roles.tenantId, users.tenantId), eq(roles.id, users.roleId)))
    .leftJoin(companies, eq(companies.id, sessions.tenantId))
    .where(and(eq(sessions.tokenHash, sql.placeholder('hash')), gt(sessions.expiresAt, sql`now()`)))
    .limit(1)
    .prepare('steward_resolve_session');
}

/**
 * The caller behind a session token, as a re-check: the session's expiry is left alone. Used where
 * the system, not the user, asks (the live socket's heartbeat and re-checks), so that an open tab
 * nobody uses still times out.
 */
export async function checkSession(database: Database, token: string): Promise<Actor | null> {
  return (await lookupSession(database, token))?.actor ?? null;
}

/** The caller behind a session token on a request of the user's own: slides the session's expiry. */
export async function resolveSession(database: Database, token: string, lifetimes: SessionLifetimes = { sessionDays: 1, rememberDays: 30 }): Promise<Actor | null> {
  const found = await lookupSession(database, token);
  if (!found) return null;
  // Sliding expiry, written at most once a minute so reads stay reads.
  if (Date.now() - found.lastSeenAt.getTime() > 60_000) {
    await database.drizzle
      .update(sessions)
      .set({
        lastSeenAt: sql`now()`,
        expiresAt: sql`greatest(${sessions.expiresAt}, now() + make_interval(days => (case when ${sessions.remember} then ${lifetimes.rememberDays} else ${lifetimes.sessionDays} end)::int))`,
      })
      .where(eq(sessions.id, found.sessionId));
  }
  return found.actor;
}

async function lookupSession(database: Database, token: string): Promise<{ actor: Actor; sessionId: number; lastSeenAt: Date } | null> {
  let prepared = sessionQueries.get(database);
  if (!prepared) {
    prepared = buildSessionQuery(database);
    sessionQueries.set(database, prepared);
  }
  const rows = await prepared.execute({ hash: sha256(token) });
  const row = rows[0];
  if (!row) return null;
  const actor = sessionActor(row);
  return actor ? { actor, sessionId: row.sessionId, lastSeenAt: row.lastSeenAt } : null;
}

function sessionActor(row: Awaited<ReturnType<ReturnType<typeof buildSessionQuery>['execute']>>[number]): Actor | null {
  if (row.superAdminId !== null && row.saName !== null && row.saEmail !== null) {
    return {
      kind: 'superadmin',
      superAdminId: row.superAdminId,
      name: row.saName,
      email: row.saEmail,
      via: 'session',
      sessionId: row.sessionId,
      csrfToken: row.csrfToken,
    };
  }
  if (!row.user || !row.role || row.user.status !== 'active' || row.suspended !== false) return null;
  return userActor(row.user, row.role, { via: 'session', sessionId: row.sessionId, tokenId: null, csrfToken: row.csrfToken }, {
    name: row.companyName ?? '',
    slug: row.companySlug ?? '',
    timezone: row.companyTimezone ?? 'UTC',
  });
}

const profileColumns = {
  timezone: users.timezone,
  theme: users.theme,
  color: users.color,
  preferences: users.preferences,
  totpEnabled: users.totpEnabled,
};

function userActor(
  user: {
    id: number;
    tenantId: number;
    name: string;
    email: string;
    username: string | null;
    departmentId: number | null;
    timezone: string;
    theme: string;
    color: string;
    preferences: Record<string, unknown>;
    totpEnabled: boolean;
  },
  role: { id: number; name: string; level: number; permissions: string[] },
  via: { via: 'session' | 'token'; sessionId: number | null; tokenId: number | null; csrfToken: string | null },
  company: { name: string; slug: string; timezone: string },
): Actor {
  return {
    profile: {
      timezone: user.timezone,
      theme: user.theme,
      color: user.color,
      preferences: user.preferences,
      totpEnabled: user.totpEnabled,
      companyName: company.name,
      companySlug: company.slug,
      companyTimezone: company.timezone,
    },
    kind: 'user',
    userId: user.id,
    tenantId: user.tenantId,
    name: user.name,
    email: user.email,
    username: user.username,
    departmentId: user.departmentId,
    roleId: role.id,
    roleName: role.name,
    level: role.level,
    permissions: new Set(role.permissions.filter(isPermission)),
    ...via,
  };
}

/** The caller behind an API token; `recordUse: false` for a re-check that is not the client's own call. */
export async function resolveApiToken(database: Database, token: string, opts: { recordUse?: boolean } = {}): Promise<Actor | null> {
  const rows = await database.drizzle
    .select({
      tokenId: apiTokens.id,
      lastUsedAt: apiTokens.lastUsedAt,
      user: {
        id: users.id,
        tenantId: users.tenantId,
        name: users.name,
        email: users.email,
        username: users.username,
        status: users.status,
        departmentId: users.departmentId,
        ...profileColumns,
      },
      role: { id: roles.id, name: roles.name, level: roles.level, permissions: roles.permissions },
      suspended: companies.suspended,
      companyName: companies.name,
      companySlug: companies.slug,
      companyTimezone: companies.timezone,
    })
    .from(apiTokens)
    .innerJoin(users, and(eq(users.tenantId, apiTokens.tenantId), eq(users.id, apiTokens.userId)))
    .innerJoin(roles, and(eq(roles.tenantId, users.tenantId), eq(roles.id, users.roleId)))
    .innerJoin(companies, eq(companies.id, apiTokens.tenantId))
    .where(and(eq(apiTokens.tokenHash, sha256(token)), or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, sql`now()`))))
    .limit(1);
  const row = rows[0];
  if (!row || row.user.status !== 'active') return null;
  if (opts.recordUse !== false && (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000)) {
    await database.drizzle.update(apiTokens).set({ lastUsedAt: sql`now()` }).where(eq(apiTokens.id, row.tokenId));
  }
  const actor = userActor(row.user, row.role, { via: 'token', sessionId: null, tokenId: row.tokenId, csrfToken: null }, {
    name: row.companyName,
    slug: row.companySlug,
    timezone: row.companyTimezone,
  });
  // A suspended company's tokens keep reading (integrations, exports) but change nothing (read-only.ts).
  return row.suspended && actor.kind === 'user' ? { ...actor, readOnly: 'company_suspended' } : actor;
}

export function requestInfo(request: FastifyRequest): RequestInfo {
  const ua = request.headers['user-agent'];
  return { ip: request.ip, userAgent: typeof ua === 'string' ? ua.slice(0, 300) : null };
}

export function checkAccess(actor: Actor | null, access: RouteAccess): void {
  if (access === 'public') return;
  if (!actor) throw new AppError('unauthenticated', 'Please log in');
  if (access === 'authenticated') return;
  if (access === 'superadmin') {
    if (actor.kind !== 'superadmin') throw new AppError('forbidden', 'Only the instance operator may do this');
    return;
  }
  if (actor.kind !== 'user' || !actor.permissions.has(access as Permission)) {
    throw new AppError('forbidden', 'You do not have permission to do this', { permission: access });
  }
}

/** Installs actor resolution and access checks, and refuses to boot with an undeclared route. */
export function registerAuth(app: FastifyInstance, database: Database, lifetimes?: SessionLifetimes, cache?: AuthCache): void {
  const declared: Array<{ method: string | string[]; url: string; config: { access?: RouteAccess } | undefined }> = [];
  app.decorateRequest('actor', null);

  app.addHook('onRoute', (route) => {
    route.config ??= {} as never;
    declared.push({ method: route.method, url: route.url, config: route.config as { access?: RouteAccess } });
  });

  if (cache) {
    app.addHook('onReady', () => cache.start(database));
    app.addHook('onClose', () => cache.stop());
  }

  app.addHook('onReady', async () => {
    const missing = declared.filter((r) => !r.config?.access).map((r) => `${[r.method].flat().join(',')} ${r.url}`);
    if (missing.length > 0) throw new Error(`routes without a declared permission: ${missing.join('; ')}`);
  });

  app.addHook('onRequest', async (request: FastifyRequest, _reply: FastifyReply) => {
    const access = request.routeOptions.config?.access;
    // Public routes (pages, health, login, setup) never read the caller: no lookup for them.
    if (!access || access === 'public') return;
    const authz = request.headers.authorization;
    if (typeof authz === 'string' && authz.startsWith('Bearer ')) {
      const key = `bearer:${sha256(authz.slice(7).trim())}`;
      let actor = cache?.get(key);
      if (actor === undefined) {
        actor = await resolveApiToken(database, authz.slice(7).trim());
        if (actor) cache?.set(key, actor);
      }
      request.actor = actor;
      if (!request.actor) throw new AppError('unauthenticated', 'The API token is not valid');
    } else {
      const token = request.cookies?.[SESSION_COOKIE];
      if (token) {
        const key = `session:${sha256(token)}`;
        let actor = cache?.get(key);
        if (actor === undefined) {
          actor = await resolveSession(database, token, lifetimes);
          if (actor) cache?.set(key, actor);
        }
        request.actor = actor;
      }
      const actor = request.actor;
      if (actor && !SAFE_METHODS.has(request.method)) {
        const header = request.headers['x-csrf-token'];
        if (typeof header !== 'string' || !actor.csrfToken || !safeEqual(header, actor.csrfToken)) {
          throw new AppError('csrf', 'The CSRF token is missing or wrong; reload the page');
        }
      }
    }
    checkAccess(request.actor, access);
  });
}
