// Files of parts and vendors (Drizzle only).
import { and, asc, eq, gt } from 'drizzle-orm';
import { inventoryFiles, users } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';

export type InventoryFileRow = typeof inventoryFiles.$inferSelect;
/** Whose files: a part's or a vendor's. */
export type FileOwner = { partId: number } | { vendorId: number };

const ownedBy = (o: FileOwner) => ('partId' in o ? eq(inventoryFiles.partId, o.partId) : eq(inventoryFiles.vendorId, o.vendorId));

/** One page (`limit + 1` rows) of an owner's files, oldest first, with the uploader's name. */
export function findFiles(tx: Tx, tenantId: number, owner: FileOwner, f: { afterId: number | null; limit: number }) {
  return tx
    .select({ f: inventoryFiles, uploader: users.name })
    .from(inventoryFiles)
    .leftJoin(users, and(eq(users.tenantId, inventoryFiles.tenantId), eq(users.id, inventoryFiles.uploadedById)))
    .where(and(eq(inventoryFiles.tenantId, tenantId), ownedBy(owner), f.afterId ? gt(inventoryFiles.id, f.afterId) : undefined))
    .orderBy(asc(inventoryFiles.id))
    .limit(f.limit + 1);
}

export async function insertFile(tx: Tx, values: typeof inventoryFiles.$inferInsert): Promise<InventoryFileRow> {
  const [row] = await tx.insert(inventoryFiles).values(values).returning();
  return row;
}

export async function findFile(tx: Tx, tenantId: number, id: number, lock = false): Promise<InventoryFileRow | null> {
  const q = tx.select().from(inventoryFiles).where(and(eq(inventoryFiles.tenantId, tenantId), eq(inventoryFiles.id, id)));
  const [row] = lock ? await q.for('update') : await q;
  return row ?? null;
}

export async function deleteFileRow(tx: Tx, tenantId: number, id: number) {
  await tx.delete(inventoryFiles).where(and(eq(inventoryFiles.tenantId, tenantId), eq(inventoryFiles.id, id)));
}
