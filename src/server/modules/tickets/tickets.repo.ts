// Ticket queries (Drizzle only). Every query names the company and applies the caller's visibility.
import { and, asc, eq, getTableColumns, inArray, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import {
  assets,
  categories,
  departments,
  projects,
  roles,
  teamMembers,
  teams,
  ticketApprovals,
  ticketAssets,
  ticketCounters,
  ticketHistory,
  tickets,
  ticketWatchers,
  users,
} from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';
import type { Viewer } from './tickets.policy.js';
import { visibleTickets } from './tickets.queries.js';

export type TicketRow = typeof tickets.$inferSelect;

export const requester = alias(users, 'requester');
export const assignee = alias(users, 'assignee');
export const creator = alias(users, 'creator');

// Every column but the search vector, which no answer shows.
const { search: _search, ...ticketColumns } = getTableColumns(tickets);

/** The ticket with the names a screen shows next to its ids. */
export const ticketWithNames = {
  t: ticketColumns,
  requester: { id: requester.id, name: requester.name },
  assignee: { id: assignee.id, name: assignee.name, color: assignee.color },
  creator: { id: creator.id, name: creator.name },
  category: { id: categories.id, name: categories.name },
  team: { id: teams.id, name: teams.name },
  project: { id: projects.id, name: projects.name },
  department: { id: departments.id, name: departments.name },
};

export function selectTickets(tx: Tx) {
  return tx
    .select(ticketWithNames)
    .from(tickets)
    .leftJoin(requester, and(eq(requester.tenantId, tickets.tenantId), eq(requester.id, tickets.requesterId)))
    .leftJoin(assignee, and(eq(assignee.tenantId, tickets.tenantId), eq(assignee.id, tickets.assigneeId)))
    .leftJoin(creator, and(eq(creator.tenantId, tickets.tenantId), eq(creator.id, tickets.createdById)))
    .leftJoin(categories, and(eq(categories.tenantId, tickets.tenantId), eq(categories.id, tickets.categoryId)))
    .leftJoin(teams, and(eq(teams.tenantId, tickets.tenantId), eq(teams.id, tickets.teamId)))
    .leftJoin(projects, and(eq(projects.tenantId, tickets.tenantId), eq(projects.id, tickets.projectId)))
    .leftJoin(departments, and(eq(departments.tenantId, tickets.tenantId), eq(departments.id, tickets.departmentId)));
}
export type TicketWithNames = Awaited<ReturnType<ReturnType<typeof selectTickets>['execute']>>[number];

export async function nextNumber(tx: Tx, tenantId: number): Promise<number> {
  const [row] = await tx
    .insert(ticketCounters)
    .values({ tenantId, last: 1 })
    .onConflictDoUpdate({ target: ticketCounters.tenantId, set: { last: sql`${ticketCounters.last} + 1` } })
    .returning({ last: ticketCounters.last });
  return row.last;
}

export async function watcherIds(tx: Tx, tenantId: number, ticketId: number): Promise<number[]> {
  const rows = await tx
    .select({ userId: ticketWatchers.userId })
    .from(ticketWatchers)
    .where(and(eq(ticketWatchers.tenantId, tenantId), eq(ticketWatchers.ticketId, ticketId)));
  return rows.map((r) => r.userId);
}

export async function assetIds(tx: Tx, tenantId: number, ticketId: number): Promise<number[]> {
  const rows = await tx
    .select({ assetId: ticketAssets.assetId })
    .from(ticketAssets)
    .where(and(eq(ticketAssets.tenantId, tenantId), eq(ticketAssets.ticketId, ticketId)))
    .orderBy(asc(ticketAssets.assetId));
  return rows.map((r) => r.assetId);
}

export async function teamMemberIds(tx: Tx, tenantId: number, teamId: number | null): Promise<number[]> {
  if (!teamId) return [];
  const rows = await tx
    .select({ userId: teamMembers.userId })
    .from(teamMembers)
    .where(and(eq(teamMembers.tenantId, tenantId), eq(teamMembers.teamId, teamId)));
  return rows.map((r) => r.userId);
}

export async function usersExist(tx: Tx, tenantId: number, ids: number[]): Promise<boolean> {
  if (ids.length === 0) return true;
  const rows = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.tenantId, tenantId), inArray(users.id, ids)));
  return rows.length === new Set(ids).size;
}

