// SLA policies: matched by priority, category and kind in `position` order (the first enabled match
// applies), first-response and resolution targets per priority in business minutes on a calendar,
// a warning lead and an escalation role. A new company gets one default policy on its default
// calendar. What the tickets module calls (the clock) is re-exported from sla.tickets.ts.
import { z } from 'zod';
import type { ListQuery } from '../../../shared/contracts/common.js';
import type { SlaPolicy, SlaPolicyInput, SlaPolicyPatch } from '../../../shared/contracts/sla.js';
import { writeAudit } from '../../platform/audit.js';
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import type { Tx } from '../../platform/db.js';
import { AppError, notFound } from '../../platform/errors.js';
import { cutPage, decodeCursor } from '../http.js';
import { calendarExists, insertDefaultCalendar } from '../schedule/business-hours.service.js';
import * as repo from './sla.repo.js';

export { applySla, type SlaTicket, slaDueCandidates, slaOf, slaOfMany, slaOnPublicReply, slaOnStatus } from './sla.tickets.js';
export { fireDue, slaJobs, sweepTimers } from './sla.timers.js';

/** The default policy's targets (business minutes), as help desks start out. */
export const DEFAULT_TARGETS = {
  urgent: { firstResponseMinutes: 30, resolutionMinutes: 240 },
  high: { firstResponseMinutes: 60, resolutionMinutes: 480 },
  medium: { firstResponseMinutes: 240, resolutionMinutes: 1440 },
  low: { firstResponseMinutes: 480, resolutionMinutes: 2400 },
};

const toDto = (p: repo.SlaPolicyRow): SlaPolicy => ({
  id: String(p.id),
  name: p.name,
  position: p.position,
  enabled: p.enabled,
  businessHoursId: String(p.businessHoursId),
  match: p.match,
  targets: p.targets,
  warnBeforeMinutes: p.warnBeforeMinutes,
  escalationRoleId: p.escalationRoleId ? String(p.escalationRoleId) : null,
});

/** A new company's default calendar and policy (escalating to its Manager role); run when the company is made. */
export async function seedSlaDefaults(tx: Tx, tenantId: number, timezone: string): Promise<void> {
  const calendar = await insertDefaultCalendar(tx, tenantId, timezone);
  await repo.insertPolicy(tx, {
    tenantId,
    name: 'Standard',
    position: 1,
    businessHoursId: calendar.id,
    match: {},
    targets: DEFAULT_TARGETS,
    warnBeforeMinutes: 60,
    escalationRoleId: await repo.roleIdByName(tx, tenantId, 'Manager'),
  });
}

async function checkRefs(
  tx: Tx,
  tenantId: number,
  input: { name?: string; businessHoursId?: string; escalationRoleId?: string | null },
  exceptId?: number,
) {
  if (input.name !== undefined && (await repo.nameTaken(tx, tenantId, input.name, exceptId)))
    throw new AppError('duplicate', 'A policy with this name exists', { fields: { name: 'is taken' } });
  if (input.businessHoursId !== undefined && !(await calendarExists(tx, tenantId, Number(input.businessHoursId))))
    throw new AppError('validation', 'No such business-hours calendar', { fields: { businessHoursId: 'no such calendar' } });
  if (input.escalationRoleId && !(await repo.roleExists(tx, tenantId, Number(input.escalationRoleId))))
    throw new AppError('validation', 'No such role', { fields: { escalationRoleId: 'no such role' } });
}

/** Numbers the policies 1..n in their order, with `placed` (when given) at `position`. */
async function reorder(tx: Tx, tenantId: number, placed?: { id: number; position: number }) {
  const rows = await repo.orderedIds(tx, tenantId);
  const ids = rows.map((r) => r.id).filter((id) => id !== placed?.id);
  if (placed) ids.splice(Math.max(0, Math.min(placed.position - 1, ids.length)), 0, placed.id);
  const current = new Map(rows.map((r) => [r.id, r.position]));
  for (const [i, id] of ids.entries()) if (current.get(id) !== i + 1) await repo.setPosition(tx, tenantId, id, i + 1);
}

