// The location tree (site → building → room, any depth). Each row keeps its materialized path
// ('/1/4/9/'), and assets keep a copy of their location's path, so "everything below" is one index
// range. Moving a subtree rewrites both in one statement each; cycles and deleting used locations are refused.
import { and, asc, eq, inArray, isNull, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import { assets, locations, stockLevels, stockMovements } from '../../db/schema/index.js';
import { writeAudit } from '../../platform/audit.js';
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import type { Tx } from '../../platform/db.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';

type LocationRow = typeof locations.$inferSelect;

/**
 * `column` is `path` or lies below it, written as a range of the text_pattern_ops operators
 * ('/1/4/' ≤ p < '/1/40'; paths are ids and '/', ending in '/'). Not `like '/1/4/%'`: like is not
 * leakproof, so under row-level security PostgreSQL may not use an index for it and reads every
 * row of the company; `~>=~` and `~<~` are leakproof and use (tenant_id, path text_pattern_ops).
 */
export function underPath(column: SQLWrapper, path: string): SQL {
  if (!/^\/(\d+\/)+$/.test(path)) throw new Error(`not a location path: ${path}`);
  return sql`(${column} ~>=~ ${path} and ${column} ~<~ ${`${path.slice(0, -1)}0`})`;
}

/** The ids of a path, root first: '/1/4/9/' → [1, 4, 9]. */
export const pathIds = (path: string): number[] => path.split('/').filter(Boolean).map(Number);

/** Asset counts per location, descendants included: one grouped query, rolled up along the paths. */
async function rollUp(tx: Tx, tenantId: number): Promise<{ total: Map<number, number>; direct: Map<number, number> }> {
  const rows = await tx
    .select({ path: assets.locationPath, n: sql<number>`count(*)::int` })
    .from(assets)
    .where(and(eq(assets.tenantId, tenantId), sql`${assets.locationPath} is not null`))
    .groupBy(assets.locationPath);
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

export async function findLocation(tx: Tx, tenantId: number, id: number): Promise<LocationRow | undefined> {
  const [row] = await tx.select().from(locations).where(and(eq(locations.tenantId, tenantId), eq(locations.id, id)));
  return row;
}

/** Names of a location and its ancestors, root first ("Site / Building / Room"). */
export async function breadcrumb(tx: Tx, tenantId: number, path: string): Promise<Array<{ id: string; name: string }>> {
  const ids = pathIds(path);
  if (!ids.length) return [];
  const rows = await tx.select({ id: locations.id, name: locations.name }).from(locations).where(and(eq(locations.tenantId, tenantId), inArray(locations.id, ids)));
  const byId = new Map(rows.map((r) => [r.id, r.name]));
  return ids.filter((id) => byId.has(id)).map((id) => ({ id: String(id), name: byId.get(id)! }));
}

export async function listLocations(ctx: Ctx) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    const rows = await tx.select().from(locations).where(eq(locations.tenantId, actor.tenantId)).orderBy(asc(locations.path));
    const counts = await rollUp(tx, actor.tenantId);
    const canManage = actor.permissions.has('assets.manage');
    // Siblings by name under their parent: sort by the chain of names.
    const names = new Map(rows.map((r) => [r.id, r.name.toLowerCase()]));
    const key = (r: LocationRow) => pathIds(r.path).map((id) => names.get(id) ?? '').join('\u0000');
    rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    return { items: rows.map((r) => toLocation(r, counts, canManage)) };
  });
}

export async function getLocation(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    const row = await findLocation(tx, actor.tenantId, id);
    if (!row) throw notFound('Location');
    const counts = await rollUp(tx, actor.tenantId);
    const canManage = actor.permissions.has('assets.manage');
    const ancestors = (await breadcrumb(tx, actor.tenantId, row.path)).slice(0, -1);
    const children = await tx
      .select()
      .from(locations)
      .where(and(eq(locations.tenantId, actor.tenantId), eq(locations.parentId, id)))
      .orderBy(asc(sql`lower(${locations.name})`));
    return { ...toLocation(row, counts, canManage), ancestors, children: children.map((c) => toLocation(c, counts, canManage)) };
  });
}

/** Inserts a location under a parent (or as a root) and sets its path; a sibling of the same name is a 409 duplicate. */
export async function insertLocation(tx: Tx, tenantId: number, name: string, parent: { id: number; path: string } | null): Promise<LocationRow> {
  const [made] = await tx.insert(locations).values({ tenantId, name, parentId: parent?.id ?? null, path: '/' }).returning();
  return setPath(tx, tenantId, made.id, parent);
}

// The path holds the row's own id, known only once inserted.
async function setPath(tx: Tx, tenantId: number, id: number, parent: { path: string } | null): Promise<LocationRow> {
  const [row] = await tx
    .update(locations)
    .set({ path: `${parent?.path ?? '/'}${id}/` })
    .where(and(eq(locations.tenantId, tenantId), eq(locations.id, id)))
    .returning();
  return row;
}

/** The child of `parentId` (a root when null) with this name in any case. */
async function findChild(tx: Tx, tenantId: number, name: string, parentId: number | null): Promise<LocationRow | undefined> {
  const [row] = await tx
    .select()
    .from(locations)
    .where(and(eq(locations.tenantId, tenantId), parentId ? eq(locations.parentId, parentId) : isNull(locations.parentId), sql`lower(${locations.name}) = lower(${name})`))
    .limit(1);
  return row;
}

