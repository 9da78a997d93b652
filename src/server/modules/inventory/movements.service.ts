// Stock movements: every change of stock is one ledger row plus its balance update, in the same
// transaction. Taking stock is a conditional UPDATE (never negative, even under concurrency);
// consuming on a ticket charges it; falling below the reorder point tells the inventory managers.
import { z } from 'zod';
import type { MovementType } from '../../db/schema/index.js';
import type { UserActor } from '../../platform/actor.js';
import type { Ctx, Deps } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import type { Scope } from '../../platform/db.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { decodeCursor, encodeCursor } from '../http.js';
import { notify } from '../notifications/notifications.service.js';
import { planLowStock } from '../purchasing/purchasing.service.js';
import { findVisible, publishTicket, recordHistory, type TicketRow, who } from '../tickets/tickets.service.js';
import { emitWebhookEvent } from '../webhooks/webhooks.service.js';
import * as repo from './inventory.repo.js';
import { loadPart } from './parts.service.js';

export interface MovementInput {
  type: MovementType;
  /** Positive, except for `adjust` where the sign says which way. */
  quantity: number;
  locationId: number;
  toLocationId?: number | null;
  ticketNumber?: number | null;
  note?: string | null;
}

/** Quantities are kept with three decimals; normalising first keeps checks and storage in step. */
export const toQuantity = (n: number) => (Math.round(n * 1000) / 1000).toFixed(3);

function checkShape(input: MovementInput) {
  const q = Number(toQuantity(input.quantity));
  if (input.type === 'adjust') {
    if (q === 0) throw invalid({ quantity: 'must not be zero' });
    if (!input.note?.trim()) throw invalid({ note: 'an adjustment needs the reason' });
  } else if (q <= 0) throw invalid({ quantity: 'must be positive' });
  if (input.type === 'transfer') {
    if (!input.toLocationId) throw invalid({ toLocationId: 'is required for a transfer' });
    if (input.toLocationId === input.locationId) throw invalid({ toLocationId: 'must differ from locationId' });
  } else if (input.toLocationId) throw invalid({ toLocationId: 'only for transfers' });
  if (input.ticketNumber && input.type !== 'consume') throw invalid({ ticketNumber: 'only parts consumed are charged to a ticket' });
}

export function insufficient(part: repo.PartRow, locationId: number, available: number, requested: number) {
  return new AppError('insufficient_stock', `Not enough ${part.name} (${part.sku}) at this location: ${available} ${part.unit} available, ${requested} requested`, {
    partId: String(part.id),
    sku: part.sku,
    locationId: String(locationId),
    available,
    requested,
  });
}

/**
 * Applies one movement inside the caller's transaction (also used by supply fulfilment). The part
 * row is locked first, so movements of one part are serialised and the reorder crossing is exact.
 */
