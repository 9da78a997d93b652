// The instance-wide seat count the license caps (system scope: every company's users).
import { inArray, sql } from 'drizzle-orm';
import { users } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';

/** Active and invited users of every company. */
export async function instanceSeatsUsed(tx: Tx): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .where(inArray(users.status, ['active', 'invited']));
  return row?.n ?? 0;
}
