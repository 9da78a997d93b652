// The asset side: picklists, the location tree, the asset registry with its audit trail, and the
// inventory (vendors, parts, a movement ledger with per-location balances, supply request lines).
import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { createdAt, tenantId, tenantPolicy, updatedAt } from './_tenancy.js';
import { companies } from './companies.js';
import { tickets } from './tickets.js';
import { departments, users } from './users.js';

const tenantRef = () => tenantId().references(() => companies.id, { onDelete: 'cascade' });

// The value lists live in src/shared/contracts/enums.ts (the API and the web client read them too).
import type { AssetStatus, CustomFieldType, MovementType, PicklistName } from '../../../shared/contracts/enums.js';

export { type CustomFieldType, PICKLISTS, type PicklistName } from '../../../shared/contracts/enums.js';
export interface CustomFieldDef {
  key: string;
  label: string;
  type: CustomFieldType;
  options?: string[];
  required?: boolean;
}

/** Admin-managed lists. Asset categories also carry their custom fields and the ticket route of QR reports. */
export const picklistItems = pgTable(
  'picklist_items',
  {
    tenantId: tenantRef(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    list: text('list').$type<PicklistName>().notNull(),
    name: text('name').notNull(),
    customFields: jsonb('custom_fields').$type<CustomFieldDef[]>().notNull().default([]),
    ticketCategoryId: bigint('ticket_category_id', { mode: 'number' }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('picklist_items_tenant_list_name_key').on(t.tenantId, t.list, sql`lower(${t.name})`),
    check('picklist_items_list_check', sql`${t.list} in ('categories', 'manufacturers', 'conditions', 'document_categories')`),
    tenantPolicy(),
  ],
);

/** A tree of any depth (site → building → room); `path` is the chain of ids, '/1/4/9/', for subtree queries. */
export const locations = pgTable(
  'locations',
  {
    tenantId: tenantRef(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    parentId: bigint('parent_id', { mode: 'number' }),
    path: text('path').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'locations_parent_fk', columns: [t.tenantId, t.parentId], foreignColumns: [t.tenantId, t.id] }),
    index('locations_tenant_path_idx').on(t.tenantId, sql`${t.path} text_pattern_ops`),
    index('locations_tenant_parent_idx').on(t.tenantId, t.parentId),
    // One name per parent, whatever its case; roots (no parent) count as parent 0, since NULLs are
    // distinct in a unique index and NULLS NOT DISTINCT needs PostgreSQL 15.
    uniqueIndex('locations_tenant_parent_name_key').on(t.tenantId, sql`coalesce(${t.parentId}, 0)`, sql`lower(${t.name})`),
    // Name look-ups across the tree (search, pickers) in any case.
    index('locations_tenant_name_idx').on(t.tenantId, sql`lower(${t.name})`),
    tenantPolicy(),
  ],
);

export { ASSET_STATUSES, type AssetStatus } from '../../../shared/contracts/enums.js';

export const vendors = pgTable(
  'vendors',
  {
    tenantId: tenantRef(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    /** lower(name), stored: the list's keyset order (db/keyset.ts: an index on lower(name) is unusable for the cursor under RLS). */
    nameKey: text('name_key').generatedAlwaysAs(sql`lower(name)`),
    email: text('email'),
    phone: text('phone'),
    website: text('website'),
    notes: text('notes'),
    // Purchasing: who to address, where to bill from, on what terms and in which currency (ISO 4217).
    contactName: text('contact_name'),
    address: text('address'),
    paymentTerms: text('payment_terms'),
    currency: text('currency'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('vendors_tenant_name_key').on(t.tenantId, sql`lower(${t.name})`),
    index('vendors_tenant_name_idx').on(t.tenantId, t.nameKey, t.id),
    tenantPolicy(),
  ],
);

export const assets = pgTable(
  'assets',
  {
    tenantId: tenantRef(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    tag: text('tag').notNull(),
    /**
     * lower(tag), stored: lookups by tag compare this column, because under row-level security
     * PostgreSQL may not use an index on lower(tag) (lower() is not leakproof) and scans the company.
     */
    tagKey: text('tag_key').generatedAlwaysAs(sql`lower(tag)`),
    name: text('name').notNull(),
    categoryId: bigint('category_id', { mode: 'number' }).notNull(),
    manufacturerId: bigint('manufacturer_id', { mode: 'number' }),
    model: text('model'),
    serial: text('serial'),
    status: text('status').$type<AssetStatus>().notNull().default('in_stock'),
    conditionId: bigint('condition_id', { mode: 'number' }),
    locationId: bigint('location_id', { mode: 'number' }),
    /** The location's path copied here, so "everything below a location" is one index range. */
    locationPath: text('location_path'),
    parentId: bigint('parent_id', { mode: 'number' }),
    departmentId: bigint('department_id', { mode: 'number' }),
    vendorId: bigint('vendor_id', { mode: 'number' }),
    purchaseOrderId: bigint('purchase_order_id', { mode: 'number' }),
    purchaseDate: date('purchase_date'),
    purchaseCost: numeric('purchase_cost', { precision: 14, scale: 2 }),
    warrantyEnd: date('warranty_end'),
    specifications: text('specifications'),
    /** The order it was bought on, as the supplier or another tool numbered it (import: Order Number). */
    orderNumber: text('order_number'),
    /** The maker's model number, beside the model's name (import: Model Number). */
    modelNumber: text('model_number'),
    /** When it reaches its end of life (import: Asset EOL Date). */
    endOfLife: date('end_of_life'),
    customFields: jsonb('custom_fields').$type<Record<string, string | number | null>>().notNull().default({}),
    assignedToId: bigint('assigned_to_id', { mode: 'number' }),
    checkedOutAt: timestamp('checked_out_at', { withTimezone: true }),
    expectedReturn: date('expected_return'),
    /** The unguessable key of the public report link (/r/:token): unique instance-wide. */
    publicToken: text('public_token').notNull(),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('assets_tenant_tag_key').on(t.tenantId, t.tagKey),
    uniqueIndex('assets_public_token_key').on(t.publicToken),
    foreignKey({ name: 'assets_category_fk', columns: [t.tenantId, t.categoryId], foreignColumns: [picklistItems.tenantId, picklistItems.id] }),
    foreignKey({ name: 'assets_manufacturer_fk', columns: [t.tenantId, t.manufacturerId], foreignColumns: [picklistItems.tenantId, picklistItems.id] }),
    foreignKey({ name: 'assets_condition_fk', columns: [t.tenantId, t.conditionId], foreignColumns: [picklistItems.tenantId, picklistItems.id] }),
    foreignKey({ name: 'assets_location_fk', columns: [t.tenantId, t.locationId], foreignColumns: [locations.tenantId, locations.id] }),
    foreignKey({ name: 'assets_parent_fk', columns: [t.tenantId, t.parentId], foreignColumns: [t.tenantId, t.id] }),
    foreignKey({ name: 'assets_department_fk', columns: [t.tenantId, t.departmentId], foreignColumns: [departments.tenantId, departments.id] }),
    foreignKey({ name: 'assets_vendor_fk', columns: [t.tenantId, t.vendorId], foreignColumns: [vendors.tenantId, vendors.id] }),
    foreignKey({ name: 'assets_assigned_fk', columns: [t.tenantId, t.assignedToId], foreignColumns: [users.tenantId, users.id] }),
    index('assets_tenant_id_idx').on(t.tenantId, t.id.desc()),
    index('assets_tenant_location_path_idx').on(t.tenantId, sql`${t.locationPath} text_pattern_ops`, t.id),
    index('assets_tenant_status_idx').on(t.tenantId, t.status, t.id.desc()),
    index('assets_tenant_category_idx').on(t.tenantId, t.categoryId, t.id.desc()),
    index('assets_tenant_assigned_idx').on(t.tenantId, t.assignedToId),
    index('assets_tenant_parent_idx').on(t.tenantId, t.parentId),
    index('assets_tenant_serial_idx').on(t.tenantId, sql`lower(${t.serial})`),
    index('assets_name_trgm_idx').using('gin', t.tenantId, sql`${t.name} gin_trgm_ops`),
    tenantPolicy(),
  ],
);

/** Every create, edit, check-out, check-in and status change: who, when, before → after. */
export const assetHistory = pgTable(
  'asset_history',
  {
    tenantId: tenantRef(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    assetId: bigint('asset_id', { mode: 'number' }).notNull(),
    actorId: bigint('actor_id', { mode: 'number' }),
    actorName: text('actor_name'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    event: text('event').notNull(),
    changes: jsonb('changes').$type<Array<{ field: string; before: unknown; after: unknown }>>().notNull().default([]),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'asset_history_asset_fk', columns: [t.tenantId, t.assetId], foreignColumns: [assets.tenantId, assets.id] }).onDelete('cascade'),
    index('asset_history_tenant_asset_idx').on(t.tenantId, t.assetId, t.id),
    tenantPolicy(),
  ],
);

/**
 * The CSV import's remembered choices, one row per company: which column goes to which field, and
 * what each unknown status word or picklist value of another tool's export was mapped to (see
 * assets.import.ts). Saved by every real import, applied to the next one.
 */
export const assetImportMappings = pgTable(
  'asset_import_mappings',
  {
    tenantId: tenantRef(),
    columns: jsonb('columns').$type<Record<string, string>>().notNull().default({}),
    values: jsonb('values').$type<Record<string, Record<string, Record<string, string>>>>().notNull().default({}),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId] }), tenantPolicy()],
);

/** Photos and documents of an asset (files through the storage interface, like ticket attachments). */
export const assetFiles = pgTable(
  'asset_files',
  {
    tenantId: tenantRef(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    assetId: bigint('asset_id', { mode: 'number' }).notNull(),
    name: text('name').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    contentType: text('content_type').notNull(),
    storageKey: text('storage_key').notNull(),
    uploadedById: bigint('uploaded_by_id', { mode: 'number' }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'asset_files_asset_fk', columns: [t.tenantId, t.assetId], foreignColumns: [assets.tenantId, assets.id] }).onDelete('cascade'),
    index('asset_files_tenant_asset_idx').on(t.tenantId, t.assetId),
    tenantPolicy(),
  ],
);

/**
 * Tickets linked to assets (from either side). Defined here, not beside `tickets`, because it
 * references both tables and the schema files import one way (assets → tickets). A link goes with
 * its ticket (cascade) but holds its asset: assets are never deleted, only retired or disposed
 * (a status), so a ticket keeps the record of what it was about; deleting a company removes both
 * sides in one statement.
 */
export const ticketAssets = pgTable(
  'ticket_assets',
  {
    tenantId: tenantRef(),
    ticketId: bigint('ticket_id', { mode: 'number' }).notNull(),
    assetId: bigint('asset_id', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.ticketId, t.assetId] }),
    foreignKey({ name: 'ticket_assets_ticket_fk', columns: [t.tenantId, t.ticketId], foreignColumns: [tickets.tenantId, tickets.id] }).onDelete('cascade'),
    foreignKey({ name: 'ticket_assets_asset_fk', columns: [t.tenantId, t.assetId], foreignColumns: [assets.tenantId, assets.id] }),
    index('ticket_assets_tenant_asset_idx').on(t.tenantId, t.assetId),
    tenantPolicy(),
  ],
);

