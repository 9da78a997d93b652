// Ticket categories (with their approval route) and teams.
import type { SearchListQuery } from '../../../shared/contracts/common.js';
import { nameCursor } from '../../db/keyset.js';
import type { ApprovalStep } from '../../db/schema/index.js';
import { writeAudit } from '../../platform/audit.js';
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import type { Tx } from '../../platform/db.js';
import { AppError, notFound } from '../../platform/errors.js';
import { cutPage, decodeCursor } from '../http.js';
import * as repo from './categories.repo.js';
import type { CategoryRow, TeamRow } from './categories.repo.js';

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
    if ((await repo.countRoles(tx, tenantId, roleIds)) !== new Set(roleIds).size) throw new AppError('validation', 'An approval step names a role that does not exist', { fields: { approvalSteps: 'unknown role' } });
  }
  if (userIds.length) {
    if ((await repo.countUsers(tx, tenantId, userIds)) !== new Set(userIds).size) throw new AppError('validation', 'An approval step names a user that does not exist', { fields: { approvalSteps: 'unknown user' } });
  }
  if (defaultTeamId) {
    if (!(await repo.teamExists(tx, tenantId, defaultTeamId))) throw new AppError('validation', 'The team does not exist', { fields: { defaultTeamId: 'no such team' } });
  }
}

export async function listCategories(ctx: Ctx, q: SearchListQuery) {
  const actor = requireUser(ctx);
  const after = decodeCursor(q.cursor, nameCursor);
  const rows = await ctx.deps.database.withTenant(actor.tenantId, ({ tx }) => repo.findCategories(tx, actor.tenantId, { after, limit: q.limit, q: q.q }));
  const page = cutPage(rows, q.limit, (c) => [c.name.toLowerCase(), c.id]);
  return { items: page.rows.map((c) => toCategory(c, actor.permissions.has('categories.manage'))), nextCursor: page.nextCursor };
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
    const row = await repo.insertCategory(scope.tx, { tenantId: actor.tenantId, name: input.name, description: input.description ?? null, approvalSteps: input.approvalSteps, defaultTeamId: input.defaultTeamId ?? null, active: input.active ?? true });
    await writeAudit(scope, actor, ctx.info.ip, { action: 'category.created', targetType: 'category', targetId: row.id, details: { name: row.name, approvalSteps: row.approvalSteps } });
    return toCategory(row, true);
  });
}

export async function updateCategory(ctx: Ctx, id: number, input: Partial<CategoryInput>) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const before = await repo.findCategory(scope.tx, actor.tenantId, id);
    if (!before) throw notFound('Category');
    await checkSteps(scope.tx, actor.tenantId, input.approvalSteps ?? [], input.defaultTeamId);
    const row = await repo.updateCategoryRow(scope.tx, actor.tenantId, id, input);
    await writeAudit(scope, actor, ctx.info.ip, {
      action: 'category.updated',
      targetType: 'category',
      targetId: id,
      details: { before: toCategory(before, true), after: input },
    });
    return toCategory(row, true);
  });
}

async function membersOf(tx: Tx, tenantId: number, teamIds: number[]) {
  if (teamIds.length === 0) return new Map<number, Array<{ id: string; name: string }>>();
  const rows = await repo.findMembers(tx, tenantId, teamIds);
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

export async function listTeams(ctx: Ctx, q: SearchListQuery) {
  const actor = requireUser(ctx);
  const after = decodeCursor(q.cursor, nameCursor);
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    const rows = await repo.findTeams(tx, actor.tenantId, { after, limit: q.limit, q: q.q });
    const page = cutPage(rows, q.limit, (t) => [t.name.toLowerCase(), t.id]);
    const members = await membersOf(tx, actor.tenantId, page.rows.map((r) => r.id));
    return { items: page.rows.map((t) => toTeam(t, members.get(t.id) ?? [], actor.permissions.has('categories.manage'))), nextCursor: page.nextCursor };
  });
}

async function setMembers(tx: Tx, tenantId: number, teamId: number, memberIds: number[]) {
  const unique = [...new Set(memberIds)];
  if (unique.length) {
    if ((await repo.countUsers(tx, tenantId, unique)) !== unique.length) throw new AppError('validation', 'A member is not a user of this company', { fields: { memberIds: 'unknown user' } });
  }
  await repo.replaceMembers(tx, tenantId, teamId, unique);
}

export async function createTeam(ctx: Ctx, input: { name: string; memberIds: number[] }) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const row = await repo.insertTeam(scope.tx, actor.tenantId, input.name);
    await setMembers(scope.tx, actor.tenantId, row.id, input.memberIds);
    await writeAudit(scope, actor, ctx.info.ip, { action: 'team.created', targetType: 'team', targetId: row.id, details: { name: row.name, memberIds: input.memberIds.map(String) } });
    return toTeam(row, (await membersOf(scope.tx, actor.tenantId, [row.id])).get(row.id) ?? [], true);
  });
}

export async function updateTeam(ctx: Ctx, id: number, input: { name?: string; memberIds?: number[] }) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    // Only the members may change, or nothing at all.
    const row = await repo.renameOrLockTeam(scope.tx, actor.tenantId, id, input.name);
    if (!row) throw notFound('Team');
    if (input.memberIds) await setMembers(scope.tx, actor.tenantId, id, input.memberIds);
    if (input.name !== undefined || input.memberIds)
      await writeAudit(scope, actor, ctx.info.ip, { action: 'team.updated', targetType: 'team', targetId: id, details: { name: input.name, memberIds: input.memberIds?.map(String) } });
    return toTeam(row, (await membersOf(scope.tx, actor.tenantId, [id])).get(id) ?? [], true);
  });
}
