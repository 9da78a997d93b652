// Asset rows → the contract's asset (src/shared/contracts/assets.ts).
import type { Asset } from '../../../shared/contracts/assets.js';
import { isOverdue, publicUrl } from './assets.fields.js';
import type { AssetWithNames } from './assets.repo.js';

export type AssetDto = Asset;

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
    vendor: named(r.vendor),
    purchaseOrderId: s(a.purchaseOrderId),
    orderNumber: a.orderNumber,
    modelNumber: a.modelNumber,
    endOfLife: a.endOfLife,
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
