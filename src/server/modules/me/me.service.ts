// The caller's own account: profile, password, sessions, second factor and personal API tokens.
import QRCode from 'qrcode';
import { z } from 'zod';
import type { ListQuery } from '../../../shared/contracts/common.js';
import { idCursor } from '../../db/keyset.js';
import { canListProjects, canListTickets } from '../../../shared/permissions/index.js';
import { type Actor, permissionSubject } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import { hashPassword, newToken, sha256, verifyPassword } from '../../platform/crypto.js';
import { AppError, notFound } from '../../platform/errors.js';
import { newTotpSecret, otpauthUrl, verifyTotp } from '../../platform/totp.js';
import { cutPage, decodeCursor, iso } from '../http.js';
import * as repo from './me.repo.js';

function unauthenticated(): never {
  throw new AppError('unauthenticated', 'Please log in');
}

export async function getMe(ctx: Ctx) {
  const actor = ctx.actor ?? unauthenticated();
  if (actor.kind === 'superadmin') {
    const sa = await ctx.deps.database.system(({ tx }) => repo.findSuperAdmin(tx, actor.superAdminId));
    return {
      user: { id: String(sa.id), name: sa.name, email: sa.email, username: null, timezone: sa.timezone, theme: sa.theme, color: '#495057', preferences: {}, totpEnabled: false },
      company: null,
      role: null,
      permissions: [],
      superAdmin: true,
      csrfToken: actor.csrfToken,
      can: { viewTickets: false, viewProjects: false },
    };
  }
  // Everything /me shows was read with the session (and is cached with it): no query here.
  const p = actor.profile;
  return {
    user: {
      id: String(actor.userId),
      name: actor.name,
      email: actor.email,
      username: actor.username,
      timezone: p.timezone,
      theme: p.theme,
      color: p.color,
      preferences: p.preferences,
      totpEnabled: p.totpEnabled,
    },
    company: { id: String(actor.tenantId), name: p.companyName, slug: p.companySlug },
    role: { id: String(actor.roleId), name: actor.roleName, level: actor.level },
    permissions: [...actor.permissions].sort(),
    superAdmin: false,
    csrfToken: actor.csrfToken ?? '',
    can: { viewTickets: canListTickets(permissionSubject(actor)), viewProjects: canListProjects(permissionSubject(actor)) },
  };
}

export interface ProfileInput {
  name?: string;
  color?: string;
  timezone?: string;
  theme?: string;
  preferences?: Record<string, unknown>;
}

export async function updateProfile(ctx: Ctx, input: ProfileInput) {
  const actor = ctx.actor ?? unauthenticated();
  if (actor.kind === 'superadmin') {
    const { color: _c, preferences: _p, ...own } = input;
    await ctx.deps.database.system(async (scope) => {
      if (Object.keys(own).length > 0) await repo.updateSuperAdmin(scope.tx, actor.superAdminId, own);
      await ctx.deps.authCache.invalidate(scope);
    });
    return (await getMe(ctx)).user;
  }
  const u = await ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const row = await repo.updateUser(scope.tx, actor, input);
    await ctx.deps.authCache.invalidate(scope);
    return row;
  });
  return {
    id: String(u.id),
    name: u.name,
    email: u.email,
    username: u.username,
    timezone: u.timezone,
    theme: u.theme,
    color: u.color,
    preferences: u.preferences,
    totpEnabled: u.totpEnabled,
  };
}

export async function changePassword(ctx: Ctx, currentPassword: string, newPassword: string) {
  const actor = ctx.actor ?? unauthenticated();
  const newHash = await hashPassword(newPassword);
  const audit = { action: 'auth.password_changed' as const, targetType: actor.kind === 'user' ? 'user' : 'super_admin' };
  if (actor.kind === 'superadmin') {
    await ctx.deps.database.system(async (scope) => {
      const sa = await repo.findSuperAdmin(scope.tx, actor.superAdminId);
      if (!(await verifyPassword(sa.passwordHash, currentPassword))) throw wrongPassword();
      await repo.updateSuperAdmin(scope.tx, sa.id, { passwordHash: newHash });
      await repo.deleteOtherSessions(scope.tx, { superAdminId: sa.id }, actor.sessionId);
      await ctx.deps.authCache.invalidate(scope);
      await writeAudit(scope, actor, ctx.info.ip, { ...audit, targetId: sa.id });
    });
    return;
  }
  await ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const u = await repo.findUser(scope.tx, actor);
    if (!(await verifyPassword(u.passwordHash, currentPassword))) throw wrongPassword();
    await repo.updateUser(scope.tx, actor, { passwordHash: newHash });
    // Other sessions end; this one stays.
    await repo.deleteOtherSessions(scope.tx, actor, actor.sessionId);
    await ctx.deps.authCache.invalidate(scope);
    await writeAudit(scope, actor, ctx.info.ip, { ...audit, targetId: u.id });
  });
}

const wrongPassword = () => new AppError('validation', 'The current password is not right', { fields: { currentPassword: 'is not right' } });

const ownSessions = (actor: Actor): repo.SessionOwner =>
  actor.kind === 'superadmin' ? { superAdminId: actor.superAdminId } : { tenantId: actor.tenantId, userId: actor.userId };

