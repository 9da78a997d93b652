// Ticket categories (with their approval route) and teams.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { type ApprovalStep, categories, roles, teamMembers, teams, users } from '../../db/schema/index.js';
import { writeAudit } from '../../platform/audit.js';
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import type { Tx } from '../../platform/db.js';
import { AppError, notFound } from '../../platform/errors.js';

type CategoryRow = typeof categories.$inferSelect;

const toCategory = (c: CategoryRow, canManage: boolean) => ({
  id: String(c.id),
  name: c.name,
  description: c.description,
  approvalSteps: c.approvalSteps,
  defaultTeamId: c.defaultTeamId ? String(c.defaultTeamId) : null,
  active: c.active,
  can: { update: canManage },
});

async function checkSteps(tx: Tx, tenantId: number, steps: ApprovalStep[], defaultTeamId: number | null | undefined) {
  const roleIds = steps.flatMap((s) => (s.type === 'role' ? [Number(s.roleId)] : []));
  const userIds = steps.flatMap((s) => (s.type === 'user' ? [Number(s.userId)] : []));
  if (roleIds.length) {
    const found = await tx.select({ id: roles.id }).from(roles).where(and(eq(roles.tenantId, tenantId), inArray(roles.id, roleIds)));
    if (found.length !== new Set(roleIds).size) throw new AppError('validation', 'An approval step names a role that does not exist', { fields: { approvalSteps: 'unknown role' } });
  }
  if (userIds.length) {
    const found = await tx.select({ id: users.id }).from(users).where(and(eq(users.tenantId, tenantId), inArray(users.id, userIds)));
    if (found.length !== new Set(userIds).size) throw new AppError('validation', 'An approval step names a user that does not exist', { fields: { approvalSteps: 'unknown user' } });
  }
  if (defaultTeamId) {
    const [t] = await tx.select({ id: teams.id }).from(teams).where(and(eq(teams.tenantId, tenantId), eq(teams.id, defaultTeamId)));
    if (!t) throw new AppError('validation', 'The team does not exist', { fields: { defaultTeamId: 'no such team' } });
  }
}

export async function listCategories(ctx: Ctx) {
  const actor = requireUser(ctx);
  const rows = await ctx.deps.database.withTenant(actor.tenantId, ({ tx }) =>
    tx.select().from(categories).where(eq(categories.tenantId, actor.tenantId)).orderBy(asc(sql`lower(${categories.name})`)),
  );
  return { items: rows.map((c) => toCategory(c, actor.permissions.has('categories.manage'))) };
}

export interface CategoryInput {
  name: string;
  description?: string | null;
  approvalSteps: ApprovalStep[];
  defaultTeamId?: number | null;
  active?: boolean;
}

export async function createCategory(ctx: Ctx, input: CategoryInput) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    await checkSteps(scope.tx, actor.tenantId, input.approvalSteps, input.defaultTeamId);
    const [row] = await scope.tx
      .insert(categories)
      .values({ tenantId: actor.tenantId, name: input.name, description: input.description ?? null, approvalSteps: input.approvalSteps, defaultTeamId: input.defaultTeamId ?? null, active: input.active ?? true })
      .returning();
    await writeAudit(scope, actor, ctx.info.ip, { action: 'category.created', targetType: 'category', targetId: row.id, details: { name: row.name, approvalSteps: row.approvalSteps } });
    return toCategory(row, true);
  });
}

export async function updateCategory(ctx: Ctx, id: number, input: Partial<CategoryInput>) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const [before] = await scope.tx.select().from(categories).where(and(eq(categories.tenantId, actor.tenantId), eq(categories.id, id)));
    if (!before) throw notFound('Category');
    await checkSteps(scope.tx, actor.tenantId, input.approvalSteps ?? [], input.defaultTeamId);
    const [row] = await scope.tx
      .update(categories)
      .set({ ...input, updatedAt: sql`now()` })
      .where(and(eq(categories.tenantId, actor.tenantId), eq(categories.id, id)))
      .returning();
    await writeAudit(scope, actor, ctx.info.ip, {
      action: 'category.updated',
      targetType: 'category',
      targetId: id,
      details: { before: toCategory(before, true), after: input },
    });
    return toCategory(row, true);
  });
}

