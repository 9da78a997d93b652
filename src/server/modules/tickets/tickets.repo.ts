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
  ticketAssets,
  ticketCounters,
  tickets,
  ticketWatchers,
  users,
} from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';

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
    .select({ id: users.id, name: users.name, departmentId: users.departmentId, status: users.status })
    .from(users)
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
