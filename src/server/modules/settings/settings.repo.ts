// The company row as its own settings page reads and writes it.
import { eq, sql } from 'drizzle-orm';
import { companies } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';

export type Company = typeof companies.$inferSelect;

export async function findCompany(tx: Tx, tenantId: number, lock = false): Promise<Company> {
  const q = tx.select().from(companies).where(eq(companies.id, tenantId));
  const [row] = lock ? await q.for('update') : await q;
  return row;
}

/** `stored` is merged into the settings JSON, keeping the keys it does not name. */
export async function updateCompany(tx: Tx, tenantId: number, set: { name?: string; timezone?: string; stored: Record<string, unknown> }): Promise<Company> {
  const [row] = await tx
    .update(companies)
    .set({
      name: set.name,
      timezone: set.timezone,
      settings: Object.keys(set.stored).length ? sql`${companies.settings} || ${JSON.stringify(set.stored)}::jsonb` : undefined,
      updatedAt: sql`now()`,
    })
    .where(eq(companies.id, tenantId))
    .returning();
  return row;
}
