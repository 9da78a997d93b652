// Rows → the API's shapes (src/shared/contracts/purchasing.ts). A finalised PO answers with the
// parties as they were frozen at finalisation; a draft with their current names and tax rate.
import type {
  BuyingCompany,
  PurchaseOrderEvent,
  PlannedItem,
  PurchaseOrder,
  PurchaseOrderLine,
  PurchaseOrderSummary,
  Receipt,
  ShipTo,
} from '../../../shared/contracts/purchasing.js';
import { centsToNumber, lineCents } from '../../../shared/money.js';
import type { UserActor } from '../../platform/actor.js';
import type * as repo from './purchasing.repo.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const str = (n: number | null) => (n === null ? null : String(n));
const who = (id: number | null, name: string | null) => (name ? { id: str(id), name } : null);

export const buyingCompanyDto = (b: repo.BuyingCompanyInfo): BuyingCompany => ({
  id: String(b.id),
  name: b.name,
  address: b.address,
  logoUrl: b.logoContentType ? `/api/v1/buying-companies/${b.id}/logo?v=${b.updatedAt.getTime()}` : null,
  createdAt: b.createdAt.toISOString(),
  updatedAt: b.updatedAt.toISOString(),
});

export const shipToDto = ({ s, location }: repo.ShipToWithLocation): ShipTo => ({
  id: String(s.id),
  name: s.name,
  address: s.address,
  taxRate: Number(s.taxRate),
  location: location ? { id: String(location.id), name: location.name } : null,
  createdAt: s.createdAt.toISOString(),
  updatedAt: s.updatedAt.toISOString(),
});

export const plannedItemDto = (r: repo.PlannedWithNames): PlannedItem => ({
  id: String(r.p.id),
  description: r.p.description,
  quantity: Number(r.p.quantity),
  unitPrice: Number(r.p.unitPrice),
  lineTotal: centsToNumber(lineCents(r.p.quantity, r.p.unitPrice)),
  vendor: r.vendor ? { id: String(r.vendor.id), name: r.vendor.name } : null,
  part: r.part ? { id: String(r.part.id), sku: r.part.sku, name: r.part.name } : null,
  department: r.department ? { id: String(r.department.id), name: r.department.name } : null,
  costCode: r.p.costCode,
  assetCategory: r.assetCategory ? { id: String(r.assetCategory.id), name: r.assetCategory.name } : null,
  source: r.p.source,
  createdAt: r.p.createdAt.toISOString(),
  updatedAt: r.p.updatedAt.toISOString(),
});

export const lineDto = (l: repo.LineRow): PurchaseOrderLine => ({
  id: String(l.id),
  position: l.position,
  description: l.description,
  quantity: Number(l.quantity),
  receivedQuantity: Number(l.receivedQuantity),
  unitPrice: Number(l.unitPrice),
  lineTotal: centsToNumber(lineCents(l.quantity, l.unitPrice)),
  partId: str(l.partId),
  departmentId: str(l.departmentId),
  costCode: l.costCode,
  assetCategoryId: str(l.assetCategoryId),
});

/** The parties printed on a PO, frozen into `snapshot` when it is finalised. */
export interface Parties {
  vendor: PurchaseOrder['vendor'];
  buyingCompany: PurchaseOrder['buyingCompany'];
  shipTo: PurchaseOrder['shipTo'];
}

export function liveParties(r: repo.OrderWithParties): Parties {
  return {
    vendor: {
      id: String(r.vendor.id),
      name: r.vendor.name,
      address: r.vendor.address ?? '',
      email: r.vendor.email,
      contactName: r.vendor.contactName,
      paymentTerms: r.vendor.paymentTerms,
    },
    buyingCompany: { id: String(r.buyingCompany.id), name: r.buyingCompany.name, address: r.buyingCompany.address },
    shipTo: { id: String(r.shipTo.id), name: r.shipTo.name, address: r.shipTo.address, taxRate: Number(r.shipTo.taxRate) },
  };
}

export const partiesOf = (r: repo.OrderWithParties): Parties => (r.o.snapshot as Parties | null) ?? liveParties(r);

export function summaryDto(r: repo.OrderWithParties): PurchaseOrderSummary {
  const o = r.o;
  return {
    id: String(o.id),
    number: o.number,
    status: o.status,
    ...partiesOf(r),
    currency: o.currency,
    taxRate: Number(o.taxRate),
    subtotal: Number(o.subtotal),
    tax: Number(o.tax),
    total: Number(o.total),
    notes: o.notes,
    cancelReason: o.cancelReason,
    createdAt: o.createdAt.toISOString(),
    updatedAt: o.updatedAt.toISOString(),
    finalizedAt: iso(o.finalizedAt),
    lineCount: r.lineCount,
  };
}

/** What the caller may do next, so the client never re-implements the rules. */
export function orderCan(actor: UserActor, o: Pick<repo.OrderRow, 'status'>, lines: repo.LineRow[]) {
  const manage = actor.permissions.has('purchasing.manage');
  const finalize = actor.permissions.has('purchasing.finalize');
  const receivedAny = lines.some((l) => Number(l.receivedQuantity) > 0);
  const open = o.status === 'sent' || o.status === 'partly_received';
  return {
    edit: manage && o.status === 'draft',
    delete: manage && o.status === 'draft',
    finalize: finalize && o.status === 'draft' && lines.length > 0,
    send: finalize && (open || o.status === 'received'),
    receive: manage && open,
    close: manage && (o.status === 'partly_received' || o.status === 'received'),
    cancel: finalize && o.status === 'sent' && !receivedAny,
  };
}

export function orderDto(actor: UserActor, r: repo.OrderWithParties, lines: repo.LineRow[]): PurchaseOrder {
  const { lineCount: _n, ...summary } = summaryDto(r);
  return { ...summary, lines: lines.map(lineDto), pdfUrl: `/api/v1/purchase-orders/${r.o.id}/pdf`, can: orderCan(actor, r.o, lines) };
}

export const receiptDto = ({ r, location }: repo.ReceiptWithLocation): Receipt => ({
  id: String(r.id),
  lineId: String(r.lineId),
  quantity: Number(r.quantity),
  location: location ? { id: String(location.id), name: location.name } : null,
  stockMovementId: str(r.stockMovementId),
  assetIds: r.assetIds,
  actor: who(r.actorId, r.actorName),
  at: r.at.toISOString(),
});

export const eventDto = (e: Awaited<ReturnType<typeof repo.eventsOf>>[number]): PurchaseOrderEvent => ({
  id: String(e.id),
  event: e.event as PurchaseOrderEvent['event'],
  details: e.details,
  actor: who(e.actorId, e.actorName),
  at: e.at.toISOString(),
});
