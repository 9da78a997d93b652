// Purchasing's reference data and plan: settings, buying companies (with logo), ship-to locations,
// and planned items (quick add, inline edit, bulk delete, filters). Low stock on a part feeds the
// plan through planLowStock, called by the inventory ledger inside the movement's transaction.
import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { PurchasingSettings } from '../../../shared/contracts/purchasing.js';
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import type { Scope, Tx } from '../../platform/db.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { decodeCursor, encodeCursor } from '../http.js';
import { listVendors } from '../inventory/parts.service.js';
import { buyingCompanyDto, plannedItemDto, shipToDto } from './purchasing.dto.js';
import * as repo from './purchasing.repo.js';

export const DEFAULT_SETTINGS: PurchasingSettings = {
  poNumberPattern: 'PO-{YYYY}-{seq:4}',
  overReceiptTolerancePercent: 0,
  currency: 'USD',
};

const settingsDto = (row: repo.SettingsRow | null): PurchasingSettings =>
  row
    ? { poNumberPattern: row.poNumberPattern, overReceiptTolerancePercent: Number(row.overReceiptTolerancePercent), currency: row.currency }
    : DEFAULT_SETTINGS;

export async function settingsIn(tx: Tx, tenantId: number): Promise<PurchasingSettings> {
  return settingsDto(await repo.findSettings(tx, tenantId));
}

export async function getSettings(ctx: Ctx) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, ({ tx }) => settingsIn(tx, actor.tenantId));
}

export async function updateSettings(ctx: Ctx, input: Partial<PurchasingSettings>) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) =>
    settingsDto(
      await repo.saveSettings(tx, actor.tenantId, {
        poNumberPattern: input.poNumberPattern,
        overReceiptTolerancePercent:
          input.overReceiptTolerancePercent === undefined ? undefined : input.overReceiptTolerancePercent.toFixed(2),
        currency: input.currency,
      }),
    ),
  );
}

const keyset = z.tuple([z.string(), z.number()]);
const byId = z.tuple([z.number()]);
const optionalId = (id: string | null | undefined) => (id === undefined ? undefined : id === null ? null : Number(id));

/** 400 naming each field whose id is not in the company (another company's ids look the same as none). */
export async function checkReferences(
  tx: Tx,
  tenantId: number,
  refs: Array<{ field: string; kind: repo.Reference; id: number | null | undefined }>,
) {
  const fields: Record<string, string> = {};
  for (const r of refs) {
    if (r.id === null || r.id === undefined) continue;
    if (!(await repo.existingIds(tx, tenantId, r.kind, [r.id])).has(r.id))
      fields[r.field] = `no such ${r.kind === 'assetCategory' ? 'asset category' : r.kind}`;
  }
  if (Object.keys(fields).length) throw invalid(fields);
}

// Buying companies ---------------------------------------------------------------------------------

export async function listBuyingCompanies(ctx: Ctx, f: { q?: string; limit: number; cursor?: string }) {
  const actor = requireUser(ctx);
  const after = decodeCursor(f.cursor, keyset);
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    const rows = await repo.findBuyingCompanies(tx, actor.tenantId, { q: f.q, after, limit: f.limit });
    const page = rows.slice(0, f.limit);
    const last = page.at(-1)?.b;
    return {
      items: page.map(({ b }) => buyingCompanyDto(b)),
      nextCursor: rows.length > f.limit && last ? encodeCursor([last.name.toLowerCase(), last.id]) : null,
    };
  });
}

export async function getBuyingCompany(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  const row = await ctx.deps.database.withTenant(actor.tenantId, ({ tx }) => repo.findBuyingCompany(tx, actor.tenantId, id));
  if (!row) throw notFound('Buying company');
  return buyingCompanyDto(row);
}

export async function createBuyingCompany(ctx: Ctx, input: { name: string; address: string }) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) =>
    buyingCompanyDto(await repo.insertBuyingCompany(tx, { tenantId: actor.tenantId, ...input })),
  );
}

export async function updateBuyingCompany(ctx: Ctx, id: number, input: { name?: string; address?: string }) {
  const actor = requireUser(ctx);
  const row = await ctx.deps.database.withTenant(actor.tenantId, ({ tx }) => repo.updateBuyingCompany(tx, actor.tenantId, id, input));
  if (!row) throw notFound('Buying company');
  return buyingCompanyDto(row);
}

export const LOGO_MAX_BYTES = 1024 * 1024;

/** PNG or JPEG by their first bytes (pdfkit embeds only these two). */
function logoType(head: Buffer): string | null {
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  return null;
}

