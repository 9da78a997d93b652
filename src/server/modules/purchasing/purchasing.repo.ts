// Purchasing queries (Drizzle only): buying companies, ship-to, the plan, vendors and references, the
// PO number counter and the settings row; the purchase orders themselves are in orders.repo.ts,
// re-exported at the end so that callers keep one `repo`. Every query names the company.
import { and, asc, desc, eq, ilike, inArray, isNull, lt, or, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import {
  buyingCompanies,
  companies,
  counters,
  departments,
  locations,
  partVendors,
  parts,
  picklistItems,
  plannedItems,
  purchaseOrders,
  purchasingSettings,
  shipTo,
  vendors,
} from '../../db/schema/index.js';
import { qualified } from '../../db/qualified.js';
import type { Tx } from '../../platform/db.js';

export type BuyingCompanyRow = typeof buyingCompanies.$inferSelect;
export type ShipToRow = typeof shipTo.$inferSelect;
export type PlannedItemRow = typeof plannedItems.$inferSelect;
export type VendorRow = typeof vendors.$inferSelect;
export type SettingsRow = typeof purchasingSettings.$inferSelect;

const escapeLike = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

// Settings and the company ------------------------------------------------------------------------

export async function findSettings(tx: Tx, tenantId: number): Promise<SettingsRow | null> {
  const [row] = await tx.select().from(purchasingSettings).where(eq(purchasingSettings.tenantId, tenantId));
  return row ?? null;
}

export async function saveSettings(tx: Tx, tenantId: number, set: Partial<Omit<SettingsRow, 'tenantId' | 'updatedAt'>>) {
  const [row] = await tx
    .insert(purchasingSettings)
    .values({ tenantId, ...set })
    .onConflictDoUpdate({ target: purchasingSettings.tenantId, set: { ...set, updatedAt: sql`now()` } })
    .returning();
  return row;
}

export async function companyTimezone(tx: Tx, tenantId: number): Promise<string> {
  const [row] = await tx.select({ timezone: companies.timezone }).from(companies).where(eq(companies.id, tenantId));
  return row?.timezone ?? 'UTC';
}

/** The next number of a named per-company counter (created at 1). */
export async function nextCounter(tx: Tx, tenantId: number, name: string): Promise<number> {
  const [row] = await tx
    .insert(counters)
    .values({ tenantId, name, last: 1 })
    .onConflictDoUpdate({ target: [counters.tenantId, counters.name], set: { last: sql`${counters.last} + 1` } })
    .returning({ last: counters.last });
  return row.last;
}

export async function numberTaken(tx: Tx, tenantId: number, number: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: purchaseOrders.id })
    .from(purchaseOrders)
    .where(and(eq(purchaseOrders.tenantId, tenantId), eq(purchaseOrders.number, number)));
  return Boolean(row);
}

// References from other areas (existence checks by id, within the company) ------------------------

const REFERENCES = { vendor: vendors, part: parts, department: departments, location: locations } as const;
export type Reference = keyof typeof REFERENCES | 'assetCategory';

/** The ids among `ids` that exist in the company (asset categories: picklist items of the list `categories`). */
export async function existingIds(tx: Tx, tenantId: number, kind: Reference, ids: number[]): Promise<Set<number>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Set();
  if (kind === 'assetCategory') {
    const rows = await tx
      .select({ id: picklistItems.id })
      .from(picklistItems)
      .where(and(eq(picklistItems.tenantId, tenantId), eq(picklistItems.list, 'categories'), inArray(picklistItems.id, unique)));
    return new Set(rows.map((r) => r.id));
  }
  const t = REFERENCES[kind];
  const rows = await tx
    .select({ id: t.id })
    .from(t)
    .where(and(eq(t.tenantId, tenantId), inArray(t.id, unique)));
  return new Set(rows.map((r) => r.id));
}

export async function findVendor(tx: Tx, tenantId: number, id: number): Promise<VendorRow | null> {
  const [row] = await tx
    .select()
    .from(vendors)
    .where(and(eq(vendors.tenantId, tenantId), eq(vendors.id, id)));
  return row ?? null;
}

export async function vendorsByIds(tx: Tx, tenantId: number, ids: number[]): Promise<VendorRow[]> {
  if (ids.length === 0) return [];
  return tx
    .select()
    .from(vendors)
    .where(and(eq(vendors.tenantId, tenantId), inArray(vendors.id, [...new Set(ids)])));
}

