// Purchase orders with their lines, receipts and history (Drizzle only); the plan, the parties and the
// settings are in purchasing.repo.ts, which re-exports these. Every query names the company; the
// callers lock what they change (the PO row, then its lines) before reading totals.
import { and, asc, desc, eq, getTableColumns, inArray, isNull, lt, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import {
  buyingCompanies,
  locations,
  purchaseOrderEvents,
  purchaseOrderLines,
  purchaseOrderReceipts,
  purchaseOrders,
  shipTo,
  vendors,
} from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';

export type OrderRow = typeof purchaseOrders.$inferSelect;
export type LineRow = typeof purchaseOrderLines.$inferSelect;

export async function insertOrder(tx: Tx, values: typeof purchaseOrders.$inferInsert): Promise<OrderRow> {
  const [row] = await tx.insert(purchaseOrders).values(values).returning();
  return row;
}

export async function findOrder(tx: Tx, tenantId: number, id: number, lock = false): Promise<OrderRow | null> {
  const q = tx
    .select()
    .from(purchaseOrders)
    .where(and(eq(purchaseOrders.tenantId, tenantId), eq(purchaseOrders.id, id)));
  const [row] = lock ? await q.for('update') : await q;
  return row ?? null;
}

export async function updateOrder(
  tx: Tx,
  tenantId: number,
  id: number,
  set: Partial<typeof purchaseOrders.$inferInsert>,
): Promise<OrderRow> {
  const [row] = await tx
    .update(purchaseOrders)
    .set({ ...set, updatedAt: sql`now()` })
    .where(and(eq(purchaseOrders.tenantId, tenantId), eq(purchaseOrders.id, id)))
    .returning();
  return row;
}

/** Stores a finalised PO's document once (a document already there is never replaced). */
export async function keepPdf(tx: Tx, tenantId: number, id: number, pdf: Buffer) {
  await tx
    .update(purchaseOrders)
    .set({ pdf })
    .where(
      and(
        eq(purchaseOrders.tenantId, tenantId),
        eq(purchaseOrders.id, id),
        isNull(purchaseOrders.pdf),
        sql`${purchaseOrders.status} <> 'draft'`,
      ),
    );
}

/** A finalised PO's stored document (null: a draft, or not rendered yet). */
export async function storedPdf(tx: Tx, tenantId: number, id: number): Promise<Buffer | null> {
  const [row] = await tx
    .select({ pdf: purchaseOrders.pdf })
    .from(purchaseOrders)
    .where(and(eq(purchaseOrders.tenantId, tenantId), eq(purchaseOrders.id, id)));
  return row?.pdf ?? null;
}

export async function deleteOrder(tx: Tx, tenantId: number, id: number) {
  await tx.delete(purchaseOrders).where(and(eq(purchaseOrders.tenantId, tenantId), eq(purchaseOrders.id, id)));
}

const orderVendor = alias(vendors, 'order_vendor');
const orderBuyer = alias(buyingCompanies, 'order_buyer');
const orderShipTo = alias(shipTo, 'order_ship_to');
/** Every column but the stored PDF (a few KB each, read only by storedPdf): what the list and the detail read. */
const { pdf: _pdf, ...orderColumns } = getTableColumns(purchaseOrders);
/** A PO with the live names of its parties (used until finalisation freezes a snapshot). */
const selectOrders = (tx: Tx) =>
  tx
    .select({
      o: orderColumns,
      vendor: {
        id: orderVendor.id,
        name: orderVendor.name,
        email: orderVendor.email,
        contactName: orderVendor.contactName,
        address: orderVendor.address,
        paymentTerms: orderVendor.paymentTerms,
      },
      buyingCompany: { id: orderBuyer.id, name: orderBuyer.name, address: orderBuyer.address },
      shipTo: { id: orderShipTo.id, name: orderShipTo.name, address: orderShipTo.address, taxRate: orderShipTo.taxRate },
      lineCount: sql<number>`(select count(*)::int from purchase_order_lines l where l.tenant_id = "purchase_orders"."tenant_id" and l.purchase_order_id = "purchase_orders"."id")`,
    })
    .from(purchaseOrders)
    .innerJoin(orderVendor, and(eq(orderVendor.tenantId, purchaseOrders.tenantId), eq(orderVendor.id, purchaseOrders.vendorId)))
    .innerJoin(orderBuyer, and(eq(orderBuyer.tenantId, purchaseOrders.tenantId), eq(orderBuyer.id, purchaseOrders.buyingCompanyId)))
    .innerJoin(orderShipTo, and(eq(orderShipTo.tenantId, purchaseOrders.tenantId), eq(orderShipTo.id, purchaseOrders.shipToId)));
export type OrderWithParties = Awaited<ReturnType<ReturnType<typeof selectOrders>['where']>>[number];

export async function findOrderWithParties(tx: Tx, tenantId: number, id: number): Promise<OrderWithParties | null> {
  const [row] = await selectOrders(tx).where(and(eq(purchaseOrders.tenantId, tenantId), eq(purchaseOrders.id, id)));
  return row ?? null;
}

export async function findOrders(
  tx: Tx,
  tenantId: number,
  f: { status?: OrderRow['status']; vendorId?: number; q?: string; before: number | null; limit: number },
): Promise<OrderWithParties[]> {
  let matching: SQL | undefined;
  if (f.q) {
    // The search's ids come from purchase_order_match (migration 0015), which can use the number's
    // trigram index and the vendor index that row-level security hides from `ilike`; it applies the
    // status and vendor filters too, so its ids are the page (one array parameter for all of them).
    const result = (await tx.execute(
      sql`select purchase_order_match(${f.q}, ${f.status ?? null}, ${f.vendorId ?? null}, ${f.before ?? Number.MAX_SAFE_INTEGER}, ${f.limit + 1}) as id`,
    )) as unknown as { rows: Array<{ id: string | number }> };
    const ids = result.rows.map((r) => Number(r.id));
    if (ids.length === 0) return [];
    matching = sql`${purchaseOrders.id} = any(${`{${ids.join(',')}}`}::bigint[])`;
  }
  return selectOrders(tx)
    .where(
      and(
        eq(purchaseOrders.tenantId, tenantId),
        f.status ? eq(purchaseOrders.status, f.status) : undefined,
        f.vendorId ? eq(purchaseOrders.vendorId, f.vendorId) : undefined,
        matching,
        f.before ? lt(purchaseOrders.id, f.before) : undefined,
      ),
    )
    .orderBy(desc(purchaseOrders.id))
    .limit(f.limit + 1);
}

export async function linesOf(tx: Tx, tenantId: number, purchaseOrderId: number, lock = false): Promise<LineRow[]> {
  const q = tx
    .select()
    .from(purchaseOrderLines)
    .where(and(eq(purchaseOrderLines.tenantId, tenantId), eq(purchaseOrderLines.purchaseOrderId, purchaseOrderId)))
    .orderBy(asc(purchaseOrderLines.position), asc(purchaseOrderLines.id));
  return lock ? q.for('update') : q;
}

export async function insertLines(tx: Tx, values: Array<typeof purchaseOrderLines.$inferInsert>) {
  if (values.length === 0) return;
  await tx.insert(purchaseOrderLines).values(values);
}

export async function updateLine(tx: Tx, tenantId: number, id: number, set: Partial<typeof purchaseOrderLines.$inferInsert>) {
  await tx
    .update(purchaseOrderLines)
    .set(set)
    .where(and(eq(purchaseOrderLines.tenantId, tenantId), eq(purchaseOrderLines.id, id)));
}

export async function deleteLines(tx: Tx, tenantId: number, ids: number[]) {
  if (ids.length === 0) return;
  await tx.delete(purchaseOrderLines).where(and(eq(purchaseOrderLines.tenantId, tenantId), inArray(purchaseOrderLines.id, ids)));
}

export async function insertEvent(tx: Tx, values: typeof purchaseOrderEvents.$inferInsert) {
  await tx.insert(purchaseOrderEvents).values(values);
}

export async function eventsOf(tx: Tx, tenantId: number, purchaseOrderId: number) {
  return tx
    .select()
    .from(purchaseOrderEvents)
    .where(and(eq(purchaseOrderEvents.tenantId, tenantId), eq(purchaseOrderEvents.purchaseOrderId, purchaseOrderId)))
    .orderBy(asc(purchaseOrderEvents.id))
    .limit(1000);
}

export async function insertReceipt(tx: Tx, values: typeof purchaseOrderReceipts.$inferInsert) {
  const [row] = await tx.insert(purchaseOrderReceipts).values(values).returning({ id: purchaseOrderReceipts.id });
  return row.id;
}

/** Several receipts in one statement; their ids in the order given. */
export async function insertReceipts(tx: Tx, values: Array<typeof purchaseOrderReceipts.$inferInsert>): Promise<number[]> {
  if (values.length === 0) return [];
  const rows = await tx.insert(purchaseOrderReceipts).values(values).returning({ id: purchaseOrderReceipts.id });
  // Identities are drawn in the order of the rows given.
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

/** The received quantity of several lines of one PO, in one statement (each line at most once). */
export async function setReceivedQuantities(tx: Tx, tenantId: number, rows: Array<{ id: number; receivedQuantity: string }>) {
  if (rows.length === 0) return;
  const values = sql.join(
    rows.map((r) => sql`(${r.id}::bigint, ${r.receivedQuantity}::numeric)`),
    sql`, `,
  );
  await tx.execute(
    sql`update ${purchaseOrderLines} as l set received_quantity = v.quantity from (values ${values}) as v(id, quantity) where l.tenant_id = ${tenantId} and l.id = v.id`,
  );
}

const receiptLocation = alias(locations, 'receipt_location');
export async function receiptsOf(tx: Tx, tenantId: number, purchaseOrderId: number, ids?: number[]) {
  return tx
    .select({ r: purchaseOrderReceipts, location: { id: receiptLocation.id, name: receiptLocation.name } })
    .from(purchaseOrderReceipts)
    .leftJoin(
      receiptLocation,
      and(eq(receiptLocation.tenantId, purchaseOrderReceipts.tenantId), eq(receiptLocation.id, purchaseOrderReceipts.locationId)),
    )
    .where(
      and(
        eq(purchaseOrderReceipts.tenantId, tenantId),
        eq(purchaseOrderReceipts.purchaseOrderId, purchaseOrderId),
        ids ? inArray(purchaseOrderReceipts.id, ids) : undefined,
      ),
    )
    .orderBy(asc(purchaseOrderReceipts.id))
    .limit(5000);
}
export type ReceiptWithLocation = Awaited<ReturnType<typeof receiptsOf>>[number];
