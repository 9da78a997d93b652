// Purchasing's public shapes (API.md "Purchasing"): what every route takes and answers. Pure zod:
// the server validates and serialises with these, the web client imports their inferred types.
import { z } from 'zod';
import { idParam, idString as id, listQuery, page, ref } from './common.js';
import { PLANNED_ITEM_SOURCES, PURCHASE_ORDER_EVENTS, PURCHASE_ORDER_STATUSES } from './enums.js';

export type { PlannedItemSource, PurchaseOrderStatus } from './enums.js';
const text = (max: number) => z.string().trim().max(max);
const required = (max: number) => text(max).min(1, 'is required');
const decimals = (places: number) => (n: number) => Math.abs(n * 10 ** places - Math.round(n * 10 ** places)) < 1e-6;
/** Ordered and received quantities: positive, three decimals. */
const quantity = z.number().positive('must be positive').max(1e9).refine(decimals(3), 'at most three decimals');
/** Unit prices: four decimals (line totals are rounded half-up to cents). */
const unitPrice = z.number().min(0).max(1e10).refine(decimals(4), 'at most four decimals');
const taxRate = z.number().min(0).max(100).refine(decimals(4), 'at most four decimals');
const costCode = text(60).nullish();
/** Path parameter `:id` of every purchasing route. */
export const idParams = idParam;

// Buying companies and ship-to ----------------------------------------------------------------

export const buyingCompanyBody = z.object({ name: required(200), address: text(2000).default('') });
export const buyingCompanyPatch = buyingCompanyBody.partial();
export const buyingCompany = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string(),
  logoUrl: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type BuyingCompany = z.infer<typeof buyingCompany>;

export const shipToBody = z.object({ name: required(200), address: text(2000).default(''), taxRate: taxRate.default(0), locationId: id.nullish() });
export const shipToPatch = z.object({ name: required(200).optional(), address: text(2000).optional(), taxRate: taxRate.optional(), locationId: id.nullish() });
export const shipTo = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string(),
  taxRate: z.number(),
  location: ref.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ShipTo = z.infer<typeof shipTo>;
export const namedListQuery = listQuery.extend({ q: text(200).optional() });
export const buyingCompanyList = page(buyingCompany);
export const shipToList = page(shipTo);

// Planned items --------------------------------------------------------------------------------

