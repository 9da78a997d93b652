// What the asset page shows (the asset, its parts, the tickets the caller may see, what the caller
// may do), the list, and the asset side of ticket links.
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { assets, ticketAssets, tickets } from '../../db/schema/index.js';
import type { UserActor } from '../../platform/actor.js';
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import type { Tx } from '../../platform/db.js';
import { AppError, notFound } from '../../platform/errors.js';
import { publishTicket, recordHistory, who } from '../tickets/tickets.events.js';
import { visibleTickets } from '../tickets/tickets.policy.js';
import { findVisible } from '../tickets/tickets.service.js';
import { toAsset } from './assets.dto.js';
import { type AssetFilters, queryAssets } from './assets.list.js';
import { type AssetRow, findAsset, selectAssets } from './assets.repo.js';
import { recordAssetHistory } from './assets.service.js';

export function assetCan(actor: UserActor, a: AssetRow) {
  const manage = actor.permissions.has('assets.manage');
  return {
    update: manage,
    checkout: manage && a.assignedToId === null && a.status !== 'retired' && a.status !== 'disposed',
    checkin: manage && a.assignedToId !== null,
    manageFiles: manage,
    linkTickets: manage,
    regeneratePublicLink: manage,
  };
}

export async function listAssets(ctx: Ctx, f: AssetFilters, page: { limit: number; cursor?: string }) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    const { rows, nextCursor } = await queryAssets(tx, actor, f, page);
    return { items: rows.map((r) => toAsset(r, ctx.deps.config.publicUrl, actor.profile.companyTimezone)), nextCursor };
  });
}

async function linkedTickets(tx: Tx, actor: UserActor, assetId: number) {
  return tx
    .select({ number: tickets.number, title: tickets.title, kind: tickets.kind, status: tickets.status })
    .from(ticketAssets)
    .innerJoin(tickets, and(eq(tickets.tenantId, ticketAssets.tenantId), eq(tickets.id, ticketAssets.ticketId)))
    .where(and(eq(ticketAssets.tenantId, actor.tenantId), eq(ticketAssets.assetId, assetId), visibleTickets(actor)))
    .orderBy(desc(tickets.number))
    .limit(200);
}

export async function getAsset(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    const [row] = await selectAssets(tx).where(and(eq(assets.tenantId, actor.tenantId), eq(assets.id, id)));
    if (!row) throw notFound('Asset');
    const children = await tx
      .select({ id: assets.id, tag: assets.tag, name: assets.name })
      .from(assets)
      .where(and(eq(assets.tenantId, actor.tenantId), eq(assets.parentId, id)))
      .orderBy(asc(assets.tag));
    return {
      ...toAsset(row, ctx.deps.config.publicUrl, actor.profile.companyTimezone),
      children: children.map((c) => ({ id: String(c.id), tag: c.tag, name: c.name })),
      tickets: await linkedTickets(tx, actor, id),
      can: assetCan(actor, row.a),
    };
  });
}

/** Links or unlinks a ticket the caller may see; the ticket's history says so ('updated', field 'assets'). */
export async function setTicketLink(ctx: Ctx, id: number, number: number, linked: boolean) {
  const actor = requireUser(ctx);
  const tenantId = actor.tenantId;
  await ctx.deps.database.withTenant(tenantId, async (scope) => {
    const { tx } = scope;
    const asset = await findAsset(tx, tenantId, id);
    if (!asset) throw notFound('Asset');
    const t = await findVisible(scope, actor, number, true);
    const current = await tx
      .select({ assetId: ticketAssets.assetId })
      .from(ticketAssets)
      .where(and(eq(ticketAssets.tenantId, tenantId), eq(ticketAssets.ticketId, t.id)))
      .orderBy(asc(ticketAssets.assetId));
    const before = current.map((r) => r.assetId);
    const has = before.includes(id);
    if (linked === has) {
      if (!linked) throw new AppError('not_found', 'This ticket is not linked to the asset');
      return;
    }
    if (linked) await tx.insert(ticketAssets).values({ tenantId, ticketId: t.id, assetId: id });
    else await tx.delete(ticketAssets).where(and(eq(ticketAssets.tenantId, tenantId), eq(ticketAssets.ticketId, t.id), eq(ticketAssets.assetId, id)));
    const after = (linked ? [...before, id] : before.filter((x) => x !== id)).sort((a, b) => a - b);
    const [touched] = await tx.update(tickets).set({ updatedAt: sql`now()` }).where(and(eq(tickets.tenantId, tenantId), eq(tickets.id, t.id))).returning();
    await recordHistory(scope, who(actor), touched, 'updated', [{ field: 'assets', before: before.map(String), after: after.map(String) }]);
    await recordAssetHistory(tx, actor, asset, linked ? 'ticket_linked' : 'ticket_unlinked', [{ field: 'ticket', before: linked ? null : t.number, after: linked ? t.number : null }]);
    await publishTicket(scope, touched, 'assets');
  });
  return getAsset(ctx, id);
}