export async function setBuyingCompanyLogo(ctx: Ctx, id: number, file: { stream: Readable & { truncated?: boolean } } | null) {
  const actor = requireUser(ctx);
  if (!file) throw invalid({ file: 'send the logo in the field "file"' });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of file.stream) {
    size += (c as Buffer).length;
    if (size > LOGO_MAX_BYTES) {
      file.stream.resume();
      throw new AppError('payload_too_large', `A logo may be at most ${LOGO_MAX_BYTES / 1024} KB`);
    }
    chunks.push(c as Buffer);
  }
  if (file.stream.truncated) throw new AppError('payload_too_large', `A logo may be at most ${LOGO_MAX_BYTES / 1024} KB`);
  const logo = Buffer.concat(chunks);
  const contentType = logoType(logo);
  if (!contentType) throw new AppError('unsupported_media_type', 'The logo must be a PNG or JPEG image');
  const row = await ctx.deps.database.withTenant(actor.tenantId, ({ tx }) =>
    repo.updateBuyingCompany(tx, actor.tenantId, id, { logo, logoContentType: contentType }),
  );
  if (!row) throw notFound('Buying company');
  return buyingCompanyDto(row);
}

export async function getBuyingCompanyLogo(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  const row = await ctx.deps.database.withTenant(actor.tenantId, ({ tx }) => repo.buyingCompanyLogo(tx, actor.tenantId, id));
  if (!row?.logo || !row.contentType) throw notFound('Logo');
  return { content: row.logo, contentType: row.contentType };
}

// Ship-to -----------------------------------------------------------------------------------------

export async function listShipTos(ctx: Ctx, f: { q?: string; limit: number; cursor?: string }) {
  const actor = requireUser(ctx);
  const after = decodeCursor(f.cursor, keyset);
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    const rows = await repo.findShipTos(tx, actor.tenantId, { q: f.q, after, limit: f.limit });
    const page = rows.slice(0, f.limit);
    const last = page.at(-1)?.s;
    return {
      items: page.map(shipToDto),
      nextCursor: rows.length > f.limit && last ? encodeCursor([last.name.toLowerCase(), last.id]) : null,
    };
  });
}

async function loadShipTo(tx: Tx, tenantId: number, id: number) {
  const row = await repo.findShipTo(tx, tenantId, id);
  if (!row) throw notFound('Ship-to location');
  return shipToDto(row);
}

export async function getShipTo(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, ({ tx }) => loadShipTo(tx, actor.tenantId, id));
}

export interface ShipToInput {
  name: string;
  address: string;
  taxRate: number;
  locationId?: string | null;
}

export async function createShipTo(ctx: Ctx, input: ShipToInput) {
  const actor = requireUser(ctx);
  const locationId = optionalId(input.locationId) ?? null;
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    await checkReferences(tx, actor.tenantId, [{ field: 'locationId', kind: 'location', id: locationId }]);
    const id = await repo.insertShipTo(tx, {
      tenantId: actor.tenantId,
      name: input.name,
      address: input.address,
      taxRate: input.taxRate.toFixed(4),
      locationId,
    });
    return loadShipTo(tx, actor.tenantId, id);
  });
}

export async function updateShipTo(ctx: Ctx, id: number, input: Partial<ShipToInput>) {
  const actor = requireUser(ctx);
  const locationId = optionalId(input.locationId);
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    await checkReferences(tx, actor.tenantId, [{ field: 'locationId', kind: 'location', id: locationId }]);
    const found = await repo.updateShipTo(tx, actor.tenantId, id, {
      name: input.name,
      address: input.address,
      taxRate: input.taxRate === undefined ? undefined : input.taxRate.toFixed(4),
      locationId,
    });
    if (!found) throw notFound('Ship-to location');
    return loadShipTo(tx, actor.tenantId, id);
  });
}

// Planned items -------------------------------------------------------------------------------------

export interface PlannedItemInput {
  description: string;
  quantity: number;
  unitPrice: number;
  vendorId?: string | null;
  partId?: string | null;
  departmentId?: string | null;
  costCode?: string | null;
  assetCategoryId?: string | null;
}

