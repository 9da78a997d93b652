// Named queries of the assets module: the list (filters: text, status, category, location subtree,
// assignee; keyset pagination on id, newest first; shared by the screen and the exports) and the
// CSV import's lookups and batch writes.
import { and, asc, eq, inArray, or, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { AssetFilters } from '../../../shared/contracts/assets.js';
import { assetImportMappings, assets, type CustomFieldDef, departments, locations, type PicklistName, picklistItems, users } from '../../db/schema/index.js';
import type { UserActor } from '../../platform/actor.js';
import type { Database, Tx } from '../../platform/db.js';
import { decodeCursor, encodeCursor } from '../http.js';
import { underPath } from '../locations/locations.service.js';
import { selectAssets } from './assets.repo.js';
import { todayIn } from '../../../shared/time/index.js';

export { type AssetFilters, assetFilters } from '../../../shared/contracts/assets.js';

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The list's conditions; the location subtree apart, since queryAssets chooses how to read it. */
export async function listConditions(tx: Tx, actor: UserActor, f: AssetFilters): Promise<{ conditions: SQL[]; below: SQL | null }> {
  const c: SQL[] = [eq(assets.tenantId, actor.tenantId)];
  if (f.status?.length) c.push(inArray(assets.status, f.status));
  if (f.categoryId) c.push(eq(assets.categoryId, Number(f.categoryId)));
  if (f.assignedToId) c.push(eq(assets.assignedToId, f.assignedToId === 'me' ? actor.userId : Number(f.assignedToId)));
  // Today in the company's zone, not the database session's current_date (UTC on most servers).
  if (f.overdue === 'true') c.push(sql`${assets.assignedToId} is not null and ${assets.expectedReturn} < ${todayIn(actor.profile.companyTimezone)}::date`);
  let below: SQL | null = null;
  if (f.locationId) {
    const [loc] = await tx.select({ path: locations.path }).from(locations).where(and(eq(locations.tenantId, actor.tenantId), eq(locations.id, Number(f.locationId))));
    // An unknown location matches nothing; the range uses the (tenant_id, location_path text_pattern_ops, id) index.
    below = loc ? underPath(assets.locationPath, loc.path) : sql`false`;
  }
  if (f.q) {
    const like = `%${escapeLike(f.q)}%`;
    c.push(
      sql`(${assets.tagKey} = lower(${f.q}) or ${assets.name} ilike ${like} or ${assets.tag} ilike ${like} or ${assets.serial} ilike ${like} or ${assets.model} ilike ${like})`,
    );
  }
  return { conditions: c, below };
}

/** How many of the newest assets a subtree filter looks through before it reads the subtree's index range instead. */
const WALK = 500;

/**
 * The ids of a page below a location. PostgreSQL cannot tell a large subtree from a small one
 * (company and path are correlated, so it guesses a few hundred rows either way): it reads the
 * subtree's index range and sorts it, which costs ~1 ms per 1,500 assets below (a site of 9,700:
 * ~10 ms; a company all under one site: ~35 ms). So first walk the newest WALK assets by id: a large
 * subtree fills the page there at once; otherwise (or when the walk ended the company) the range.
 */
async function idsBelow(tx: Tx, conditions: SQL[], below: SQL, n: number): Promise<number[]> {
  const walked = await tx.execute(sql`with w as (
      select ${assets.id} as id, ${below} as hit from ${assets} where ${and(...conditions)} order by ${assets.id} desc limit ${WALK})
    select coalesce((array_agg(id order by id desc) filter (where hit))[1:${n}], '{}') as ids, count(*)::int as walked from w`);
  const [w] = (walked as unknown as { rows: Array<{ ids: Array<number | string>; walked: number }> }).rows;
  if (w.ids.length >= n || Number(w.walked) < WALK) return w.ids.map(Number);
  const rows = await tx
    .select({ id: assets.id })
    .from(assets)
    .where(and(...conditions, below))
    .orderBy(sql`${assets.id} desc`)
    .limit(n);
  return rows.map((r) => r.id);
}

/** `id = any('{…}')`: the page's ids as one parameter. */
const anyId = (ids: number[]) => sql`${assets.id} = any(${`{${ids.join(',')}}`}::bigint[])`;

/**
 * A page in two steps: the ids first, from `assets` alone, then those rows with their names. In one
 * statement PostgreSQL joined the names to every asset of a location subtree before sorting (it
 * cannot push the limit below the joins), reading all their heap pages: 9,684 rows, ~90–390 ms, for
 * a site of a 50,000-asset company (docs/PERFORMANCE.md).
 */
export async function queryAssets(tx: Tx, actor: UserActor, f: AssetFilters, page: { limit: number; cursor?: string }) {
  const { conditions, below } = await listConditions(tx, actor, f);
  const after = decodeCursor(page.cursor, z.tuple([z.number()]));
  if (after) conditions.push(sql`${assets.id} < ${after[0]}`);
  const n = page.limit + 1;
  const ids = below
    ? await idsBelow(tx, conditions, below, n)
    : (await tx.select({ id: assets.id }).from(assets).where(and(...conditions)).orderBy(sql`${assets.id} desc`).limit(n)).map((r) => r.id);
  const rows = ids.length
    ? await selectAssets(tx)
        .where(and(eq(assets.tenantId, actor.tenantId), anyId(ids)))
        .orderBy(sql`${assets.id} desc`)
    : [];
  const items = rows.slice(0, page.limit);
  const last = items.at(-1);
  return { rows: items, nextCursor: rows.length > page.limit && last ? encodeCursor([last.a.id]) : null };
}

// ---- the CSV import (assets.import) ----

export type ImportExisting = typeof assets.$inferSelect;
type Insert = typeof assets.$inferInsert;

/** What the import resolves names against: picklist values, locations, departments. */
export async function importLookups(tx: Tx, tenantId: number) {
  const items = await tx.select().from(picklistItems).where(eq(picklistItems.tenantId, tenantId));
  const locs = await tx.select({ id: locations.id, name: locations.name, path: locations.path }).from(locations).where(eq(locations.tenantId, tenantId));
  const depts = await tx.select({ id: departments.id, name: departments.name }).from(departments).where(eq(departments.tenantId, tenantId));
  return { items, locs, depts };
}

/** The custom field definitions of every category (to recognise their columns). */
export async function categoryFieldDefs(tx: Tx, tenantId: number): Promise<CustomFieldDef[][]> {
  const cats = await tx.select({ defs: picklistItems.customFields }).from(picklistItems).where(and(eq(picklistItems.tenantId, tenantId), eq(picklistItems.list, 'categories')));
  return cats.map((c) => c.defs);
}

export async function insertPicklistValue(tx: Tx, tenantId: number, list: PicklistName, name: string): Promise<number> {
  const [{ id }] = await tx.insert(picklistItems).values({ tenantId, list, name }).returning({ id: picklistItems.id });
  return id;
}

/** The assets with these tag keys (lower-case tags). */
export function assetsByTagKeys(tx: Tx, tenantId: number, keys: string[]): Promise<ImportExisting[]> {
  return keys.length ? tx.select().from(assets).where(and(eq(assets.tenantId, tenantId), inArray(assets.tagKey, keys))) : Promise.resolve([]);
}

export async function takenTags(tx: Tx, tenantId: number, keys: string[]): Promise<string[]> {
  const rows = await tx.select({ tag: assets.tag }).from(assets).where(and(eq(assets.tenantId, tenantId), inArray(assets.tagKey, keys)));
  return rows.map((r) => r.tag);
}

/** The columns an import row can change, with their SQL types (for jsonb_to_recordset). */
export const UPDATABLE = {
  name: 'text', status: 'text', purchaseDate: 'date', warrantyEnd: 'date', purchaseCost: 'numeric', serial: 'text', model: 'text', specifications: 'text',
  categoryId: 'bigint', manufacturerId: 'bigint', conditionId: 'bigint', departmentId: 'bigint', locationId: 'bigint', locationPath: 'text', customFields: 'jsonb',
  vendorId: 'bigint', orderNumber: 'text', modelNumber: 'text', endOfLife: 'date', assignedToId: 'bigint', checkedOutAt: 'timestamptz',
} as const satisfies Partial<Record<keyof ImportExisting, string>>;
const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** A batch's updates in one statement: each record holds the id and every UPDATABLE column. */
export async function updateImported(tx: Tx, tenantId: number, records: Array<Record<string, unknown>>) {
  const cols = Object.keys(UPDATABLE) as Array<keyof typeof UPDATABLE>;
  const rows = records.map((r) => Object.fromEntries([['id', r.id], ...cols.map((c) => [snake(c), r[c]])]));
  const columns = sql.raw(['id bigint', ...cols.map((c) => `${snake(c)} ${UPDATABLE[c]}`)].join(', '));
  const assignments = sql.raw(cols.map((c) => `${snake(c)} = v.${snake(c)}`).join(', '));
  await tx.execute(sql`update assets a set ${assignments}, version = a.version + 1, updated_at = now()
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(${columns})
    where a.tenant_id = ${tenantId} and a.id = v.id`);
}

export async function insertImported(tx: Tx, values: Insert[]): Promise<number[]> {
  const made = await tx.insert(assets).values(values).returning({ id: assets.id });
  return made.map((m) => m.id);
}

/** Rows of `assets` in the planner's statistics. Owner connection, outside any company's transaction. */
export async function assetStatsRows(db: Database): Promise<number> {
  const [row] = (await db.query<{ rows: number }>("select greatest(reltuples, 0)::float8 as rows from pg_class where oid = 'assets'::regclass")).rows;
  return Number(row?.rows ?? 0);
}

export async function analyzeAssets(db: Database) {
  await db.query('analyze assets');
}

/** Active users matched by username, e-mail or full name (all compared in lower case). */
export function usersMatching(tx: Tx, tenantId: number, keys: string[]) {
  return tx
    .select({ id: users.id, name: users.name, email: users.email, username: users.username })
    .from(users)
    .where(
      and(
        eq(users.tenantId, tenantId),
        eq(users.status, 'active'),
        or(inArray(sql`lower(${users.username})`, keys), inArray(sql`lower(${users.email})`, keys), inArray(sql`lower(${users.name})`, keys)),
      ),
    )
    .orderBy(asc(users.id));
}

export async function rememberedMapping(tx: Tx, tenantId: number) {
  const [row] = await tx.select().from(assetImportMappings).where(eq(assetImportMappings.tenantId, tenantId));
  return row ?? null;
}

export async function saveMapping(tx: Tx, tenantId: number, columns: Record<string, string>, values: Record<string, Record<string, Record<string, string>>>) {
  await tx
    .insert(assetImportMappings)
    .values({ tenantId, columns, values })
    .onConflictDoUpdate({ target: assetImportMappings.tenantId, set: { columns, values, updatedAt: sql`now()` } });
}
