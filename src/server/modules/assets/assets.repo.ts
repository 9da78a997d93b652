// Drizzle only: the asset row with the names around it (picklists, location, people, department),
// its history, files and ticket links. The list's and the import's queries are in assets.queries.ts.
import { and, asc, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { afterId } from '../../db/keyset.js';
import {
  assetFiles, assetHistory, assets, companies, counters, departments, locations, type PicklistName, picklistItems, ticketAssets, tickets, users, vendors,
} from '../../db/schema/index.js';
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
      vendor: { id: vendors.id, name: vendors.name },
      parent: { id: parent.id, tag: parent.tag, name: parent.name },
    })
    .from(assets)
    .leftJoin(category, and(eq(category.tenantId, assets.tenantId), eq(category.id, assets.categoryId)))
    .leftJoin(manufacturer, and(eq(manufacturer.tenantId, assets.tenantId), eq(manufacturer.id, assets.manufacturerId)))
    .leftJoin(condition, and(eq(condition.tenantId, assets.tenantId), eq(condition.id, assets.conditionId)))
    .leftJoin(locations, and(eq(locations.tenantId, assets.tenantId), eq(locations.id, assets.locationId)))
    .leftJoin(users, and(eq(users.tenantId, assets.tenantId), eq(users.id, assets.assignedToId)))
    .leftJoin(departments, and(eq(departments.tenantId, assets.tenantId), eq(departments.id, assets.departmentId)))
    .leftJoin(vendors, and(eq(vendors.tenantId, assets.tenantId), eq(vendors.id, assets.vendorId)))
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

// ---- the asset registry's reads and writes (assets.service) ----

export type AssetInsert = typeof assets.$inferInsert;
export type HistoryChange = { field: string; before: unknown; after: unknown };

export async function insertHistory(
  tx: Tx,
  rows: Array<{ tenantId: number; assetId: number; actorId: number | null; actorName: string | null; event: string; changes: HistoryChange[] }>,
) {
  if (rows.length) await tx.insert(assetHistory).values(rows.map((r) => ({ ...r, changes: r.changes as never })));
}

export async function findAssetWithNames(tx: Tx, tenantId: number, id: number): Promise<AssetWithNames | undefined> {
  const [row] = await selectAssets(tx).where(and(eq(assets.tenantId, tenantId), eq(assets.id, id)));
  return row;
}

export async function findPicklistItem(tx: Tx, tenantId: number, list: PicklistName, id: number) {
  const [row] = await tx
    .select()
    .from(picklistItems)
    .where(and(eq(picklistItems.tenantId, tenantId), eq(picklistItems.list, list), eq(picklistItems.id, id)));
  return row;
}

const REFERENCED = { departments, vendors, users } as const;
export async function referenceExists(tx: Tx, kind: keyof typeof REFERENCED, tenantId: number, id: number): Promise<boolean> {
  const table = REFERENCED[kind];
  const [row] = await tx.select({ id: table.id }).from(table).where(and(eq(table.tenantId, tenantId), eq(table.id, id)));
  return Boolean(row);
}

export async function locationPathOf(tx: Tx, tenantId: number, id: number): Promise<string | undefined> {
  const [loc] = await tx.select({ path: locations.path }).from(locations).where(and(eq(locations.tenantId, tenantId), eq(locations.id, id)));
  return loc?.path;
}

export async function assetExists(tx: Tx, tenantId: number, id: number): Promise<boolean> {
  const [p] = await tx.select({ id: assets.id }).from(assets).where(and(eq(assets.tenantId, tenantId), eq(assets.id, id)));
  return Boolean(p);
}

/** True when `parentId` is `id` or one of its descendants (the parent chain of parentId reaches id). */
export async function parentCycle(tx: Tx, tenantId: number, id: number, parentId: number): Promise<boolean> {
  const rows = await tx.execute<{ id: number }>(sql`with recursive up(id, parent_id, depth) as (
      select id, parent_id, 0 from assets where tenant_id = ${tenantId} and id = ${parentId}
      union all
      select a.id, a.parent_id, up.depth + 1 from assets a join up on a.tenant_id = ${tenantId} and a.id = up.parent_id where up.depth < 100)
    select id from up where id = ${id} limit 1`);
  return (rows as unknown as { rows: unknown[] }).rows.length > 0;
}

/** The id of the asset with this tag (case-insensitive), if any. */
export async function idOfTag(tx: Tx, tenantId: number, tag: string): Promise<number | undefined> {
  const [row] = await tx.select({ id: assets.id }).from(assets).where(and(eq(assets.tenantId, tenantId), eq(assets.tagKey, sql`lower(${tag})`)));
  return row?.id;
}

export async function insertAsset(tx: Tx, values: AssetInsert): Promise<AssetRow> {
  const [row] = await tx.insert(assets).values(values).returning();
  return row;
}

