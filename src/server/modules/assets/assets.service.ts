// Asset use cases: register (typed custom fields, generated tags), read with its page data
// (children, visible tickets, can), edit (version-checked), check-out/in, the public link, and
// links to tickets. Every change leaves asset history in the same transaction.
import { and, asc, eq, sql } from 'drizzle-orm';
import { type AssetStatus, assetHistory, assets, departments, locations, picklistItems, users, vendors } from '../../db/schema/index.js';
import type { ListQuery } from '../../../shared/contracts/common.js';
import { afterId, idCursor } from '../../db/keyset.js';
import type { UserActor } from '../../platform/actor.js';
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import type { Scope, Tx } from '../../platform/db.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { cutPage, decodeCursor } from '../http.js';
import { type AssetDto, toAsset } from './assets.dto.js';
import { checkCustomFields, newPublicToken, nextTag } from './assets.fields.js';
import { type AssetRow, findAsset, selectAssets } from './assets.repo.js';
import { labelChanges, type RefKind } from '../names/names.service.js';
import { publicUrlOf } from '../settings/settings.service.js';
import { todayIn } from '../../../shared/time/index.js';

export interface AssetInput {
  tag?: string;
  name: string;
  categoryId: number;
  manufacturerId?: number | null;
  model?: string | null;
  serial?: string | null;
  status?: AssetStatus;
  conditionId?: number | null;
  locationId?: number | null;
  parentId?: number | null;
  departmentId?: number | null;
  vendorId?: number | null;
  /** Set by purchasing when the asset was received on a purchase order. */
  purchaseOrderId?: number | null;
  purchaseDate?: string | null;
  purchaseCost?: number | null;
  warrantyEnd?: string | null;
  specifications?: string | null;
  customFields?: Record<string, unknown>;
}

type Change = { field: string; before: unknown; after: unknown };
const TRACKED = [
  'tag', 'name', 'categoryId', 'manufacturerId', 'model', 'serial', 'status', 'conditionId', 'locationId', 'parentId', 'departmentId',
  'vendorId', 'purchaseDate', 'purchaseCost', 'warrantyEnd', 'specifications', 'customFields', 'assignedToId', 'expectedReturn',
] as const;

/** Asset history fields that hold ids, and what they refer to. */
const ASSET_REFS: Record<string, RefKind> = {
  categoryId: 'picklist', manufacturerId: 'picklist', conditionId: 'picklist', locationId: 'location', parentId: 'asset',
  departmentId: 'department', vendorId: 'vendor', assignedToId: 'user',
};

export const who = (actor: UserActor | null) => ({ actorId: actor?.userId ?? null, actorName: actor?.name ?? null });

export async function recordAssetHistory(tx: Tx, actor: UserActor | null, a: AssetRow, event: string, changes: Change[] = []) {
  await tx.insert(assetHistory).values({ tenantId: a.tenantId, assetId: a.id, ...who(actor), event, changes: changes as never });
}

function diff(before: AssetRow, after: AssetRow): Change[] {
  const out: Change[] = [];
  for (const f of TRACKED) {
    const b = before[f] ?? null;
    const n = after[f] ?? null;
    if (JSON.stringify(b) !== JSON.stringify(n)) out.push({ field: f, before: b, after: n });
  }
  return out;
}

async function loadDto(tx: Tx, ctx: Ctx, tenantId: number, id: number): Promise<AssetDto> {
  const [row] = await selectAssets(tx).where(and(eq(assets.tenantId, tenantId), eq(assets.id, id)));
  if (!row) throw notFound('Asset');
  return toAsset(row, await publicUrlOf(tx, ctx.deps.config, tenantId), requireUser(ctx).profile.companyTimezone);
}

async function pick(tx: Tx, tenantId: number, list: 'categories' | 'manufacturers' | 'conditions', id: number, field: string) {
  const [row] = await tx
    .select()
    .from(picklistItems)
    .where(and(eq(picklistItems.tenantId, tenantId), eq(picklistItems.list, list), eq(picklistItems.id, id)));
  if (!row) throw invalid({ [field]: `no such ${list.replace(/s$/, '').replace(/ie$/, 'y')}` });
  return row;
}

