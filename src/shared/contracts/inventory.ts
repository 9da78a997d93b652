// Inventory routes: parts, stock movements, parts used on tickets, vendors.
import { z } from 'zod';
import { idString, listQuery, page, ref, wrapped } from './common.js';
import { MOVEMENT_TYPES } from './enums.js';

// Quantities and money travel as JSON numbers; quantities keep three decimals, money four.
const decimals = (places: number) => (n: number) => Math.abs(n * 10 ** places - Math.round(n * 10 ** places)) < 1e-6;
export const quantity = z.number().min(0).max(1e9).refine(decimals(3), 'at most three decimals');
export const money = z.number().min(0).max(1e10).refine(decimals(4), 'at most four decimals');
const text = (max: number) => z.string().trim().max(max);

export const part = z.object({
  id: z.string(),
  sku: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  unit: z.string(),
  unitCost: z.number(),
  minQuantity: z.number(),
  maxQuantity: z.number().nullable(),
  reorderPoint: z.number(),
  vendors: z.array(
    z.object({ vendorId: z.string(), vendorName: z.string(), vendorSku: z.string().nullable(), price: z.number().nullable() }),
  ),
  stock: z.array(z.object({ location: ref, quantity: z.number() })),
  totalQuantity: z.number(),
  belowReorder: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const partBody = z.object({
  sku: text(60).min(1, 'is required'),
  name: text(200).min(1, 'is required'),
  unit: text(20).min(1).default('pcs'),
  unitCost: money.default(0),
  minQuantity: quantity.default(0),
  maxQuantity: quantity.nullish(),
  reorderPoint: quantity.default(0),
  description: text(5000).nullish(),
  vendors: z
    .array(z.object({ vendorId: idString, vendorSku: text(100).nullish(), price: money.nullish() }))
    .max(20)
    .optional(),
});
export const partPatch = z.object({
  sku: text(60).min(1).optional(),
  name: text(200).min(1).optional(),
  unit: text(20).min(1).optional(),
  unitCost: money.optional(),
  minQuantity: quantity.optional(),
  maxQuantity: quantity.nullish(),
  reorderPoint: quantity.optional(),
  description: text(5000).nullish(),
  vendors: partBody.shape.vendors,
});
export const vendor = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  website: z.string().nullable(),
  notes: z.string().nullable(),
  contactName: z.string().nullable(),
  address: z.string().nullable(),
  paymentTerms: z.string().nullable(),
  currency: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const vendorBody = z.object({
  name: text(200).min(1, 'is required'),
  email: z.email().max(254).nullish().describe('Where purchase orders are e-mailed'),
  phone: text(50).nullish(),
  website: text(500).nullish(),
  notes: text(5000).nullish(),
  // Purchasing: printed on purchase orders.
  contactName: text(200).nullish(),
  address: text(2000).nullish(),
  paymentTerms: text(500).nullish().describe('Printed on purchase orders, e.g. "Net 30"'),
  currency: z.string().regex(/^[A-Z]{3}$/, 'a three-letter currency code').nullish(),
});

export const movement = z.object({
  id: z.string(),
  partId: z.string(),
  type: z.enum(MOVEMENT_TYPES),
  quantity: z.number(),
  location: ref,
  toLocation: ref.nullable(),
  ticketNumber: z.number().nullable(),
  unitCost: z.number().nullable(),
  note: z.string().nullable(),
  actor: z.object({ id: z.string().nullable(), name: z.string() }).nullable(),
  at: z.string(),
});
export const movementBody = z.object({
  type: z.enum(MOVEMENT_TYPES),
  quantity: z.number().min(-1e9).max(1e9).refine(decimals(3), 'at most three decimals'),
  locationId: idString,
  toLocationId: idString.nullish(),
  ticketNumber: z.coerce.number().int().min(1).max(2_000_000_000).nullish(),
  note: text(2000).nullish(),
});

export type Part = z.infer<typeof part>;
export type Vendor = z.infer<typeof vendor>;
export type Movement = z.infer<typeof movement>;
export const partListQuery = listQuery.extend({
  q: z.string().trim().max(200).optional(),
  belowReorder: z.enum(['true', 'false']).optional(),
});
export const partList = page(part);
export const partAnswer = wrapped('part', part);
export const movementList = page(movement);
export const movementAnswer = z.object({ movement, part });
export const ticketPart = z.object({
  movementId: z.string(),
  part: z.object({ id: z.string(), sku: z.string(), name: z.string(), unit: z.string() }),
  quantity: z.number(),
  unitCost: z.number(),
  totalCost: z.number(),
  at: z.string(),
  actor: z.object({ id: z.string().nullable(), name: z.string() }).nullable(),
});
export type TicketPart = z.infer<typeof ticketPart>;
export const ticketParts = z.object({ items: z.array(ticketPart), totalCost: z.number() });
export type TicketParts = z.infer<typeof ticketParts>;
export const useOnTicketBody = z.object({ partId: idString, quantity, locationId: idString, note: text(2000).nullish() });
export const vendorListQuery = listQuery.extend({ q: z.string().trim().max(200).optional() });
export const vendorList = page(vendor);
export const vendorAnswer = wrapped('vendor', vendor);

/** A photo, manual, video or audio note of a part or a vendor. */
export const inventoryFile = z.object({
  id: z.string(),
  partId: z.string().nullable(),
  vendorId: z.string().nullable(),
  name: z.string(),
  size: z.number(),
  contentType: z.string(),
  uploadedBy: ref.nullable(),
  createdAt: z.string(),
});
export type InventoryFile = z.infer<typeof inventoryFile>;
export const inventoryFileAnswer = z.object({ file: inventoryFile });
export const inventoryFileList = page(inventoryFile);