async function plannedColumns(tx: Tx, tenantId: number, input: Partial<PlannedItemInput>) {
  const ids = {
    vendorId: optionalId(input.vendorId),
    partId: optionalId(input.partId),
    departmentId: optionalId(input.departmentId),
    assetCategoryId: optionalId(input.assetCategoryId),
  };
  await checkReferences(tx, tenantId, [
    { field: 'vendorId', kind: 'vendor', id: ids.vendorId },
    { field: 'partId', kind: 'part', id: ids.partId },
    { field: 'departmentId', kind: 'department', id: ids.departmentId },
    { field: 'assetCategoryId', kind: 'assetCategory', id: ids.assetCategoryId },
  ]);
  if (ids.partId && ids.assetCategoryId)
    throw invalid({ assetCategoryId: 'a part goes into stock; only equipment (no part) becomes assets' });
  return {
    ...ids,
    description: input.description,
    quantity: input.quantity === undefined ? undefined : input.quantity.toFixed(3),
    unitPrice: input.unitPrice === undefined ? undefined : input.unitPrice.toFixed(4),
    costCode: input.costCode === undefined ? undefined : input.costCode?.trim() || null,
  };
}

async function loadPlanned(tx: Tx, tenantId: number, id: number) {
  const row = await repo.findPlannedItem(tx, tenantId, id);
  if (!row || row.p.purchaseOrderId !== null) throw notFound('Planned item');
  return plannedItemDto(row);
}

export async function listPlannedItems(ctx: Ctx, f: repo.PlannedFilters & { limit: number; cursor?: string }) {
  const actor = requireUser(ctx);
  const before = decodeCursor(f.cursor, byId)?.[0] ?? null;
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    const rows = await repo.findPlanned(tx, actor.tenantId, { ...f, before });
    const page = rows.slice(0, f.limit);
    return { items: page.map(plannedItemDto), nextCursor: rows.length > f.limit ? encodeCursor([page.at(-1)!.p.id]) : null };
  });
}

export async function createPlannedItem(ctx: Ctx, input: PlannedItemInput) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    const columns = await plannedColumns(tx, actor.tenantId, input);
    const id = await repo.insertPlannedItem(tx, {
      ...columns,
      tenantId: actor.tenantId,
      description: input.description,
      quantity: input.quantity.toFixed(3),
      createdById: actor.userId,
    });
    return loadPlanned(tx, actor.tenantId, id);
  });
}

export async function updatePlannedItem(ctx: Ctx, id: number, input: Partial<PlannedItemInput>) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    const current = await repo.findPlannedItem(tx, actor.tenantId, id);
    if (!current || current.p.purchaseOrderId !== null) throw notFound('Planned item');
    const merged = {
      ...input,
      partId: input.partId === undefined ? str(current.p.partId) : input.partId,
      assetCategoryId: input.assetCategoryId === undefined ? str(current.p.assetCategoryId) : input.assetCategoryId,
    };
    const columns = await plannedColumns(tx, actor.tenantId, merged);
    if (!(await repo.updatePlannedItem(tx, actor.tenantId, id, columns))) throw notFound('Planned item');
    return loadPlanned(tx, actor.tenantId, id);
  });
}

const str = (n: number | null) => (n === null ? null : String(n));

export async function deletePlannedItems(ctx: Ctx, ids: string[]) {
  const actor = requireUser(ctx);
  const deleted = await ctx.deps.database.withTenant(actor.tenantId, ({ tx }) =>
    repo.deletePlannedItems(tx, actor.tenantId, [...new Set(ids.map(Number))]),
  );
  return { deleted };
}

/**
 * Low stock (the part just fell below its reorder point): one planned item for the part from its
 * preferred vendor, asking for enough to bring stock back up to its maximum (or twice the reorder
 * point). An open low-stock item is raised, never duplicated; runs in the movement's transaction.
 */
export async function planLowStock(
  scope: Scope,
  tenantId: number,
  part: { id: number; sku: string; name: string; unitCost: string; reorderPoint: string; maxQuantity: string | null },
  total: number,
) {
  const target = part.maxQuantity !== null ? Number(part.maxQuantity) : 2 * Number(part.reorderPoint);
  const needed = Math.max(Math.round((target - total) * 1000) / 1000, 1);
  const vendor = await repo.preferredVendor(scope.tx, tenantId, part.id);
  await repo.upsertLowStockItem(scope.tx, {
    tenantId,
    partId: part.id,
    vendorId: vendor?.vendorId ?? null,
    description: `${part.name} (${part.sku})`,
    quantity: needed.toFixed(3),
    unitPrice: vendor?.price ?? part.unitCost,
  });
}

/**
 * The vendors a buyer may pick on the plan and on purchase orders: the inventory's vendor list, for
 * holders of purchasing.manage who need not hold inventory.view.
 */
export function vendorChoices(ctx: Ctx, query: { q?: string; limit: number; cursor?: string }) {
  return listVendors(ctx, query);
}