async function exists(tx: Tx, table: typeof departments | typeof vendors | typeof users, tenantId: number, id: number) {
  const [row] = await tx.select({ id: table.id }).from(table).where(and(eq(table.tenantId, tenantId), eq(table.id, id)));
  return Boolean(row);
}

/** True when `parentId` is `id` or one of its descendants (the parent chain of parentId reaches id). */
async function parentCycle(tx: Tx, tenantId: number, id: number, parentId: number): Promise<boolean> {
  const rows = await tx.execute<{ id: number }>(sql`with recursive up(id, parent_id, depth) as (
      select id, parent_id, 0 from assets where tenant_id = ${tenantId} and id = ${parentId}
      union all
      select a.id, a.parent_id, up.depth + 1 from assets a join up on a.tenant_id = ${tenantId} and a.id = up.parent_id where up.depth < 100)
    select id from up where id = ${id} limit 1`);
  return (rows as unknown as { rows: unknown[] }).rows.length > 0;
}

/** Checks references and custom fields; returns the column values to write. */
async function resolve(tx: Tx, tenantId: number, input: Partial<AssetInput>, current: AssetRow | null) {
  const set: Partial<typeof assets.$inferInsert> = {};
  const categoryId = input.categoryId ?? current?.categoryId;
  if (categoryId === undefined) throw invalid({ categoryId: 'is required' });
  const category = await pick(tx, tenantId, 'categories', categoryId, 'categoryId');
  if (input.manufacturerId) await pick(tx, tenantId, 'manufacturers', input.manufacturerId, 'manufacturerId');
  if (input.conditionId) await pick(tx, tenantId, 'conditions', input.conditionId, 'conditionId');
  if (input.departmentId && !(await exists(tx, departments, tenantId, input.departmentId))) throw invalid({ departmentId: 'no such department' });
  if (input.vendorId && !(await exists(tx, vendors, tenantId, input.vendorId))) throw invalid({ vendorId: 'no such vendor' });
  if (input.locationId !== undefined) {
    if (input.locationId === null) set.locationPath = null;
    else {
      const [loc] = await tx.select({ path: locations.path }).from(locations).where(and(eq(locations.tenantId, tenantId), eq(locations.id, input.locationId)));
      if (!loc) throw invalid({ locationId: 'no such location' });
      set.locationPath = loc.path;
    }
  }
  if (input.parentId) {
    const [p] = await tx.select({ id: assets.id }).from(assets).where(and(eq(assets.tenantId, tenantId), eq(assets.id, input.parentId)));
    if (!p) throw invalid({ parentId: 'no such asset' });
    if (current && (await parentCycle(tx, tenantId, current.id, input.parentId))) {
      throw new AppError('asset_cycle', 'An asset cannot be part of itself or of one of its own parts', { parentId: String(input.parentId) });
    }
  }
  if (input.customFields !== undefined || input.categoryId !== undefined || !current) {
    const given = input.customFields ?? Object.fromEntries(Object.entries(current?.customFields ?? {}).filter(([k]) => category.customFields.some((d) => d.key === k)));
    const { values, errors } = checkCustomFields(category.customFields, given);
    if (Object.keys(errors).length) throw new AppError('validation', 'Some custom fields are not valid', { fields: errors });
    set.customFields = values;
  }
  const { customFields: _c, purchaseCost, tag: _t, ...plain } = input;
  Object.assign(set, plain);
  if (purchaseCost !== undefined) set.purchaseCost = purchaseCost === null ? null : purchaseCost.toFixed(2);
  return set;
}

async function tagTaken(tx: Tx, tenantId: number, tag: string, exceptId?: number) {
  const [row] = await tx.select({ id: assets.id }).from(assets).where(and(eq(assets.tenantId, tenantId), eq(assets.tagKey, sql`lower(${tag})`)));
  return Boolean(row && row.id !== exceptId);
}
const duplicateTag = (tag: string) => new AppError('duplicate', `The tag ${tag} is already used`, { fields: { tag: 'already used' } });

