import { and, eq, sql } from 'drizzle-orm';
import { departments, users } from '../../db/schema/index.js';
import type { UserActor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import type { Tx } from '../../platform/db.js';
import { AppError, notFound } from '../../platform/errors.js';
import { findDepartments } from './departments.repo.js';

async function load(tx: Tx, actor: UserActor, id?: number) {
  const rows = await findDepartments(tx, actor.tenantId, id);
  const manage = actor.permissions.has('departments.manage');
  return rows.map((r) => ({
    id: String(r.d.id),
    name: r.d.name,
    head: r.head ?? null,
    userCount: r.userCount,
    can: { update: manage, delete: manage },
  }));
}

async function checkHead(tx: Tx, tenantId: number, headUserId: number | null | undefined) {
  if (!headUserId) return;
  const [u] = await tx.select({ id: users.id }).from(users).where(and(eq(users.tenantId, tenantId), eq(users.id, headUserId)));
  if (!u) throw new AppError('validation', 'The head is not a user of this company', { fields: { headUserId: 'no such user' } });
}

export async function listDepartments(ctx: Ctx) {
  const actor = requireUser(ctx);
  return { items: await ctx.deps.database.withTenant(actor.tenantId, ({ tx }) => load(tx, actor)) };
}

export async function createDepartment(ctx: Ctx, input: { name: string; headUserId?: number | null }) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    await checkHead(scope.tx, actor.tenantId, input.headUserId);
    const [row] = await scope.tx
      .insert(departments)
      .values({ tenantId: actor.tenantId, name: input.name, headUserId: input.headUserId ?? null })
      .returning();
    await writeAudit(scope, actor, ctx.info.ip, { action: 'department.created', targetType: 'department', targetId: row.id, details: { name: row.name } });
    return (await load(scope.tx, actor, row.id))[0];
  });
}

export async function updateDepartment(ctx: Ctx, id: number, input: { name?: string; headUserId?: number | null }) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    await checkHead(scope.tx, actor.tenantId, input.headUserId);
    const [before] = await scope.tx.select().from(departments).where(and(eq(departments.tenantId, actor.tenantId), eq(departments.id, id)));
    if (!before) throw notFound('Department');
    await scope.tx
      .update(departments)
      .set({ name: input.name, headUserId: input.headUserId, updatedAt: sql`now()` })
      .where(and(eq(departments.tenantId, actor.tenantId), eq(departments.id, id)));
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
    // Composite foreign keys cannot SET NULL one column, so members are detached first.
    await scope.tx
      .update(users)
      .set({ departmentId: null, updatedAt: sql`now()` })
      .where(and(eq(users.tenantId, actor.tenantId), eq(users.departmentId, id)));
    const gone = await scope.tx
      .delete(departments)
      .where(and(eq(departments.tenantId, actor.tenantId), eq(departments.id, id)))
      .returning({ name: departments.name });
    if (gone.length === 0) throw notFound('Department');
    await writeAudit(scope, actor, ctx.info.ip, { action: 'department.deleted', targetType: 'department', targetId: id, details: { name: gone[0].name } });
  });
}