export async function applyMovement(scope: Scope, deps: Deps, actor: UserActor, partId: number, input: MovementInput, ticket: TicketRow | null = null) {
  const { tx } = scope;
  const tenantId = actor.tenantId;
  checkShape(input);
  const part = await repo.findPart(tx, tenantId, partId, true);
  if (!part) throw notFound('Part');
  if (!(await repo.locationExists(tx, tenantId, input.locationId))) throw invalid({ locationId: 'no such location' });
  if (input.toLocationId && !(await repo.locationExists(tx, tenantId, input.toLocationId))) throw invalid({ toLocationId: 'no such location' });
  const before = await repo.partTotal(tx, tenantId, partId);
  const q = toQuantity(Math.abs(input.quantity));
  const take = async (locationId: number) => {
    if (!(await repo.takeStock(tx, tenantId, partId, locationId, q))) {
      throw insufficient(part, locationId, await repo.available(tx, tenantId, partId, locationId), Number(q));
    }
  };
  let delta = Number(q);
  if (input.type === 'receive') await repo.addStock(tx, tenantId, partId, input.locationId, q);
  else if (input.type === 'consume') {
    await take(input.locationId);
    delta = -delta;
  } else if (input.type === 'transfer') {
    await take(input.locationId);
    await repo.addStock(tx, tenantId, partId, input.toLocationId!, q);
  } else if (input.quantity < 0) {
    await take(input.locationId);
    delta = -delta;
  } else await repo.addStock(tx, tenantId, partId, input.locationId, q);

  const movement = await repo.insertMovement(tx, {
    tenantId,
    partId,
    type: input.type,
    // The ledger's sign is the change at locationId (a transfer: its outgoing side).
    quantity: input.type === 'receive' || (input.type === 'adjust' && delta > 0) ? q : `-${q}`,
    locationId: input.locationId,
    toLocationId: input.toLocationId ?? null,
    ticketId: ticket?.id ?? null,
    unitCost: part.unitCost,
    note: input.note?.trim() || null,
    actorId: actor.userId,
    actorName: actor.name,
  });

  if (ticket) {
    const touched = await repo.touchTicket(tx, tenantId, ticket.id);
    const after = { movementId: String(movement.id), partId: String(part.id), sku: part.sku, name: part.name, quantity: Number(q), unit: part.unit, unitCost: Number(part.unitCost) };
    await recordHistory(scope, who(actor), touched, 'part_used', [{ field: 'part', before: null, after }]);
    await publishTicket(scope, touched, 'parts');
  }

  const reorderPoint = Number(part.reorderPoint);
  const total = Math.round((before + (input.type === 'transfer' ? 0 : delta)) * 1000) / 1000;
  if (before >= reorderPoint && total < reorderPoint) {
    await notify(scope, deps, tenantId, {
      event: 'inventory.low_stock',
      recipients: await repo.inventoryManagerIds(tx, tenantId),
      // A state of the stock, not someone's action: the person who took the last units is told too.
      actorId: null,
      ticketNumber: null,
      title: `Low stock: ${part.name} (${part.sku})`,
      body: `${part.name} (${part.sku}) is down to ${total} ${part.unit}, below its reorder point of ${reorderPoint} ${part.unit}. Time to reorder.`,
    });
    // On the crossing only (not on every movement below it): the plan gets, or raises, one item.
    await planLowStock(scope, tenantId, part, total);
    await emitWebhookEvent(scope, 'stock.low', async () => ({ part: await loadPart(tx, tenantId, part.id), quantity: total, reorderPoint }));
  }
  return movement;
}

export interface ReceiveInput {
  partId: number;
  /** Positive. */
  quantity: number;
  locationId: number;
  note?: string | null;
}

/**
 * Several receive movements in the caller's transaction, set-based: the parts locked at once (in id
 * order), one check of the locations, one upsert of the balances and one insert of the ledger rows.
 * The same rules as applyMovement of a `receive`, one by one: a receipt only raises stock, so it never
 * crosses a reorder point downwards and tells nobody of low stock. Returns the movements in input order.
 */
export async function receiveMany(scope: Scope, actor: UserActor, items: ReceiveInput[]) {
  const { tx } = scope;
  const tenantId = actor.tenantId;
  if (items.length === 0) return [];
  for (const item of items) checkShape({ type: 'receive', quantity: item.quantity, locationId: item.locationId });
  const parts = new Map((await repo.lockParts(tx, tenantId, items.map((i) => i.partId))).map((p) => [p.id, p]));
  if (items.some((i) => !parts.has(i.partId))) throw notFound('Part');
  const known = await repo.existingLocations(tx, tenantId, items.map((i) => i.locationId));
  if (items.some((i) => !known.has(i.locationId))) throw invalid({ locationId: 'no such location' });
  // One row per balance: a batch naming a part and location twice adds both to the same row.
  const balances = new Map<string, { partId: number; locationId: number; thousandths: number }>();
  for (const i of items) {
    const key = `${i.partId}:${i.locationId}`;
    const b = balances.get(key) ?? { partId: i.partId, locationId: i.locationId, thousandths: 0 };
    b.thousandths += Math.round(Number(toQuantity(i.quantity)) * 1000);
    balances.set(key, b);
  }
  await repo.addStockMany(
    tx,
    tenantId,
    [...balances.values()].map((b) => ({ partId: b.partId, locationId: b.locationId, quantity: toQuantity(b.thousandths / 1000) })),
  );
  return repo.insertMovements(
    tx,
    items.map((i) => ({
      tenantId,
      partId: i.partId,
      type: 'receive' as const,
      quantity: toQuantity(i.quantity),
      locationId: i.locationId,
      toLocationId: null,
      ticketId: null,
      unitCost: parts.get(i.partId)!.unitCost,
      note: i.note?.trim() || null,
      actorId: actor.userId,
      actorName: actor.name,
    })),
  );
}

