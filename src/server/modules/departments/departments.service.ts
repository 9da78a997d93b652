import type { SearchListQuery } from '../../../shared/contracts/common.js';
import { nameCursor } from '../../db/keyset.js';
import type { UserActor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import type { Tx } from '../../platform/db.js';
import { AppError, notFound } from '../../platform/errors.js';
import { cutPage, decodeCursor } from '../http.js';
import * as repo from './departments.repo.js';
import { findDepartment } from './departments.repo.js';

type DepartmentRow = Awaited<ReturnType<typeof findDepartment>>[number];

function toDepartment(actor: UserActor, r: DepartmentRow) {
  const manage = actor.permissions.has('departments.manage');
  return {
    id: String(r.d.id),
    name: r.d.name,
    head: r.head ?? null,
    userCount: r.userCount,
    can: { update: manage, delete: manage },
  };
}

async function load(tx: Tx, actor: UserActor, id: number) {
  const [row] = await findDepartment(tx, actor.tenantId, id);
  return row ? [toDepartment(actor, row)] : [];
}

async function checkHead(tx: Tx, tenantId: number, headUserId: number | null | undefined) {
  if (!headUserId) return;
  if (!(await repo.userExists(tx, tenantId, headUserId))) throw new AppError('validation', 'The head is not a user of this company', { fields: { headUserId: 'no such user' } });
}

export async function listDepartments(ctx: Ctx, q: SearchListQuery) {
  const actor = requireUser(ctx);
  const after = decodeCursor(q.cursor, nameCursor);
  const rows = await ctx.deps.database.withTenant(actor.tenantId, ({ tx }) => repo.findDepartments(tx, actor.tenantId, { after, limit: q.limit, q: q.q }));
  const page = cutPage(rows, q.limit, (r) => [r.d.name.toLowerCase(), r.d.id]);
  return { items: page.rows.map((r) => toDepartment(actor, r)), nextCursor: page.nextCursor };
}

export async function createDepartment(ctx: Ctx, input: { name: string; headUserId?: number | null }) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    await checkHead(scope.tx, actor.tenantId, input.headUserId);
    const row = await repo.insertDepartment(scope.tx, { tenantId: actor.tenantId, name: input.name, headUserId: input.headUserId ?? null });
    await writeAudit(scope, actor, ctx.info.ip, { action: 'department.created', targetType: 'department', targetId: row.id, details: { name: row.name } });
    return (await load(scope.tx, actor, row.id))[0];
  });
}

export async function updateDepartment(ctx: Ctx, id: number, input: { name?: string; headUserId?: number | null }) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    await checkHead(scope.tx, actor.tenantId, input.headUserId);
    const before = await repo.findDepartmentRow(scope.tx, actor.tenantId, id);
    if (!before) throw notFound('Department');
    await repo.updateDepartmentRow(scope.tx, actor.tenantId, id, { name: input.name, headUserId: input.headUserId });
    await writeAudit(scope, actor, ctx.info.ip, {
      action: 'department.updated',
      targetType: 'department',
      targetId: id,
      details: { before: { name: before.name, headUserId: before.headUserId }, after: input },
    });
    return (await load(scope.tx, actor, id))[0];
  });
}

export async function deleteDepartment(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  await ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    await repo.detachMembers(scope.tx, actor.tenantId, id);
    const name = await repo.deleteDepartmentRow(scope.tx, actor.tenantId, id);
    if (name === null) throw notFound('Department');
    await writeAudit(scope, actor, ctx.info.ip, { action: 'department.deleted', targetType: 'department', targetId: id, details: { name } });
  });
}