/** The vendor a part is ordered from by default: its cheapest listed vendor (then the oldest listing). */
export async function preferredVendor(
  tx: Tx,
  tenantId: number,
  partId: number,
): Promise<{ vendorId: number; price: string | null } | null> {
  const [row] = await tx
    .select({ vendorId: partVendors.vendorId, price: partVendors.price })
    .from(partVendors)
    .where(and(eq(partVendors.tenantId, tenantId), eq(partVendors.partId, partId)))
    .orderBy(sql`${partVendors.price} asc nulls last`, asc(partVendors.vendorId))
    .limit(1);
  return row ?? null;
}

// Buying companies and ship-to --------------------------------------------------------------------

type Keyset = [string, number] | null;
const afterName = (t: { name: unknown; id: unknown }, after: Keyset): SQL | undefined =>
  after ? sql`(lower(${t.name as SQL}), ${t.id as SQL}) > (${after[0]}, ${after[1]})` : undefined;

export async function findBuyingCompanies(tx: Tx, tenantId: number, f: { q?: string; after: Keyset; limit: number }) {
  return tx
    .select({ b: buyingCompanies, hasLogo: sql<boolean>`${buyingCompanies.logo} is not null` })
    .from(buyingCompanies)
    .where(
      and(
        eq(buyingCompanies.tenantId, tenantId),
        f.q ? ilike(buyingCompanies.name, escapeLike(f.q)) : undefined,
        afterName(buyingCompanies, f.after),
      ),
    )
    .orderBy(sql`lower(${buyingCompanies.name})`, asc(buyingCompanies.id))
    .limit(f.limit + 1);
}

const buyingCompanyColumns = {
  tenantId: buyingCompanies.tenantId,
  id: buyingCompanies.id,
  name: buyingCompanies.name,
  address: buyingCompanies.address,
  logoContentType: buyingCompanies.logoContentType,
  createdAt: buyingCompanies.createdAt,
  updatedAt: buyingCompanies.updatedAt,
};
export type BuyingCompanyInfo = Omit<BuyingCompanyRow, 'logo'>;

export async function findBuyingCompany(tx: Tx, tenantId: number, id: number): Promise<BuyingCompanyInfo | null> {
  const [row] = await tx
    .select(buyingCompanyColumns)
    .from(buyingCompanies)
    .where(and(eq(buyingCompanies.tenantId, tenantId), eq(buyingCompanies.id, id)));
  return row ?? null;
}

export async function buyingCompanyLogo(tx: Tx, tenantId: number, id: number) {
  const [row] = await tx
    .select({ logo: buyingCompanies.logo, contentType: buyingCompanies.logoContentType })
    .from(buyingCompanies)
    .where(and(eq(buyingCompanies.tenantId, tenantId), eq(buyingCompanies.id, id)));
  return row ?? null;
}

export async function insertBuyingCompany(tx: Tx, values: { tenantId: number; name: string; address: string }) {
  const [row] = await tx.insert(buyingCompanies).values(values).returning(buyingCompanyColumns);
  return row;
}

export async function updateBuyingCompany(
  tx: Tx,
  tenantId: number,
  id: number,
  set: { name?: string; address?: string; logo?: Buffer | null; logoContentType?: string | null },
) {
  const [row] = await tx
    .update(buyingCompanies)
    .set({ ...set, updatedAt: sql`now()` })
    .where(and(eq(buyingCompanies.tenantId, tenantId), eq(buyingCompanies.id, id)))
    .returning(buyingCompanyColumns);
  return row ?? null;
}

const shipToLocation = alias(locations, 'ship_to_location');
const selectShipTo = (tx: Tx) =>
  tx
    .select({ s: shipTo, location: { id: shipToLocation.id, name: shipToLocation.name } })
    .from(shipTo)
    .leftJoin(shipToLocation, and(eq(shipToLocation.tenantId, shipTo.tenantId), eq(shipToLocation.id, shipTo.locationId)));
export type ShipToWithLocation = Awaited<ReturnType<ReturnType<typeof selectShipTo>['where']>>[number];