export const movementDto = (r: repo.MovementWithNames) => ({
  id: String(r.m.id),
  partId: String(r.m.partId),
  type: r.m.type,
  quantity: Number(r.m.quantity),
  location: { id: String(r.m.locationId), name: r.locationName },
  toLocation: r.m.toLocationId ? { id: String(r.m.toLocationId), name: r.toLocationName ?? '' } : null,
  ticketNumber: r.ticketNumber,
  unitCost: r.m.unitCost === null ? null : Number(r.m.unitCost),
  note: r.m.note,
  actor: r.m.actorName ? { id: r.m.actorId ? String(r.m.actorId) : null, name: r.m.actorName } : null,
  at: r.m.at.toISOString(),
});

export async function recordMovement(ctx: Ctx, partId: number, input: MovementInput) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const ticket = input.ticketNumber ? await findVisible(scope, actor, input.ticketNumber) : null;
    if (ticket?.status === 'rejected') throw new AppError('ticket_rejected', 'Parts cannot be charged to a rejected ticket');
    const movement = await applyMovement(scope, ctx.deps, actor, partId, input, ticket);
    return {
      movement: movementDto(await repo.findMovement(scope.tx, actor.tenantId, movement.id)),
      part: await loadPart(scope.tx, actor.tenantId, partId),
    };
  });
}

/**
 * Parts used on a ticket (inventory.issue): always a consumption charged to a ticket the caller may
 * see, so stock only leaves against recorded work. Receiving, transfers and adjustments stay with
 * inventory.manage (recordMovement through its own route).
 */
export function useParts(ctx: Ctx, number: number, input: { partId: number; quantity: number; locationId: number; note?: string | null }) {
  return recordMovement(ctx, input.partId, { type: 'consume', quantity: input.quantity, locationId: input.locationId, ticketNumber: number, note: input.note ?? null });
}

export async function listMovements(ctx: Ctx, partId: number, f: { limit: number; cursor?: string }) {
  const actor = requireUser(ctx);
  const before = decodeCursor(f.cursor, z.tuple([z.number()]));
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    if (!(await repo.findPart(tx, actor.tenantId, partId))) throw notFound('Part');
    const rows = await repo.findMovements(tx, actor.tenantId, partId, { before: before?.[0] ?? null, limit: f.limit });
    const page = rows.slice(0, f.limit);
    return { items: page.map(movementDto), nextCursor: rows.length > f.limit ? encodeCursor([page.at(-1)!.m.id]) : null };
  });
}

const money = (n: number) => Math.round(n * 100) / 100;

/** The parts consumed on a ticket the caller may see, with their cost at the time. */
export async function ticketParts(ctx: Ctx, number: number) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const t = await findVisible(scope, actor, number);
    const rows = await repo.partsUsedOn(scope.tx, actor.tenantId, t.id);
    const items = rows.map((r) => {
      const quantity = -Number(r.m.quantity);
      const unitCost = Number(r.m.unitCost ?? 0);
      return {
        movementId: String(r.m.id),
        part: { id: String(r.m.partId), sku: r.sku, name: r.name, unit: r.unit },
        quantity,
        unitCost,
        totalCost: money(quantity * unitCost),
        at: r.m.at.toISOString(),
        actor: r.m.actorName ? { id: r.m.actorId ? String(r.m.actorId) : null, name: r.m.actorName } : null,
      };
    });
    return { items, totalCost: money(items.reduce((sum, i) => sum + i.quantity * i.unitCost, 0)) };
  });
}
