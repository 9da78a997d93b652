// Location tree queries (Drizzle only). Each row keeps its materialized path ('/1/4/9/'), and assets
// keep a copy of their location's path, so "everything below" is one index range.
import { and, asc, eq, inArray, isNull, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import { nameContains } from '../../db/keyset.js';
import { qualified } from '../../db/qualified.js';
import { assets, locations, stockLevels, stockMovements } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';

export type LocationRow = typeof locations.$inferSelect;

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

/** Asset counts per location path (each asset counts at its own location). */
export function assetCountsByPath(tx: Tx, tenantId: number) {
  return tx
    .select({ path: assets.locationPath, n: sql<number>`count(*)::int` })
    .from(assets)
    .where(and(eq(assets.tenantId, tenantId), sql`${assets.locationPath} is not null`))
    .groupBy(assets.locationPath);
}

export async function findLocation(tx: Tx, tenantId: number, id: number): Promise<LocationRow | undefined> {
  const [row] = await tx.select().from(locations).where(and(eq(locations.tenantId, tenantId), eq(locations.id, id)));
  return row;
}

export function findNames(tx: Tx, tenantId: number, ids: number[]) {
  return tx.select({ id: locations.id, name: locations.name }).from(locations).where(and(eq(locations.tenantId, tenantId), inArray(locations.id, ids)));
}

/**
 * The tree order of a location: its chain of names from the root, each with its id, compared byte by
 * byte. A parent comes before its sub-locations (its key is their prefix), siblings by name in any case.
 */
const treeKey = (l: { tenantId: SQL; path: SQL }) =>
  sql`(select string_agg(lower(a.name) || chr(1) || a.id::text, chr(2) order by length(a.path)) from locations a
        where a.tenant_id = ${l.tenantId} and a.id = any(string_to_array(trim(both '/' from ${l.path}), '/')::bigint[]))`;
const rowKey = treeKey({ tenantId: qualified(locations.tenantId), path: qualified(locations.path) });

/**
 * One page of the tree (`limit + 1` rows) in tree order, after the location `afterId`; `q` keeps the
 * locations whose own name matches (still in tree order).
 */
export function findTreePage(tx: Tx, tenantId: number, f: { afterId: number | null; limit: number; q?: string }) {
  const after = f.afterId
    ? sql`${rowKey} collate "C" > (select ${treeKey({ tenantId: sql`c.tenant_id`, path: sql`c.path` })} from locations c where c.tenant_id = ${tenantId} and c.id = ${f.afterId})`
    : undefined;
  return tx
    .select()
    .from(locations)
    .where(and(eq(locations.tenantId, tenantId), nameContains(locations.name, f.q), after))
    .orderBy(sql`${rowKey} collate "C"`)
    .limit(f.limit + 1);
}

export function findChildren(tx: Tx, tenantId: number, parentId: number) {
  return tx
    .select()
    .from(locations)
    .where(and(eq(locations.tenantId, tenantId), eq(locations.parentId, parentId)))
    .orderBy(asc(sql`lower(${locations.name})`));
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

/** Inserts a location under a parent (or as a root) and sets its path; a sibling of the same name is a 409 duplicate. */
export async function insertLocation(tx: Tx, tenantId: number, name: string, parent: { id: number; path: string } | null): Promise<LocationRow> {
  const [made] = await tx.insert(locations).values({ tenantId, name, parentId: parent?.id ?? null, path: '/' }).returning();
  return setPath(tx, tenantId, made.id, parent);
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

export async function renameLocation(tx: Tx, tenantId: number, id: number, name: string) {
  await tx.update(locations).set({ name, updatedAt: sql`now()` }).where(and(eq(locations.tenantId, tenantId), eq(locations.id, id)));
}

/** Moves the subtree at `oldPath` (the location `id`) below `parent`: its paths and its assets' paths, one statement each. */
export async function moveSubtree(tx: Tx, tenantId: number, id: number, oldPath: string, parent: { id: number; path: string } | null) {
  const newPath = `${parent?.path ?? '/'}${id}/`;
  await tx.execute(sql`update ${locations}
      set path = ${newPath} || substr(path, ${oldPath.length + 1}),
          parent_id = case when id = ${id} then ${parent?.id ?? null}::bigint else parent_id end,
          updated_at = now()
    where tenant_id = ${tenantId} and ${underPath(sql.identifier('path'), oldPath)}`);
  await tx.execute(sql`update ${assets} set location_path = ${newPath} || substr(location_path, ${oldPath.length + 1})
    where tenant_id = ${tenantId} and ${underPath(sql.identifier('location_path'), oldPath)}`);
}

/** What still uses a location: sub-locations, assets, stock balances and ledger rows. */
export async function usage(tx: Tx, tenantId: number, id: number) {
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
  return { children, assets: assetCount, stock, moves };
}

export async function deleteLocationRow(tx: Tx, tenantId: number, id: number) {
  await tx.delete(locations).where(and(eq(locations.tenantId, tenantId), eq(locations.id, id)));
}