export async function findShipTos(tx: Tx, tenantId: number, f: { q?: string; after: Keyset; limit: number }) {
  return selectShipTo(tx)
    .where(and(eq(shipTo.tenantId, tenantId), f.q ? ilike(shipTo.name, escapeLike(f.q)) : undefined, afterName(shipTo, f.after)))
    .orderBy(sql`lower(${shipTo.name})`, asc(shipTo.id))
    .limit(f.limit + 1);
}

export async function findShipTo(tx: Tx, tenantId: number, id: number): Promise<ShipToWithLocation | null> {
  const [row] = await selectShipTo(tx).where(and(eq(shipTo.tenantId, tenantId), eq(shipTo.id, id)));
  return row ?? null;
}

export async function insertShipTo(tx: Tx, values: typeof shipTo.$inferInsert) {
  const [row] = await tx.insert(shipTo).values(values).returning({ id: shipTo.id });
  return row.id;
}

export async function updateShipTo(tx: Tx, tenantId: number, id: number, set: Partial<typeof shipTo.$inferInsert>) {
  const [row] = await tx
    .update(shipTo)
    .set({ ...set, updatedAt: sql`now()` })
    .where(and(eq(shipTo.tenantId, tenantId), eq(shipTo.id, id)))
    .returning({ id: shipTo.id });
  return Boolean(row);
}

// Planned items -------------------------------------------------------------------------------------

const plannedVendor = alias(vendors, 'planned_vendor');
const plannedCategory = alias(picklistItems, 'planned_category');
const selectPlanned = (tx: Tx) =>
  tx
    .select({
      p: plannedItems,
      vendor: { id: plannedVendor.id, name: plannedVendor.name },
      part: { id: parts.id, sku: parts.sku, name: parts.name },
      department: { id: departments.id, name: departments.name },
      assetCategory: { id: plannedCategory.id, name: plannedCategory.name },
    })
    .from(plannedItems)
    .leftJoin(plannedVendor, and(eq(plannedVendor.tenantId, plannedItems.tenantId), eq(plannedVendor.id, plannedItems.vendorId)))
    .leftJoin(parts, and(eq(parts.tenantId, plannedItems.tenantId), eq(parts.id, plannedItems.partId)))
    .leftJoin(departments, and(eq(departments.tenantId, plannedItems.tenantId), eq(departments.id, plannedItems.departmentId)))
    .leftJoin(
      plannedCategory,
      and(eq(plannedCategory.tenantId, plannedItems.tenantId), eq(plannedCategory.id, plannedItems.assetCategoryId)),
    );
export type PlannedWithNames = Awaited<ReturnType<ReturnType<typeof selectPlanned>['where']>>[number];

export interface PlannedFilters {
  q?: string;
  vendorId?: number | 'none';
  departmentId?: number;
  costCode?: string;
  source?: 'manual' | 'low_stock';
}

/** The open plan (items on no PO), newest first. */
export async function findPlanned(
  tx: Tx,
  tenantId: number,
  f: PlannedFilters & { before: number | null; limit: number },
): Promise<PlannedWithNames[]> {
  const conditions: Array<SQL | undefined> = [eq(plannedItems.tenantId, tenantId), isNull(plannedItems.purchaseOrderId)];
  if (f.q) conditions.push(or(ilike(plannedItems.description, escapeLike(f.q)), ilike(plannedItems.costCode, escapeLike(f.q))));
  if (f.vendorId === 'none') conditions.push(isNull(plannedItems.vendorId));
  else if (f.vendorId) conditions.push(eq(plannedItems.vendorId, f.vendorId));
  if (f.departmentId) conditions.push(eq(plannedItems.departmentId, f.departmentId));
  if (f.costCode) conditions.push(eq(plannedItems.costCode, f.costCode));
  if (f.source) conditions.push(eq(plannedItems.source, f.source));
  if (f.before) conditions.push(lt(plannedItems.id, f.before));
  return selectPlanned(tx)
    .where(and(...conditions))
    .orderBy(desc(plannedItems.id))
    .limit(f.limit + 1);
}

export async function findPlannedItem(tx: Tx, tenantId: number, id: number): Promise<PlannedWithNames | null> {
  const [row] = await selectPlanned(tx).where(and(eq(plannedItems.tenantId, tenantId), eq(plannedItems.id, id)));
  return row ?? null;
}

export async function insertPlannedItem(tx: Tx, values: typeof plannedItems.$inferInsert): Promise<number> {
  const [row] = await tx.insert(plannedItems).values(values).returning({ id: plannedItems.id });
  return row.id;
}

