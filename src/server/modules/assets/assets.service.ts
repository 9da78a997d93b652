// Asset use cases: register (typed custom fields, generated tags), read with its page data
// (children, visible tickets, can), edit (version-checked), check-out/in, the public link, and
// links to tickets. Every change leaves asset history in the same transaction.
import type { AssetStatus } from '../../db/schema/index.js';
import type { ListQuery } from '../../../shared/contracts/common.js';
import { idCursor } from '../../db/keyset.js';
import type { UserActor } from '../../platform/actor.js';
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import type { Scope, Tx } from '../../platform/db.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { cutPage, decodeCursor } from '../http.js';
import { type AssetDto, toAsset } from './assets.dto.js';
import { checkCustomFields, newPublicToken, nextTag } from './assets.fields.js';
import * as repo from './assets.repo.js';
import { type AssetInsert, type AssetRow, findAsset } from './assets.repo.js';
import { labelChanges, type RefKind } from '../names/names.service.js';
import { publicUrlOf } from '../settings/settings.service.js';
import { todayIn } from '../../../shared/time/index.js';
import { emitWebhookEvent } from '../webhooks/webhooks.service.js';

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
  orderNumber?: string | null;
  modelNumber?: string | null;
  endOfLife?: string | null;
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
  'vendorId', 'orderNumber', 'modelNumber', 'endOfLife', 'purchaseDate', 'purchaseCost', 'warrantyEnd', 'specifications', 'customFields', 'assignedToId', 'expectedReturn',
] as const;

/** Asset history fields that hold ids, and what they refer to. */
const ASSET_REFS: Record<string, RefKind> = {
  categoryId: 'picklist', manufacturerId: 'picklist', conditionId: 'picklist', locationId: 'location', parentId: 'asset',
  departmentId: 'department', vendorId: 'vendor', assignedToId: 'user',
};

export const who = (actor: UserActor | null) => ({ actorId: actor?.userId ?? null, actorName: actor?.name ?? null });

export async function recordAssetHistory(tx: Tx, actor: UserActor | null, a: AssetRow, event: string, changes: Change[] = []) {
  await repo.insertHistory(tx, [{ tenantId: a.tenantId, assetId: a.id, ...who(actor), event, changes }]);
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
  const row = await repo.findAssetWithNames(tx, tenantId, id);
  if (!row) throw notFound('Asset');
  return toAsset(row, await publicUrlOf(tx, ctx.deps.config, tenantId), requireUser(ctx).profile.companyTimezone);
}

async function pick(tx: Tx, tenantId: number, list: 'categories' | 'manufacturers' | 'conditions', id: number, field: string) {
  const row = await repo.findPicklistItem(tx, tenantId, list, id);
  if (!row) throw invalid({ [field]: `no such ${list.replace(/s$/, '').replace(/ie$/, 'y')}` });
  return row;
}

