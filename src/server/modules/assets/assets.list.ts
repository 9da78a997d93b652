// The asset list: filters (text, status, category, location subtree, assignee) with keyset
// pagination on id, newest first. Shared by the screen and the exports.
import { and, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { AssetFilters } from '../../../shared/contracts/assets.js';
import { assets, locations } from '../../db/schema/index.js';
import type { UserActor } from '../../platform/actor.js';
import type { Tx } from '../../platform/db.js';
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
