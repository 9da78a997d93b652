// Supply requests (toner, spares): a `supply` ticket opened through the normal ticket path (so its
// category's approval applies) plus the lines it asks for; fulfilment issues every line from one
// location in one transaction (all or nothing) and then resolves and closes the ticket; a partial
// fulfilment issues the quantities given and leaves the request open for the rest.
import type { tickets } from '../../db/schema/index.js';
import type { UserActor } from '../../platform/actor.js';
import type { Ctx, Deps } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import type { Scope, Tx } from '../../platform/db.js';
import { AppError, invalid } from '../../platform/errors.js';
import { applyMovement, toQuantity } from '../inventory/movements.service.js';
import { listParts, partDtos } from '../inventory/parts.service.js';
import { changeStatusIn, findVisible, getTicketIn, openTicket } from '../tickets/tickets.service.js';
import * as repo from './supply.repo.js';

type TicketRow = typeof tickets.$inferSelect;

export interface SupplyRequestInput {
  title?: string;
  description?: string;
  categoryId?: number | null;
  lines: Array<{ partId: number; quantity: number }>;
}

async function linesOf(tx: Tx, tenantId: number, ticketId: number) {
  const rows = await repo.linesWithParts(tx, tenantId, ticketId);
  const dtos = await partDtos(tx, tenantId, rows.map((r) => ({ part: r.part, total: r.total })));
  return rows.map((r, i) => ({
    id: String(r.line.id),
    part: { id: String(r.part.id), sku: r.part.sku, name: r.part.name, unit: r.part.unit },
    quantity: Number(r.line.quantity),
    issuedQuantity: Number(r.line.issuedQuantity),
    available: dtos[i].totalQuantity,
    stock: dtos[i].stock,
  }));
}

const FULFILLABLE = new Set(['open', 'in_progress']);
const canFulfil = (actor: UserActor, t: TicketRow) =>
  t.kind === 'supply' && FULFILLABLE.has(t.status) && actor.permissions.has('inventory.issue') && actor.permissions.has('tickets.update');

export async function createSupplyRequest(ctx: Ctx, input: SupplyRequestInput) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, (scope) => createSupplyRequestIn(scope, ctx.deps, actor, input));
}

/** Opens a supply request inside the caller's transaction (the demo seeder composes it). */
export async function createSupplyRequestIn(scope: Scope, deps: Deps, actor: UserActor, input: SupplyRequestInput) {
  const wanted = new Map<number, number>();
  for (const l of input.lines) wanted.set(l.partId, (wanted.get(l.partId) ?? 0) + l.quantity);
  const found = await repo.partNames(scope.tx, actor.tenantId, [...wanted.keys()]);
  if (found.length !== wanted.size) throw invalid({ lines: 'no such part' });
  const names = input.lines.map((l) => found.find((p) => p.id === l.partId)!.name);
  const title = input.title?.trim() || `Supplies: ${[...new Set(names)].join(', ')}`.slice(0, 300);
  const { row: t } = await openTicket(scope, deps, actor, actor.tenantId, {
    kind: 'supply',
    title,
    description: input.description ?? '',
    categoryId: input.categoryId ?? null,
    priority: 'medium',
    source: 'web',
  });
  await repo.insertLines(
    scope.tx,
    actor.tenantId,
    t.id,
    [...wanted].map(([partId, quantity]) => ({ partId, quantity: toQuantity(quantity) })),
  );
  const answer = await getTicketIn(scope, actor, t.number);
  return { ...answer, lines: await linesOf(scope.tx, actor.tenantId, t.id) };
}

export async function supplyOf(ctx: Ctx, number: number) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const t = await findVisible(scope, actor, number);
    const lines = await linesOf(scope.tx, actor.tenantId, t.id);
    const open = lines.some((l) => l.issuedQuantity < l.quantity);
    return { items: lines, can: { fulfil: open && canFulfil(actor, t) } };
  });
}

