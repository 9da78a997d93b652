import { z } from 'zod';
import { ASSET_STATUSES } from '../../db/schema/index.js';
import { isOverdue, publicUrl } from './assets.fields.js';
import type { AssetWithNames } from './assets.repo.js';

const ref = z.object({ id: z.string(), name: z.string() }).nullable();

export const assetDto = z.object({
  id: z.string(),
  tag: z.string(),
  name: z.string(),
  categoryId: z.string(),
  category: ref,
  manufacturerId: z.string().nullable(),
  manufacturer: ref,
  model: z.string().nullable(),
  serial: z.string().nullable(),
  status: z.enum(ASSET_STATUSES),
  conditionId: z.string().nullable(),
  condition: ref,
  locationId: z.string().nullable(),
  location: ref,
  locationPath: z.string().nullable(),
  parentId: z.string().nullable(),
  parent: z.object({ id: z.string(), tag: z.string(), name: z.string() }).nullable(),
  departmentId: z.string().nullable(),
  department: ref,
  vendorId: z.string().nullable(),
  purchaseOrderId: z.string().nullable(),
  purchaseDate: z.string().nullable(),
  purchaseCost: z.number().nullable(),
  warrantyEnd: z.string().nullable(),
  specifications: z.string().nullable(),
  customFields: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
  assignedToId: z.string().nullable(),
  assignedTo: ref,
  checkedOutAt: z.string().nullable(),
  expectedReturn: z.string().nullable(),
  overdue: z.boolean(),
  publicUrl: z.string(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type AssetDto = z.infer<typeof assetDto>;

const s = (v: number | null | undefined) => (v === null || v === undefined ? null : String(v));
const named = (r: { id: number | null; name: string | null } | null) => (r?.id ? { id: String(r.id), name: r.name ?? '' } : null);

/** `zone`: the company's time zone, which decides `overdue`. */
export function toAsset(r: AssetWithNames, base: string, zone: string): AssetDto {
  const a = r.a;
  return {
    id: String(a.id),
    tag: a.tag,
    name: a.name,
    categoryId: String(a.categoryId),
    category: named(r.category),
    manufacturerId: s(a.manufacturerId),
    manufacturer: named(r.manufacturer),
    model: a.model,
    serial: a.serial,
    status: a.status,
    conditionId: s(a.conditionId),
    condition: named(r.condition),
    locationId: s(a.locationId),
    location: named(r.location),
    locationPath: a.locationPath,
    parentId: s(a.parentId),
    parent: r.parent?.id ? { id: String(r.parent.id), tag: r.parent.tag ?? '', name: r.parent.name ?? '' } : null,
    departmentId: s(a.departmentId),
    department: named(r.department),
    vendorId: s(a.vendorId),
    purchaseOrderId: s(a.purchaseOrderId),
    purchaseDate: a.purchaseDate,
    purchaseCost: a.purchaseCost === null ? null : Number(a.purchaseCost),
    warrantyEnd: a.warrantyEnd,
    specifications: a.specifications,
    customFields: a.customFields,
    assignedToId: s(a.assignedToId),
    assignedTo: named(r.assignedTo),
    checkedOutAt: a.checkedOutAt ? a.checkedOutAt.toISOString() : null,
    expectedReturn: a.expectedReturn,
    overdue: isOverdue(a, zone),
    publicUrl: publicUrl(base, a.publicToken),
    version: a.version,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
}
