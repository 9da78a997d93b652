// Department queries (Drizzle only).
import { and, asc, eq, sql } from 'drizzle-orm';
import { qualified } from '../../db/qualified.js';
import { departments } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';

// Correlated subqueries on the department row: its head, and its members who are not deactivated.
const head = sql`(select json_build_object('id', u.id::text, 'name', u.name) from users u where u.tenant_id = ${qualified(departments.tenantId)} and u.id = ${qualified(departments.headUserId)})`;
const userCount = sql<number>`(select count(*)::int from users u where u.tenant_id = ${qualified(departments.tenantId)} and u.department_id = ${qualified(departments.id)} and u.status <> 'deactivated')`;

/** A company's departments by name (or the one with `id`), with their head and user count. */
export function findDepartments(tx: Tx, tenantId: number, id?: number) {
  return tx
    .select({ d: departments, head: head.mapWith((v) => v as { id: string; name: string } | null), userCount })
    .from(departments)
    .where(and(eq(departments.tenantId, tenantId), id ? eq(departments.id, id) : undefined))
    .orderBy(asc(sql`lower(${departments.name})`));
}