/** The quantity to issue now for each outstanding line: all of it, or only what the caller named. */
function plannedIssues(lines: repo.SupplyLineRow[], wanted?: Array<{ lineId: number; quantity: number }>) {
  const outstanding = (l: repo.SupplyLineRow) => Number(l.quantity) - Number(l.issuedQuantity);
  if (!wanted) return lines.map((line) => ({ line, quantity: outstanding(line) }));
  const byId = new Map(lines.map((l) => [l.id, l]));
  const asked = new Map<number, number>();
  for (const w of wanted) asked.set(w.lineId, (asked.get(w.lineId) ?? 0) + w.quantity);
  for (const [lineId, quantity] of asked) {
    const line = byId.get(lineId);
    if (!line) throw invalid({ lines: `line ${lineId} is not outstanding on this request` });
    if (quantity > outstanding(line) + 1e-9) throw invalid({ lines: `line ${lineId}: at most ${outstanding(line)} is still to issue` });
  }
  // Kept in the outstanding order (by part) so that concurrent fulfilments lock parts alike.
  return lines.filter((l) => asked.has(l.id)).map((line) => ({ line, quantity: asked.get(line.id)! }));
}

/**
 * Issues outstanding lines from one location (422 insufficient_stock naming the part: nothing issued).
 * When nothing is left outstanding the request is resolved and closed; after a partial fulfilment it stays open.
 */
export async function fulfilSupply(ctx: Ctx, number: number, locationId: number, wanted?: Array<{ lineId: number; quantity: number }>) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, (scope) => fulfilSupplyIn(scope, ctx.deps, actor, number, locationId, wanted));
}

/** Fulfils a supply request inside the caller's transaction (the demo seeder composes it). */
export async function fulfilSupplyIn(scope: Scope, deps: Deps, actor: UserActor, number: number, locationId: number, wanted?: Array<{ lineId: number; quantity: number }>) {
  if (!actor.permissions.has('tickets.update')) throw new AppError('forbidden', 'Fulfilling needs tickets.update too', { permission: 'tickets.update' });
  const t = await findVisible(scope, actor, number, true);
  if (t.kind !== 'supply') throw new AppError('not_a_supply_request', 'Only supply requests are fulfilled from stock', { kind: t.kind });
  if (!FULFILLABLE.has(t.status)) {
    const why = t.status === 'pending_approval' ? 'It is still waiting for approval' : `It is ${t.status.replace('_', ' ')}`;
    throw new AppError('not_fulfillable', `This request cannot be fulfilled now. ${why}.`, { status: t.status });
  }
  const lines = await repo.outstandingLines(scope.tx, actor.tenantId, t.id);
  if (lines.length === 0) throw new AppError('already_fulfilled', 'Everything on this request has been issued');
  const plan = plannedIssues(lines, wanted);
  for (const { line, quantity } of plan) {
    await applyMovement(scope, deps, actor, line.partId, { type: 'consume', quantity, locationId, note: `Supply request #${t.number}` }, t);
    await repo.addIssued(scope.tx, actor.tenantId, line, toQuantity(quantity));
  }
  const left = await repo.outstandingLines(scope.tx, actor.tenantId, t.id);
  if (left.length > 0) {
    const answer = await getTicketIn(scope, actor, number);
    return { ...answer, lines: await linesOf(scope.tx, actor.tenantId, t.id) };
  }
  await changeStatusIn(scope, deps, actor, number, 'resolved', null, 'The requested items were issued from stock.');
  const answer = await changeStatusIn(scope, deps, actor, number, 'closed', null);
  return { ...answer, lines: await linesOf(scope.tx, actor.tenantId, t.id) };
}

/** What a requester may ask for: parts by name with the stock on hand, per location (no costs). */
export async function supplyCatalogue(ctx: Ctx, f: { q?: string; limit: number; cursor?: string }) {
  const result = await listParts(ctx, f);
  return {
    items: result.items.map((p) => ({ id: p.id, sku: p.sku, name: p.name, unit: p.unit, available: p.totalQuantity, stock: p.stock })),
    nextCursor: result.nextCursor,
  };
}