export async function findUserBrief(tx: Tx, tenantId: number, id: number) {
  const [row] = await tx
    .select({
      id: users.id,
      name: users.name,
      departmentId: users.departmentId,
      status: users.status,
      // Whether their role may work tickets (who may be assigned one).
      mayWork: sql<boolean>`'tickets.update' = any(${roles.permissions})`,
    })
    .from(users)
    .innerJoin(roles, and(eq(roles.tenantId, users.tenantId), eq(roles.id, users.roleId)))
    .where(and(eq(users.tenantId, tenantId), eq(users.id, id)));
  return row ?? null;
}

/** Whether every id is an asset of this company (links never cross companies). */
export async function assetsExist(tx: Tx, tenantId: number, ids: number[]): Promise<boolean> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return true;
  const rows = await tx
    .select({ id: assets.id })
    .from(assets)
    .where(and(eq(assets.tenantId, tenantId), inArray(assets.id, unique)));
  return rows.length === unique.length;
}

/** Active users with what the visibility rule asks of a viewer (role, department, permissions). */
export async function viewers(tx: Tx, tenantId: number, ids: number[]) {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const rows = await tx
    .select({ userId: users.id, roleId: users.roleId, departmentId: users.departmentId, permissions: roles.permissions })
    .from(users)
    .innerJoin(roles, and(eq(roles.tenantId, users.tenantId), eq(roles.id, users.roleId)))
    .where(and(eq(users.tenantId, tenantId), inArray(users.id, unique), eq(users.status, 'active')));
  return rows.map((r) => ({ ...r, permissions: new Set(r.permissions) }));
}

/** A ticket by number if the viewer may see it, locked for update when asked. */
export async function findVisibleRow(tx: Tx, actor: Viewer & { tenantId: number }, number: number, lock: boolean): Promise<TicketRow | null> {
  const q = tx
    .select()
    .from(tickets)
    .where(and(eq(tickets.tenantId, actor.tenantId), eq(tickets.number, number), visibleTickets(actor)));
  const [row] = lock ? await q.for('update') : await q;
  return row ?? null;
}

/** A ticket by number with its names if the viewer may see it. */
export async function findVisibleWithNames(tx: Tx, actor: Viewer & { tenantId: number }, number: number): Promise<TicketWithNames | null> {
  const [row] = await selectTickets(tx).where(and(eq(tickets.tenantId, actor.tenantId), eq(tickets.number, number), visibleTickets(actor)));
  return row ?? null;
}

/** A ticket by id with its names, without the visibility rule (the answer to a change already allowed). */
export async function findWithNames(tx: Tx, tenantId: number, id: number): Promise<TicketWithNames> {
  const [row] = await selectTickets(tx).where(and(eq(tickets.tenantId, tenantId), eq(tickets.id, id)));
  return row;
}