/** Registers an asset inside the caller's transaction (purchasing registers received equipment this way). */
export async function registerAsset(scope: Scope, actor: UserActor, input: AssetInput): Promise<AssetRow> {
  const { tx } = scope;
  const tenantId = actor.tenantId;
  const set = await resolve(tx, tenantId, input, null);
  if (input.tag && (await tagTaken(tx, tenantId, input.tag))) throw duplicateTag(input.tag);
  const tag = input.tag || (await nextTag(tx, tenantId, (t) => tagTaken(tx, tenantId, t)));
  const [row] = await tx
    .insert(assets)
    .values({ ...set, tenantId, tag, name: input.name, categoryId: input.categoryId, status: input.status ?? 'in_stock', publicToken: newPublicToken() })
    .returning();
  await recordAssetHistory(tx, actor, row, 'created', diff({ ...row, ...Object.fromEntries(TRACKED.map((f) => [f, null])) } as AssetRow, row));
  return row;
}

export async function createAsset(ctx: Ctx, input: AssetInput): Promise<AssetDto> {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const row = await registerAsset(scope, actor, input);
    return loadDto(scope.tx, ctx, actor.tenantId, row.id);
  });
}

export async function updateAsset(ctx: Ctx, id: number, expectedVersion: number | null, input: Partial<AssetInput>): Promise<AssetDto> {
  const actor = requireUser(ctx);
  const tenantId = actor.tenantId;
  return ctx.deps.database.withTenant(tenantId, async ({ tx }) => {
    const before = await findAsset(tx, tenantId, id, true);
    if (!before) throw notFound('Asset');
    if (expectedVersion !== null && before.version !== expectedVersion) {
      throw new AppError('stale_version', 'Someone else changed this asset; reload it and try again', { currentVersion: before.version });
    }
    const set = await resolve(tx, tenantId, input, before);
    if (input.tag !== undefined && input.tag.toLowerCase() !== before.tag.toLowerCase() && (await tagTaken(tx, tenantId, input.tag, id))) throw duplicateTag(input.tag);
    if (input.tag) set.tag = input.tag;
    const [after] = await tx
      .update(assets)
      .set({ ...set, version: sql`${assets.version} + 1`, updatedAt: sql`now()` })
      .where(and(eq(assets.tenantId, tenantId), eq(assets.id, id)))
      .returning();
    const changes = diff(before, after);
    if (changes.length === 0) {
      await tx.update(assets).set({ version: before.version, updatedAt: before.updatedAt }).where(and(eq(assets.tenantId, tenantId), eq(assets.id, id)));
    } else {
      await recordAssetHistory(tx, actor, after, changes.some((c) => c.field === 'status') ? 'status_changed' : 'updated', changes);
    }
    return loadDto(tx, ctx, tenantId, id);
  });
}

export async function listHistory(ctx: Ctx, id: number, q: ListQuery) {
  const actor = requireUser(ctx);
  const after = decodeCursor(q.cursor, idCursor);
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    if (!(await findAsset(tx, actor.tenantId, id))) throw notFound('Asset');
    const rows = await tx
      .select()
      .from(assetHistory)
      .where(and(eq(assetHistory.tenantId, actor.tenantId), eq(assetHistory.assetId, id), afterId(assetHistory.id, after)))
      .orderBy(asc(assetHistory.id))
      .limit(q.limit + 1);
    const page = cutPage(rows, q.limit, (h) => [h.id]);
    const labels = await labelChanges(tx, actor.tenantId, page.rows.flatMap((h) => h.changes), ASSET_REFS);
    let next = 0;
    return {
      nextCursor: page.nextCursor,
      items: page.rows.map((h) => ({
        id: String(h.id),
        event: h.event,
        at: h.at.toISOString(),
        actor: h.actorId ? { id: String(h.actorId), name: h.actorName ?? '' } : h.actorName ? { id: null, name: h.actorName } : null,
        changes: h.changes.map((c) => ({ ...c, ...labels[next++] })),
      })),
    };
  });
}

