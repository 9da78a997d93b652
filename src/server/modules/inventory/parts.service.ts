// Parts and vendors: the catalogue side of inventory. A part's answer carries its vendors, its stock
// per location (derived from the ledger's balances), the total and whether it is below its reorder point.
import { z } from 'zod';
import type { UserActor } from '../../platform/actor.js';
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import type { Scope, Tx } from '../../platform/db.js';
import { invalid, notFound } from '../../platform/errors.js';
import { decodeCursor, encodeCursor } from '../http.js';
import * as repo from './inventory.repo.js';

/** A part's stock on hand as an SQL expression, for repositories that list parts (supply requests). */
export { totalStock } from './inventory.repo.js';

export interface PartInput {
  sku: string;
  name: string;
  unit: string;
  unitCost: number;
  minQuantity: number;
  maxQuantity: number | null;
  reorderPoint: number;
  description?: string | null;
  vendors?: Array<{ vendorId: number; vendorSku?: string | null; price?: number | null }>;
}

export interface VendorInput {
  name: string;
  email?: string | null;
  phone?: string | null;
  website?: string | null;
  notes?: string | null;
  contactName?: string | null;
  address?: string | null;
  paymentTerms?: string | null;
  currency?: string | null;
}

const num = (v: string | null) => (v === null ? null : Number(v));

export async function partDtos(tx: Tx, tenantId: number, rows: Array<{ part: repo.PartRow; total: string }>) {
  const ids = rows.map((r) => r.part.id);
  const [stock, vendorRows] = await Promise.all([repo.stockOf(tx, tenantId, ids), repo.vendorsOf(tx, tenantId, ids)]);
  return rows.map(({ part: p, total }) => ({
    id: String(p.id),
    sku: p.sku,
    name: p.name,
    description: p.description,
    unit: p.unit,
    unitCost: Number(p.unitCost),
    minQuantity: Number(p.minQuantity),
    maxQuantity: num(p.maxQuantity),
    reorderPoint: Number(p.reorderPoint),
    vendors: vendorRows
      .filter((v) => v.partId === p.id)
      .map((v) => ({ vendorId: String(v.vendorId), vendorName: v.vendorName, vendorSku: v.vendorSku, price: num(v.price) })),
    stock: stock.filter((s) => s.partId === p.id).map((s) => ({ location: { id: String(s.locationId), name: s.locationName }, quantity: Number(s.quantity) })),
    totalQuantity: Number(total),
    belowReorder: Number(total) < Number(p.reorderPoint),
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  }));
}
export type PartDto = Awaited<ReturnType<typeof partDtos>>[number];

export async function loadPart(tx: Tx, tenantId: number, id: number): Promise<PartDto> {
  const row = await repo.findPartWithTotal(tx, tenantId, id);
  if (!row) throw notFound('Part');
  return (await partDtos(tx, tenantId, [row]))[0];
}

const keyset = z.tuple([z.string(), z.number()]);

export async function listParts(ctx: Ctx, f: { q?: string; belowReorder?: boolean; limit: number; cursor?: string }) {
  const actor = requireUser(ctx);
  const after = decodeCursor(f.cursor, keyset);
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    const rows = await repo.findParts(tx, actor.tenantId, { q: f.q, belowReorder: f.belowReorder, after, limit: f.limit });
    const page = rows.slice(0, f.limit);
    const last = page.at(-1)?.part;
    return { items: await partDtos(tx, actor.tenantId, page), nextCursor: rows.length > f.limit && last ? encodeCursor([last.nameKey ?? last.name.toLowerCase(), last.id]) : null };
  });
}

export async function getPart(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, ({ tx }) => loadPart(tx, actor.tenantId, id));
}

function checkLimits(p: { minQuantity?: number; maxQuantity?: number | null }) {
  if (p.maxQuantity !== undefined && p.maxQuantity !== null && p.minQuantity !== undefined && p.maxQuantity < p.minQuantity) {
    throw invalid({ maxQuantity: 'must not be below minQuantity' });
  }
}

async function checkVendors(tx: Tx, tenantId: number, list: PartInput['vendors']) {
  if (list && !(await repo.vendorsExist(tx, tenantId, list.map((v) => v.vendorId)))) throw invalid({ vendors: 'no such vendor' });
}

