// Purchase orders: drafts from the plan (one per vendor), line edits while draft, reading and
// history, closing and cancelling. Finalisation, sending and the PDF: order-documents.service.ts.
import { z } from 'zod';
import type { LineInput, PurchaseOrderStatus } from '../../../shared/contracts/purchasing.js';
import { centsToDecimal, orderTotals } from '../../../shared/money.js';
import type { UserActor } from '../../platform/actor.js';
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import type { Scope, Tx } from '../../platform/db.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { decodeCursor, encodeCursor } from '../http.js';
import { eventDto, orderDto, receiptDto, summaryDto } from './purchasing.dto.js';
import * as repo from './purchasing.repo.js';
import { checkReferences, settingsIn } from './purchasing.service.js';

const who = (actor: UserActor) => ({ actorId: actor.userId, actorName: actor.name });

export async function recordEvent(
  scope: Scope,
  actor: UserActor,
  purchaseOrderId: number,
  event: string,
  details: Record<string, unknown> = {},
) {
  await repo.insertEvent(scope.tx, { tenantId: actor.tenantId, purchaseOrderId, event, details, ...who(actor) });
}

/** The PO as the API answers it, inside the caller's transaction. */
/** `lines`: the PO's lines when the caller has them as they are now (spares reading them again). */
export async function loadOrder(tx: Tx, actor: UserActor, id: number, lines?: repo.LineRow[]) {
  const row = await repo.findOrderWithParties(tx, actor.tenantId, id);
  if (!row) throw notFound('Purchase order');
  return orderDto(actor, row, lines ?? (await repo.linesOf(tx, actor.tenantId, id)));
}

/** Locks the PO (every change of a PO or its lines starts here, so they serialise) and checks it is a draft. */
export async function lockDraft(tx: Tx, tenantId: number, id: number) {
  const o = await repo.findOrder(tx, tenantId, id, true);
  if (!o) throw notFound('Purchase order');
  if (o.status !== 'draft')
    throw new AppError('not_draft', `Purchase order ${o.number} is ${o.status.replace('_', ' ')}; only drafts can change`, {
      status: o.status,
    });
  return o;
}

/** Recomputes a draft's totals from its lines at its ship-to's current tax rate. */
async function retotal(tx: Tx, tenantId: number, o: repo.OrderRow) {
  const shipTo = await repo.findShipTo(tx, tenantId, o.shipToId);
  const rate = shipTo?.s.taxRate ?? '0';
  const t = orderTotals(await repo.linesOf(tx, tenantId, o.id), rate);
  await repo.updateOrder(tx, tenantId, o.id, {
    taxRate: rate,
    subtotal: centsToDecimal(t.subtotal),
    tax: centsToDecimal(t.tax),
    total: centsToDecimal(t.total),
  });
}

// Drafts ------------------------------------------------------------------------------------------

export interface DraftsInput {
  plannedItemIds: string[];
  buyingCompanyId: string;
  shipToId: string;
}

export async function createDrafts(ctx: Ctx, input: DraftsInput) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, (scope) => createDraftsIn(scope, actor, input));
}

/** Drafts in the caller's transaction (also used by the demo data). */
export async function createDraftsIn(scope: Scope, actor: UserActor, input: DraftsInput) {
  const tenantId = actor.tenantId;
  const ids = [...new Set(input.plannedItemIds.map(Number))];
  const { tx } = scope;
  // One connection per transaction: its queries run one after another.
  const buyer = await repo.findBuyingCompany(tx, tenantId, Number(input.buyingCompanyId));
  const shipTo = await repo.findShipTo(tx, tenantId, Number(input.shipToId));
  if (!buyer) throw invalid({ buyingCompanyId: 'no such buying company' });
  if (!shipTo) throw invalid({ shipToId: 'no such ship-to location' });
  const items = await repo.lockOpenPlanned(tx, tenantId, ids);
  if (items.length !== ids.length) {
    const found = new Set(items.map((i) => i.id));
    throw new AppError('not_found', 'Some planned items are not on the plan (deleted, or already on a purchase order)', {
      missing: ids.filter((id) => !found.has(id)).map(String),
    });
  }
  const noVendor = items.filter((i) => i.vendorId === null);
  if (noVendor.length)
    throw new AppError('validation', 'Every item needs a vendor before it can be ordered', {
      fields: { plannedItemIds: 'items without a vendor' },
      ids: noVendor.map((i) => String(i.id)),
    });
  const settings = await settingsIn(tx, tenantId);
  const byVendor = new Map<number, repo.PlannedItemRow[]>();
  for (const item of items) byVendor.set(item.vendorId!, [...(byVendor.get(item.vendorId!) ?? []), item]);
  const vendors = new Map((await repo.vendorsByIds(tx, tenantId, [...byVendor.keys()])).map((v) => [v.id, v]));
  const made: number[] = [];
  for (const [vendorId, list] of [...byVendor].sort((a, b) => vendors.get(a[0])!.name.localeCompare(vendors.get(b[0])!.name))) {
    const o = await repo.insertOrder(tx, {
      tenantId,
      vendorId,
      buyingCompanyId: buyer.id,
      shipToId: shipTo.s.id,
      currency: vendors.get(vendorId)?.currency ?? settings.currency,
      createdById: actor.userId,
    });
    await repo.insertLines(
      tx,
      list.map((item, i) => ({
        tenantId,
        purchaseOrderId: o.id,
        position: i + 1,
        description: item.description,
        quantity: item.quantity,
        unitPrice: item.unitPrice,
        partId: item.partId,
        departmentId: item.departmentId,
        costCode: item.costCode,
        assetCategoryId: item.assetCategoryId,
        plannedItemId: item.id,
      })),
    );
    await repo.assignPlanned(
      tx,
      tenantId,
      list.map((i) => i.id),
      o.id,
    );
    await retotal(tx, tenantId, o);
    await recordEvent(scope, actor, o.id, 'created', { plannedItemIds: list.map((i) => String(i.id)) });
    made.push(o.id);
  }
  const purchaseOrders = [];
  for (const id of made) purchaseOrders.push(await loadOrder(tx, actor, id));
  return { purchaseOrders };
}