/**
 * The location `name` under `parent`, made when missing. Parallel imports meet on the unique key
 * locations_tenant_parent_name_key: the second insert waits for the first transaction, then does
 * nothing, and the row it reads again is the one the first made (read committed sees it).
 */
export async function findOrCreateLocation(tx: Tx, tenantId: number, name: string, parent: { id: number; path: string } | null): Promise<LocationRow> {
  const found = await findChild(tx, tenantId, name, parent?.id ?? null);
  if (found) return found;
  const [made] = await tx.insert(locations).values({ tenantId, name, parentId: parent?.id ?? null, path: '/' }).onConflictDoNothing().returning();
  if (!made) {
    const theirs = await findChild(tx, tenantId, name, parent?.id ?? null);
    if (!theirs) throw new Error(`location "${name}" conflicted but cannot be read`);
    return theirs;
  }
  return setPath(tx, tenantId, made.id, parent);
}

/** Finds a chain of names ("Site", "Building", "Room") below the roots, creating what is missing when allowed. */
export async function findOrCreateChain(tx: Tx, tenantId: number, names: string[], create: boolean): Promise<LocationRow | null> {
  let parent = null as LocationRow | null;
  for (const name of names) {
    const under: LocationRow | null = parent;
    parent = (create ? await findOrCreateLocation(tx, tenantId, name, under) : await findChild(tx, tenantId, name, under?.id ?? null)) ?? null;
    if (!parent) return null;
  }
  return parent;
}

async function parentOf(tx: Tx, tenantId: number, parentId: number | null | undefined) {
  if (!parentId) return null;
  const parent = await findLocation(tx, tenantId, parentId);
  if (!parent) throw invalid({ parentId: 'no such location' });
  return parent;
}

export async function createLocation(ctx: Ctx, input: { name: string; parentId?: number | null }) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const parent = await parentOf(scope.tx, actor.tenantId, input.parentId);
    const row = await insertLocation(scope.tx, actor.tenantId, input.name, parent);
    await writeAudit(scope, actor, ctx.info.ip, { action: 'location.created', targetType: 'location', targetId: row.id, details: { name: row.name, path: row.path } });
    return toLocation(row, { total: new Map(), direct: new Map() }, true);
  });
}

export async function updateLocation(ctx: Ctx, id: number, input: { name?: string; parentId?: number | null }) {
  const actor = requireUser(ctx);
  const tenantId = actor.tenantId;
  await ctx.deps.database.withTenant(tenantId, async (scope) => {
    const { tx } = scope;
    const row = await findLocation(tx, tenantId, id);
    if (!row) throw notFound('Location');
    if (input.name !== undefined) await tx.update(locations).set({ name: input.name, updatedAt: sql`now()` }).where(and(eq(locations.tenantId, tenantId), eq(locations.id, id)));
    if (input.parentId !== undefined && input.parentId !== row.parentId) {
      const parent = await parentOf(tx, tenantId, input.parentId);
      if (parent?.path.startsWith(row.path)) {
        throw new AppError('location_cycle', 'A location cannot move below itself or one of its own sub-locations', { parentId: String(parent.id) });
      }
      const oldPath = row.path;
      const newPath = `${parent?.path ?? '/'}${id}/`;
      await tx.execute(sql`update ${locations}
          set path = ${newPath} || substr(path, ${oldPath.length + 1}),
              parent_id = case when id = ${id} then ${parent?.id ?? null}::bigint else parent_id end,
              updated_at = now()
        where tenant_id = ${tenantId} and ${underPath(sql.identifier('path'), oldPath)}`);
      await tx.execute(sql`update ${assets} set location_path = ${newPath} || substr(location_path, ${oldPath.length + 1})
        where tenant_id = ${tenantId} and ${underPath(sql.identifier('location_path'), oldPath)}`);
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
    const row = await findLocation(tx, tenantId, id);
    if (!row) throw notFound('Location');
    const count = async (q: Promise<Array<{ n: number }>>) => (await q)[0]?.n ?? 0;
    const n = sql<number>`count(*)::int`;
    const children = await count(tx.select({ n }).from(locations).where(and(eq(locations.tenantId, tenantId), eq(locations.parentId, id))));
    const assetCount = await count(tx.select({ n }).from(assets).where(and(eq(assets.tenantId, tenantId), eq(assets.locationId, id))));
    const stock = await count(tx.select({ n }).from(stockLevels).where(and(eq(stockLevels.tenantId, tenantId), eq(stockLevels.locationId, id))));
    const moves = await count(
      tx
        .select({ n })
        .from(stockMovements)
        .where(and(eq(stockMovements.tenantId, tenantId), sql`(${stockMovements.locationId} = ${id} or ${stockMovements.toLocationId} = ${id})`)),
    );
    if (children || assetCount || stock || moves) {
      throw new AppError('location_in_use', `"${row.name}" still has sub-locations, assets or stock`, { children, assets: assetCount, stock: stock + moves });
    }
    await tx.delete(locations).where(and(eq(locations.tenantId, tenantId), eq(locations.id, id)));
    await writeAudit(scope, actor, ctx.info.ip, { action: 'location.deleted', targetType: 'location', targetId: id, details: { name: row.name, path: row.path } });
  });
}
