// What the asset page shows (the asset, its parts, the tickets the caller may see, what the caller
// may do), the list, and the asset side of ticket links.
import type { UserActor } from '../../platform/actor.js';
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import type { Tx } from '../../platform/db.js';
import { AppError, notFound } from '../../platform/errors.js';
import { findVisible, publishTicket, recordHistory, visibleTickets, who } from '../tickets/tickets.service.js';
import { toAsset } from './assets.dto.js';
import { type AssetFilters, queryAssets } from './assets.queries.js';
import * as repo from './assets.repo.js';
import { type AssetRow, findAsset } from './assets.repo.js';
import { recordAssetHistory } from './assets.service.js';
import { publicUrlOf } from '../settings/settings.service.js';

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
    const base = await publicUrlOf(tx, ctx.deps.config, actor.tenantId);
    return { items: rows.map((r) => toAsset(r, base, actor.profile.companyTimezone)), nextCursor };
  });
}

const linkedTickets = (tx: Tx, actor: UserActor, assetId: number) => repo.linkedTickets(tx, actor.tenantId, assetId, visibleTickets(actor));

export async function getAsset(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    const row = await repo.findAssetWithNames(tx, actor.tenantId, id);
    if (!row) throw notFound('Asset');
    const children = await repo.childrenOf(tx, actor.tenantId, id);
    return {
      ...toAsset(row, await publicUrlOf(tx, ctx.deps.config, actor.tenantId), actor.profile.companyTimezone),
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
    const before = await repo.assetIdsOfTicket(tx, tenantId, t.id);
    const has = before.includes(id);
    if (linked === has) {
      if (!linked) throw new AppError('not_found', 'This ticket is not linked to the asset');
      return;
    }
    await repo.setTicketAsset(tx, tenantId, t.id, id, linked);
    const after = (linked ? [...before, id] : before.filter((x) => x !== id)).sort((a, b) => a - b);
    const touched = await repo.touchTicket(tx, tenantId, t.id);
    await recordHistory(scope, who(actor), touched, 'updated', [{ field: 'assets', before: before.map(String), after: after.map(String) }]);
    await recordAssetHistory(tx, actor, asset, linked ? 'ticket_linked' : 'ticket_unlinked', [{ field: 'ticket', before: linked ? null : t.number, after: linked ? t.number : null }]);
    await publishTicket(scope, touched, 'assets');
  });
  return getAsset(ctx, id);
}