/** Writes the change only if the row is still at the version read; null when someone changed it first. */
export async function updateIfVersion(tx: Tx, t: TicketRow, set: Partial<typeof tickets.$inferInsert>): Promise<TicketRow | null> {
  const [row] = await tx
    .update(tickets)
    .set({ ...set, version: sql`${tickets.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(tickets.tenantId, t.tenantId), eq(tickets.id, t.id), eq(tickets.version, t.version)))
    .returning();
  return row ?? null;
}

/** Marks a ticket changed without a new version (a comment, task, file or time entry): lists sort by it. */
export async function touchTicket(tx: Tx, tenantId: number, ticketId: number): Promise<TicketRow> {
  const [row] = await tx.update(tickets).set({ updatedAt: sql`now()` }).where(and(eq(tickets.tenantId, tenantId), eq(tickets.id, ticketId))).returning();
  return row;
}

export async function replaceWatchers(tx: Tx, tenantId: number, ticketId: number, userIds: number[]) {
  await tx.delete(ticketWatchers).where(and(eq(ticketWatchers.tenantId, tenantId), eq(ticketWatchers.ticketId, ticketId)));
  if (userIds.length) await tx.insert(ticketWatchers).values(userIds.map((userId) => ({ tenantId, ticketId, userId })));
}

export async function replaceAssets(tx: Tx, tenantId: number, ticketId: number, ids: number[]) {
  await tx.delete(ticketAssets).where(and(eq(ticketAssets.tenantId, tenantId), eq(ticketAssets.ticketId, ticketId)));
  if (ids.length) await tx.insert(ticketAssets).values(ids.map((assetId) => ({ tenantId, ticketId, assetId })));
}

/** Approval decisions, and the steps routing skipped. */
export async function insertApprovals(tx: Tx, values: Array<typeof ticketApprovals.$inferInsert>) {
  await tx.insert(ticketApprovals).values(values);
}

export async function findCategory(tx: Tx, tenantId: number, id: number) {
  const [row] = await tx.select().from(categories).where(and(eq(categories.tenantId, tenantId), eq(categories.id, id)));
  return row ?? null;
}

/** A category's approval chain; null when there is no such category. */
export async function approvalSteps(tx: Tx, tenantId: number, categoryId: number) {
  const [row] = await tx.select({ steps: categories.approvalSteps }).from(categories).where(and(eq(categories.tenantId, tenantId), eq(categories.id, categoryId)));
  return row?.steps ?? null;
}

export async function projectExists(tx: Tx, tenantId: number, id: number): Promise<boolean> {
  const [row] = await tx.select({ id: projects.id }).from(projects).where(and(eq(projects.tenantId, tenantId), eq(projects.id, id)));
  return Boolean(row);
}

export async function teamExists(tx: Tx, tenantId: number, id: number): Promise<boolean> {
  const [row] = await tx.select({ id: teams.id }).from(teams).where(and(eq(teams.tenantId, tenantId), eq(teams.id, id)));
  return Boolean(row);
}

/** Which of these users are active. */
export async function activeUserIds(tx: Tx, tenantId: number, ids: number[]): Promise<number[]> {
  const rows = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.tenantId, tenantId), inArray(users.id, ids), eq(users.status, 'active')));
  return rows.map((u) => u.id);
}

export async function departmentHead(tx: Tx, tenantId: number, departmentId: number): Promise<number | null> {
  const [d] = await tx
    .select({ head: departments.headUserId })
    .from(departments)
    .where(and(eq(departments.tenantId, tenantId), eq(departments.id, departmentId)));
  return d?.head ?? null;
}

/** The people who may decide the step now waiting: the named user, or the role's active holders. */
export async function approverIds(tx: Tx, tenantId: number, pending: { pendingRoleId: number | null; pendingUserId: number | null }) {
  if (pending.pendingUserId) return [pending.pendingUserId];
  if (!pending.pendingRoleId) return [];
  const rows = await tx
    .select({ id: users.id })
    .from(users)
    .innerJoin(roles, and(eq(roles.tenantId, users.tenantId), eq(roles.id, users.roleId)))
    .where(
      and(
        eq(users.tenantId, tenantId),
        inArray(users.roleId, [pending.pendingRoleId]),
        eq(users.status, 'active'),
        sql`'tickets.approve' = any(${roles.permissions})`,
      ),
    );
  return rows.map((r) => r.id);
}

/** One history row for the event, or one per changed field. */
export async function insertHistory(
  tx: Tx,
  base: Omit<typeof ticketHistory.$inferInsert, 'field' | 'before' | 'after'>,
  changes: ReadonlyArray<{ field: string; before: unknown; after: unknown }>,
) {
  if (changes.length === 0) {
    await tx.insert(ticketHistory).values(base);
    return;
  }
  await tx
    .insert(ticketHistory)
    .values(changes.map((c) => ({ ...base, field: c.field, before: (c.before ?? null) as never, after: (c.after ?? null) as never })));
}
