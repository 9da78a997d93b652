// Receiving against a PO, partly or wholly: parts go into stock through the inventory ledger (a
// receive movement whose receipt names the PO line), equipment can register one asset per unit,
// and the PO's status follows its lines. The PO row and its lines are locked first, so two people
// receiving the same delivery at once queue, and the second sees what the first received. Every
// line is checked before anything is written; the parts of a receipt go into stock in one set-based
// call (inventory's receiveMany), the receipts and the lines' quantities in one statement each.
import type { UserActor } from '../../platform/actor.js';
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import type { Scope } from '../../platform/db.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { registerAsset } from '../assets/assets.service.js';
import { receiveMany, toQuantity } from '../inventory/movements.service.js';
import { receiptDto } from './purchasing.dto.js';
import { loadOrder, recordEvent } from './orders.service.js';
import * as repo from './purchasing.repo.js';
import { settingsIn } from './purchasing.service.js';
import { emitWebhookEvent } from '../webhooks/webhooks.service.js';

export interface ReceiveLine {
  lineId: string;
  quantity: number;
  locationId?: string | null;
  createAssets?: boolean;
}

const thousandths = (q: string | number) => Math.round(Number(q) * 1000);
/** Assets are counted in whole units. */
const MAX_ASSETS_PER_RECEIPT = 500;

export async function receiveOrder(ctx: Ctx, id: number, input: { lines: ReceiveLine[] }) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, (scope) => receiveOrderIn(scope, actor, id, input));
}