/** Writes `set` and bumps the version; returns the row after. */
export async function updateAssetRow(tx: Tx, tenantId: number, id: number, set: Partial<AssetInsert>): Promise<AssetRow> {
  const [after] = await tx
    .update(assets)
    .set({ ...set, version: sql`${assets.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(assets.tenantId, tenantId), eq(assets.id, id)))
    .returning();
  return after;
}

/** Puts back the version and time of an edit that changed nothing. */
/** Checks an asset out to a user (in use from now). */
export async function checkoutRow(tx: Tx, tenantId: number, id: number, userId: number, expectedReturn: string | null): Promise<AssetRow> {
  const [after] = await tx
    .update(assets)
    .set({ assignedToId: userId, checkedOutAt: sql`now()`, expectedReturn, status: 'in_use', version: sql`${assets.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(assets.tenantId, tenantId), eq(assets.id, id)))
    .returning();
  return after;
}

export async function restoreVersion(tx: Tx, tenantId: number, id: number, version: number, updatedAt: Date) {
  await tx.update(assets).set({ version, updatedAt }).where(and(eq(assets.tenantId, tenantId), eq(assets.id, id)));
}

export function historyPage(tx: Tx, tenantId: number, assetId: number, after: [number] | null, limit: number) {
  return tx
    .select()
    .from(assetHistory)
    .where(and(eq(assetHistory.tenantId, tenantId), eq(assetHistory.assetId, assetId), afterId(assetHistory.id, after)))
    .orderBy(asc(assetHistory.id))
    .limit(limit);
}

export async function userStatus(tx: Tx, tenantId: number, userId: number): Promise<string | undefined> {
  const [user] = await tx.select({ status: users.status }).from(users).where(and(eq(users.tenantId, tenantId), eq(users.id, userId)));
  return user?.status;
}

export async function setPublicToken(tx: Tx, tenantId: number, id: number, token: string): Promise<AssetRow | undefined> {
  const [row] = await tx
    .update(assets)
    .set({ publicToken: token, updatedAt: sql`now()` })
    .where(and(eq(assets.tenantId, tenantId), eq(assets.id, id)))
    .returning();
  return row;
}

/** Any company's asset behind a public token (the token is unique instance-wide). */
export async function findByPublicToken(tx: Tx, token: string) {
  const [row] = await tx
    .select({ asset: assets, locationName: locations.name })
    .from(assets)
    .leftJoin(locations, and(eq(locations.tenantId, assets.tenantId), eq(locations.id, assets.locationId)))
    .where(eq(assets.publicToken, token));
  return row ?? null;
}

export async function ticketCategoryOf(tx: Tx, tenantId: number, categoryId: number): Promise<number | null> {
  const [c] = await tx
    .select({ ticketCategoryId: picklistItems.ticketCategoryId })
    .from(picklistItems)
    .where(and(eq(picklistItems.tenantId, tenantId), eq(picklistItems.id, categoryId)));
  return c?.ticketCategoryId ?? null;
}

// ---- the asset page (assets.page) ----

export function childrenOf(tx: Tx, tenantId: number, id: number) {
  return tx
    .select({ id: assets.id, tag: assets.tag, name: assets.name })
    .from(assets)
    .where(and(eq(assets.tenantId, tenantId), eq(assets.parentId, id)))
    .orderBy(asc(assets.tag));
}

/** The tickets linked to an asset that `visible` lets the caller see, newest first (200 at most). */
export function linkedTickets(tx: Tx, tenantId: number, assetId: number, visible: SQL | undefined) {
  return tx
    .select({ number: tickets.number, title: tickets.title, kind: tickets.kind, status: tickets.status })
    .from(ticketAssets)
    .innerJoin(tickets, and(eq(tickets.tenantId, ticketAssets.tenantId), eq(tickets.id, ticketAssets.ticketId)))
    .where(and(eq(ticketAssets.tenantId, tenantId), eq(ticketAssets.assetId, assetId), visible))
    .orderBy(desc(tickets.number))
    .limit(200);
}

export async function assetIdsOfTicket(tx: Tx, tenantId: number, ticketId: number): Promise<number[]> {
  const rows = await tx
    .select({ assetId: ticketAssets.assetId })
    .from(ticketAssets)
    .where(and(eq(ticketAssets.tenantId, tenantId), eq(ticketAssets.ticketId, ticketId)))
    .orderBy(asc(ticketAssets.assetId));
  return rows.map((r) => r.assetId);
}

export async function setTicketAsset(tx: Tx, tenantId: number, ticketId: number, assetId: number, linked: boolean) {
  if (linked) await tx.insert(ticketAssets).values({ tenantId, ticketId, assetId });
  else await tx.delete(ticketAssets).where(and(eq(ticketAssets.tenantId, tenantId), eq(ticketAssets.ticketId, ticketId), eq(ticketAssets.assetId, assetId)));
}

/** Marks a ticket changed (its asset links moved); returns the row. */
export async function touchTicket(tx: Tx, tenantId: number, ticketId: number) {
  const [touched] = await tx.update(tickets).set({ updatedAt: sql`now()` }).where(and(eq(tickets.tenantId, tenantId), eq(tickets.id, ticketId))).returning();
  return touched;
}

// ---- photos and documents (assets.files) ----

export type FileRow = typeof assetFiles.$inferSelect;

/** A page of an asset's files in upload order, with the uploader's name. */
export function filesPage(tx: Tx, tenantId: number, assetId: number, after: [number] | null, limit: number) {
  return tx
    .select({ f: assetFiles, uploader: users.name })
    .from(assetFiles)
    .leftJoin(users, and(eq(users.tenantId, assetFiles.tenantId), eq(users.id, assetFiles.uploadedById)))
    .where(and(eq(assetFiles.tenantId, tenantId), eq(assetFiles.assetId, assetId), afterId(assetFiles.id, after)))
    .orderBy(asc(assetFiles.id))
    .limit(limit);
}

export async function insertFile(tx: Tx, values: typeof assetFiles.$inferInsert): Promise<FileRow> {
  const [row] = await tx.insert(assetFiles).values(values).returning();
  return row;
}

export async function findFile(tx: Tx, tenantId: number, id: number): Promise<FileRow | undefined> {
  const [row] = await tx.select().from(assetFiles).where(and(eq(assetFiles.tenantId, tenantId), eq(assetFiles.id, id)));
  return row;
}

export async function deleteFileRow(tx: Tx, tenantId: number, id: number) {
  await tx.delete(assetFiles).where(and(eq(assetFiles.tenantId, tenantId), eq(assetFiles.id, id)));
}
