// Projects group tickets. Every company user reads them; projects.manage writes. Each project
// carries the count of its open and of all its (unarchived) tickets the caller may see, computed
// in the same query as the projects themselves.
import { and, asc, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import { projects, tickets } from '../../db/schema/index.js';
import { writeAudit } from '../../platform/audit.js';
import type { UserActor } from '../../platform/actor.js';
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import type { Tx } from '../../platform/db.js';
import { notFound } from '../../platform/errors.js';
import { visibleTickets } from '../tickets/tickets.policy.js';

export const PROJECT_STATUSES = ['active', 'on_hold', 'done'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];
/** The statuses the ticket list's "open" toggle means (the rest are finished). */
export const OPEN_TICKET_STATUSES = ['new', 'pending_approval', 'open', 'in_progress', 'on_hold'] as const;

type ProjectRow = typeof projects.$inferSelect;

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

/** Projects with their ticket counts: one grouped query over a join, whatever the number of projects. */
async function withCounts(tx: Tx, actor: UserActor, where: SQL[]) {
  const openList = sql.join(
    OPEN_TICKET_STATUSES.map((s) => sql`${s}`),
    sql`, `,
  );
  return tx
    .select({
      p: projects,
      open: sql<number>`count(${tickets.id}) filter (where ${tickets.status} in (${openList}))::int`,
      all: sql<number>`count(${tickets.id})::int`,
    })
    .from(projects)
    .leftJoin(
      tickets,
      and(eq(tickets.tenantId, projects.tenantId), eq(tickets.projectId, projects.id), isNull(tickets.archivedAt), visibleTickets(actor)),
    )
    .where(and(eq(projects.tenantId, actor.tenantId), ...where))
    .groupBy(projects.tenantId, projects.id)
    .orderBy(asc(sql`lower(${projects.name})`), asc(projects.id));
}

export async function listProjects(ctx: Ctx, filter: { status?: ProjectStatus[] }) {
  const actor = requireUser(ctx);
  const rows = await ctx.deps.database.withTenant(actor.tenantId, ({ tx }) =>
    withCounts(tx, actor, filter.status?.length ? [inArray(projects.status, filter.status)] : []),
  );
  const canManage = actor.permissions.has('projects.manage');
  return { items: rows.map((r) => toProject(r.p, r, canManage)) };
}

async function loadOne(tx: Tx, actor: UserActor, id: number) {
  const [row] = await withCounts(tx, actor, [eq(projects.id, id)]);
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
    const [row] = await scope.tx
      .insert(projects)
      .values({ tenantId: actor.tenantId, name: input.name, description: input.description ?? null, status: input.status ?? 'active' })
      .returning();
    await writeAudit(scope, actor, ctx.info.ip, { action: 'project.created', targetType: 'project', targetId: row.id, details: { name: row.name, status: row.status } });
    return loadOne(scope.tx, actor, row.id);
  });
}

export async function updateProject(ctx: Ctx, id: number, input: Partial<ProjectInput>) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const [before] = await scope.tx.select().from(projects).where(and(eq(projects.tenantId, actor.tenantId), eq(projects.id, id))).for('update');
    if (!before) throw notFound('Project');
    const set = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
    if (Object.keys(set).length > 0) {
      await scope.tx
        .update(projects)
        .set({ ...set, updatedAt: sql`now()` })
        .where(and(eq(projects.tenantId, actor.tenantId), eq(projects.id, id)));
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
