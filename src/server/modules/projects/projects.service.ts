// Projects group tickets. Every company user reads them; projects.manage writes. Each project
// carries the count of its open and of all its (unarchived) tickets the caller may see, computed
// in the same query as the projects themselves.
import { writeAudit } from '../../platform/audit.js';
import type { UserActor } from '../../platform/actor.js';
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import type { Tx } from '../../platform/db.js';
import { notFound } from '../../platform/errors.js';
import { visibleTickets } from '../tickets/tickets.policy.js';
import * as repo from './projects.repo.js';
import type { ProjectRow } from './projects.repo.js';

export const PROJECT_STATUSES = ['active', 'on_hold', 'done'] as const satisfies readonly repo.ProjectStatus[];
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

const toProject = (p: ProjectRow, counts: { open: number; all: number }, canManage: boolean) => ({
  id: String(p.id),
  name: p.name,
  description: p.description,
  status: p.status,
  tickets: { open: Number(counts.open), all: Number(counts.all) },
  createdAt: p.createdAt.toISOString(),
  updatedAt: p.updatedAt.toISOString(),
  can: { update: canManage },
});

export async function listProjects(ctx: Ctx, filter: { status?: ProjectStatus[] }) {
  const actor = requireUser(ctx);
  const rows = await ctx.deps.database.withTenant(actor.tenantId, ({ tx }) =>
    repo.withCounts(tx, actor.tenantId, visibleTickets(actor), { status: filter.status }),
  );
  const canManage = actor.permissions.has('projects.manage');
  return { items: rows.map((r) => toProject(r.p, r, canManage)) };
}

async function loadOne(tx: Tx, actor: UserActor, id: number) {
  const [row] = await repo.withCounts(tx, actor.tenantId, visibleTickets(actor), { id });
  if (!row) throw notFound('Project');
  return toProject(row.p, row, actor.permissions.has('projects.manage'));
}

export async function getProject(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, ({ tx }) => loadOne(tx, actor, id));
}

export interface ProjectInput {
  name: string;
  description?: string | null;
  status?: ProjectStatus;
}

export async function createProject(ctx: Ctx, input: ProjectInput) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const row = await repo.insertProject(scope.tx, actor.tenantId, { name: input.name, description: input.description ?? null, status: input.status ?? 'active' });
    await writeAudit(scope, actor, ctx.info.ip, { action: 'project.created', targetType: 'project', targetId: row.id, details: { name: row.name, status: row.status } });
    return loadOne(scope.tx, actor, row.id);
  });
}

export async function updateProject(ctx: Ctx, id: number, input: Partial<ProjectInput>) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const before = await repo.lockProject(scope.tx, actor.tenantId, id);
    if (!before) throw notFound('Project');
    const set = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
    if (Object.keys(set).length > 0) {
      await repo.updateProject(scope.tx, actor.tenantId, id, set);
      await writeAudit(scope, actor, ctx.info.ip, {
        action: 'project.updated',
        targetType: 'project',
        targetId: id,
        details: { before: { name: before.name, description: before.description, status: before.status }, after: set },
      });
    }
    return loadOne(scope.tx, actor, id);
  });
}