export const parts = pgTable(
  'parts',
  {
    tenantId: tenantRef(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    sku: text('sku').notNull(),
    name: text('name').notNull(),
    /** lower(name), stored: the list's keyset order (db/keyset.ts: an index on lower(name) is unusable for the cursor under RLS). */
    nameKey: text('name_key').generatedAlwaysAs(sql`lower(name)`),
    description: text('description'),
    unit: text('unit').notNull().default('pcs'),
    unitCost: numeric('unit_cost', { precision: 14, scale: 4 }).notNull().default('0'),
    minQuantity: numeric('min_quantity', { precision: 14, scale: 3 }).notNull().default('0'),
    maxQuantity: numeric('max_quantity', { precision: 14, scale: 3 }),
    reorderPoint: numeric('reorder_point', { precision: 14, scale: 3 }).notNull().default('0'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('parts_tenant_sku_key').on(t.tenantId, sql`lower(${t.sku})`),
    index('parts_name_trgm_idx').using('gin', t.tenantId, sql`${t.name} gin_trgm_ops`),
    // The parts list's order (lower(name), id), read page by page.
    index('parts_tenant_name_idx').on(t.tenantId, t.nameKey, t.id),
    tenantPolicy(),
  ],
);

export const partVendors = pgTable(
  'part_vendors',
  {
    tenantId: tenantRef(),
    partId: bigint('part_id', { mode: 'number' }).notNull(),
    vendorId: bigint('vendor_id', { mode: 'number' }).notNull(),
    vendorSku: text('vendor_sku'),
    price: numeric('price', { precision: 14, scale: 4 }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.partId, t.vendorId] }),
    foreignKey({ name: 'part_vendors_part_fk', columns: [t.tenantId, t.partId], foreignColumns: [parts.tenantId, parts.id] }).onDelete('cascade'),
    foreignKey({ name: 'part_vendors_vendor_fk', columns: [t.tenantId, t.vendorId], foreignColumns: [vendors.tenantId, vendors.id] }).onDelete('cascade'),
    tenantPolicy(),
  ],
);

