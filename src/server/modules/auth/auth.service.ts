// Logging in and out, password resets and invitation links. Login lookups run before the company
// is known (owner transaction); everything they write about a user is audited in that company.
import { writeAudit } from '../../platform/audit.js';
import type { Ctx, Deps } from '../../platform/context.js';
import { burnPasswordTime, hashPassword, newToken, sha256, verifyPassword } from '../../platform/crypto.js';
import type { Scope } from '../../platform/db.js';
import { AppError, notFound } from '../../platform/errors.js';
import { passwordResetMail } from '../../platform/mail-templates.js';
import { verifyTotp } from '../../platform/totp.js';
import { endSessionsOf, insertOneTimeToken } from '../users/users.repo.js';
import * as repo from './auth.repo.js';

export const LOCKOUT = { perLogin: 5, perIp: 30, windowMinutes: 15, lockMinutes: 15 } as const;
const RESET_HOURS = 2;

export interface LoginInput {
  login: string;
  password: string;
  remember?: boolean;
  totp?: string;
}

export interface LoginResult {
  token: string;
  csrfToken: string;
  expiresAt: Date;
  remember: boolean;
  user: { id: string; name: string; email: string; username: string | null };
}

async function failLogin(
  ctx: Ctx,
  keys: string[],
  user: { tenantId: number; id: number } | null,
  login: string,
  reason: string,
  code = 'invalid_credentials',
): Promise<never> {
  const tenantId = user?.tenantId ?? null;
  await ctx.deps.database.system(async (scope) => {
    const byLogin = await repo.recordFailure(scope.tx, keys[0], LOCKOUT.perLogin, LOCKOUT.windowMinutes, LOCKOUT.lockMinutes);
    const byIp = await repo.recordFailure(scope.tx, keys[1], LOCKOUT.perIp, LOCKOUT.windowMinutes, LOCKOUT.lockMinutes);
    await writeAudit(scope, null, ctx.info.ip, { action: 'auth.login_failed', tenantId, details: { login, reason } });
    // The moment a lock starts is audited (in the user's company when the login is theirs), so an
    // admin sees who is locked out and since when, and can unlock them (POST /api/v1/users/:id/unlock).
    if (byLogin.lockedNow) {
      await writeAudit(scope, null, ctx.info.ip, {
        action: 'auth.locked_out',
        tenantId,
        targetType: user ? 'user' : undefined,
        targetId: user?.id,
        details: { login, lockedUntil: byLogin.lockedUntil?.toISOString() ?? null },
      });
    }
    if (byIp.lockedNow) {
      await writeAudit(scope, null, ctx.info.ip, { action: 'auth.locked_out', tenantId, details: { ip: ctx.info.ip, lockedUntil: byIp.lockedUntil?.toISOString() ?? null } });
    }
  });
  throw code === 'totp_invalid'
    ? new AppError('totp_invalid', 'The authentication code is not right')
    : new AppError('invalid_credentials', 'The login or password is not right');
}

