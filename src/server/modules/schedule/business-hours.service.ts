// Business-hours calendars per company (weekly ranges in their own zone, holidays by date): CRUD, and
// the arithmetic the API answers ("add N business minutes", "business minutes between"). SLA policies
// count on them; a calendar a policy uses cannot be deleted.
import { nameCursor } from '../../db/keyset.js';
import type { BusinessHours, BusinessHoursInput, BusinessHoursPatch } from '../../../shared/contracts/sla.js';
import { type BusinessCalendar, addBusinessMinutes, businessMinutesBetween, calendarProblems, isOpen, nextOpenAt } from '../../../shared/time/business-hours.js';
import { writeAudit } from '../../platform/audit.js';
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import type { Tx } from '../../platform/db.js';
import { AppError, notFound } from '../../platform/errors.js';
import { cutPage, decodeCursor } from '../http.js';
import * as repo from './business-hours.repo.js';

export type { BusinessHoursRow } from './business-hours.repo.js';

export const DEFAULT_WEEK = [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '17:00' }));

const toCalendar = (r: repo.BusinessHoursRow): BusinessCalendar => ({ timezone: r.timezone, week: r.week, holidays: r.holidays });

const toDto = (r: repo.BusinessHoursRow, policyCount: number): BusinessHours => ({
  id: String(r.id),
  name: r.name,
  timezone: r.timezone,
  week: r.week,
  holidays: [...r.holidays].sort(),
  isDefault: r.isDefault,
  policyCount,
});

function check(calendar: BusinessCalendar) {
  const problems = calendarProblems(calendar);
  if (problems.length > 0)
    throw new AppError('validation', problems[0].message, { fields: Object.fromEntries(problems.map((p) => [p.field, p.message])) });
}

async function checkName(tx: Tx, tenantId: number, name: string, exceptId?: number) {
  if (await repo.nameTaken(tx, tenantId, name, exceptId))
    throw new AppError('duplicate', 'A calendar with this name exists', { fields: { name: 'is taken' } });
}

/** The company's first calendar (Monday–Friday 09:00–17:00 in its zone); run when the company is made. */
export function insertDefaultCalendar(tx: Tx, tenantId: number, timezone: string) {
  return repo.insertCalendar(tx, { tenantId, name: 'Office hours', timezone, week: DEFAULT_WEEK, holidays: [], isDefault: true });
}

/** Calendars by id as the arithmetic takes them (for the SLA clock). */
export async function calendarsOf(tx: Tx, tenantId: number, ids: number[]): Promise<Map<number, BusinessCalendar>> {
  if (ids.length === 0) return new Map();
  const rows = await repo.calendarsByIds(tx, tenantId, [...new Set(ids)]);
  return new Map(rows.map((r) => [r.id, toCalendar(r)]));
}

export async function calendarExists(tx: Tx, tenantId: number, id: number): Promise<boolean> {
  return (await repo.findCalendar(tx, tenantId, id)) !== null;
}

export async function listBusinessHours(ctx: Ctx, q: { limit: number; cursor?: string }) {
  const actor = requireUser(ctx);
  const after = decodeCursor(q.cursor, nameCursor);
  const rows = await ctx.deps.database.withTenant(actor.tenantId, ({ tx }) =>
    repo.listCalendars(tx, actor.tenantId, { after, limit: q.limit }),
  );
  const page = cutPage(rows, q.limit, (r) => [r.row.name.toLowerCase(), r.row.id]);
  return { items: page.rows.map((r) => toDto(r.row, r.policyCount)), nextCursor: page.nextCursor };
}

export async function getBusinessHours(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    const found = await repo.findCalendar(tx, actor.tenantId, id);
    if (!found) throw notFound('Business-hours calendar');
    return toDto(found.row, found.policyCount);
  });
}

export async function createBusinessHours(ctx: Ctx, input: BusinessHoursInput) {
  const actor = requireUser(ctx);
  check(input);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    await checkName(scope.tx, actor.tenantId, input.name);
    const row = await repo.insertCalendar(scope.tx, {
      tenantId: actor.tenantId,
      name: input.name,
      timezone: input.timezone,
      week: input.week,
      holidays: [...new Set(input.holidays)],
    });
    await writeAudit(scope, actor, ctx.info.ip, {
      action: 'business_hours.created',
      targetType: 'business_hours',
      targetId: row.id,
      details: { name: row.name },
    });
    return toDto(row, 0);
  });
}

export async function updateBusinessHours(ctx: Ctx, id: number, patch: BusinessHoursPatch) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const found = await repo.findCalendar(scope.tx, actor.tenantId, id, true);
    if (!found) throw notFound('Business-hours calendar');
    const next = {
      timezone: patch.timezone ?? found.row.timezone,
      week: patch.week ?? found.row.week,
      holidays: patch.holidays ?? found.row.holidays,
    };
    check(next);
    if (patch.name !== undefined) await checkName(scope.tx, actor.tenantId, patch.name, id);
    // Tickets keep the due times computed when they were set; later changes of the ticket use the new hours.
    const row = await repo.updateCalendar(scope.tx, actor.tenantId, id, {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...next,
      holidays: [...new Set(next.holidays)],
    });
    await writeAudit(scope, actor, ctx.info.ip, {
      action: 'business_hours.updated',
      targetType: 'business_hours',
      targetId: id,
      details: { name: row.name, fields: Object.keys(patch) },
    });
    return toDto(row, found.policyCount);
  });
}

export async function deleteBusinessHours(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  await ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const found = await repo.findCalendar(scope.tx, actor.tenantId, id, true);
    if (!found) throw notFound('Business-hours calendar');
    if (found.policyCount > 0)
      throw new AppError(
        'business_hours_in_use',
        `${found.policyCount} SLA ${found.policyCount === 1 ? 'policy counts' : 'policies count'} on this calendar; move them to another calendar first`,
        { policyCount: found.policyCount },
      );
    await repo.deleteCalendar(scope.tx, actor.tenantId, id);
    await writeAudit(scope, actor, ctx.info.ip, {
      action: 'business_hours.deleted',
      targetType: 'business_hours',
      targetId: id,
      details: { name: found.row.name },
    });
  });
}

/** "Add N business minutes to this instant" and/or "business minutes between two instants". */
export async function computeBusinessHours(ctx: Ctx, id: number, q: { from: string; minutes?: number; to?: string }) {
  const actor = requireUser(ctx);
  const found = await ctx.deps.database.withTenant(actor.tenantId, ({ tx }) => repo.findCalendar(tx, actor.tenantId, id));
  if (!found) throw notFound('Business-hours calendar');
  if (q.minutes === undefined && q.to === undefined)
    throw new AppError('validation', 'Send minutes, to, or both', { fields: { minutes: 'minutes or to is required' } });
  const calendar = toCalendar(found.row);
  const from = new Date(q.from);
  return {
    dueAt: q.minutes !== undefined ? addBusinessMinutes(calendar, from, q.minutes).toISOString() : null,
    minutes: q.to !== undefined ? businessMinutesBetween(calendar, from, new Date(q.to)) : null,
    openNow: isOpen(calendar, from),
    nextOpenAt: nextOpenAt(calendar, from).toISOString(),
  };
}