/** Checks references and custom fields; returns the column values to write. */
async function resolve(tx: Tx, tenantId: number, input: Partial<AssetInput>, current: AssetRow | null) {
  const set: Partial<AssetInsert> = {};
  const categoryId = input.categoryId ?? current?.categoryId;
  if (categoryId === undefined) throw invalid({ categoryId: 'is required' });
  const category = await pick(tx, tenantId, 'categories', categoryId, 'categoryId');
  if (input.manufacturerId) await pick(tx, tenantId, 'manufacturers', input.manufacturerId, 'manufacturerId');
  if (input.conditionId) await pick(tx, tenantId, 'conditions', input.conditionId, 'conditionId');
  if (input.departmentId && !(await repo.referenceExists(tx, 'departments', tenantId, input.departmentId))) throw invalid({ departmentId: 'no such department' });
  if (input.vendorId && !(await repo.referenceExists(tx, 'vendors', tenantId, input.vendorId))) throw invalid({ vendorId: 'no such vendor' });
  if (input.locationId !== undefined) {
    if (input.locationId === null) set.locationPath = null;
    else {
      const path = await repo.locationPathOf(tx, tenantId, input.locationId);
      if (path === undefined) throw invalid({ locationId: 'no such location' });
      set.locationPath = path;
    }
  }
  if (input.parentId) {
    if (!(await repo.assetExists(tx, tenantId, input.parentId))) throw invalid({ parentId: 'no such asset' });
    if (current && (await repo.parentCycle(tx, tenantId, current.id, input.parentId))) {
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
  const id = await repo.idOfTag(tx, tenantId, tag);
  return id !== undefined && id !== exceptId;
}
const duplicateTag = (tag: string) => new AppError('duplicate', `The tag ${tag} is already used`, { fields: { tag: 'already used' } });

/** Registers an asset inside the caller's transaction (purchasing registers received equipment this way). */
export async function registerAsset(scope: Scope, actor: UserActor, input: AssetInput): Promise<AssetRow> {
  const { tx } = scope;
  const tenantId = actor.tenantId;
  const set = await resolve(tx, tenantId, input, null);
  if (input.tag && (await tagTaken(tx, tenantId, input.tag))) throw duplicateTag(input.tag);
  const tag = input.tag || (await nextTag(tx, tenantId, (t) => tagTaken(tx, tenantId, t)));
  const row = await repo.insertAsset(tx, { ...set, tenantId, tag, name: input.name, categoryId: input.categoryId, status: input.status ?? 'in_stock', publicToken: newPublicToken() });
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
    const after = await repo.updateAssetRow(tx, tenantId, id, set);
    const changes = diff(before, after);
    if (changes.length === 0) {
      await repo.restoreVersion(tx, tenantId, id, before.version, before.updatedAt);
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
    const rows = await repo.historyPage(tx, actor.tenantId, id, after, q.limit + 1);
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
  return ctx.deps.database.withTenant(tenantId, async (scope) => {
    const { tx } = scope;
    const before = await findAsset(tx, tenantId, id, true);
    if (!before) throw notFound('Asset');
    if (before.assignedToId !== null) throw new AppError('already_checked_out', 'This asset is already checked out; check it in first', { assignedToId: String(before.assignedToId) });
    if (before.status === 'retired' || before.status === 'disposed') throw new AppError('asset_unavailable', `A ${before.status} asset cannot be checked out`);
    if ((await repo.userStatus(tx, tenantId, input.userId)) !== 'active') throw invalid({ userId: 'no active user of this company' });
    // The company's today, not UTC's: in Los Angeles at 20:00 it is already tomorrow in UTC.
    if (input.expectedReturn && input.expectedReturn < todayIn(actor.profile.companyTimezone)) throw invalid({ expectedReturn: 'must not be in the past' });
    const after = await repo.checkoutRow(tx, tenantId, id, input.userId, input.expectedReturn ?? null);
    await recordAssetHistory(tx, actor, after, 'checked_out', diff(before, after));
    const dto = await loadDto(tx, ctx, tenantId, id);
    await emitWebhookEvent(scope, 'asset.checked_out', { asset: dto });
    return dto;
  });
}

export async function checkin(ctx: Ctx, id: number, input: { note?: string | null }) {
  const actor = requireUser(ctx);
  const tenantId = actor.tenantId;
  return ctx.deps.database.withTenant(tenantId, async (scope) => {
    const { tx } = scope;
    const before = await findAsset(tx, tenantId, id, true);
    if (!before) throw notFound('Asset');
    if (before.assignedToId === null) throw new AppError('not_checked_out', 'This asset is not checked out');
    const after = await repo.updateAssetRow(tx, tenantId, id, { assignedToId: null, checkedOutAt: null, expectedReturn: null, status: 'in_stock' });
    const changes = diff(before, after);
    if (input.note) changes.push({ field: 'note', before: null, after: input.note });
    await recordAssetHistory(tx, actor, after, 'checked_in', changes);
    const dto = await loadDto(tx, ctx, tenantId, id);
    await emitWebhookEvent(scope, 'asset.checked_in', { asset: dto, note: input.note ?? null });
    return dto;
  });
}

export async function regeneratePublicToken(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    const row = await repo.setPublicToken(tx, actor.tenantId, id, newPublicToken());
    if (!row) throw notFound('Asset');
    await recordAssetHistory(tx, actor, row, 'public_link_regenerated');
    return loadDto(tx, ctx, actor.tenantId, id);
  });
}

/** For the public report page: the asset behind a public token, any company (the token is unique instance-wide). */
export async function findAssetByPublicToken(tx: Tx, token: string) {
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(token)) return null;
  return repo.findByPublicToken(tx, token);
}

/** Where a QR report about this asset goes: its category's ticket category, with the asset linked. */
export async function assetTicketRoute(tx: Tx, asset: AssetRow): Promise<{ categoryId: number | null; assetIds: number[] }> {
  return { categoryId: await repo.ticketCategoryOf(tx, asset.tenantId, asset.categoryId), assetIds: [asset.id] };
}

