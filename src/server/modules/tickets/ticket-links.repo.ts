// Queries of the ticket page's side panels: linked assets, the names of an approval chain, and the
// people the ticket forms offer. Every query names the company.
import { and, asc, eq, gt, ilike, inArray, or, sql } from 'drizzle-orm';
import { assets, departments, locations, roles, ticketApprovals, ticketAssets, users } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';

/** The assets linked to a ticket with their location, by tag. */
export async function linkedAssets(tx: Tx, tenantId: number, ticketId: number) {
  return tx
    .select({
      id: assets.id,
      tag: assets.tag,
      name: assets.name,
      serial: assets.serial,
      status: assets.status,
      locationId: assets.locationId,
      locationName: locations.name,
      locationPath: locations.path,
    })
    .from(ticketAssets)
    .innerJoin(assets, and(eq(assets.tenantId, ticketAssets.tenantId), eq(assets.id, ticketAssets.assetId)))
    .leftJoin(locations, and(eq(locations.tenantId, assets.tenantId), eq(locations.id, assets.locationId)))
    .where(and(eq(ticketAssets.tenantId, tenantId), eq(ticketAssets.ticketId, ticketId)))
    .orderBy(asc(assets.tag), asc(assets.id));
}

export async function isLinked(tx: Tx, tenantId: number, ticketId: number, assetId: number): Promise<boolean> {
  const [row] = await tx
    .select({ id: ticketAssets.assetId })
    .from(ticketAssets)
    .where(and(eq(ticketAssets.tenantId, tenantId), eq(ticketAssets.ticketId, ticketId), eq(ticketAssets.assetId, assetId)));
  return Boolean(row);
}

export async function findAssetBrief(tx: Tx, tenantId: number, id: number) {
  const [row] = await tx
    .select({ id: assets.id, tag: assets.tag, name: assets.name })
    .from(assets)
    .where(and(eq(assets.tenantId, tenantId), eq(assets.id, id)));
  return row ?? null;
}

export async function linkAsset(tx: Tx, tenantId: number, ticketId: number, assetId: number) {
  await tx.insert(ticketAssets).values({ tenantId, ticketId, assetId }).onConflictDoNothing();
}

export async function unlinkAsset(tx: Tx, tenantId: number, ticketId: number, assetId: number) {
  await tx.delete(ticketAssets).where(and(eq(ticketAssets.tenantId, tenantId), eq(ticketAssets.ticketId, ticketId), eq(ticketAssets.assetId, assetId)));
}

/** Names of locations by id (for "Site / Building / Room"). */
export async function locationNames(tx: Tx, tenantId: number, ids: number[]) {
  if (ids.length === 0) return new Map<number, string>();
  const rows = await tx
    .select({ id: locations.id, name: locations.name })
    .from(locations)
    .where(and(eq(locations.tenantId, tenantId), inArray(locations.id, ids)));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Every decision on a ticket, oldest first. */
export async function decisions(tx: Tx, tenantId: number, ticketId: number) {
  return tx
    .select({
      step: ticketApprovals.step,
      decision: ticketApprovals.decision,
      deciderId: ticketApprovals.deciderId,
      deciderName: ticketApprovals.deciderName,
      comment: ticketApprovals.comment,
      at: ticketApprovals.at,
    })
    .from(ticketApprovals)
    .where(and(eq(ticketApprovals.tenantId, tenantId), eq(ticketApprovals.ticketId, ticketId)))
    .orderBy(asc(ticketApprovals.at), asc(ticketApprovals.id));
}

export async function roleNames(tx: Tx, tenantId: number, ids: number[]) {
  if (ids.length === 0) return new Map<number, string>();
  const rows = await tx.select({ id: roles.id, name: roles.name }).from(roles).where(and(eq(roles.tenantId, tenantId), inArray(roles.id, ids)));
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function userNames(tx: Tx, tenantId: number, ids: number[]) {
  if (ids.length === 0) return new Map<number, string>();
  const rows = await tx.select({ id: users.id, name: users.name }).from(users).where(and(eq(users.tenantId, tenantId), inArray(users.id, ids)));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The head of a department, with their name; null without a department or a head. */
export async function departmentHeadOf(tx: Tx, tenantId: number, departmentId: number | null) {
  if (!departmentId) return null;
  const [row] = await tx
    .select({ id: users.id, name: users.name })
    .from(departments)
    .innerJoin(users, and(eq(users.tenantId, departments.tenantId), eq(users.id, departments.headUserId)))
    .where(and(eq(departments.tenantId, tenantId), eq(departments.id, departmentId)));
  return row ?? null;
}

/**
 * Active people by name, searchable by name, e-mail or username; `mayWork` keeps those whose role
 * holds tickets.update (who may work tickets). Keyset pages on (lower(name), id).
 */
export async function people(
  tx: Tx,
  tenantId: number,
  opts: { q?: string; mayWork: boolean; limit: number; after: [string, number] | null },
) {
  const key = sql<string>`lower(${users.name})`;
  const conditions = [eq(users.tenantId, tenantId), eq(users.status, 'active')];
  if (opts.mayWork) conditions.push(sql`'tickets.update' = any(${roles.permissions})`);
  if (opts.q) {
    const like = `%${opts.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    conditions.push(or(ilike(users.name, like), ilike(users.email, like), ilike(users.username, like))!);
  }
  if (opts.after) conditions.push(or(gt(key, opts.after[0]), and(eq(key, opts.after[0]), gt(users.id, opts.after[1])))!);
  return tx
    .select({ id: users.id, name: users.name, color: users.color, email: users.email, key })
    .from(users)
    .innerJoin(roles, and(eq(roles.tenantId, users.tenantId), eq(roles.id, users.roleId)))
    .where(and(...conditions))
    .orderBy(asc(key), asc(users.id))
    .limit(opts.limit + 1);
}
