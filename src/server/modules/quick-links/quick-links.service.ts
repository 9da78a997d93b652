// Quick links: admins (settings.manage) pin links to everyone's dashboard or one role's; everyone reads
// the links meant for them.
import type { UserActor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import type { Tx } from '../../platform/db.js';
import { forbidden, invalid, notFound } from '../../platform/errors.js';
import * as repo from './quick-links.repo.js';

export interface QuickLinkInput {
  title: string;
  url: string;
  description?: string;
  roleId?: number | null;
  position?: number;
}

const manages = (actor: UserActor) => actor.permissions.has('settings.manage');

function toDto(actor: UserActor, r: { link: repo.QuickLinkRow; roleName: string | null }) {
  const manage = manages(actor);
  return {
    id: String(r.link.id),
    title: r.link.title,
    url: r.link.url,
    description: r.link.description,
    role: r.link.roleId && r.roleName ? { id: String(r.link.roleId), name: r.roleName } : null,
    position: r.link.position,
    can: { update: manage, delete: manage },
  };
}

async function load(tx: Tx, actor: UserActor, id: number) {
  const [row] = await repo.findLinks(tx, actor.tenantId, { id });
  if (!row) throw notFound('Quick link');
  return toDto(actor, row);
}

async function checkRole(tx: Tx, tenantId: number, roleId: number | null | undefined) {
  if (roleId && !(await repo.roleExists(tx, tenantId, roleId))) throw invalid({ roleId: 'no such role' });
}

/** The links on the caller's dashboard (everyone's and their role's), or every link for those who manage them. */
export async function listQuickLinks(ctx: Ctx, audience: 'mine' | 'all') {
  const actor = requireUser(ctx);
  if (audience === 'all' && !manages(actor)) throw forbidden('Seeing every quick link needs settings.manage');
  const rows = await ctx.deps.database.withTenant(actor.tenantId, ({ tx }) =>
    repo.findLinks(tx, actor.tenantId, audience === 'all' ? {} : { forRoleId: actor.roleId }),
  );
  return { items: rows.map((r) => toDto(actor, r)), can: { create: manages(actor) } };
}

export async function createQuickLink(ctx: Ctx, input: QuickLinkInput) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    await checkRole(scope.tx, actor.tenantId, input.roleId);
    const row = await repo.insertLink(scope.tx, actor.tenantId, {
      title: input.title,
      url: input.url,
      description: input.description ?? '',
      roleId: input.roleId ?? null,
      position: input.position ?? 0,
    });
    await writeAudit(scope, actor, ctx.info.ip, { action: 'quick_link.created', targetType: 'quick_link', targetId: row.id, details: { title: row.title, url: row.url, roleId: row.roleId } });
    return load(scope.tx, actor, row.id);
  });
}

export async function updateQuickLink(ctx: Ctx, id: number, input: Partial<QuickLinkInput>) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    await checkRole(scope.tx, actor.tenantId, input.roleId);
    const before = await load(scope.tx, actor, id);
    const row = await repo.updateLink(scope.tx, actor.tenantId, id, {
      title: input.title,
      url: input.url,
      description: input.description,
      roleId: input.roleId,
      position: input.position,
    });
    if (!row) throw notFound('Quick link');
    await writeAudit(scope, actor, ctx.info.ip, {
      action: 'quick_link.updated',
      targetType: 'quick_link',
      targetId: id,
      details: { before: { title: before.title, url: before.url, roleId: before.role?.id ?? null }, after: input },
    });
    return load(scope.tx, actor, id);
  });
}

export async function deleteQuickLink(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  await ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const gone = await repo.deleteLink(scope.tx, actor.tenantId, id);
    if (!gone) throw notFound('Quick link');
    await writeAudit(scope, actor, ctx.info.ip, { action: 'quick_link.deleted', targetType: 'quick_link', targetId: id, details: { title: gone.title } });
  });
}