/** Edits an item still on the plan; false when there is none (or it is on a PO). */
export async function updatePlannedItem(
  tx: Tx,
  tenantId: number,
  id: number,
  set: Partial<typeof plannedItems.$inferInsert>,
): Promise<boolean> {
  const [row] = await tx
    .update(plannedItems)
    .set({ ...set, updatedAt: sql`now()` })
    .where(and(eq(plannedItems.tenantId, tenantId), eq(plannedItems.id, id), isNull(plannedItems.purchaseOrderId)))
    .returning({ id: plannedItems.id });
  return Boolean(row);
}

export async function deletePlannedItems(tx: Tx, tenantId: number, ids: number[]): Promise<number> {
  const rows = await tx
    .delete(plannedItems)
    .where(and(eq(plannedItems.tenantId, tenantId), inArray(plannedItems.id, ids), isNull(plannedItems.purchaseOrderId)))
    .returning({ id: plannedItems.id });
  return rows.length;
}

/** Open plan items among `ids`, locked, so two people drafting at once cannot order one item twice. */
export async function lockOpenPlanned(tx: Tx, tenantId: number, ids: number[]): Promise<PlannedItemRow[]> {
  return tx
    .select()
    .from(plannedItems)
    .where(and(eq(plannedItems.tenantId, tenantId), inArray(plannedItems.id, ids), isNull(plannedItems.purchaseOrderId)))
    .orderBy(asc(plannedItems.id))
    .for('update');
}

/** Puts drafted items on a PO (never used to take them back: see returnToPlan). */
export async function assignPlanned(tx: Tx, tenantId: number, ids: number[], purchaseOrderId: number) {
  if (ids.length === 0) return;
  await tx
    .update(plannedItems)
    .set({ purchaseOrderId, updatedAt: sql`now()` })
    .where(and(eq(plannedItems.tenantId, tenantId), inArray(plannedItems.id, ids)));
}

/**
 * Puts items a draft held (all of it, or only `ids`) back on the plan. A low-stock item whose part
 * got a new open low-stock item meanwhile merges into that one (the larger quantity), so the plan
 * still holds one per part.
 */
export async function returnToPlan(tx: Tx, tenantId: number, purchaseOrderId: number, ids?: number[]) {
  if (ids?.length === 0) return;
  const only = ids
    ? sql`and back.id in (${sql.join(
        ids.map((id) => sql`${id}`),
        sql`, `,
      )})`
    : sql``;
  await tx.execute(sql`
    with back as (
      select back.id, back.part_id, back.quantity from planned_items back
       where back.tenant_id = ${tenantId} and back.purchase_order_id = ${purchaseOrderId} and back.source = 'low_stock' ${only}
    ), raised as (
      update planned_items open set quantity = greatest(open.quantity, back.quantity), updated_at = now()
        from back
       where open.tenant_id = ${tenantId} and open.part_id = back.part_id and open.source = 'low_stock' and open.purchase_order_id is null
      returning back.id
    )
    delete from planned_items gone where gone.tenant_id = ${tenantId} and gone.id in (select id from raised)`);
  await tx
    .update(plannedItems)
    .set({ purchaseOrderId: null, updatedAt: sql`now()` })
    .where(
      and(
        eq(plannedItems.tenantId, tenantId),
        eq(plannedItems.purchaseOrderId, purchaseOrderId),
        ids ? inArray(plannedItems.id, ids) : undefined,
      ),
    );
}

/**
 * Adds the low-stock item of a part, or raises the open one to `quantity` (never lowers it, never
 * adds a second): one statement on the partial unique index, safe when two movements cross at once.
 */
export async function upsertLowStockItem(tx: Tx, values: typeof plannedItems.$inferInsert) {
  await tx
    .insert(plannedItems)
    .values({ ...values, source: 'low_stock' })
    .onConflictDoUpdate({
      target: [plannedItems.tenantId, plannedItems.partId],
      targetWhere: sql`source = 'low_stock' and purchase_order_id is null`,
      set: { quantity: sql`greatest(${qualified(plannedItems.quantity)}, excluded.quantity)`, updatedAt: sql`now()` },
    });
}

// Purchase orders, their lines, receipts and history: orders.repo.ts.
export * from './orders.repo.js';
