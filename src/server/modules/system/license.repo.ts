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

/** The advisory lock every transaction that takes a licensed seat holds from its count to its commit. */
const SEATS_LOCK = 0x5354_5345; // 'STSE'

/**
 * Takes the instance's seat lock for the rest of the transaction, then counts the seats in use: two
 * users created or activated at once are counted one after the other, never both against the same
 * count. In a company's transaction row-level security hides the other companies' users, so the
 * count alone runs as the connection's own role (the role steward_app is entered again after it).
 */
export async function lockInstanceSeats(tx: Tx): Promise<number> {
  await tx.execute(sql`select pg_advisory_xact_lock(${SEATS_LOCK})`);
  const result = (await tx.execute(sql`select current_setting('role') as role`)) as unknown as { rows: Array<{ role: string }> };
  const role = result.rows[0]?.role ?? 'none';
  if (role === 'none') return instanceSeatsUsed(tx);
  await tx.execute(sql`select set_config('role', 'none', true)`);
  const used = await instanceSeatsUsed(tx);
  await tx.execute(sql`select set_config('role', ${role}, true)`);
  return used;
}
