// Picklist queries (Drizzle only).
import { and, eq, sql } from 'drizzle-orm';
import { afterName, byName, type NameCursor, nameContains } from '../../db/keyset.js';
import { assets, type CustomFieldDef, categories, documents, type PicklistName, picklistItems } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';

export type ItemRow = typeof picklistItems.$inferSelect;

export async function insertItems(tx: Tx, rows: Array<typeof picklistItems.$inferInsert>) {
  if (rows.length) await tx.insert(picklistItems).values(rows);
}

export async function findItem(tx: Tx, tenantId: number, list: PicklistName, id: number): Promise<ItemRow | undefined> {
  const [row] = await tx
    .select()
    .from(picklistItems)
    .where(and(eq(picklistItems.tenantId, tenantId), eq(picklistItems.list, list), eq(picklistItems.id, id)));
  return row;
}

/** One page of a list by name (`limit + 1` rows); `q` filters by name. */
export function findItems(tx: Tx, tenantId: number, list: PicklistName, f: { after: NameCursor | null; limit: number; q?: string }) {
  return tx
    .select()
    .from(picklistItems)
    .where(
      and(eq(picklistItems.tenantId, tenantId), eq(picklistItems.list, list), nameContains(picklistItems.name, f.q), afterName(picklistItems.name, picklistItems.id, f.after)),
    )
    .orderBy(...byName(picklistItems.name, picklistItems.id))
    .limit(f.limit + 1);
}

export async function ticketCategoryExists(tx: Tx, tenantId: number, id: number): Promise<boolean> {
  const [c] = await tx.select({ id: categories.id }).from(categories).where(and(eq(categories.tenantId, tenantId), eq(categories.id, id)));
  return Boolean(c);
}

/** The id of the item of this list with this name in any case, if any. */
export async function findByName(tx: Tx, tenantId: number, list: PicklistName, name: string): Promise<number | null> {
  const [dup] = await tx
    .select({ id: picklistItems.id })
    .from(picklistItems)
    .where(and(eq(picklistItems.tenantId, tenantId), eq(picklistItems.list, list), sql`lower(${picklistItems.name}) = lower(${name})`));
  return dup?.id ?? null;
}

export async function insertItem(tx: Tx, values: typeof picklistItems.$inferInsert): Promise<ItemRow> {
  const [row] = await tx.insert(picklistItems).values(values).returning();
  return row;
}

export async function updateItemRow(
  tx: Tx,
  tenantId: number,
  id: number,
  set: { name?: string; customFields?: CustomFieldDef[]; ticketCategoryId?: number | null },
): Promise<ItemRow> {
  const [row] = await tx
    .update(picklistItems)
    .set(set)
    .where(and(eq(picklistItems.tenantId, tenantId), eq(picklistItems.id, id)))
    .returning();
  return row;
}

const USED_BY = { categories: assets.categoryId, manufacturers: assets.manufacturerId, conditions: assets.conditionId } as const;

/** How many assets (documents, for a document category) use the item. */
export async function assetsUsing(tx: Tx, tenantId: number, list: PicklistName, id: number): Promise<number> {
  if (list === 'document_categories') {
    const [docs] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(documents)
      .where(and(eq(documents.tenantId, tenantId), eq(documents.categoryId, id)));
    return docs?.n ?? 0;
  }
  const [used] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(assets)
    .where(and(eq(assets.tenantId, tenantId), eq(USED_BY[list], id)));
  return used?.n ?? 0;
}

export async function deleteItemRow(tx: Tx, tenantId: number, id: number) {
  await tx.delete(picklistItems).where(and(eq(picklistItems.tenantId, tenantId), eq(picklistItems.id, id)));
}
