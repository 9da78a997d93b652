// Users of a company: list, create (with a password, or invited by e-mail), edit, deactivate.
// A user manages only users below their own level and assigns only roles below it.
import { z } from 'zod';
import type { UserStatus } from '../../db/schema/index.js';
import type { UserActor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import type { Ctx, Deps } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import { hashPassword, newToken, sha256 } from '../../platform/crypto.js';
import type { Scope } from '../../platform/db.js';
import { AppError, notFound } from '../../platform/errors.js';
import { invitationMail } from '../../platform/mail-templates.js';
import { endSessionsOf, insertOneTimeToken, lockoutsOf, unlockLogins } from '../auth/auth.service.js';
import { decodeCursor, encodeCursor } from '../http.js';
import { toUserDto, type UserDto } from './users.dto.js';
import * as repo from './users.repo.js';
import { checkLicenseSeats } from '../system/license.service.js';

const INVITATION_DAYS = 7;

export interface CreateUserInput {
  name: string;
  email: string;
  username?: string | null;
  password?: string | null;
  roleId: number;
  departmentId?: number | null;
}

function canManage(actor: UserActor, targetLevel: number, targetId?: number): boolean {
  return actor.permissions.has('users.manage') && actor.level > targetLevel && targetId !== actor.userId;
}

async function onlineSet(scope: Scope, tenantId: number): Promise<Set<number>> {
  return new Set((await repo.onlineUsers(scope.tx, tenantId)).map((u) => u.id));
}

export async function listUsers(ctx: Ctx, q: { q?: string; status?: UserStatus; limit: number; cursor?: string }) {
  const actor = requireUser(ctx);
  const after = decodeCursor(q.cursor, z.tuple([z.string(), z.number()]));
  const { page, online, more } = await ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const rows = await repo.findUsers(scope.tx, actor.tenantId, { q: q.q, status: q.status, after, limit: q.limit });
    return { page: rows.slice(0, q.limit), online: await onlineSet(scope, actor.tenantId), more: rows.length > q.limit };
  });
  // Lockouts live in the instance-wide throttle table, which the company role may not read.
  const locks = await lockoutsOf(ctx.deps, page.map((r) => r.user));
  const last = page.at(-1);
  return {
    items: page.map((r) => toUserDto(r, { online: online.has(r.user.id), canUpdate: canManage(actor, r.role.level, r.user.id), lockedUntil: locks.get(r.user.id) ?? null })),
    nextCursor: more && last ? encodeCursor([last.user.nameKey ?? last.user.name.toLowerCase(), last.user.id]) : null,
  };
}

export async function getUser(ctx: Ctx, id: number): Promise<UserDto> {
  const actor = requireUser(ctx);
  const { row, online } = await ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const found = await repo.findUser(scope.tx, actor.tenantId, id);
    if (!found) throw notFound('User');
    return { row: found, online: await onlineSet(scope, actor.tenantId) };
  });
  const locks = await lockoutsOf(ctx.deps, [row.user]);
  return toUserDto(row, { online: online.has(id), canUpdate: canManage(actor, row.role.level, id), lockedUntil: locks.get(id) ?? null });
}

/** Lifts a lockout after failed logins before it ends by itself; audited when there was one. */
export async function unlockUser(ctx: Ctx, id: number): Promise<void> {
  const actor = requireUser(ctx);
  const user = await ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const current = await repo.findUser(scope.tx, actor.tenantId, id);
    if (!current) throw notFound('User');
    if (current.role.level >= actor.level) throw new AppError('level_too_high', 'You may only manage users whose role is below your own level');
    return current.user;
  });
  await ctx.deps.database.system(async (scope) => {
    const until = await unlockLogins(scope, user);
    if (until) {
      await writeAudit(scope, actor, ctx.info.ip, { action: 'user.unlocked', targetType: 'user', targetId: id, details: { lockedUntil: until.toISOString() } });
    }
  });
}

export async function insertCompanyUser(
  scope: Scope,
  deps: Deps,
  tenantId: number,
  input: CreateUserInput,
  opts: { inviterName: string; companyName: string; checkSeats: boolean },
) {
  if (opts.checkSeats) {
    await checkLicenseSeats(deps, 1, scope.tx);
    const seats = await repo.lockSeats(scope.tx, tenantId);
    if (seats.used >= seats.seats) {
      throw new AppError('seat_limit', `All ${seats.seats} seats of this company are taken`, { seats: seats.seats, used: seats.used });
    }
  }
  const invited = !input.password;
  const user = await repo.insertUser(scope.tx, {
    tenantId,
    name: input.name,
    email: input.email,
    username: input.username || null,
    passwordHash: input.password ? await hashPassword(input.password) : null,
    roleId: input.roleId,
    departmentId: input.departmentId ?? null,
    status: invited ? 'invited' : 'active',
  });
  if (invited) await sendInvitation(scope, deps, user, opts.inviterName, opts.companyName);
  return user;
}

async function sendInvitation(scope: Scope, deps: Deps, user: repo.UserRow, inviterName: string, companyName: string) {
  const token = newToken();
  await insertOneTimeToken(scope.tx, {
    tenantId: user.tenantId,
    userId: user.id,
    purpose: 'invitation',
    tokenHash: sha256(token),
    expiresAt: new Date(Date.now() + INVITATION_DAYS * 86_400_000),
  });
  await deps.mailer.queue(
    scope,
    user.tenantId,
    invitationMail({
      to: user.email,
      name: user.name,
      companyName,
      inviter: inviterName,
      url: `${deps.config.publicUrl}/invitation?token=${token}`,
      days: INVITATION_DAYS,
    }),
  );
}

