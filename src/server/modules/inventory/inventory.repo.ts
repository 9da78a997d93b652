// Inventory queries (Drizzle only): parts with their vendors and stock, vendors, locations, and the
// two statements that move stock: an upsert that adds and a conditional UPDATE that takes away.
import { and, asc, desc, eq, ilike, inArray, lt, or, sql } from 'drizzle-orm';
import { locations, partVendors, parts, roles, stockLevels, stockMovements, tickets, users, vendors } from '../../db/schema/index.js';
import { afterKey, byKey } from '../../db/keyset.js';
import { qualified } from '../../db/qualified.js';
import type { Tx } from '../../platform/db.js';

export type PartRow = typeof parts.$inferSelect;
export type VendorRow = typeof vendors.$inferSelect;

const escapeLike = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Sum of a part's stock over all locations (a correlated subquery, for filters and answers). */
export const totalStock = sql<string>`(select coalesce(sum(s.quantity), 0) from stock_levels s where s.tenant_id = ${qualified(parts.tenantId)} and s.part_id = ${qualified(parts.id)})`;

export async function findParts(tx: Tx, tenantId: number, f: { q?: string; belowReorder?: boolean; after: [string, number] | null; limit: number }) {
  const conditions = [eq(parts.tenantId, tenantId)];
  if (f.q) conditions.push(or(ilike(parts.name, escapeLike(f.q)), ilike(parts.sku, escapeLike(f.q)))!);
  if (f.belowReorder) conditions.push(sql`${totalStock} < ${parts.reorderPoint}`);
  if (f.after) conditions.push(afterKey(parts.nameKey, parts.id, f.after)!);
  return tx
    .select({ part: parts, total: totalStock })
    .from(parts)
    .where(and(...conditions))
    .orderBy(...byKey(parts.nameKey, parts.id))
    .limit(f.limit + 1);
}

export async function findPart(tx: Tx, tenantId: number, id: number, lock = false) {
  const q = tx.select().from(parts).where(and(eq(parts.tenantId, tenantId), eq(parts.id, id)));
  // No key update: movements inserting rows that reference the part are not blocked by it, other movements of the part are.
  const [row] = lock ? await q.for('no key update') : await q;
  return row ?? null;
}

export async function partTotal(tx: Tx, tenantId: number, partId: number): Promise<number> {
  const [row] = await tx
    .select({ total: sql<string>`coalesce(sum(${stockLevels.quantity}), 0)` })
    .from(stockLevels)
    .where(and(eq(stockLevels.tenantId, tenantId), eq(stockLevels.partId, partId)));
  return Number(row.total);
}

export async function stockOf(tx: Tx, tenantId: number, partIds: number[]) {
  if (partIds.length === 0) return [];
  return tx
    .select({ partId: stockLevels.partId, locationId: locations.id, locationName: locations.name, quantity: stockLevels.quantity })
    .from(stockLevels)
    .innerJoin(locations, and(eq(locations.tenantId, stockLevels.tenantId), eq(locations.id, stockLevels.locationId)))
    .where(and(eq(stockLevels.tenantId, tenantId), inArray(stockLevels.partId, partIds), sql`${stockLevels.quantity} <> 0`))
    .orderBy(asc(locations.name), asc(locations.id));
}

export async function vendorsOf(tx: Tx, tenantId: number, partIds: number[]) {
  if (partIds.length === 0) return [];
  return tx
    .select({ partId: partVendors.partId, vendorId: vendors.id, vendorName: vendors.name, vendorSku: partVendors.vendorSku, price: partVendors.price })
    .from(partVendors)
    .innerJoin(vendors, and(eq(vendors.tenantId, partVendors.tenantId), eq(vendors.id, partVendors.vendorId)))
    .where(and(eq(partVendors.tenantId, tenantId), inArray(partVendors.partId, partIds)))
    .orderBy(asc(vendors.name));
}

export async function replaceVendors(tx: Tx, tenantId: number, partId: number, list: Array<{ vendorId: number; vendorSku?: string | null; price?: number | null }>) {
  await tx.delete(partVendors).where(and(eq(partVendors.tenantId, tenantId), eq(partVendors.partId, partId)));
  const unique = [...new Map(list.map((v) => [v.vendorId, v])).values()];
  if (unique.length === 0) return;
  await tx.insert(partVendors).values(
    unique.map((v) => ({ tenantId, partId, vendorId: v.vendorId, vendorSku: v.vendorSku ?? null, price: v.price === undefined || v.price === null ? null : String(v.price) })),
  );
}

export async function vendorsExist(tx: Tx, tenantId: number, ids: number[]): Promise<boolean> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return true;
  const rows = await tx.select({ id: vendors.id }).from(vendors).where(and(eq(vendors.tenantId, tenantId), inArray(vendors.id, unique)));
  return rows.length === unique.length;
}