export async function updateDraft(
  ctx: Ctx,
  id: number,
  input: { lines?: LineInput[]; buyingCompanyId?: string; shipToId?: string; notes?: string | null },
) {
  const actor = requireUser(ctx);
  const tenantId = actor.tenantId;
  return ctx.deps.database.withTenant(tenantId, async (scope) => {
    const { tx } = scope;
    const o = await lockDraft(tx, tenantId, id);
    const buyingCompanyId = input.buyingCompanyId === undefined ? undefined : Number(input.buyingCompanyId);
    const shipToId = input.shipToId === undefined ? undefined : Number(input.shipToId);
    if (buyingCompanyId && !(await repo.findBuyingCompany(tx, tenantId, buyingCompanyId)))
      throw invalid({ buyingCompanyId: 'no such buying company' });
    if (shipToId && !(await repo.findShipTo(tx, tenantId, shipToId))) throw invalid({ shipToId: 'no such ship-to location' });
    const changed: Record<string, unknown> = {};
    if (input.lines) {
      await replaceLines(tx, tenantId, o, input.lines);
      changed.lines = input.lines.length;
    }
    if (buyingCompanyId !== undefined || shipToId !== undefined || input.notes !== undefined) {
      await repo.updateOrder(tx, tenantId, id, {
        buyingCompanyId,
        shipToId,
        notes: input.notes === undefined ? undefined : input.notes?.trim() || null,
      });
      Object.assign(
        changed,
        Object.fromEntries(
          Object.entries({ buyingCompanyId: input.buyingCompanyId, shipToId: input.shipToId, notes: input.notes }).filter(
            ([, v]) => v !== undefined,
          ),
        ),
      );
    }
    await retotal(tx, tenantId, (await repo.findOrder(tx, tenantId, id))!);
    await recordEvent(scope, actor, id, 'edited', changed);
    return loadOrder(tx, actor, id);
  });
}

/** The new line list: lines with an id (of this PO) are edited, others added, the rest removed. */
async function replaceLines(tx: Tx, tenantId: number, o: repo.OrderRow, lines: LineInput[]) {
  const current = await repo.linesOf(tx, tenantId, o.id, true);
  const known = new Map(current.map((l) => [String(l.id), l]));
  const fields: Record<string, string> = {};
  lines.forEach((l, i) => {
    if (l.id && !known.has(l.id)) fields[`lines.${i}.id`] = 'not a line of this purchase order';
    if (l.partId && l.assetCategoryId)
      fields[`lines.${i}.assetCategoryId`] = 'a part goes into stock; only equipment (no part) becomes assets';
  });
  if (new Set(lines.filter((l) => l.id).map((l) => l.id)).size !== lines.filter((l) => l.id).length) fields.lines = 'a line appears twice';
  if (Object.keys(fields).length) throw invalid(fields);
  const ref = (field: string, kind: repo.Reference, get: (l: LineInput) => string | null | undefined) =>
    lines.map((l, i) => ({ field: `lines.${i}.${field}`, kind, id: get(l) ? Number(get(l)) : null }));
  await checkReferences(tx, tenantId, [
    ...ref('partId', 'part', (l) => l.partId),
    ...ref('departmentId', 'department', (l) => l.departmentId),
    ...ref('assetCategoryId', 'assetCategory', (l) => l.assetCategoryId),
  ]);
  const columns = (l: LineInput, position: number) => ({
    position,
    description: l.description,
    quantity: l.quantity.toFixed(3),
    unitPrice: l.unitPrice.toFixed(4),
    partId: l.partId ? Number(l.partId) : null,
    departmentId: l.departmentId ? Number(l.departmentId) : null,
    costCode: l.costCode?.trim() || null,
    assetCategoryId: l.assetCategoryId ? Number(l.assetCategoryId) : null,
  });
  const kept = new Set(lines.filter((l) => l.id).map((l) => l.id));
  const removed = current.filter((l) => !kept.has(String(l.id)));
  await repo.deleteLines(
    tx,
    tenantId,
    removed.map((l) => l.id),
  );
  // A removed line that came from the plan goes back to it.
  await repo.returnToPlan(
    tx,
    tenantId,
    o.id,
    removed.flatMap((l) => (l.plannedItemId ? [l.plannedItemId] : [])),
  );
  for (const [i, l] of lines.entries()) if (l.id) await repo.updateLine(tx, tenantId, Number(l.id), columns(l, i + 1));
  await repo.insertLines(
    tx,
    lines.flatMap((l, i) => (l.id ? [] : [{ tenantId, purchaseOrderId: o.id, ...columns(l, i + 1) }])),
  );
}

