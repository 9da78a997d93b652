// Ticket category and team queries (Drizzle only).
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { afterName, byName, type NameCursor, nameContains } from '../../db/keyset.js';
import { type ApprovalStep, categories, roles, teamMembers, teams, users } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';

export type CategoryRow = typeof categories.$inferSelect;
export type TeamRow = typeof teams.$inferSelect;

/** How many of these ids are roles, users or teams of the company (for checking references). */
export async function countRoles(tx: Tx, tenantId: number, ids: number[]): Promise<number> {
  return (await tx.select({ id: roles.id }).from(roles).where(and(eq(roles.tenantId, tenantId), inArray(roles.id, ids)))).length;
}
export async function countUsers(tx: Tx, tenantId: number, ids: number[]): Promise<number> {
  return (await tx.select({ id: users.id }).from(users).where(and(eq(users.tenantId, tenantId), inArray(users.id, ids)))).length;
}
export async function teamExists(tx: Tx, tenantId: number, id: number): Promise<boolean> {
  const [t] = await tx.select({ id: teams.id }).from(teams).where(and(eq(teams.tenantId, tenantId), eq(teams.id, id)));
  return Boolean(t);
}

/** One page of categories by name (`limit + 1` rows); `q` filters by name. */
export function findCategories(tx: Tx, tenantId: number, f: { after: NameCursor | null; limit: number; q?: string }) {
  return tx
    .select()
    .from(categories)
    .where(and(eq(categories.tenantId, tenantId), nameContains(categories.name, f.q), afterName(categories.name, categories.id, f.after)))
    .orderBy(...byName(categories.name, categories.id))
    .limit(f.limit + 1);
}

export async function findCategory(tx: Tx, tenantId: number, id: number): Promise<CategoryRow | undefined> {
  const [row] = await tx.select().from(categories).where(and(eq(categories.tenantId, tenantId), eq(categories.id, id)));
  return row;
}

export async function insertCategory(tx: Tx, values: typeof categories.$inferInsert): Promise<CategoryRow> {
  const [row] = await tx.insert(categories).values(values).returning();
  return row;
}

export async function updateCategoryRow(
  tx: Tx,
  tenantId: number,
  id: number,
  set: Partial<{ name: string; description: string | null; approvalSteps: ApprovalStep[]; defaultTeamId: number | null; active: boolean }>,
): Promise<CategoryRow> {
  const [row] = await tx
    .update(categories)
    .set({ ...set, updatedAt: sql`now()` })
    .where(and(eq(categories.tenantId, tenantId), eq(categories.id, id)))
    .returning();
  return row;
}

/** The members of these teams by name. */
export function findMembers(tx: Tx, tenantId: number, teamIds: number[]) {
  return tx
    .select({ teamId: teamMembers.teamId, id: users.id, name: users.name })
    .from(teamMembers)
    .innerJoin(users, and(eq(users.tenantId, teamMembers.tenantId), eq(users.id, teamMembers.userId)))
    .where(and(eq(teamMembers.tenantId, tenantId), inArray(teamMembers.teamId, teamIds)))
    .orderBy(asc(users.name));
}

/** One page of teams by name (`limit + 1` rows); `q` filters by name. */
export function findTeams(tx: Tx, tenantId: number, f: { after: NameCursor | null; limit: number; q?: string }) {
  return tx
    .select()
    .from(teams)
    .where(and(eq(teams.tenantId, tenantId), nameContains(teams.name, f.q), afterName(teams.name, teams.id, f.after)))
    .orderBy(...byName(teams.name, teams.id))
    .limit(f.limit + 1);
}

/** Replaces a team's members (the ids are known users). */
export async function replaceMembers(tx: Tx, tenantId: number, teamId: number, userIds: number[]) {
  await tx.delete(teamMembers).where(and(eq(teamMembers.tenantId, tenantId), eq(teamMembers.teamId, teamId)));
  if (userIds.length) await tx.insert(teamMembers).values(userIds.map((userId) => ({ tenantId, teamId, userId })));
}

export async function insertTeam(tx: Tx, tenantId: number, name: string): Promise<TeamRow> {
  const [row] = await tx.insert(teams).values({ tenantId, name }).returning();
  return row;
}

/** Renames a team, or (no name) locks it for a change of members only; undefined when there is none. */
export async function renameOrLockTeam(tx: Tx, tenantId: number, id: number, name: string | undefined): Promise<TeamRow | undefined> {
  const where = and(eq(teams.tenantId, tenantId), eq(teams.id, id));
  // An UPDATE with nothing to set is not SQL.
  const [row] = name === undefined ? await tx.select().from(teams).where(where).for('update') : await tx.update(teams).set({ name }).where(where).returning();
  return row;
}