/** Receiving in the caller's transaction (also used by the demo data). */
export async function receiveOrderIn(scope: Scope, actor: UserActor, id: number, input: { lines: ReceiveLine[] }) {
  const tenantId = actor.tenantId;
  const { tx } = scope;
  const o = await repo.findOrder(tx, tenantId, id, true);
  if (!o) throw notFound('Purchase order');
  if (o.status !== 'sent' && o.status !== 'partly_received') {
    throw new AppError('invalid_transition', `A ${o.status.replace('_', ' ')} purchase order cannot be received`, { status: o.status });
  }
  const lines = new Map((await repo.linesOf(tx, tenantId, id, true)).map((l) => [String(l.id), l]));
  const shipTo = await repo.findShipTo(tx, tenantId, o.shipToId);
  const tolerance = (await settingsIn(tx, tenantId)).overReceiptTolerancePercent;
  const fields: Record<string, string> = {};
  input.lines.forEach((r, i) => {
    const line = lines.get(r.lineId);
    if (!line) fields[`lines.${i}.lineId`] = 'not a line of this purchase order';
    else if (r.createAssets && line.partId) fields[`lines.${i}.createAssets`] = 'parts go into stock; only equipment lines become assets';
    else if (r.createAssets && !line.assetCategoryId)
      fields[`lines.${i}.createAssets`] = 'the line needs an asset category to register assets';
    else if (r.createAssets && !Number.isInteger(r.quantity)) fields[`lines.${i}.quantity`] = 'assets are received in whole units';
    else if (r.createAssets && r.quantity > MAX_ASSETS_PER_RECEIPT)
      fields[`lines.${i}.quantity`] = `at most ${MAX_ASSETS_PER_RECEIPT} assets at once`;
    else if (line.partId && !r.locationId && !shipTo?.s.locationId)
      fields[`lines.${i}.locationId`] = 'where should the parts go? (the ship-to has no stock location)';
  });
  const named = input.lines.flatMap((r) => (r.locationId ? [Number(r.locationId)] : []));
  const known = await repo.existingIds(tx, tenantId, 'location', named);
  input.lines.forEach((r, i) => {
    if (r.locationId && !known.has(Number(r.locationId))) fields[`lines.${i}.locationId`] = 'no such location';
  });
  if (Object.keys(fields).length) throw invalid(fields);

  // Every line checked against what is received so far (a line named twice counts both) before anything is written.
  const planned: Array<{ r: ReceiveLine; line: repo.LineRow; locationId: number | null }> = [];
  for (const r of input.lines) {
    const line = lines.get(r.lineId)!;
    const received = thousandths(line.receivedQuantity) + thousandths(r.quantity);
    // Integers only: the tolerance has two decimals, so ordered × (10000 + hundredths) / 10000 is exact.
    const allowed = Math.floor((thousandths(line.quantity) * (10_000 + Math.round(tolerance * 100))) / 10_000);
    if (received > allowed) {
      throw new AppError(
        'over_receipt',
        `Line ${line.position} (${line.description}): ${received / 1000} would be received of ${Number(line.quantity)} ordered`,
        {
          lineId: r.lineId,
          ordered: Number(line.quantity),
          alreadyReceived: Number(line.receivedQuantity),
          requested: r.quantity,
          allowed: allowed / 1000,
        },
      );
    }
    const locationId = r.locationId ? Number(r.locationId) : (shipTo?.s.locationId ?? null);
    planned.push({ r, line, locationId });
    lines.set(r.lineId, { ...line, receivedQuantity: toQuantity(received / 1000) });
  }

  // Parts into stock: all movements of the receipt in one call into the inventory.
  const stocked = planned.filter((p) => p.line.partId);
  const movements = await receiveMany(
    scope,
    actor,
    stocked.map((p) => ({
      partId: p.line.partId!,
      quantity: p.r.quantity,
      locationId: p.locationId!,
      note: `Received on purchase order ${o.number}, line ${p.line.position}`,
    })),
  );
  const movementOf = new Map(stocked.map((p, i) => [p, movements[i].id]));
  const receiptRows = [];
  for (const p of planned) {
    const assetIds = p.r.createAssets && !p.line.partId ? await registerAssets(scope, actor, o, p.line, p.r.quantity, p.locationId) : [];
    receiptRows.push({
      tenantId,
      purchaseOrderId: o.id,
      lineId: p.line.id,
      quantity: toQuantity(p.r.quantity),
      locationId: p.locationId,
      stockMovementId: movementOf.get(p) ?? null,
      assetIds,
      actorId: actor.userId,
      actorName: actor.name,
    });
  }
  const receiptIds = await repo.insertReceipts(tx, receiptRows);
  const touched = new Set(planned.map((p) => p.r.lineId));
  await repo.setReceivedQuantities(
    tx,
    tenantId,
    [...touched].map((lineId) => ({ id: lines.get(lineId)!.id, receivedQuantity: lines.get(lineId)!.receivedQuantity })),
  );

  const all = [...lines.values()];
  const status = all.every((l) => thousandths(l.receivedQuantity) >= thousandths(l.quantity)) ? 'received' : 'partly_received';
  if (status !== o.status) await repo.updateOrder(tx, tenantId, id, { status });
  await recordEvent(scope, actor, id, 'received', {
    lines: input.lines.map((r) => ({ lineId: r.lineId, quantity: r.quantity })),
    status,
  });
  const receipts = await repo.receiptsOf(tx, tenantId, id, receiptIds);
  const answer = { purchaseOrder: await loadOrder(tx, actor, id), receipts: receipts.map(receiptDto) };
  await emitWebhookEvent(scope, 'purchase_order.received', answer);
  return answer;
}

/** Equipment received with createAssets: one asset per unit. */
async function registerAssets(
  scope: Scope,
  actor: UserActor,
  o: repo.OrderRow,
  line: repo.LineRow,
  quantity: number,
  locationId: number | null,
) {
  const purchaseDate = new Intl.DateTimeFormat('en-CA', { timeZone: await repo.companyTimezone(scope.tx, actor.tenantId) }).format(
    new Date(),
  );
  const assetIds: string[] = [];
  for (let i = 0; i < quantity; i++) {
    const asset = await registerAsset(scope, actor, {
      name: line.description,
      categoryId: line.assetCategoryId!,
      status: 'in_stock',
      locationId,
      departmentId: line.departmentId,
      vendorId: o.vendorId,
      purchaseOrderId: o.id,
      purchaseDate,
      purchaseCost: Number(line.unitPrice),
    });
    assetIds.push(String(asset.id));
  }
  return assetIds;
}
