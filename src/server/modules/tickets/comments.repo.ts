// The user lookup of commenting (Drizzle only): who an @mention names.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { users } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';

/** Active users of the company with one of these usernames (lower case). */
export function findMentioned(tx: Tx, tenantId: number, usernames: string[]) {
  return tx
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(and(eq(users.tenantId, tenantId), inArray(sql`lower(${users.username})`, usernames), eq(users.status, 'active')));
}