export { MOVEMENT_TYPES, type MovementType } from '../../../shared/contracts/enums.js';

/** The ledger: every change of stock, never edited. Balances below are its running sum per location. */
export const stockMovements = pgTable(
  'stock_movements',
  {
    tenantId: tenantRef(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    partId: bigint('part_id', { mode: 'number' }).notNull(),
    type: text('type').$type<MovementType>().notNull(),
    /** Signed change at `locationId` (a transfer is recorded as its outgoing side plus `toLocationId`). */
    quantity: numeric('quantity', { precision: 14, scale: 3 }).notNull(),
    locationId: bigint('location_id', { mode: 'number' }).notNull(),
    toLocationId: bigint('to_location_id', { mode: 'number' }),
    ticketId: bigint('ticket_id', { mode: 'number' }),
    unitCost: numeric('unit_cost', { precision: 14, scale: 4 }),
    note: text('note'),
    actorId: bigint('actor_id', { mode: 'number' }),
    actorName: text('actor_name'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'stock_movements_part_fk', columns: [t.tenantId, t.partId], foreignColumns: [parts.tenantId, parts.id] }),
    foreignKey({ name: 'stock_movements_location_fk', columns: [t.tenantId, t.locationId], foreignColumns: [locations.tenantId, locations.id] }),
    foreignKey({ name: 'stock_movements_to_location_fk', columns: [t.tenantId, t.toLocationId], foreignColumns: [locations.tenantId, locations.id] }),
    foreignKey({ name: 'stock_movements_ticket_fk', columns: [t.tenantId, t.ticketId], foreignColumns: [tickets.tenantId, tickets.id] }),
    index('stock_movements_tenant_part_idx').on(t.tenantId, t.partId, t.id.desc()),
    index('stock_movements_tenant_ticket_idx').on(t.tenantId, t.ticketId),
    // Cost reports read a period's consumption.
    index('stock_movements_tenant_consumed_idx').on(t.tenantId, t.at, t.id).where(sql`${t.type} = 'consume'`),
    tenantPolicy(),
  ],
);

