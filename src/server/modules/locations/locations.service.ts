// The location tree (site → building → room, any depth). Each row keeps its materialized path
// ('/1/4/9/'), and assets keep a copy of their location's path, so "everything below" is one index
// range. Moving a subtree rewrites both in one statement each; cycles and deleting used locations are refused.
import type { SearchListQuery } from '../../../shared/contracts/common.js';
import { idCursor } from '../../db/keyset.js';
import { writeAudit } from '../../platform/audit.js';
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import type { Tx } from '../../platform/db.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { cutPage, decodeCursor } from '../http.js';
import * as repo from './locations.repo.js';
import type { LocationRow } from './locations.repo.js';

// Other modules (asset import and lists, demo seeders) reach the tree through this service.
export { findLocation, findOrCreateChain, findOrCreateLocation, insertLocation, underPath } from './locations.repo.js';

/** The ids of a path, root first: '/1/4/9/' → [1, 4, 9]. */
export const pathIds = (path: string): number[] => path.split('/').filter(Boolean).map(Number);

/** Asset counts per location, descendants included: one grouped query, rolled up along the paths. */
async function rollUp(tx: Tx, tenantId: number): Promise<{ total: Map<number, number>; direct: Map<number, number> }> {
  const rows = await repo.assetCountsByPath(tx, tenantId);
  const total = new Map<number, number>();
  const direct = new Map<number, number>();
  for (const r of rows) {
    const ids = pathIds(r.path ?? '');
    for (const id of ids) total.set(id, (total.get(id) ?? 0) + r.n);
    const own = ids.at(-1);
    if (own !== undefined) direct.set(own, (direct.get(own) ?? 0) + r.n);
  }
  return { total, direct };
}

const toLocation = (r: LocationRow, counts: { total: Map<number, number>; direct: Map<number, number> }, canManage: boolean) => ({
  id: String(r.id),
  name: r.name,
  parentId: r.parentId ? String(r.parentId) : null,
  path: r.path,
  depth: pathIds(r.path).length - 1,
  assetCount: counts.total.get(r.id) ?? 0,
  directAssetCount: counts.direct.get(r.id) ?? 0,
  can: { update: canManage, delete: canManage },
});

/** Names of a location and its ancestors, root first ("Site / Building / Room"). */
export async function breadcrumb(tx: Tx, tenantId: number, path: string): Promise<Array<{ id: string; name: string }>> {
  const ids = pathIds(path);
  if (!ids.length) return [];
  const rows = await repo.findNames(tx, tenantId, ids);
  const byId = new Map(rows.map((r) => [r.id, r.name]));
  return ids.filter((id) => byId.has(id)).map((id) => ({ id: String(id), name: byId.get(id)! }));
}

/** The tree in order (each location after its parent, siblings by name), one page at a time; `q` searches the names. */
export async function listLocations(ctx: Ctx, q: SearchListQuery) {
  const actor = requireUser(ctx);
  const after = decodeCursor(q.cursor, idCursor);
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    const rows = await repo.findTreePage(tx, actor.tenantId, { afterId: after?.[0] ?? null, limit: q.limit, q: q.q });
    const page = cutPage(rows, q.limit, (r) => [r.id]);
    const counts = await rollUp(tx, actor.tenantId);
    const canManage = actor.permissions.has('assets.manage');
    return { items: page.rows.map((r) => toLocation(r, counts, canManage)), nextCursor: page.nextCursor };
  });
}

export async function getLocation(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    const row = await repo.findLocation(tx, actor.tenantId, id);
    if (!row) throw notFound('Location');
    const counts = await rollUp(tx, actor.tenantId);
    const canManage = actor.permissions.has('assets.manage');
    const ancestors = (await breadcrumb(tx, actor.tenantId, row.path)).slice(0, -1);
    const children = await repo.findChildren(tx, actor.tenantId, id);
    return { ...toLocation(row, counts, canManage), ancestors, children: children.map((c) => toLocation(c, counts, canManage)) };
  });
}

async function parentOf(tx: Tx, tenantId: number, parentId: number | null | undefined) {
  if (!parentId) return null;
  const parent = await repo.findLocation(tx, tenantId, parentId);
  if (!parent) throw invalid({ parentId: 'no such location' });
  return parent;
}

export async function createLocation(ctx: Ctx, input: { name: string; parentId?: number | null }) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const parent = await parentOf(scope.tx, actor.tenantId, input.parentId);
    const row = await repo.insertLocation(scope.tx, actor.tenantId, input.name, parent);
    await writeAudit(scope, actor, ctx.info.ip, { action: 'location.created', targetType: 'location', targetId: row.id, details: { name: row.name, path: row.path } });
    return toLocation(row, { total: new Map(), direct: new Map() }, true);
  });
}

export async function updateLocation(ctx: Ctx, id: number, input: { name?: string; parentId?: number | null }) {
  const actor = requireUser(ctx);
  const tenantId = actor.tenantId;
  await ctx.deps.database.withTenant(tenantId, async (scope) => {
    const { tx } = scope;
    const row = await repo.findLocation(tx, tenantId, id);
    if (!row) throw notFound('Location');
    if (input.name !== undefined) await repo.renameLocation(tx, tenantId, id, input.name);
    if (input.parentId !== undefined && input.parentId !== row.parentId) {
      const parent = await parentOf(tx, tenantId, input.parentId);
      if (parent?.path.startsWith(row.path)) {
        throw new AppError('location_cycle', 'A location cannot move below itself or one of its own sub-locations', { parentId: String(parent.id) });
      }
      await repo.moveSubtree(tx, tenantId, id, row.path, parent);
    }
    await writeAudit(scope, actor, ctx.info.ip, { action: 'location.updated', targetType: 'location', targetId: id, details: { before: { name: row.name, path: row.path }, after: input } });
  });
  return getLocation(ctx, id);
}

export async function deleteLocation(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  const tenantId = actor.tenantId;
  await ctx.deps.database.withTenant(tenantId, async (scope) => {
    const { tx } = scope;
    const row = await repo.findLocation(tx, tenantId, id);
    if (!row) throw notFound('Location');
    const { children, assets: assetCount, stock, moves } = await repo.usage(tx, tenantId, id);
    if (children || assetCount || stock || moves) {
      throw new AppError('location_in_use', `"${row.name}" still has sub-locations, assets or stock`, { children, assets: assetCount, stock: stock + moves });
    }
    await repo.deleteLocationRow(tx, tenantId, id);
    await writeAudit(scope, actor, ctx.info.ip, { action: 'location.deleted', targetType: 'location', targetId: id, details: { name: row.name, path: row.path } });
  });
}