export async function findVendors(tx: Tx, tenantId: number, f: { q?: string; after: [string, number] | null; limit: number }) {
  const conditions = [eq(vendors.tenantId, tenantId)];
  if (f.q) conditions.push(ilike(vendors.name, escapeLike(f.q)));
  if (f.after) conditions.push(afterKey(vendors.nameKey, vendors.id, f.after)!);
  return tx.select().from(vendors).where(and(...conditions)).orderBy(...byKey(vendors.nameKey, vendors.id)).limit(f.limit + 1);
}

export async function findVendor(tx: Tx, tenantId: number, id: number) {
  const [row] = await tx.select().from(vendors).where(and(eq(vendors.tenantId, tenantId), eq(vendors.id, id)));
  return row ?? null;
}

export async function locationExists(tx: Tx, tenantId: number, id: number): Promise<boolean> {
  const [row] = await tx.select({ id: locations.id }).from(locations).where(and(eq(locations.tenantId, tenantId), eq(locations.id, id)));
  return Boolean(row);
}

/** Adds to a balance, creating it at the first receipt. */
export async function addStock(tx: Tx, tenantId: number, partId: number, locationId: number, quantity: string) {
  await tx
    .insert(stockLevels)
    .values({ tenantId, partId, locationId, quantity })
    .onConflictDoUpdate({
      target: [stockLevels.tenantId, stockLevels.partId, stockLevels.locationId],
      set: { quantity: sql`${stockLevels.quantity} + ${quantity}::numeric` },
    });
}

/** Several parts locked at once, in id order (so two batches touching the same parts never deadlock). */
export async function lockParts(tx: Tx, tenantId: number, ids: number[]): Promise<PartRow[]> {
  const unique = [...new Set(ids)].sort((a, b) => a - b);
  if (unique.length === 0) return [];
  return tx
    .select()
    .from(parts)
    .where(and(eq(parts.tenantId, tenantId), inArray(parts.id, unique)))
    .orderBy(asc(parts.id))
    .for('no key update');
}

/** Which of these locations exist in the company. */
export async function existingLocations(tx: Tx, tenantId: number, ids: number[]): Promise<Set<number>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Set();
  const rows = await tx.select({ id: locations.id }).from(locations).where(and(eq(locations.tenantId, tenantId), inArray(locations.id, unique)));
  return new Set(rows.map((r) => r.id));
}

/** addStock for several balances in one statement; each (part, location) at most once. */
export async function addStockMany(tx: Tx, tenantId: number, rows: Array<{ partId: number; locationId: number; quantity: string }>) {
  if (rows.length === 0) return;
  await tx
    .insert(stockLevels)
    .values(rows.map((r) => ({ tenantId, ...r })))
    .onConflictDoUpdate({
      target: [stockLevels.tenantId, stockLevels.partId, stockLevels.locationId],
      set: { quantity: sql`${qualified(stockLevels.quantity)} + excluded.quantity` },
    });
}

/** Several ledger rows in one statement, returned in the order given. */
export async function insertMovements(tx: Tx, values: Array<typeof stockMovements.$inferInsert>) {
  if (values.length === 0) return [];
  const rows = await tx.insert(stockMovements).values(values).returning();
  // Identities are drawn in the order of the rows given.
  return rows.sort((a, b) => a.id - b.id);
}

/**
 * Takes from a balance only if enough is there, in one statement: concurrent takers queue on the row
 * and each re-checks the condition against the committed balance, so stock never goes negative.
 * Returns false (nothing changed) when there is not enough.
 */
export async function takeStock(tx: Tx, tenantId: number, partId: number, locationId: number, quantity: string): Promise<boolean> {
  const rows = await tx
    .update(stockLevels)
    .set({ quantity: sql`${stockLevels.quantity} - ${quantity}::numeric` })
    .where(
      and(
        eq(stockLevels.tenantId, tenantId),
        eq(stockLevels.partId, partId),
        eq(stockLevels.locationId, locationId),
        sql`${stockLevels.quantity} >= ${quantity}::numeric`,
      ),
    )
    .returning({ quantity: stockLevels.quantity });
  return rows.length === 1;
}

export async function available(tx: Tx, tenantId: number, partId: number, locationId: number): Promise<number> {
  const [row] = await tx
    .select({ quantity: stockLevels.quantity })
    .from(stockLevels)
    .where(and(eq(stockLevels.tenantId, tenantId), eq(stockLevels.partId, partId), eq(stockLevels.locationId, locationId)));
  return Number(row?.quantity ?? 0);
}

export async function insertMovement(tx: Tx, values: typeof stockMovements.$inferInsert) {
  const [row] = await tx.insert(stockMovements).values(values).returning();
  return row;
}

const fromLocation = sql<string>`(select l.name from locations l where l.tenant_id = ${qualified(stockMovements.tenantId)} and l.id = ${qualified(stockMovements.locationId)})`;
const toLocation = sql<string | null>`(select l.name from locations l where l.tenant_id = ${qualified(stockMovements.tenantId)} and l.id = ${qualified(stockMovements.toLocationId)})`;
const ticketNumber = sql<number | null>`(select t.number from ${tickets} t where t.tenant_id = ${qualified(stockMovements.tenantId)} and t.id = ${qualified(stockMovements.ticketId)})`;
const movementColumns = { m: stockMovements, locationName: fromLocation, toLocationName: toLocation, ticketNumber };
export type MovementWithNames = { m: typeof stockMovements.$inferSelect; locationName: string; toLocationName: string | null; ticketNumber: number | null };