const columns = (input: Partial<PartInput>) => ({
  sku: input.sku,
  name: input.name,
  description: input.description,
  unit: input.unit,
  unitCost: input.unitCost === undefined ? undefined : String(input.unitCost),
  minQuantity: input.minQuantity === undefined ? undefined : String(input.minQuantity),
  maxQuantity: input.maxQuantity === undefined ? undefined : input.maxQuantity === null ? null : String(input.maxQuantity),
  reorderPoint: input.reorderPoint === undefined ? undefined : String(input.reorderPoint),
});

export async function createPart(ctx: Ctx, input: PartInput) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, (scope) => createPartIn(scope, actor, input));
}

/** Creates a part inside the caller's transaction (the demo seeder composes it). */
export async function createPartIn({ tx }: Scope, actor: UserActor, input: PartInput) {
  checkLimits(input);
  await checkVendors(tx, actor.tenantId, input.vendors);
  const id = await repo.insertPart(tx, { tenantId: actor.tenantId, ...columns(input), sku: input.sku, name: input.name });
  if (input.vendors) await repo.replaceVendors(tx, actor.tenantId, id, input.vendors);
  return loadPart(tx, actor.tenantId, id);
}

/** Creates a vendor inside the caller's transaction (the demo seeder composes it). */
export async function createVendorIn({ tx }: Scope, actor: UserActor, input: VendorInput) {
  return vendorDto(await repo.insertVendor(tx, { tenantId: actor.tenantId, ...input }));
}

export async function updatePart(ctx: Ctx, id: number, input: Partial<PartInput>) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    const current = await repo.findPart(tx, actor.tenantId, id, true);
    if (!current) throw notFound('Part');
    checkLimits({
      minQuantity: input.minQuantity ?? Number(current.minQuantity),
      maxQuantity: input.maxQuantity === undefined ? num(current.maxQuantity) : input.maxQuantity,
    });
    await checkVendors(tx, actor.tenantId, input.vendors);
    await repo.updatePartRow(tx, actor.tenantId, id, columns(input));
    if (input.vendors) await repo.replaceVendors(tx, actor.tenantId, id, input.vendors);
    return loadPart(tx, actor.tenantId, id);
  });
}

const vendorDto = (v: repo.VendorRow) => ({
  id: String(v.id),
  name: v.name,
  email: v.email,
  phone: v.phone,
  website: v.website,
  notes: v.notes,
  contactName: v.contactName,
  address: v.address,
  paymentTerms: v.paymentTerms,
  currency: v.currency,
  createdAt: v.createdAt.toISOString(),
  updatedAt: v.updatedAt.toISOString(),
});

export async function listVendors(ctx: Ctx, f: { q?: string; limit: number; cursor?: string }) {
  const actor = requireUser(ctx);
  const after = decodeCursor(f.cursor, keyset);
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    const rows = await repo.findVendors(tx, actor.tenantId, { q: f.q, after, limit: f.limit });
    const page = rows.slice(0, f.limit);
    const last = page.at(-1);
    return { items: page.map(vendorDto), nextCursor: rows.length > f.limit && last ? encodeCursor([last.nameKey ?? last.name.toLowerCase(), last.id]) : null };
  });
}

export async function createVendor(ctx: Ctx, input: VendorInput) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, (scope) => createVendorIn(scope, actor, input));
}

export async function updateVendor(ctx: Ctx, id: number, input: Partial<VendorInput>) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    const row = await repo.updateVendorRow(tx, actor.tenantId, id, input);
    if (!row) throw notFound('Vendor');
    return vendorDto(row);
  });
}

/** Vendor ids by lower-case name, for the names that exist (the asset import's dry run reads them so). */
export async function vendorIdsByName(scope: Scope, tenantId: number, names: string[]): Promise<Map<string, number>> {
  const lower = [...new Set(names.map((n) => n.toLowerCase()))];
  if (!lower.length) return new Map();
  const rows = await repo.vendorsNamed(scope.tx, tenantId, lower);
  return new Map(rows.map((r) => [r.name.toLowerCase(), r.id]));
}

/** Finds a vendor by name (any case) or adds it, inside the caller's transaction (the asset import's Supplier column). */
export function findOrCreateVendor(scope: Scope, tenantId: number, name: string): Promise<number> {
  return repo.ensureVendor(scope.tx, tenantId, name.trim().slice(0, 200));
}
