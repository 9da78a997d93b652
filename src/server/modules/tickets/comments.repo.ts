// The user lookups of commenting (Drizzle only): who an @mention names, and who may read internal notes.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { qualified } from '../../db/qualified.js';
import { users } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';

/** Active users of the company with one of these usernames (lower case), with their role's permissions. */
export function findMentioned(tx: Tx, tenantId: number, usernames: string[]) {
  return tx
    .select({
      id: users.id,
      permissions: sql<string[]>`(select r.permissions from roles r where r.tenant_id = ${qualified(users.tenantId)} and r.id = ${qualified(users.roleId)})`,
    })
    .from(users)
    .where(and(eq(users.tenantId, tenantId), inArray(sql`lower(${users.username})`, usernames), eq(users.status, 'active')));
}

/** Those of `ids` whose role may read internal notes. */
export async function internalNoteReaders(tx: Tx, tenantId: number, ids: number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await tx
    .select({ id: users.id })
    .from(users)
    .where(
      and(
        eq(users.tenantId, tenantId),
        inArray(users.id, ids),
        sql`exists (select 1 from roles r where r.tenant_id = ${qualified(users.tenantId)} and r.id = ${qualified(users.roleId)} and 'tickets.internal_notes' = any(r.permissions))`,
      ),
    );
  return rows.map((r) => r.id);
}