export async function deleteDraft(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  await ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    await lockDraft(tx, actor.tenantId, id);
    await repo.returnToPlan(tx, actor.tenantId, id);
    await repo.deleteOrder(tx, actor.tenantId, id);
  });
}

// Reading -----------------------------------------------------------------------------------------

export async function getOrder(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, ({ tx }) => loadOrder(tx, actor, id));
}

export async function listOrders(
  ctx: Ctx,
  f: { status?: PurchaseOrderStatus; vendorId?: string; q?: string; limit: number; cursor?: string },
) {
  const actor = requireUser(ctx);
  const before = decodeCursor(f.cursor, z.tuple([z.number()]))?.[0] ?? null;
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    const rows = await repo.findOrders(tx, actor.tenantId, {
      status: f.status,
      vendorId: f.vendorId ? Number(f.vendorId) : undefined,
      q: f.q,
      before,
      limit: f.limit,
    });
    const page = rows.slice(0, f.limit);
    return { items: page.map(summaryDto), nextCursor: rows.length > f.limit ? encodeCursor([page.at(-1)!.o.id]) : null };
  });
}

export async function orderHistory(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    if (!(await repo.findOrder(tx, actor.tenantId, id))) throw notFound('Purchase order');
    const events = await repo.eventsOf(tx, actor.tenantId, id);
    const receipts = await repo.receiptsOf(tx, actor.tenantId, id);
    return { items: events.map(eventDto), receipts: receipts.map(receiptDto) };
  });
}

const CANCELLABLE: PurchaseOrderStatus[] = ['sent'];

/** A sent PO with nothing received is cancelled with a reason (a correction is a cancel and a new PO). */
export async function cancelOrder(ctx: Ctx, id: number, reason: string) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, (scope) => cancelOrderIn(scope, actor, id, reason));
}

export async function cancelOrderIn(scope: Scope, actor: UserActor, id: number, reason: string) {
  const o = await repo.findOrder(scope.tx, actor.tenantId, id, true);
  if (!o) throw notFound('Purchase order');
  if (o.status === 'draft') throw new AppError('invalid_transition', 'A draft is deleted, not cancelled', { status: o.status });
  const lines = await repo.linesOf(scope.tx, actor.tenantId, id);
  if (!CANCELLABLE.includes(o.status) || lines.some((l) => Number(l.receivedQuantity) > 0)) {
    throw new AppError('invalid_transition', 'Only a sent purchase order with nothing received can be cancelled; close it instead', {
      status: o.status,
    });
  }
  await repo.updateOrder(scope.tx, actor.tenantId, id, { status: 'cancelled', cancelReason: reason });
  await recordEvent(scope, actor, id, 'cancelled', { reason });
  return loadOrder(scope.tx, actor, id);
}

/** Partly or wholly received → closed: nothing more is expected. */
export async function closeOrder(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, (scope) => closeOrderIn(scope, actor, id));
}

export async function closeOrderIn(scope: Scope, actor: UserActor, id: number) {
  const o = await repo.findOrder(scope.tx, actor.tenantId, id, true);
  if (!o) throw notFound('Purchase order');
  if (o.status !== 'partly_received' && o.status !== 'received') {
    throw new AppError('invalid_transition', 'Only a received or partly received purchase order can be closed', { status: o.status });
  }
  await repo.updateOrder(scope.tx, actor.tenantId, id, { status: 'closed' });
  await recordEvent(scope, actor, id, 'closed', { from: o.status });
  return loadOrder(scope.tx, actor, id);
}
