// Drizzle only: the asset row with the names around it (picklists, location, people, department).
import { and, eq, inArray, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { assets, companies, counters, departments, locations, picklistItems, users } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';

const category = alias(picklistItems, 'category');
const manufacturer = alias(picklistItems, 'manufacturer');
const condition = alias(picklistItems, 'condition');
const parent = alias(assets, 'parent');

export type AssetRow = typeof assets.$inferSelect;

export const selectAssets = (tx: Tx) =>
  tx
    .select({
      a: assets,
      category: { id: category.id, name: category.name },
      manufacturer: { id: manufacturer.id, name: manufacturer.name },
      condition: { id: condition.id, name: condition.name },
      location: { id: locations.id, name: locations.name },
      assignedTo: { id: users.id, name: users.name },
      department: { id: departments.id, name: departments.name },
      parent: { id: parent.id, tag: parent.tag, name: parent.name },
    })
    .from(assets)
    .leftJoin(category, and(eq(category.tenantId, assets.tenantId), eq(category.id, assets.categoryId)))
    .leftJoin(manufacturer, and(eq(manufacturer.tenantId, assets.tenantId), eq(manufacturer.id, assets.manufacturerId)))
    .leftJoin(condition, and(eq(condition.tenantId, assets.tenantId), eq(condition.id, assets.conditionId)))
    .leftJoin(locations, and(eq(locations.tenantId, assets.tenantId), eq(locations.id, assets.locationId)))
    .leftJoin(users, and(eq(users.tenantId, assets.tenantId), eq(users.id, assets.assignedToId)))
    .leftJoin(departments, and(eq(departments.tenantId, assets.tenantId), eq(departments.id, assets.departmentId)))
    .leftJoin(parent, and(eq(parent.tenantId, assets.tenantId), eq(parent.id, assets.parentId)));

export type AssetWithNames = Awaited<ReturnType<ReturnType<typeof selectAssets>['where']>>[number];

export async function findAsset(tx: Tx, tenantId: number, id: number, lock = false): Promise<AssetRow | undefined> {
  const q = tx.select().from(assets).where(and(eq(assets.tenantId, tenantId), eq(assets.id, id)));
  const [row] = lock ? await q.for('update') : await q;
  return row;
}

/** The company's tag prefix (settings.assetTagPrefix, default AST-). */
export async function tagPrefix(tx: Tx, tenantId: number): Promise<string> {
  const [c] = await tx.select({ settings: companies.settings }).from(companies).where(eq(companies.id, tenantId));
  const p = c?.settings?.assetTagPrefix;
  return typeof p === 'string' && p.length <= 20 ? p : 'AST-';
}

/** Reserves `count` consecutive numbers of the asset_tag counter; returns the first. */
export async function reserveTagNumbers(tx: Tx, tenantId: number, count: number): Promise<number> {
  const [row] = await tx
    .insert(counters)
    .values({ tenantId, name: 'asset_tag', last: count })
    .onConflictDoUpdate({ target: [counters.tenantId, counters.name], set: { last: sql`${counters.last} + ${count}` } })
    .returning({ last: counters.last });
  return row.last - count + 1;
}

/** What a label shows of each asset. */
export function labelRows(tx: Tx, tenantId: number, ids: number[]) {
  return tx
    .select({ id: assets.id, tag: assets.tag, name: assets.name, token: assets.publicToken })
    .from(assets)
    .where(and(eq(assets.tenantId, tenantId), inArray(assets.id, ids)));
}