export async function checkout(ctx: Ctx, id: number, input: { userId: number; expectedReturn?: string | null }) {
  const actor = requireUser(ctx);
  const tenantId = actor.tenantId;
  return ctx.deps.database.withTenant(tenantId, async ({ tx }) => {
    const before = await findAsset(tx, tenantId, id, true);
    if (!before) throw notFound('Asset');
    if (before.assignedToId !== null) throw new AppError('already_checked_out', 'This asset is already checked out; check it in first', { assignedToId: String(before.assignedToId) });
    if (before.status === 'retired' || before.status === 'disposed') throw new AppError('asset_unavailable', `A ${before.status} asset cannot be checked out`);
    const [user] = await tx.select({ status: users.status }).from(users).where(and(eq(users.tenantId, tenantId), eq(users.id, input.userId)));
    if (!user || user.status !== 'active') throw invalid({ userId: 'no active user of this company' });
    // The company's today, not UTC's: in Los Angeles at 20:00 it is already tomorrow in UTC.
    if (input.expectedReturn && input.expectedReturn < todayIn(actor.profile.companyTimezone)) throw invalid({ expectedReturn: 'must not be in the past' });
    const [after] = await tx
      .update(assets)
      .set({ assignedToId: input.userId, checkedOutAt: sql`now()`, expectedReturn: input.expectedReturn ?? null, status: 'in_use', version: sql`${assets.version} + 1`, updatedAt: sql`now()` })
      .where(and(eq(assets.tenantId, tenantId), eq(assets.id, id)))
      .returning();
    await recordAssetHistory(tx, actor, after, 'checked_out', diff(before, after));
    return loadDto(tx, ctx, tenantId, id);
  });
}

export async function checkin(ctx: Ctx, id: number, input: { note?: string | null }) {
  const actor = requireUser(ctx);
  const tenantId = actor.tenantId;
  return ctx.deps.database.withTenant(tenantId, async ({ tx }) => {
    const before = await findAsset(tx, tenantId, id, true);
    if (!before) throw notFound('Asset');
    if (before.assignedToId === null) throw new AppError('not_checked_out', 'This asset is not checked out');
    const [after] = await tx
      .update(assets)
      .set({ assignedToId: null, checkedOutAt: null, expectedReturn: null, status: 'in_stock', version: sql`${assets.version} + 1`, updatedAt: sql`now()` })
      .where(and(eq(assets.tenantId, tenantId), eq(assets.id, id)))
      .returning();
    const changes = diff(before, after);
    if (input.note) changes.push({ field: 'note', before: null, after: input.note });
    await recordAssetHistory(tx, actor, after, 'checked_in', changes);
    return loadDto(tx, ctx, tenantId, id);
  });
}

export async function regeneratePublicToken(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    const [row] = await tx
      .update(assets)
      .set({ publicToken: newPublicToken(), updatedAt: sql`now()` })
      .where(and(eq(assets.tenantId, actor.tenantId), eq(assets.id, id)))
      .returning();
    if (!row) throw notFound('Asset');
    await recordAssetHistory(tx, actor, row, 'public_link_regenerated');
    return loadDto(tx, ctx, actor.tenantId, id);
  });
}

/** For the public report page: the asset behind a public token, any company (the token is unique instance-wide). */
export async function findAssetByPublicToken(tx: Tx, token: string) {
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(token)) return null;
  const [row] = await tx
    .select({ asset: assets, locationName: locations.name })
    .from(assets)
    .leftJoin(locations, and(eq(locations.tenantId, assets.tenantId), eq(locations.id, assets.locationId)))
    .where(eq(assets.publicToken, token));
  return row ?? null;
}

/** Where a QR report about this asset goes: its category's ticket category, with the asset linked. */
export async function assetTicketRoute(tx: Tx, asset: AssetRow): Promise<{ categoryId: number | null; assetIds: number[] }> {
  const [c] = await tx
    .select({ ticketCategoryId: picklistItems.ticketCategoryId })
    .from(picklistItems)
    .where(and(eq(picklistItems.tenantId, asset.tenantId), eq(picklistItems.id, asset.categoryId)));
  return { categoryId: c?.ticketCategoryId ?? null, assetIds: [asset.id] };
}

