// Saved views, always read and written through their owner: another user's view is not found.
import { and, asc, eq, sql } from 'drizzle-orm';
import { savedViews } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';

export type ViewRow = typeof savedViews.$inferSelect;
export interface Owner {
  tenantId: number;
  userId: number;
}

const ownedBy = (o: Owner) => and(eq(savedViews.tenantId, o.tenantId), eq(savedViews.userId, o.userId));
const mine = (o: Owner, id: number) => and(ownedBy(o), eq(savedViews.id, id));

export function listViews(tx: Tx, o: Owner): Promise<ViewRow[]> {
  return tx
    .select()
    .from(savedViews)
    .where(ownedBy(o))
    .orderBy(asc(sql`lower(${savedViews.name})`), asc(savedViews.id));
}

export async function countViews(tx: Tx, o: Owner): Promise<number> {
  const [{ n }] = await tx.select({ n: sql<number>`count(*)::int` }).from(savedViews).where(ownedBy(o));
  return Number(n);
}

export async function insertView(tx: Tx, o: Owner, input: { name: string; filters: Record<string, unknown> }): Promise<ViewRow> {
  const [row] = await tx.insert(savedViews).values({ tenantId: o.tenantId, userId: o.userId, name: input.name, filters: input.filters }).returning();
  return row;
}

export async function findView(tx: Tx, o: Owner, id: number): Promise<ViewRow | undefined> {
  const [row] = await tx.select().from(savedViews).where(mine(o, id));
  return row;
}

export async function updateView(tx: Tx, o: Owner, id: number, set: { name?: string; filters?: Record<string, unknown> }): Promise<ViewRow> {
  const [row] = await tx.update(savedViews).set(set).where(mine(o, id)).returning();
  return row;
}

/** False when there was no such view of this owner. */
export async function deleteView(tx: Tx, o: Owner, id: number): Promise<boolean> {
  const rows = await tx.delete(savedViews).where(mine(o, id)).returning({ id: savedViews.id });
  return rows.length > 0;
}