async function checkAssignableRole(scope: Scope, actor: UserActor, roleId: number) {
  const role = await repo.findRole(scope.tx, actor.tenantId, roleId);
  if (!role) throw new AppError('validation', 'The role does not exist', { fields: { roleId: 'no such role' } });
  if (role.level >= actor.level) {
    throw new AppError('level_too_high', `You may only give roles below your own level (${actor.level})`, { roleLevel: role.level });
  }
  return role;
}

async function checkDepartment(scope: Scope, tenantId: number, departmentId: number | null | undefined) {
  if (departmentId && !(await repo.departmentExists(scope.tx, tenantId, departmentId))) {
    throw new AppError('validation', 'The department does not exist', { fields: { departmentId: 'no such department' } });
  }
}

export async function createUser(ctx: Ctx, input: CreateUserInput): Promise<UserDto> {
  const actor = requireUser(ctx);
  const id = await ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    await checkAssignableRole(scope, actor, input.roleId);
    await checkDepartment(scope, actor.tenantId, input.departmentId);
    await checkLicenseSeats(ctx.deps, 1, scope.tx);
    const seats = await repo.lockSeats(scope.tx, actor.tenantId);
    if (seats.used >= seats.seats) {
      throw new AppError('seat_limit', `All ${seats.seats} seats of this company are taken`, { seats: seats.seats, used: seats.used });
    }
    const user = await insertCompanyUser(scope, ctx.deps, actor.tenantId, input, {
      inviterName: actor.name,
      companyName: seats.name,
      checkSeats: false,
    });
    await writeAudit(scope, actor, ctx.info.ip, {
      action: user.status === 'invited' ? 'user.invited' : 'user.created',
      targetType: 'user',
      targetId: user.id,
      details: { email: user.email, roleId: String(user.roleId) },
    });
    return user.id;
  });
  return getUser(ctx, id);
}

export interface UpdateUserInput {
  name?: string;
  email?: string;
  username?: string | null;
  roleId?: number;
  departmentId?: number | null;
  active?: boolean;
}

export async function updateUser(ctx: Ctx, id: number, input: UpdateUserInput): Promise<UserDto> {
  const actor = requireUser(ctx);
  await ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const current = await repo.findUser(scope.tx, actor.tenantId, id);
    if (!current) throw notFound('User');
    if (id === actor.userId) throw new AppError('cannot_manage_self', 'Edit your own account on the profile page');
    if (current.role.level >= actor.level) {
      throw new AppError('level_too_high', 'You may only manage users whose role is below your own level');
    }
    if (input.roleId !== undefined && input.roleId !== current.user.roleId) await checkAssignableRole(scope, actor, input.roleId);
    await checkDepartment(scope, actor.tenantId, input.departmentId);

    const changes: Partial<repo.UserRow> = {};
    if (input.name !== undefined) changes.name = input.name;
    if (input.email !== undefined) changes.email = input.email;
    if (input.username !== undefined) changes.username = input.username || null;
    if (input.roleId !== undefined) changes.roleId = input.roleId;
    if (input.departmentId !== undefined) changes.departmentId = input.departmentId;
    if (input.active === false && current.user.status !== 'deactivated') changes.status = 'deactivated';
    if (input.active === true && current.user.status === 'deactivated') {
      // Reactivating someone takes a seat of the license too.
      await checkLicenseSeats(ctx.deps, 1, scope.tx);
      const seats = await repo.lockSeats(scope.tx, actor.tenantId);
      if (seats.used >= seats.seats) throw new AppError('seat_limit', `All ${seats.seats} seats of this company are taken`);
      changes.status = current.user.passwordHash ? 'active' : 'invited';
    }
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(changes)) {
      const old = current.user[key as keyof repo.UserRow];
      if (old !== value) {
        before[key] = old;
        after[key] = value;
      }
    }
    if (Object.keys(after).length === 0) return;
    await repo.updateUser(scope.tx, actor.tenantId, id, changes);
    await ctx.deps.authCache.invalidate(scope);
    if (changes.status === 'deactivated') await endSessionsOf(scope.tx, actor.tenantId, id);
    await writeAudit(scope, actor, ctx.info.ip, {
      action: changes.status === 'deactivated' ? 'user.deactivated' : changes.roleId !== undefined ? 'user.role_changed' : 'user.updated',
      targetType: 'user',
      targetId: id,
      details: { before, after },
    });
  });
  return getUser(ctx, id);
}

export async function resendInvitation(ctx: Ctx, id: number): Promise<void> {
  const actor = requireUser(ctx);
  await ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const current = await repo.findUser(scope.tx, actor.tenantId, id);
    if (!current) throw notFound('User');
    if (current.role.level >= actor.level) throw new AppError('level_too_high', 'You may only manage users below your level');
    if (current.user.status !== 'invited') throw new AppError('not_invited', 'This user has already accepted their invitation');
    const seats = await repo.lockSeats(scope.tx, actor.tenantId);
    await sendInvitation(scope, ctx.deps, current.user, actor.name, seats.name);
    await writeAudit(scope, actor, ctx.info.ip, { action: 'user.invitation_resent', targetType: 'user', targetId: id });
  });
}

/** Who is online now, for the live presence push (a repository read). */
export { onlineUsers } from './users.repo.js';

export async function listOnline(ctx: Ctx) {
  const actor = requireUser(ctx);
  const rows = await ctx.deps.database.withTenant(actor.tenantId, (scope) => repo.onlineUsers(scope.tx, actor.tenantId));
  return { items: rows.map((r) => ({ id: String(r.id), name: r.name, color: r.color })) };
}