export async function login(ctx: Ctx, input: LoginInput): Promise<LoginResult> {
  const { deps, info } = ctx;
  const login = input.login.trim().toLowerCase();
  const keys = [`login:${login}`, `ip:${info.ip}`];
  const locked = await deps.database.system((scope) => repo.throttleState(scope.tx, keys));
  if (locked.length > 0) {
    const until = Math.max(...locked.map((l) => l.lockedUntil?.getTime() ?? 0));
    const retryAfterSeconds = Math.max(1, Math.ceil((until - Date.now()) / 1000));
    throw new AppError('rate_limited', 'Too many failed logins; try again later', { retryAfterSeconds });
  }

  const admin = await deps.database.system((scope) => repo.findSuperAdminByEmail(scope.tx, login));
  const found = admin ? null : await deps.database.system((scope) => repo.findUserByLogin(scope.tx, login));
  const hash = admin?.passwordHash ?? found?.user.passwordHash ?? null;
  if (!hash) {
    await burnPasswordTime(input.password);
    return failLogin(ctx, keys, found?.user ?? null, login, found ? 'no password yet' : 'unknown login');
  }
  if (!(await verifyPassword(hash, input.password))) {
    return failLogin(ctx, keys, found?.user ?? null, login, 'wrong password');
  }
  if (found && found.user.status !== 'active') return failLogin(ctx, keys, found.user, login, `user ${found.user.status}`);
  if (found?.suspended) {
    await deps.database.system((scope) =>
      writeAudit(scope, null, info.ip, { action: 'auth.login_failed', tenantId: found.user.tenantId, details: { login, reason: 'company suspended' } }),
    );
    throw new AppError('company_suspended', 'This company is suspended; logins are refused');
  }
  if (found?.user.totpEnabled) {
    if (!input.totp) throw new AppError('totp_required', 'Enter the code from your authenticator app');
    if (!found.user.totpSecret || !verifyTotp(found.user.totpSecret, input.totp)) {
      return failLogin(ctx, keys, found.user, login, 'wrong second factor', 'totp_invalid');
    }
  }

  const remember = input.remember === true;
  const token = newToken();
  const csrfToken = newToken(24);
  const expiresAt = new Date(Date.now() + (remember ? deps.config.rememberDays : deps.config.sessionDays) * 86_400_000);
  await deps.database.system(async (scope) => {
    await repo.clearThrottle(scope.tx, keys[0]);
    await repo.insertSession(scope.tx, {
      tenantId: found?.user.tenantId ?? null,
      userId: found?.user.id ?? null,
      superAdminId: admin?.id ?? null,
      tokenHash: sha256(token),
      csrfToken,
      remember,
      ip: info.ip,
      userAgent: info.userAgent,
      expiresAt,
    });
    if (admin) await repo.touchSuperAdminLogin(scope.tx, admin.id);
    if (found) await repo.touchUserLogin(scope.tx, found.user.tenantId, found.user.id);
    await writeAudit(scope, null, info.ip, {
      action: 'auth.login',
      tenantId: found?.user.tenantId ?? null,
      targetType: admin ? 'super_admin' : 'user',
      targetId: admin?.id ?? found?.user.id,
      details: { login, remember, userAgent: info.userAgent },
      as: admin ? { superAdminId: admin.id, name: admin.name } : { userId: found!.user.id, name: found!.user.name },
    });
  });
  const who = admin
    ? { id: String(admin.id), name: admin.name, email: admin.email, username: null }
    : { id: String(found!.user.id), name: found!.user.name, email: found!.user.email, username: found!.user.username };
  return { token, csrfToken, expiresAt, remember, user: who };
}

export async function logout(deps: Deps, token: string | undefined): Promise<void> {
  if (!token) return;
  await deps.database.system(async (scope) => {
    await repo.deleteSessionByHash(scope.tx, sha256(token));
    await deps.authCache.invalidate(scope);
  });
}

/** Always answers the same, whether or not the address is known. */
export async function requestPasswordReset(ctx: Ctx, email: string): Promise<void> {
  const login = email.trim().toLowerCase();
  await ctx.deps.database.system(async (scope) => {
    const key = `reset:${login}`;
    if ((await repo.throttleState(scope.tx, [key])).length > 0) return;
    await repo.recordFailure(scope.tx, key, 5, 60, 60);
    const found = await repo.findUserByLogin(scope.tx, login);
    if (!found || found.user.status !== 'active' || found.suspended || found.user.email.toLowerCase() !== login) return;
    const token = newToken();
    await insertOneTimeToken(scope.tx, {
      tenantId: found.user.tenantId,
      userId: found.user.id,
      purpose: 'password_reset',
      tokenHash: sha256(token),
      expiresAt: new Date(Date.now() + RESET_HOURS * 3_600_000),
    });
    await ctx.deps.mailer.queue(
      scope,
      found.user.tenantId,
      passwordResetMail({ to: found.user.email, name: found.user.name, url: `${ctx.deps.config.publicUrl}/reset-password?token=${token}`, hours: RESET_HOURS }),
    );
    await writeAudit(scope, null, ctx.info.ip, { action: 'auth.password_reset_requested', tenantId: found.user.tenantId, targetType: 'user', targetId: found.user.id });
  });
}

