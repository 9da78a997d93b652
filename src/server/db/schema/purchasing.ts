// Purchasing: the legal entities that buy (buying companies), where goods go (ship-to, with its
// tax rate), the plan of things to buy, purchase orders with their lines, every receipt against a
// line (naming the stock movement it made), the PO's history, and the company's purchasing settings.
import { sql } from 'drizzle-orm';
import { bigint, check, foreignKey, index, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { PlannedItemSource, PurchaseOrderStatus } from '../../../shared/contracts/purchasing.js';
import { bytea } from './_columns.js';
import { createdAt, tenantId, tenantPolicy, updatedAt } from './_tenancy.js';
import { locations, parts, picklistItems, stockMovements, vendors } from './assets.js';
import { companies } from './companies.js';
import { departments } from './users.js';

const tenantRef = () => tenantId().references(() => companies.id, { onDelete: 'cascade' });


/** The legal entity printed on a PO's header: name, address and logo (stored here: a few hundred KB at most). */
export const buyingCompanies = pgTable(
  'buying_companies',
  {
    tenantId: tenantRef(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    address: text('address').notNull().default(''),
    logo: bytea('logo'),
    logoContentType: text('logo_content_type'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), uniqueIndex('buying_companies_tenant_name_key').on(t.tenantId, sql`lower(${t.name})`), tenantPolicy()],
);

/** Where ordered goods are delivered; its tax rate (percent) applies to the PO. A stock location is the default for receiving. */
export const shipTo = pgTable(
  'ship_to',
  {
    tenantId: tenantRef(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    address: text('address').notNull().default(''),
    taxRate: numeric('tax_rate', { precision: 7, scale: 4 }).notNull().default('0'),
    locationId: bigint('location_id', { mode: 'number' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('ship_to_tenant_name_key').on(t.tenantId, sql`lower(${t.name})`),
    foreignKey({ name: 'ship_to_location_fk', columns: [t.tenantId, t.locationId], foreignColumns: [locations.tenantId, locations.id] }),
    check('ship_to_tax_rate_range', sql`${t.taxRate} >= 0 and ${t.taxRate} <= 100`),
    tenantPolicy(),
  ],
);

export const purchaseOrders = pgTable(
  'purchase_orders',
  {
    tenantId: tenantRef(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    /** Given at finalisation from the company's pattern; null while draft. */
    number: text('number'),
    status: text('status').$type<PurchaseOrderStatus>().notNull().default('draft'),
    vendorId: bigint('vendor_id', { mode: 'number' }).notNull(),
    buyingCompanyId: bigint('buying_company_id', { mode: 'number' }).notNull(),
    shipToId: bigint('ship_to_id', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    /** Kept in step with the lines (drafts: at the ship-to's current rate; frozen at finalisation). */
    taxRate: numeric('tax_rate', { precision: 7, scale: 4 }).notNull().default('0'),
    subtotal: numeric('subtotal', { precision: 14, scale: 2 }).notNull().default('0'),
    tax: numeric('tax', { precision: 14, scale: 2 }).notNull().default('0'),
    total: numeric('total', { precision: 14, scale: 2 }).notNull().default('0'),
    notes: text('notes'),
    /** Vendor, buying company and ship-to as they were when finalised: the document does not change after. */
    snapshot: jsonb('snapshot').$type<Record<string, unknown>>(),
    pdf: bytea('pdf'),
    cancelReason: text('cancel_reason'),
    createdById: bigint('created_by_id', { mode: 'number' }),
    finalizedAt: timestamp('finalized_at', { withTimezone: true }),
    finalizedById: bigint('finalized_by_id', { mode: 'number' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('purchase_orders_tenant_number_key').on(t.tenantId, t.number),
    foreignKey({ name: 'purchase_orders_vendor_fk', columns: [t.tenantId, t.vendorId], foreignColumns: [vendors.tenantId, vendors.id] }),
    foreignKey({ name: 'purchase_orders_buying_company_fk', columns: [t.tenantId, t.buyingCompanyId], foreignColumns: [buyingCompanies.tenantId, buyingCompanies.id] }),
    foreignKey({ name: 'purchase_orders_ship_to_fk', columns: [t.tenantId, t.shipToId], foreignColumns: [shipTo.tenantId, shipTo.id] }),
    index('purchase_orders_tenant_id_idx').on(t.tenantId, t.id.desc()),
    index('purchase_orders_tenant_status_idx').on(t.tenantId, t.status, t.id.desc()),
    index('purchase_orders_tenant_vendor_idx').on(t.tenantId, t.vendorId, t.id.desc()),
    // Cost reports by ordered quantities read a period's finalised orders.
    index('purchase_orders_tenant_finalized_idx').on(t.tenantId, t.finalizedAt).where(sql`${t.finalizedAt} is not null`),
    // The number search (purchase_order_match, migration 0015): ilike by trigrams within the company.
    index('purchase_orders_number_trgm_idx').using('gin', t.tenantId, sql`${t.number} gin_trgm_ops`),
    check('purchase_orders_status_check', sql`${t.status} in ('draft', 'sent', 'partly_received', 'received', 'closed', 'cancelled')`),
    check('purchase_orders_number_when_final', sql`(${t.status} = 'draft') = (${t.number} is null)`),
    tenantPolicy(),
  ],
);

/**
 * One ordered item. Department and cost code stay on the line, so purchases can be charged in the
 * cost reports; an equipment line (no part) names the asset category its units are registered in.
 */
export const purchaseOrderLines = pgTable(
  'purchase_order_lines',
  {
    tenantId: tenantRef(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    purchaseOrderId: bigint('purchase_order_id', { mode: 'number' }).notNull(),
    position: integer('position').notNull(),
    description: text('description').notNull(),
    quantity: numeric('quantity', { precision: 14, scale: 3 }).notNull(),
    receivedQuantity: numeric('received_quantity', { precision: 14, scale: 3 }).notNull().default('0'),
    unitPrice: numeric('unit_price', { precision: 14, scale: 4 }).notNull(),
    partId: bigint('part_id', { mode: 'number' }),
    departmentId: bigint('department_id', { mode: 'number' }),
    costCode: text('cost_code'),
    assetCategoryId: bigint('asset_category_id', { mode: 'number' }),
    plannedItemId: bigint('planned_item_id', { mode: 'number' }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'purchase_order_lines_po_fk', columns: [t.tenantId, t.purchaseOrderId], foreignColumns: [purchaseOrders.tenantId, purchaseOrders.id] }).onDelete('cascade'),
    foreignKey({ name: 'purchase_order_lines_part_fk', columns: [t.tenantId, t.partId], foreignColumns: [parts.tenantId, parts.id] }),
    foreignKey({ name: 'purchase_order_lines_department_fk', columns: [t.tenantId, t.departmentId], foreignColumns: [departments.tenantId, departments.id] }),
    foreignKey({ name: 'purchase_order_lines_category_fk', columns: [t.tenantId, t.assetCategoryId], foreignColumns: [picklistItems.tenantId, picklistItems.id] }),
    index('purchase_order_lines_tenant_po_idx').on(t.tenantId, t.purchaseOrderId, t.position),
    check('purchase_order_lines_quantity_positive', sql`${t.quantity} > 0`),
    check('purchase_order_lines_received_not_negative', sql`${t.receivedQuantity} >= 0`),
    check('purchase_order_lines_price_not_negative', sql`${t.unitPrice} >= 0`),
    tenantPolicy(),
  ],
);

/**
 * Things to buy. While `purchaseOrderId` is null the item is on the plan; a draft PO holds it
 * (deleting the draft puts it back), a finalised PO consumes it. At most one open low-stock item per
 * part: the partial unique index makes "add or increase" one statement, also under concurrency.
 */
export const plannedItems = pgTable(
  'planned_items',
  {
    tenantId: tenantRef(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    description: text('description').notNull(),
    quantity: numeric('quantity', { precision: 14, scale: 3 }).notNull(),
    unitPrice: numeric('unit_price', { precision: 14, scale: 4 }).notNull().default('0'),
    vendorId: bigint('vendor_id', { mode: 'number' }),
    partId: bigint('part_id', { mode: 'number' }),
    departmentId: bigint('department_id', { mode: 'number' }),
    costCode: text('cost_code'),
    assetCategoryId: bigint('asset_category_id', { mode: 'number' }),
    source: text('source').$type<PlannedItemSource>().notNull().default('manual'),
    purchaseOrderId: bigint('purchase_order_id', { mode: 'number' }),
    createdById: bigint('created_by_id', { mode: 'number' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'planned_items_vendor_fk', columns: [t.tenantId, t.vendorId], foreignColumns: [vendors.tenantId, vendors.id] }),
    foreignKey({ name: 'planned_items_part_fk', columns: [t.tenantId, t.partId], foreignColumns: [parts.tenantId, parts.id] }).onDelete('cascade'),
    foreignKey({ name: 'planned_items_department_fk', columns: [t.tenantId, t.departmentId], foreignColumns: [departments.tenantId, departments.id] }),
    foreignKey({ name: 'planned_items_category_fk', columns: [t.tenantId, t.assetCategoryId], foreignColumns: [picklistItems.tenantId, picklistItems.id] }),
    foreignKey({ name: 'planned_items_po_fk', columns: [t.tenantId, t.purchaseOrderId], foreignColumns: [purchaseOrders.tenantId, purchaseOrders.id] }),
    index('planned_items_tenant_open_idx').on(t.tenantId, t.id.desc()).where(sql`${t.purchaseOrderId} is null`),
    index('planned_items_tenant_po_idx').on(t.tenantId, t.purchaseOrderId),
    uniqueIndex('planned_items_open_low_stock_key').on(t.tenantId, t.partId).where(sql`${t.source} = 'low_stock' and ${t.purchaseOrderId} is null`),
    check('planned_items_quantity_positive', sql`${t.quantity} > 0`),
    check('planned_items_price_not_negative', sql`${t.unitPrice} >= 0`),
    check('planned_items_source_check', sql`${t.source} in ('manual', 'low_stock')`),
    tenantPolicy(),
  ],
);

/** One receipt of one line: the stock movement it made (parts) or the assets it registered (equipment). */
export const purchaseOrderReceipts = pgTable(
  'purchase_order_receipts',
  {
    tenantId: tenantRef(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    purchaseOrderId: bigint('purchase_order_id', { mode: 'number' }).notNull(),
    lineId: bigint('line_id', { mode: 'number' }).notNull(),
    quantity: numeric('quantity', { precision: 14, scale: 3 }).notNull(),
    locationId: bigint('location_id', { mode: 'number' }),
    stockMovementId: bigint('stock_movement_id', { mode: 'number' }),
    assetIds: jsonb('asset_ids').$type<string[]>().notNull().default([]),
    actorId: bigint('actor_id', { mode: 'number' }),
    actorName: text('actor_name'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'purchase_order_receipts_po_fk', columns: [t.tenantId, t.purchaseOrderId], foreignColumns: [purchaseOrders.tenantId, purchaseOrders.id] }).onDelete('cascade'),
    foreignKey({ name: 'purchase_order_receipts_line_fk', columns: [t.tenantId, t.lineId], foreignColumns: [purchaseOrderLines.tenantId, purchaseOrderLines.id] }).onDelete('cascade'),
    foreignKey({ name: 'purchase_order_receipts_location_fk', columns: [t.tenantId, t.locationId], foreignColumns: [locations.tenantId, locations.id] }),
    foreignKey({ name: 'purchase_order_receipts_movement_fk', columns: [t.tenantId, t.stockMovementId], foreignColumns: [stockMovements.tenantId, stockMovements.id] }),
    index('purchase_order_receipts_tenant_po_idx').on(t.tenantId, t.purchaseOrderId, t.id),
    index('purchase_order_receipts_tenant_movement_idx').on(t.tenantId, t.stockMovementId),
    // Cost reports read a period's receipts.
    index('purchase_order_receipts_tenant_at_idx').on(t.tenantId, t.at, t.id),
    check('purchase_order_receipts_quantity_positive', sql`${t.quantity} > 0`),
    tenantPolicy(),
  ],
);

/** Who did what to a PO, oldest first: created, edited, finalised, sent, received, closed, cancelled. */
export const purchaseOrderEvents = pgTable(
  'purchase_order_events',
  {
    tenantId: tenantRef(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    purchaseOrderId: bigint('purchase_order_id', { mode: 'number' }).notNull(),
    event: text('event').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    actorId: bigint('actor_id', { mode: 'number' }),
    actorName: text('actor_name'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'purchase_order_events_po_fk', columns: [t.tenantId, t.purchaseOrderId], foreignColumns: [purchaseOrders.tenantId, purchaseOrders.id] }).onDelete('cascade'),
    index('purchase_order_events_tenant_po_idx').on(t.tenantId, t.purchaseOrderId, t.id),
    tenantPolicy(),
  ],
);

/** One row per company (absent: the defaults). */
export const purchasingSettings = pgTable(
  'purchasing_settings',
  {
    tenantId: tenantRef().primaryKey(),
    poNumberPattern: text('po_number_pattern').notNull().default('PO-{YYYY}-{seq:4}'),
    /** How far past the ordered quantity a receipt may go, in percent of the line (0: not at all). */
    overReceiptTolerancePercent: numeric('over_receipt_tolerance_percent', { precision: 5, scale: 2 }).notNull().default('0'),
    currency: text('currency').notNull().default('USD'),
    updatedAt: updatedAt(),
  },
  (t) => [check('purchasing_settings_tolerance_range', sql`${t.overReceiptTolerancePercent} >= 0 and ${t.overReceiptTolerancePercent} <= 100`), tenantPolicy()],
);
