// Projects and the counts of the tickets in them.
import { and, asc, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import { projects, tickets } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';

export type ProjectRow = typeof projects.$inferSelect;
export type ProjectStatus = ProjectRow['status'];

/** The statuses the ticket list's "open" toggle means (the rest are finished). */
export const OPEN_TICKET_STATUSES = ['new', 'pending_approval', 'open', 'in_progress', 'on_hold'] as const;

/**
 * Projects with the counts of their open and of all unarchived tickets that `visible` (the caller's
 * ticket visibility filter) lets through: one grouped query over a join, whatever the number of projects.
 */
export function withCounts(tx: Tx, tenantId: number, visible: SQL, only: { id?: number; status?: ProjectStatus[] }) {
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
    .leftJoin(tickets, and(eq(tickets.tenantId, projects.tenantId), eq(tickets.projectId, projects.id), isNull(tickets.archivedAt), visible))
    .where(
      and(
        eq(projects.tenantId, tenantId),
        only.id !== undefined ? eq(projects.id, only.id) : undefined,
        only.status?.length ? inArray(projects.status, only.status) : undefined,
      ),
    )
    .groupBy(projects.tenantId, projects.id)
    .orderBy(asc(sql`lower(${projects.name})`), asc(projects.id));
}

export async function insertProject(tx: Tx, tenantId: number, input: { name: string; description: string | null; status: ProjectStatus }): Promise<ProjectRow> {
  const [row] = await tx.insert(projects).values({ tenantId, ...input }).returning();
  return row;
}

export async function lockProject(tx: Tx, tenantId: number, id: number): Promise<ProjectRow | undefined> {
  const [row] = await tx.select().from(projects).where(and(eq(projects.tenantId, tenantId), eq(projects.id, id))).for('update');
  return row;
}

export async function updateProject(tx: Tx, tenantId: number, id: number, set: Partial<Pick<ProjectRow, 'name' | 'description' | 'status'>>) {
  await tx
    .update(projects)
    .set({ ...set, updatedAt: sql`now()` })
    .where(and(eq(projects.tenantId, tenantId), eq(projects.id, id)));
}