/** Current stock per part and location, kept in the transaction of each movement; never negative. */
export const stockLevels = pgTable(
  'stock_levels',
  {
    tenantId: tenantRef(),
    partId: bigint('part_id', { mode: 'number' }).notNull(),
    locationId: bigint('location_id', { mode: 'number' }).notNull(),
    quantity: numeric('quantity', { precision: 14, scale: 3 }).notNull().default('0'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.partId, t.locationId] }),
    foreignKey({ name: 'stock_levels_part_fk', columns: [t.tenantId, t.partId], foreignColumns: [parts.tenantId, parts.id] }).onDelete('cascade'),
    foreignKey({ name: 'stock_levels_location_fk', columns: [t.tenantId, t.locationId], foreignColumns: [locations.tenantId, locations.id] }),
    check('stock_levels_not_negative', sql`${t.quantity} >= 0`),
    tenantPolicy(),
  ],
);

/** The parts a supply request (a `supply` ticket) asks for, and what has been issued. */
export const supplyLines = pgTable(
  'supply_lines',
  {
    tenantId: tenantRef(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    ticketId: bigint('ticket_id', { mode: 'number' }).notNull(),
    partId: bigint('part_id', { mode: 'number' }).notNull(),
    quantity: numeric('quantity', { precision: 14, scale: 3 }).notNull(),
    issuedQuantity: numeric('issued_quantity', { precision: 14, scale: 3 }).notNull().default('0'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'supply_lines_ticket_fk', columns: [t.tenantId, t.ticketId], foreignColumns: [tickets.tenantId, tickets.id] }).onDelete('cascade'),
    foreignKey({ name: 'supply_lines_part_fk', columns: [t.tenantId, t.partId], foreignColumns: [parts.tenantId, parts.id] }),
    index('supply_lines_tenant_ticket_idx').on(t.tenantId, t.ticketId),
    check('supply_lines_quantity_positive', sql`${t.quantity} > 0`),
    tenantPolicy(),
  ],
);

/** Per-company counters for human numbers other than tickets (asset tags: `AST-00042`). */
export const counters = pgTable(
  'counters',
  {
    tenantId: tenantRef(),
    name: text('name').notNull(),
    last: bigint('last', { mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.name] }), tenantPolicy()],
);

/**
 * Photos, manuals, videos and audio notes of a part or a vendor (exactly one of the two), stored and
 * typed like asset files.
 */
export const inventoryFiles = pgTable(
  'inventory_files',
  {
    tenantId: tenantRef(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    partId: bigint('part_id', { mode: 'number' }),
    vendorId: bigint('vendor_id', { mode: 'number' }),
    name: text('name').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    contentType: text('content_type').notNull(),
    storageKey: text('storage_key').notNull(),
    uploadedById: bigint('uploaded_by_id', { mode: 'number' }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'inventory_files_part_fk', columns: [t.tenantId, t.partId], foreignColumns: [parts.tenantId, parts.id] }).onDelete('cascade'),
    foreignKey({ name: 'inventory_files_vendor_fk', columns: [t.tenantId, t.vendorId], foreignColumns: [vendors.tenantId, vendors.id] }).onDelete('cascade'),
    check('inventory_files_one_owner', sql`num_nonnulls(${t.partId}, ${t.vendorId}) = 1`),
    index('inventory_files_tenant_part_idx').on(t.tenantId, t.partId, t.id),
    index('inventory_files_tenant_vendor_idx').on(t.tenantId, t.vendorId, t.id),
    tenantPolicy(),
  ],
);
