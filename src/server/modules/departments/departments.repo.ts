// Department queries (Drizzle only).
import { and, eq, sql } from 'drizzle-orm';
import { afterName, byName, type NameCursor } from '../../db/keyset.js';
import { qualified } from '../../db/qualified.js';
import { departments } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';

// Correlated subqueries on the department row: its head, and its members who are not deactivated.
const head = sql`(select json_build_object('id', u.id::text, 'name', u.name) from users u where u.tenant_id = ${qualified(departments.tenantId)} and u.id = ${qualified(departments.headUserId)})`;
const userCount = sql<number>`(select count(*)::int from users u where u.tenant_id = ${qualified(departments.tenantId)} and u.department_id = ${qualified(departments.id)} and u.status <> 'deactivated')`;

const columns = { d: departments, head: head.mapWith((v) => v as { id: string; name: string } | null), userCount };

/** One page of a company's departments by name (`limit + 1` rows), with their head and user count. */
export function findDepartments(tx: Tx, tenantId: number, page: { after: NameCursor | null; limit: number }) {
  return tx
    .select(columns)
    .from(departments)
    .where(and(eq(departments.tenantId, tenantId), afterName(departments.name, departments.id, page.after)))
    .orderBy(...byName(departments.name, departments.id))
    .limit(page.limit + 1);
}

export function findDepartment(tx: Tx, tenantId: number, id: number) {
  return tx
    .select(columns)
    .from(departments)
    .where(and(eq(departments.tenantId, tenantId), eq(departments.id, id)));
}