const positionCursor = z.tuple([z.number(), z.number()]);

export async function listPolicies(ctx: Ctx, q: ListQuery) {
  const actor = requireUser(ctx);
  const after = decodeCursor(q.cursor, positionCursor);
  const rows = await ctx.deps.database.withTenant(actor.tenantId, ({ tx }) => repo.listPolicies(tx, actor.tenantId, after, q.limit));
  const page = cutPage(rows, q.limit, (p) => [p.position, p.id]);
  return { items: page.rows.map(toDto), nextCursor: page.nextCursor };
}

export async function getPolicy(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  const row = await ctx.deps.database.withTenant(actor.tenantId, ({ tx }) => repo.findPolicy(tx, actor.tenantId, id));
  if (!row) throw notFound('SLA policy');
  return toDto(row);
}

export async function createPolicy(ctx: Ctx, input: SlaPolicyInput) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    await checkRefs(scope.tx, actor.tenantId, input);
    const last = await repo.lastPosition(scope.tx, actor.tenantId);
    const position = Math.min(input.position ?? last + 1, last + 1);
    const inserted = await repo.insertPolicy(scope.tx, {
      tenantId: actor.tenantId,
      name: input.name,
      position,
      enabled: input.enabled,
      businessHoursId: Number(input.businessHoursId),
      match: input.match,
      targets: input.targets,
      warnBeforeMinutes: input.warnBeforeMinutes,
      escalationRoleId: input.escalationRoleId ? Number(input.escalationRoleId) : null,
    });
    await reorder(scope.tx, actor.tenantId, { id: inserted.id, position });
    const row = (await repo.findPolicy(scope.tx, actor.tenantId, inserted.id))!;
    await writeAudit(scope, actor, ctx.info.ip, {
      action: 'sla_policy.created',
      targetType: 'sla_policy',
      targetId: row.id,
      details: { name: row.name, position },
    });
    return toDto(row);
  });
}

/** Edits a policy; a new `position` moves it there and the others make room. Tickets keep their clocks until they change. */
export async function updatePolicy(ctx: Ctx, id: number, patch: SlaPolicyPatch) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const before = await repo.findPolicy(scope.tx, actor.tenantId, id, true);
    if (!before) throw notFound('SLA policy');
    await checkRefs(scope.tx, actor.tenantId, patch, id);
    const { position, businessHoursId, escalationRoleId, ...rest } = patch;
    await repo.updatePolicy(scope.tx, actor.tenantId, id, {
      ...rest,
      ...(businessHoursId !== undefined ? { businessHoursId: Number(businessHoursId) } : {}),
      ...(escalationRoleId !== undefined ? { escalationRoleId: escalationRoleId ? Number(escalationRoleId) : null } : {}),
    });
    if (position !== undefined) await reorder(scope.tx, actor.tenantId, { id, position });
    const row = (await repo.findPolicy(scope.tx, actor.tenantId, id))!;
    await writeAudit(scope, actor, ctx.info.ip, {
      action: 'sla_policy.updated',
      targetType: 'sla_policy',
      targetId: id,
      details: { name: row.name, fields: Object.keys(patch) },
    });
    return toDto(row);
  });
}

/** Deletes a policy; its tickets lose their clocks (the rows cascade). */
export async function deletePolicy(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  await ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const before = await repo.findPolicy(scope.tx, actor.tenantId, id, true);
    if (!before) throw notFound('SLA policy');
    await repo.deletePolicy(scope.tx, actor.tenantId, id);
    await reorder(scope.tx, actor.tenantId);
    await writeAudit(scope, actor, ctx.info.ip, {
      action: 'sla_policy.deleted',
      targetType: 'sla_policy',
      targetId: id,
      details: { name: before.name },
    });
  });
}