export async function findMovements(tx: Tx, tenantId: number, partId: number, f: { before: number | null; limit: number }): Promise<MovementWithNames[]> {
  return tx
    .select(movementColumns)
    .from(stockMovements)
    .where(and(eq(stockMovements.tenantId, tenantId), eq(stockMovements.partId, partId), f.before ? lt(stockMovements.id, f.before) : undefined))
    .orderBy(desc(stockMovements.id))
    .limit(f.limit + 1);
}

export async function findMovement(tx: Tx, tenantId: number, id: number): Promise<MovementWithNames> {
  const [row] = await tx.select(movementColumns).from(stockMovements).where(and(eq(stockMovements.tenantId, tenantId), eq(stockMovements.id, id)));
  return row;
}

/** Parts consumed on a ticket, oldest first. */
export async function partsUsedOn(tx: Tx, tenantId: number, ticketId: number) {
  return tx
    .select({ m: stockMovements, sku: parts.sku, name: parts.name, unit: parts.unit })
    .from(stockMovements)
    .innerJoin(parts, and(eq(parts.tenantId, stockMovements.tenantId), eq(parts.id, stockMovements.partId)))
    .where(and(eq(stockMovements.tenantId, tenantId), eq(stockMovements.ticketId, ticketId), eq(stockMovements.type, 'consume')))
    .orderBy(asc(stockMovements.id));
}

/** Active users whose role may manage inventory: the audience of low-stock notices. */
export async function inventoryManagerIds(tx: Tx, tenantId: number): Promise<number[]> {
  const rows = await tx
    .select({ id: users.id })
    .from(users)
    .innerJoin(roles, and(eq(roles.tenantId, users.tenantId), eq(roles.id, users.roleId)))
    .where(and(eq(users.tenantId, tenantId), eq(users.status, 'active'), sql`'inventory.manage' = any(${roles.permissions})`));
  return rows.map((r) => r.id);
}

/** A part with its stock total. */
export async function findPartWithTotal(tx: Tx, tenantId: number, id: number) {
  const [row] = await tx
    .select({ part: parts, total: totalStock })
    .from(parts)
    .where(and(eq(parts.tenantId, tenantId), eq(parts.id, id)));
  return row ?? null;
}

type PartColumns = Partial<Omit<typeof parts.$inferInsert, 'tenantId' | 'id' | 'createdAt' | 'updatedAt'>>;

export async function insertPart(tx: Tx, values: PartColumns & { tenantId: number; sku: string; name: string }): Promise<number> {
  const [row] = await tx.insert(parts).values(values).returning({ id: parts.id });
  return row.id;
}

export async function updatePartRow(tx: Tx, tenantId: number, id: number, set: PartColumns) {
  await tx
    .update(parts)
    .set({ ...set, updatedAt: sql`now()` })
    .where(and(eq(parts.tenantId, tenantId), eq(parts.id, id)));
}

type VendorColumns = Partial<Omit<typeof vendors.$inferInsert, 'tenantId' | 'id' | 'createdAt' | 'updatedAt'>>;

export async function insertVendor(tx: Tx, values: VendorColumns & { tenantId: number; name: string }): Promise<VendorRow> {
  const [row] = await tx.insert(vendors).values(values).returning();
  return row;
}

export async function updateVendorRow(tx: Tx, tenantId: number, id: number, set: VendorColumns): Promise<VendorRow | null> {
  const [row] = await tx
    .update(vendors)
    .set({ ...set, updatedAt: sql`now()` })
    .where(and(eq(vendors.tenantId, tenantId), eq(vendors.id, id)))
    .returning();
  return row ?? null;
}

/** Marks a ticket changed now (parts were used on it); the row as it is after. */
export async function touchTicket(tx: Tx, tenantId: number, ticketId: number) {
  const [row] = await tx.update(tickets).set({ updatedAt: sql`now()` }).where(and(eq(tickets.tenantId, tenantId), eq(tickets.id, ticketId))).returning();
  return row;
}

/** The vendors with these names (compared in lower case). */
export function vendorsNamed(tx: Tx, tenantId: number, lowerNames: string[]) {
  return tx
    .select({ id: vendors.id, name: vendors.name })
    .from(vendors)
    .where(and(eq(vendors.tenantId, tenantId), inArray(sql`lower(${vendors.name})`, lowerNames)));
}

/** Adds a vendor by name unless one of that name (any case) exists; returns the vendor's id either way. */
export async function ensureVendor(tx: Tx, tenantId: number, name: string): Promise<number> {
  await tx.insert(vendors).values({ tenantId, name }).onConflictDoNothing();
  const [row] = await vendorsNamed(tx, tenantId, [name.toLowerCase()]);
  return row.id;
}
