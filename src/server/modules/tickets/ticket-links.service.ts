// The ticket page's side panels: the assets linked to a ticket (link, unlink), the approval chain
// with who decides each step, and the people the ticket forms offer.
import { z } from 'zod';
import type { TicketApproval, TicketAsset } from '../../../shared/contracts/tickets-links.js';
import type { UserActor } from '../../platform/actor.js';
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import type { Scope } from '../../platform/db.js';
import { AppError, notFound } from '../../platform/errors.js';
import { decodeCursor, encodeCursor } from '../http.js';
import { pathIds } from '../locations/locations.service.js';
import * as links from './ticket-links.repo.js';
import { publishTicket, recordHistory, who } from './tickets.events.js';
import { ticketCan } from './tickets.policy.js';
import * as repo from './tickets.repo.js';

async function visibleTicket(scope: Scope, actor: UserActor, number: number, lock = false) {
  const row = await repo.findVisibleRow(scope.tx, actor, number, lock);
  if (!row) throw notFound('Ticket');
  return row;
}

async function assetsOf(scope: Scope, tenantId: number, ticketId: number): Promise<TicketAsset[]> {
  const rows = await links.linkedAssets(scope.tx, tenantId, ticketId);
  const ids = [...new Set(rows.flatMap((r) => pathIds(r.locationPath ?? '')))];
  const names = await links.locationNames(scope.tx, tenantId, ids);
  return rows.map((r) => {
    const path = pathIds(r.locationPath ?? '')
      .map((id) => names.get(id))
      .filter((n): n is string => Boolean(n));
    return {
      id: String(r.id),
      tag: r.tag,
      name: r.name,
      serial: r.serial,
      status: r.status,
      location: r.locationId && r.locationName ? { id: String(r.locationId), name: r.locationName } : null,
      locationPath: r.locationId ? (path.length ? path.join(' / ') : r.locationName) : null,
    };
  });
}

export async function listTicketAssets(ctx: Ctx, number: number) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const t = await visibleTicket(scope, actor, number);
    return { items: await assetsOf(scope, actor.tenantId, t.id) };
  });
}

/** Links or unlinks one asset: recorded in the history as the change of the ticket's assets, version bumped. */
async function changeLink(ctx: Ctx, number: number, assetId: number, link: boolean) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const t = await visibleTicket(scope, actor, number, true);
    if (!ticketCan(actor, t).update) throw new AppError('forbidden', 'You may not edit this ticket');
    const asset = await links.findAssetBrief(scope.tx, actor.tenantId, assetId);
    if (!asset) {
      if (link) throw new AppError('validation', 'no such asset', { fields: { assetId: 'no such asset' } });
      throw notFound('Asset');
    }
    const linked = await links.isLinked(scope.tx, actor.tenantId, t.id, assetId);
    if (linked !== link) {
      const before = await repo.assetIds(scope.tx, actor.tenantId, t.id);
      if (link) await links.linkAsset(scope.tx, actor.tenantId, t.id, assetId);
      else await links.unlinkAsset(scope.tx, actor.tenantId, t.id, assetId);
      const after = link ? [...before, assetId].sort((a, b) => a - b) : before.filter((id) => id !== assetId);
      const row = await repo.updateIfVersion(scope.tx, t, {});
      if (!row) throw new AppError('stale_version', 'Someone else changed this ticket; reload it and try again');
      await recordHistory(scope, who(actor), row, 'updated', [{ field: 'assets', before: before.map(String), after: after.map(String) }]);
      await publishTicket(scope, row, 'updated');
    }
    return { items: await assetsOf(scope, actor.tenantId, t.id) };
  });
}

export const linkTicketAsset = (ctx: Ctx, number: number, assetId: number) => changeLink(ctx, number, assetId, true);
export const unlinkTicketAsset = (ctx: Ctx, number: number, assetId: number) => changeLink(ctx, number, assetId, false);

/** The approval chain of a ticket: each step with who decides it and where it stands, and the rejection. */
export async function ticketApproval(ctx: Ctx, number: number): Promise<TicketApproval> {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const t = await visibleTicket(scope, actor, number);
    const { tx } = scope;
    const steps = t.categoryId ? ((await repo.approvalSteps(tx, actor.tenantId, t.categoryId)) ?? []) : [];
    const made = await links.decisions(tx, actor.tenantId, t.id);
    const roleIds = steps.flatMap((s) => (s.type === 'role' ? [Number(s.roleId)] : []));
    const userIds = [...steps.flatMap((s) => (s.type === 'user' ? [Number(s.userId)] : [])), ...(t.pendingUserId ? [t.pendingUserId] : [])];
    const [roleNames, userNames, head] = await Promise.all([
      links.roleNames(tx, actor.tenantId, roleIds),
      links.userNames(tx, actor.tenantId, userIds),
      steps.some((s) => s.type === 'department_head') ? links.departmentHeadOf(tx, actor.tenantId, t.departmentId) : Promise.resolve(null),
    ]);
    const waiting = t.status === 'pending_approval' ? t.approvalStep : null;
    // The decision that stands for a step is its last one (the creator's skip of the chain is step 0 and covers every step).
    const lastOf = new Map<number, (typeof made)[number]>();
    for (const d of made) lastOf.set(d.step, d);
    const chainSkipped = made.some((d) => d.decision === 'skipped' && d.comment === 'Created by someone who may approve');
    const view = steps.map((s, i) => {
      const approver =
        s.type === 'role'
          ? (roleNames.get(Number(s.roleId)) ?? null)
          : s.type === 'user'
            ? (userNames.get(Number(s.userId)) ?? null)
            : i === waiting && t.pendingUserId
              ? (userNames.get(t.pendingUserId) ?? null)
              : (head?.name ?? null);
      const d = lastOf.get(i) ?? (chainSkipped ? lastOf.get(0) : undefined);
      const state = i === waiting ? ('waiting' as const) : d ? d.decision : ('ahead' as const);
      return {
        step: i,
        type: s.type,
        approver,
        state,
        decider: d && i !== waiting && d.decision !== 'skipped' ? { id: d.deciderId ? String(d.deciderId) : null, name: d.deciderName ?? '' } : null,
        comment: d && i !== waiting ? d.comment : null,
        at: d && i !== waiting ? d.at.toISOString() : null,
      };
    });
    const rejected = t.status === 'rejected' ? made.filter((d) => d.decision === 'rejected').at(-1) : undefined;
    return {
      steps: view,
      current: waiting,
      rejection: rejected
        ? { reason: rejected.comment ?? '', by: { id: rejected.deciderId ? String(rejected.deciderId) : null, name: rejected.deciderName ?? '' }, at: rejected.at.toISOString() }
        : null,
    };
  });
}

/** People to pick: who may work tickets (assignees) or anyone active (requesters); keyset pages by name. */
export async function ticketPeople(ctx: Ctx, kind: 'assignees' | 'requesters', query: { q?: string; limit: number; cursor?: string }) {
  const actor = requireUser(ctx);
  const after = decodeCursor(query.cursor, z.tuple([z.string(), z.number()]));
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    const rows = await links.people(tx, actor.tenantId, { q: query.q || undefined, mayWork: kind === 'assignees', limit: query.limit, after });
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    return {
      items: items.map((u) => ({ id: String(u.id), name: u.name, color: u.color, email: u.email })),
      nextCursor: rows.length > query.limit && last ? encodeCursor([last.key, last.id]) : null,
    };
  });
}