function inOwnScope<T>(ctx: Ctx, fn: (scope: Parameters<Parameters<Ctx['deps']['database']['system']>[0]>[0]) => Promise<T>) {
  const actor = ctx.actor ?? unauthenticated();
  return actor.kind === 'superadmin' ? ctx.deps.database.system(fn) : ctx.deps.database.withTenant(actor.tenantId, fn);
}

const sessionCursor = z.tuple([z.iso.datetime(), z.number()]);

export async function listSessions(ctx: Ctx, q: ListQuery) {
  const actor = ctx.actor ?? unauthenticated();
  const after = decodeCursor(q.cursor, sessionCursor);
  const rows = await inOwnScope(ctx, ({ tx }) => repo.listSessions(tx, ownSessions(actor), { after, limit: q.limit }));
  const page = cutPage(rows, q.limit, (s) => [s.lastSeenAt.toISOString(), s.id]);
  return {
    nextCursor: page.nextCursor,
    items: page.rows.map((s) => ({
      id: String(s.id),
      createdAt: s.createdAt.toISOString(),
      lastSeenAt: s.lastSeenAt.toISOString(),
      expiresAt: s.expiresAt.toISOString(),
      ip: s.ip,
      userAgent: s.userAgent,
      current: s.id === actor.sessionId,
    })),
  };
}

export async function endSession(ctx: Ctx, id: number) {
  const actor = ctx.actor ?? unauthenticated();
  await inOwnScope(ctx, async (scope) => {
    if (!(await repo.deleteSession(scope.tx, ownSessions(actor), id))) throw notFound('Session');
    await ctx.deps.authCache.invalidate(scope);
    await writeAudit(scope, actor, ctx.info.ip, { action: 'auth.session_ended', targetType: 'session', targetId: id });
  });
}

export async function setupTotp(ctx: Ctx) {
  const actor = requireUser(ctx);
  const secret = newTotpSecret();
  await ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    const u = await repo.findUser(tx, actor);
    if (u.totpEnabled) throw new AppError('totp_already_enabled', 'Two-factor authentication is already on; turn it off first');
    await repo.setTotp(tx, actor, { totpSecret: secret });
  });
  const url = otpauthUrl(secret, actor.email);
  return { secret, otpauthUrl: url, qrDataUrl: await QRCode.toDataURL(url, { margin: 1, width: 220 }) };
}

export async function enableTotp(ctx: Ctx, code: string) {
  const actor = requireUser(ctx);
  await ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const u = await repo.findUser(scope.tx, actor);
    if (!u.totpSecret) throw new AppError('totp_not_set_up', 'Start the set-up first');
    if (!verifyTotp(u.totpSecret, code)) throw new AppError('validation', 'The code is not right', { fields: { code: 'is not right' } });
    await repo.setTotp(scope.tx, actor, { totpEnabled: true });
    await ctx.deps.authCache.invalidate(scope);
    await writeAudit(scope, actor, ctx.info.ip, { action: 'auth.totp_enabled', targetType: 'user', targetId: u.id });
  });
}

export async function disableTotp(ctx: Ctx, password: string) {
  const actor = requireUser(ctx);
  await ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const u = await repo.findUser(scope.tx, actor);
    if (!(await verifyPassword(u.passwordHash, password))) throw new AppError('validation', 'The password is not right', { fields: { password: 'is not right' } });
    await repo.setTotp(scope.tx, actor, { totpEnabled: false, totpSecret: null });
    await ctx.deps.authCache.invalidate(scope);
    await writeAudit(scope, actor, ctx.info.ip, { action: 'auth.totp_disabled', targetType: 'user', targetId: u.id });
  });
}

export async function listApiTokens(ctx: Ctx, q: ListQuery) {
  const actor = requireUser(ctx);
  const before = decodeCursor(q.cursor, idCursor)?.[0] ?? null;
  const rows = await ctx.deps.database.withTenant(actor.tenantId, ({ tx }) => repo.listApiTokens(tx, actor, { before, limit: q.limit }));
  const page = cutPage(rows, q.limit, (t) => [t.id]);
  return {
    nextCursor: page.nextCursor,
    items: page.rows.map((t) => ({ id: String(t.id), name: t.name, createdAt: t.createdAt.toISOString(), expiresAt: iso(t.expiresAt), lastUsedAt: iso(t.lastUsedAt) })),
  };
}

export async function createApiToken(ctx: Ctx, input: { name: string; expiresInDays?: number }) {
  const actor = requireUser(ctx);
  const token = `stw_${newToken()}`;
  const id = await ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const tokenId = await repo.insertApiToken(scope.tx, actor, {
      name: input.name,
      tokenHash: sha256(token),
      expiresAt: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null,
    });
    await writeAudit(scope, actor, ctx.info.ip, { action: 'api_token.created', targetType: 'api_token', targetId: tokenId, details: { name: input.name } });
    return tokenId;
  });
  return { id: String(id), token };
}

export async function revokeApiToken(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  await ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    if (!(await repo.deleteApiToken(scope.tx, actor, id))) throw notFound('API token');
    await ctx.deps.authCache.invalidate(scope);
    await writeAudit(scope, actor, ctx.info.ip, { action: 'api_token.revoked', targetType: 'api_token', targetId: id });
  });
}