export const plannedItemBody = z.object({
  description: required(500),
  quantity,
  unitPrice,
  vendorId: id.nullish(),
  partId: id.nullish(),
  departmentId: id.nullish(),
  costCode,
  /** Equipment: the asset category its units are registered in when received. */
  assetCategoryId: id.nullish(),
});
export const plannedItemPatch = plannedItemBody.partial();
export const plannedItem = z.object({
  id: z.string(),
  description: z.string(),
  quantity: z.number(),
  unitPrice: z.number(),
  lineTotal: z.number(),
  vendor: ref.nullable(),
  part: z.object({ id: z.string(), sku: z.string(), name: z.string() }).nullable(),
  department: ref.nullable(),
  costCode: z.string().nullable(),
  assetCategory: ref.nullable(),
  source: z.enum(PLANNED_ITEM_SOURCES),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type PlannedItem = z.infer<typeof plannedItem>;
export const plannedItemQuery = listQuery.extend({
  q: text(200).optional(),
  vendorId: z.union([id, z.literal('none')]).optional(),
  departmentId: id.optional(),
  costCode: text(60).optional(),
  source: z.enum(PLANNED_ITEM_SOURCES).optional(),
});
export const plannedItemList = page(plannedItem);
export const deleteIdsBody = z.object({ ids: z.array(id).min(1).max(500) });
export const deletedAnswer = z.object({ deleted: z.number() });

// Purchase orders ------------------------------------------------------------------------------

export const purchaseOrderLine = z.object({
  id: z.string(),
  position: z.number(),
  description: z.string(),
  quantity: z.number(),
  receivedQuantity: z.number(),
  unitPrice: z.number(),
  lineTotal: z.number(),
  partId: z.string().nullable(),
  departmentId: z.string().nullable(),
  costCode: z.string().nullable(),
  assetCategoryId: z.string().nullable(),
});
export type PurchaseOrderLine = z.infer<typeof purchaseOrderLine>;

const party = z.object({ id: z.string(), name: z.string(), address: z.string() });
export const purchaseOrderVendor = party.extend({
  email: z.string().nullable(),
  contactName: z.string().nullable(),
  paymentTerms: z.string().nullable(),
});
export const purchaseOrderShipTo = party.extend({ taxRate: z.number() });
export const purchaseOrderCan = z.object({
  edit: z.boolean(),
  delete: z.boolean(),
  finalize: z.boolean(),
  send: z.boolean(),
  receive: z.boolean(),
  close: z.boolean(),
  cancel: z.boolean(),
});

const purchaseOrderFields = {
  id: z.string(),
  number: z.string().nullable(),
  status: z.enum(PURCHASE_ORDER_STATUSES),
  vendor: purchaseOrderVendor,
  buyingCompany: party,
  shipTo: purchaseOrderShipTo,
  currency: z.string(),
  taxRate: z.number(),
  subtotal: z.number(),
  tax: z.number(),
  total: z.number(),
  notes: z.string().nullable(),
  cancelReason: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  finalizedAt: z.string().nullable(),
};
export const purchaseOrderSummary = z.object({ ...purchaseOrderFields, lineCount: z.number() });
export type PurchaseOrderSummary = z.infer<typeof purchaseOrderSummary>;
export const purchaseOrder = z.object({ ...purchaseOrderFields, lines: z.array(purchaseOrderLine), pdfUrl: z.string(), can: purchaseOrderCan });
export type PurchaseOrder = z.infer<typeof purchaseOrder>;
export const purchaseOrderAnswer = z.object({ purchaseOrder });
export type PurchaseOrderAnswer = z.infer<typeof purchaseOrderAnswer>;

export const purchaseOrderQuery = listQuery.extend({
  status: z.enum(PURCHASE_ORDER_STATUSES).optional(),
  vendorId: id.optional(),
  q: text(200).optional(),
});
export const purchaseOrderList = page(purchaseOrderSummary);

export const draftsBody = z.object({ plannedItemIds: z.array(id).min(1).max(500), buyingCompanyId: id, shipToId: id });
export const draftsAnswer = z.object({ purchaseOrders: z.array(purchaseOrder) });

export const lineInput = z.object({
  /** A line with an id is kept and edited; one without is added; lines left out are removed. */
  id: id.optional(),
  description: required(500),
  quantity,
  unitPrice,
  partId: id.nullish(),
  departmentId: id.nullish(),
  costCode,
  assetCategoryId: id.nullish(),
});
export type LineInput = z.infer<typeof lineInput>;
export const purchaseOrderPatch = z.object({
  lines: z.array(lineInput).min(1).max(500).optional(),
  buyingCompanyId: id.optional(),
  shipToId: id.optional(),
  notes: text(5000).nullish(),
});

export const receiveBody = z.object({
  lines: z
    .array(
      z.object({
        lineId: id,
        quantity,
        /** Where parts go into stock; default the ship-to's stock location. */
        locationId: id.nullish(),
        /** Equipment lines: register one asset per unit received. */
        createAssets: z.boolean().optional(),
      }),
    )
    .min(1)
    .max(500),
});
export const receipt = z.object({
  id: z.string(),
  lineId: z.string(),
  quantity: z.number(),
  location: ref.nullable(),
  stockMovementId: z.string().nullable(),
  assetIds: z.array(z.string()),
  actor: z.object({ id: z.string().nullable(), name: z.string() }).nullable(),
  at: z.string(),
});
export type Receipt = z.infer<typeof receipt>;
export const receiveAnswer = purchaseOrderAnswer.extend({ receipts: z.array(receipt) });

export const cancelBody = z.object({ reason: required(2000) });

export const purchaseOrderEvent = z.object({
  id: z.string(),
  event: z.enum(PURCHASE_ORDER_EVENTS),
  details: z.record(z.string(), z.unknown()),
  actor: z.object({ id: z.string().nullable(), name: z.string() }).nullable(),
  at: z.string(),
});
export type PurchaseOrderEvent = z.infer<typeof purchaseOrderEvent>;
export const purchaseOrderHistory = z.object({ items: z.array(purchaseOrderEvent), receipts: z.array(receipt) });

// Settings -------------------------------------------------------------------------------------

/** `{YYYY}`, `{YY}`, `{MM}` (company time zone) and one `{seq}` or `{seq:N}` (zero-padded to N). */
export const poNumberPattern = text(60)
  .min(1, 'is required')
  .refine((p) => (p.match(/\{seq(:[1-9])?\}/g) ?? []).length === 1, 'needs exactly one {seq} or {seq:N}')
  .refine((p) => p.replace(/\{(YYYY|YY|MM|seq(:[1-9])?)\}/g, '').match(/^[A-Za-z0-9 ._/-]*$/) !== null, 'letters, digits, . _ / - and the placeholders {YYYY} {YY} {MM} {seq:N}');
export const purchasingSettings = z.object({
  poNumberPattern: z.string(),
  overReceiptTolerancePercent: z.number(),
  currency: z.string(),
});
export type PurchasingSettings = z.infer<typeof purchasingSettings>;
export const purchasingSettingsPatch = z.object({
  poNumberPattern: poNumberPattern.optional(),
  overReceiptTolerancePercent: z.number().min(0).max(100).refine(decimals(2), 'at most two decimals').optional(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'a three-letter currency code').optional(),
});
export const purchasingSettingsAnswer = z.object({ settings: purchasingSettings });
