import { and, eq, gt, ilike, inArray, or, sql } from 'drizzle-orm';
import { afterKey, byKey } from '../../db/keyset.js';
import { companies, departments, presence, roles, users, type UserStatus } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';

export type UserRow = typeof users.$inferSelect;

const userWithRole = {
  user: users,
  role: { id: roles.id, name: roles.name, level: roles.level },
  department: { id: departments.id, name: departments.name },
};

export async function findUsers(
  tx: Tx,
  tenantId: number,
  f: { q?: string; status?: UserStatus; after: [string, number] | null; limit: number },
) {
  const conditions = [eq(users.tenantId, tenantId)];
  if (f.status) conditions.push(eq(users.status, f.status));
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(or(ilike(users.name, like), ilike(users.email, like), ilike(users.username, like))!);
  }
  if (f.after) {
    conditions.push(afterKey(users.nameKey, users.id, f.after)!);
  }
  return tx
    .select(userWithRole)
    .from(users)
    .innerJoin(roles, and(eq(roles.tenantId, users.tenantId), eq(roles.id, users.roleId)))
    .leftJoin(departments, and(eq(departments.tenantId, users.tenantId), eq(departments.id, users.departmentId)))
    .where(and(...conditions))
    .orderBy(...byKey(users.nameKey, users.id))
    .limit(f.limit + 1);
}

export async function findUser(tx: Tx, tenantId: number, id: number) {
  const [row] = await tx
    .select(userWithRole)
    .from(users)
    .innerJoin(roles, and(eq(roles.tenantId, users.tenantId), eq(roles.id, users.roleId)))
    .leftJoin(departments, and(eq(departments.tenantId, users.tenantId), eq(departments.id, users.departmentId)))
    .where(and(eq(users.tenantId, tenantId), eq(users.id, id)))
    .limit(1);
  return row ?? null;
}

export async function findRole(tx: Tx, tenantId: number, id: number) {
  const [row] = await tx.select().from(roles).where(and(eq(roles.tenantId, tenantId), eq(roles.id, id))).limit(1);
  return row ?? null;
}

export async function departmentExists(tx: Tx, tenantId: number, id: number): Promise<boolean> {
  const rows = await tx.select({ id: departments.id }).from(departments).where(and(eq(departments.tenantId, tenantId), eq(departments.id, id)));
  return rows.length > 0;
}

/** Locks the company row so concurrent invitations cannot exceed the seat limit together. */
export async function lockSeats(tx: Tx, tenantId: number): Promise<{ seats: number; used: number; name: string }> {
  const [company] = await tx
    .select({ seats: companies.seats, name: companies.name })
    .from(companies)
    .where(eq(companies.id, tenantId))
    .for('update');
  const [{ used }] = await tx
    .select({ used: sql<number>`count(*)::int` })
    .from(users)
    .where(and(eq(users.tenantId, tenantId), inArray(users.status, ['active', 'invited'])));
  return { seats: company.seats, used, name: company.name };
}

export async function insertUser(tx: Tx, values: typeof users.$inferInsert): Promise<UserRow> {
  const [row] = await tx.insert(users).values(values).returning();
  return row;
}

export async function updateUser(tx: Tx, tenantId: number, id: number, values: Partial<typeof users.$inferInsert>) {
  const [row] = await tx
    .update(users)
    .set({ ...values, updatedAt: sql`now()` })
    .where(and(eq(users.tenantId, tenantId), eq(users.id, id)))
    .returning();
  return row ?? null;
}

export async function onlineUsers(tx: Tx, tenantId: number) {
  return tx
    .selectDistinct({ id: users.id, name: users.name, color: users.color })
    .from(presence)
    .innerJoin(users, and(eq(users.tenantId, presence.tenantId), eq(users.id, presence.userId)))
    .where(and(eq(presence.tenantId, tenantId), gt(presence.seenAt, sql`now() - interval '90 seconds'`)))
    .orderBy(users.name);
}
