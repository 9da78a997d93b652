// Roles of a company: a name, a level and a set of permissions. A user edits only roles below their
// level and grants only permissions they hold.
import { type Permission, PERMISSIONS, permissionArea } from '../../../shared/permissions/index.js';
import type { UserActor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import type { Tx } from '../../platform/db.js';
import { AppError, notFound } from '../../platform/errors.js';
import * as repo from './roles.repo.js';
import { type RoleRow, userCounts } from './roles.repo.js';

export function permissionCatalogue() {
  return {
    items: (Object.keys(PERMISSIONS) as Permission[]).map((key) => ({ key, area: permissionArea(key), label: PERMISSIONS[key] })),
  };
}

function toDto(actor: UserActor, r: RoleRow, userCount: number) {
  const manageable = actor.permissions.has('roles.manage') && r.level < actor.level;
  return {
    id: String(r.id),
    name: r.name,
    level: r.level,
    permissions: [...r.permissions].sort(),
    builtin: r.builtin,
    userCount,
    can: { update: manageable, delete: manageable && !r.builtin && userCount === 0 },
  };
}

async function findRole(tx: Tx, tenantId: number, id: number) {
  const row = await repo.findRole(tx, tenantId, id);
  if (!row) throw notFound('Role');
  return row;
}

function checkGrant(actor: UserActor, level: number, added: Permission[]) {
  if (level >= actor.level) {
    throw new AppError('level_too_high', `The level must be below your own (${actor.level})`, { fields: { level: `must be below ${actor.level}` } });
  }
  const notHeld = added.filter((p) => !actor.permissions.has(p));
  if (notHeld.length > 0) {
    throw new AppError('permission_not_held', 'You may only grant permissions you hold yourself', { permissions: notHeld });
  }
}

export async function listRoles(ctx: Ctx) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    const rows = await repo.listRoles(tx, actor.tenantId);
    const counts = await userCounts(tx, actor.tenantId);
    return { items: rows.map((r) => toDto(actor, r, counts.get(r.id) ?? 0)) };
  });
}

export async function getRole(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    const row = await findRole(tx, actor.tenantId, id);
    return toDto(actor, row, (await userCounts(tx, actor.tenantId)).get(id) ?? 0);
  });
}

export async function createRole(ctx: Ctx, input: { name: string; level: number; permissions: Permission[] }) {
  const actor = requireUser(ctx);
  const permissions = [...new Set(input.permissions)];
  checkGrant(actor, input.level, permissions);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const row = await repo.insertRole(scope.tx, actor.tenantId, { name: input.name, level: input.level, permissions });
    await writeAudit(scope, actor, ctx.info.ip, { action: 'role.created', targetType: 'role', targetId: row.id, details: { name: row.name, level: row.level, permissions } });
    return toDto(actor, row, 0);
  });
}

export async function updateRole(ctx: Ctx, id: number, input: { name?: string; level?: number; permissions?: Permission[] }) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const current = await findRole(scope.tx, actor.tenantId, id);
    if (current.level >= actor.level) throw new AppError('level_too_high', 'You may only edit roles below your own level');
    const permissions = input.permissions ? [...new Set(input.permissions)] : undefined;
    const added = permissions?.filter((p) => !current.permissions.includes(p)) ?? [];
    checkGrant(actor, input.level ?? current.level, added as Permission[]);
    const row = await repo.updateRole(scope.tx, actor.tenantId, id, { name: input.name, level: input.level, permissions });
    await ctx.deps.authCache.invalidate(scope);
    const removed = permissions ? current.permissions.filter((p) => !permissions.includes(p as Permission)) : [];
    await writeAudit(scope, actor, ctx.info.ip, {
      action: 'role.updated',
      targetType: 'role',
      targetId: id,
      details: {
        before: { name: current.name, level: current.level },
        after: { name: row.name, level: row.level },
        added,
        removed,
      },
    });
    return toDto(actor, row, (await userCounts(scope.tx, actor.tenantId)).get(id) ?? 0);
  });
}

export async function deleteRole(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  await ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const current = await findRole(scope.tx, actor.tenantId, id);
    if (current.level >= actor.level) throw new AppError('level_too_high', 'You may only delete roles below your own level');
    if (current.builtin) throw new AppError('role_builtin', 'Default roles cannot be deleted');
    if (((await userCounts(scope.tx, actor.tenantId)).get(id) ?? 0) > 0) throw new AppError('role_in_use', 'Move its users to another role first');
    await repo.deleteRole(scope.tx, actor.tenantId, id);
    await ctx.deps.authCache.invalidate(scope);
    await writeAudit(scope, actor, ctx.info.ip, { action: 'role.deleted', targetType: 'role', targetId: id, details: { name: current.name } });
  });
}