const invalidLink = () => new AppError('invalid_token', 'This link is not valid any more; ask for a new one');

export async function completePasswordReset(ctx: Ctx, token: string, password: string): Promise<void> {
  const passwordHash = await hashPassword(password);
  await ctx.deps.database.system(async (scope) => {
    const row = await repo.findOneTimeToken(scope.tx, sha256(token), 'password_reset');
    if (!row || row.user.status !== 'active' || row.suspended) throw invalidLink();
    await repo.setPassword(scope.tx, row.user.tenantId, row.user.id, passwordHash);
    await repo.markTokenUsed(scope.tx, row.token.id);
    await endSessionsOf(scope.tx, row.user.tenantId, row.user.id);
    // Whoever proved control of the mailbox may log in again at once.
    await unlockLogins(scope, row.user);
    await ctx.deps.authCache.invalidate(scope);
    await writeAudit(scope, null, ctx.info.ip, { action: 'auth.password_reset', tenantId: row.user.tenantId, targetType: 'user', targetId: row.user.id });
  });
}

export async function describeInvitation(deps: Deps, token: string) {
  const row = await deps.database.system((scope) => repo.findOneTimeToken(scope.tx, sha256(token), 'invitation'));
  if (!row || row.user.status !== 'invited' || row.suspended) throw notFound('Invitation');
  return { email: row.user.email, name: row.user.name, username: row.user.username, companyName: row.companyName };
}

export async function acceptInvitation(ctx: Ctx, input: { token: string; password: string; username?: string | null }) {
  const passwordHash = await hashPassword(input.password);
  await ctx.deps.database.system(async (scope) => {
    const row = await repo.findOneTimeToken(scope.tx, sha256(input.token), 'invitation');
    if (!row || row.user.status !== 'invited' || row.suspended) throw invalidLink();
    await repo.setPassword(scope.tx, row.user.tenantId, row.user.id, passwordHash, { username: input.username || row.user.username });
    await repo.markTokenUsed(scope.tx, row.token.id);
    await writeAudit(scope, null, ctx.info.ip, { action: 'user.invitation_accepted', tenantId: row.user.tenantId, targetType: 'user', targetId: row.user.id });
  });
}

/** The login-name keys of a company user (their e-mail and username), as failed logins count them. */
const loginKeys = (u: { email: string; username: string | null }) => [u.email, u.username].filter((l): l is string => !!l).map((l) => `login:${l.toLowerCase()}`);

/** When the lockout of each of these users ends (users without one are left out). Reads the instance-wide throttle table. */
export async function lockoutsOf(deps: Deps, people: Array<{ id: number; email: string; username: string | null }>): Promise<Map<number, Date>> {
  const byKey = new Map(people.flatMap((p) => loginKeys(p).map((k) => [k, p.id] as const)));
  const locks = byKey.size ? await deps.database.system((scope) => repo.throttleState(scope.tx, [...byKey.keys()])) : [];
  const until = new Map<number, Date>();
  for (const l of locks) {
    const id = byKey.get(l.key);
    if (id === undefined || !l.lockedUntil) continue;
    const seen = until.get(id);
    if (!seen || l.lockedUntil > seen) until.set(id, l.lockedUntil);
  }
  return until;
}

/** Ends a user's lockout and failure counts, in the caller's (owner) transaction; answers the lock that was in force, if any. */
export async function unlockLogins(scope: Scope, user: { email: string; username: string | null }): Promise<Date | null> {
  return repo.clearThrottles(scope.tx, loginKeys(user));
}