type TeamRow = typeof teams.$inferSelect;

async function membersOf(tx: Tx, tenantId: number, teamIds: number[]) {
  if (teamIds.length === 0) return new Map<number, Array<{ id: string; name: string }>>();
  const rows = await tx
    .select({ teamId: teamMembers.teamId, id: users.id, name: users.name })
    .from(teamMembers)
    .innerJoin(users, and(eq(users.tenantId, teamMembers.tenantId), eq(users.id, teamMembers.userId)))
    .where(and(eq(teamMembers.tenantId, tenantId), inArray(teamMembers.teamId, teamIds)))
    .orderBy(asc(users.name));
  const map = new Map<number, Array<{ id: string; name: string }>>();
  for (const r of rows) map.set(r.teamId, [...(map.get(r.teamId) ?? []), { id: String(r.id), name: r.name }]);
  return map;
}

const toTeam = (t: TeamRow, members: Array<{ id: string; name: string }>, canManage: boolean) => ({
  id: String(t.id),
  name: t.name,
  memberIds: members.map((m) => m.id),
  members,
  can: { update: canManage },
});

export async function listTeams(ctx: Ctx) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    const rows = await tx.select().from(teams).where(eq(teams.tenantId, actor.tenantId)).orderBy(asc(sql`lower(${teams.name})`));
    const members = await membersOf(tx, actor.tenantId, rows.map((r) => r.id));
    return { items: rows.map((t) => toTeam(t, members.get(t.id) ?? [], actor.permissions.has('categories.manage'))) };
  });
}

async function setMembers(tx: Tx, tenantId: number, teamId: number, memberIds: number[]) {
  const unique = [...new Set(memberIds)];
  if (unique.length) {
    const found = await tx.select({ id: users.id }).from(users).where(and(eq(users.tenantId, tenantId), inArray(users.id, unique)));
    if (found.length !== unique.length) throw new AppError('validation', 'A member is not a user of this company', { fields: { memberIds: 'unknown user' } });
  }
  await tx.delete(teamMembers).where(and(eq(teamMembers.tenantId, tenantId), eq(teamMembers.teamId, teamId)));
  if (unique.length) await tx.insert(teamMembers).values(unique.map((userId) => ({ tenantId, teamId, userId })));
}

export async function createTeam(ctx: Ctx, input: { name: string; memberIds: number[] }) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const [row] = await scope.tx.insert(teams).values({ tenantId: actor.tenantId, name: input.name }).returning();
    await setMembers(scope.tx, actor.tenantId, row.id, input.memberIds);
    await writeAudit(scope, actor, ctx.info.ip, { action: 'team.created', targetType: 'team', targetId: row.id, details: { name: row.name, memberIds: input.memberIds.map(String) } });
    return toTeam(row, (await membersOf(scope.tx, actor.tenantId, [row.id])).get(row.id) ?? [], true);
  });
}

export async function updateTeam(ctx: Ctx, id: number, input: { name?: string; memberIds?: number[] }) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const where = and(eq(teams.tenantId, actor.tenantId), eq(teams.id, id));
    // Only the members may change (an UPDATE with nothing to set is not SQL), or nothing at all.
    const [row] =
      input.name === undefined
        ? await scope.tx.select().from(teams).where(where).for('update')
        : await scope.tx.update(teams).set({ name: input.name }).where(where).returning();
    if (!row) throw notFound('Team');
    if (input.memberIds) await setMembers(scope.tx, actor.tenantId, id, input.memberIds);
    if (input.name !== undefined || input.memberIds)
      await writeAudit(scope, actor, ctx.info.ip, { action: 'team.updated', targetType: 'team', targetId: id, details: { name: input.name, memberIds: input.memberIds?.map(String) } });
    return toTeam(row, (await membersOf(scope.tx, actor.tenantId, [id])).get(id) ?? [], true);
  });
}
