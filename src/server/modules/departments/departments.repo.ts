// Department queries (Drizzle only).
import { and, eq, sql } from 'drizzle-orm';
import { afterName, byName, type NameCursor, nameContains } from '../../db/keyset.js';
import { qualified } from '../../db/qualified.js';
import { departments, users } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';

export type DepartmentTableRow = typeof departments.$inferSelect;

// Correlated subqueries on the department row: its head, and its members who are not deactivated.
const head = sql`(select json_build_object('id', u.id::text, 'name', u.name) from users u where u.tenant_id = ${qualified(departments.tenantId)} and u.id = ${qualified(departments.headUserId)})`;
const userCount = sql<number>`(select count(*)::int from users u where u.tenant_id = ${qualified(departments.tenantId)} and u.department_id = ${qualified(departments.id)} and u.status <> 'deactivated')`;

const columns = { d: departments, head: head.mapWith((v) => v as { id: string; name: string } | null), userCount };

/** One page of a company's departments by name (`limit + 1` rows), with their head and user count; `q` filters by name. */
export function findDepartments(tx: Tx, tenantId: number, page: { after: NameCursor | null; limit: number; q?: string }) {
  return tx
    .select(columns)
    .from(departments)
    .where(and(eq(departments.tenantId, tenantId), nameContains(departments.name, page.q), afterName(departments.name, departments.id, page.after)))
    .orderBy(...byName(departments.name, departments.id))
    .limit(page.limit + 1);
}

export function findDepartment(tx: Tx, tenantId: number, id: number) {
  return tx
    .select(columns)
    .from(departments)
    .where(and(eq(departments.tenantId, tenantId), eq(departments.id, id)));
}

/** The department row itself (no head or count). */
export async function findDepartmentRow(tx: Tx, tenantId: number, id: number): Promise<DepartmentTableRow | undefined> {
  const [row] = await tx.select().from(departments).where(and(eq(departments.tenantId, tenantId), eq(departments.id, id)));
  return row;
}

export async function userExists(tx: Tx, tenantId: number, userId: number): Promise<boolean> {
  const [u] = await tx.select({ id: users.id }).from(users).where(and(eq(users.tenantId, tenantId), eq(users.id, userId)));
  return Boolean(u);
}

export async function insertDepartment(tx: Tx, values: { tenantId: number; name: string; headUserId: number | null }): Promise<DepartmentTableRow> {
  const [row] = await tx.insert(departments).values(values).returning();
  return row;
}

export async function updateDepartmentRow(tx: Tx, tenantId: number, id: number, set: { name?: string; headUserId?: number | null }) {
  await tx
    .update(departments)
    .set({ ...set, updatedAt: sql`now()` })
    .where(and(eq(departments.tenantId, tenantId), eq(departments.id, id)));
}

/** Composite foreign keys cannot SET NULL one column, so members are detached before a delete. */
export async function detachMembers(tx: Tx, tenantId: number, departmentId: number) {
  await tx
    .update(users)
    .set({ departmentId: null, updatedAt: sql`now()` })
    .where(and(eq(users.tenantId, tenantId), eq(users.departmentId, departmentId)));
}

/** Deletes a department; its name, or null when there was none. */
export async function deleteDepartmentRow(tx: Tx, tenantId: number, id: number): Promise<string | null> {
  const gone = await tx
    .delete(departments)
    .where(and(eq(departments.tenantId, tenantId), eq(departments.id, id)))
    .returning({ name: departments.name });
  return gone[0]?.name ?? null;
}
