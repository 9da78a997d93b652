// Roles of a company and how many users hold each.
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Permission } from '../../../shared/permissions/index.js';
import { roles, users } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';

export type RoleRow = typeof roles.$inferSelect;

export async function userCounts(tx: Tx, tenantId: number): Promise<Map<number, number>> {
  const rows = await tx
    .select({ roleId: users.roleId, n: sql<number>`count(*)::int` })
    .from(users)
    .where(eq(users.tenantId, tenantId))
    .groupBy(users.roleId);
  return new Map(rows.map((r) => [r.roleId, r.n]));
}

/** Highest level first. */
export function listRoles(tx: Tx, tenantId: number): Promise<RoleRow[]> {
  return tx.select().from(roles).where(eq(roles.tenantId, tenantId)).orderBy(sql`${roles.level} desc`, asc(roles.name));
}

export async function findRole(tx: Tx, tenantId: number, id: number): Promise<RoleRow | undefined> {
  const [row] = await tx.select().from(roles).where(and(eq(roles.tenantId, tenantId), eq(roles.id, id)));
  return row;
}

export async function insertRole(tx: Tx, tenantId: number, input: { name: string; level: number; permissions: Permission[] }): Promise<RoleRow> {
  const [row] = await tx.insert(roles).values({ tenantId, ...input }).returning();
  return row;
}

export async function updateRole(tx: Tx, tenantId: number, id: number, set: { name?: string; level?: number; permissions?: Permission[] }): Promise<RoleRow> {
  const [row] = await tx
    .update(roles)
    .set({ ...set, updatedAt: sql`now()` })
    .where(and(eq(roles.tenantId, tenantId), eq(roles.id, id)))
    .returning();
  return row;
}

export async function deleteRole(tx: Tx, tenantId: number, id: number) {
  await tx.delete(roles).where(and(eq(roles.tenantId, tenantId), eq(roles.id, id)));
}
