// Preventive maintenance plans per asset: CRUD, the due lists, the history of generated work
// orders, "generate now", and the plan's clock. Interval plans count from a fixed grid (schedule)
// or from the completion of the last work order (completion: while one is open nothing is due);
// the work order opens leadDays before the due day. Meter and threshold triggers fire from the
// meters ingest and sweep (the end of this file). Due days are days in the company's zone.
import type { Plan, PlanBody, PlanPatch, WorkOrderRun } from '../../../shared/contracts/maintenance.js';
import { addDays, dayRange, instantToWallClock, todayIn } from '../../../shared/time/index.js';
import { nextSlot, addPeriod } from '../../../shared/time/recurrence.js';
import type { PlanTemplate, PlanTrigger } from '../../db/schema/index.js';
import { writeAudit } from '../../platform/audit.js';
import type { Ctx, Deps } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import type { Scope } from '../../platform/db.js';
import { AppError, notFound } from '../../platform/errors.js';
import { decodeCursor, encodeCursor, iso } from '../http.js';
import { checkTemplateRefs, companyZone, openFromTemplate } from '../recurring/recurring.service.js';
import { onTicketStatusChanged, type TicketRow } from '../tickets/tickets.service.js';
import * as repo from './maintenance.repo.js';
import { z } from 'zod';

export const LATE_AFTER_MS = 5 * 60_000;
type Interval = Extract<PlanTrigger, { type: 'interval' }>;
const isInterval = (t: PlanTrigger): t is Interval => t.type === 'interval';

const zoneOf = companyZone;

// The clock ----------------------------------------------------------------------------------------

/** When the work order for a due day opens: the start of the day leadDays before, in the zone. */
const openAtFor = (dueDay: string, leadDays: number, zone: string) => dayRange(addDays(dueDay, -leadDays), zone).start;
const dayOf = (at: Date, zone: string) => instantToWallClock(at, zone).date;

/** The first due day of a new (or re-scheduled) plan: the grid's first slot from today, or startsOn. */
function firstDueDay(t: Interval, today: string): string {
  return t.from === 'schedule' ? nextSlot(t.startsOn, t.every, t.unit, today, true) : t.startsOn >= today ? t.startsOn : today;
}

export interface PlanClock {
  nextDueAt: Date | null;
  nextOpenAt: Date | null;
}

function clockFor(dueDay: string | null, leadDays: number, zone: string): PlanClock {
  return dueDay
    ? { nextDueAt: dayRange(dueDay, zone).start, nextOpenAt: openAtFor(dueDay, leadDays, zone) }
    : { nextDueAt: null, nextOpenAt: null };
}

/** The clock after a work order for `dueDay` opened: the next grid slot, or nothing until completion. */
function clockAfterOpening(t: Interval, dueDay: string, leadDays: number, zone: string): PlanClock {
  return t.from === 'schedule'
    ? clockFor(nextSlot(t.startsOn, t.every, t.unit, dueDay), leadDays, zone)
    : { nextDueAt: null, nextOpenAt: null };
}

/** The clock of a new plan: its first due day and when its work order opens (nothing for meter and threshold plans). */
export function initialClock(trigger: PlanTrigger, leadDays: number, zone: string, now: Date): PlanClock {
  return isInterval(trigger) ? clockFor(firstDueDay(trigger, todayIn(zone, now)), leadDays, zone) : { nextDueAt: null, nextOpenAt: null };
}

// Answers ------------------------------------------------------------------------------------------

function toPlan(row: repo.PlanWithNames, zone: string, names: Map<number, string>, now: Date): Plan {
  const p = row.p;
  const t = p.trigger;
  const tmpl = p.template;
  const dueOn = p.nextDueAt ? dayOf(p.nextDueAt, zone) : null;
  const openOverdue =
    !!row.openDueAt && row.openDueAt.getTime() < now.getTime() && !['resolved', 'closed', 'rejected'].includes(row.openStatus ?? '');
  return {
    id: String(p.id),
    asset: { id: String(row.asset.id), tag: row.asset.tag, name: row.asset.name },
    title: p.title,
    trigger: t,
    leadDays: p.leadDays,
    template: {
      priority: tmpl.priority,
      assigneeId: tmpl.assigneeId ?? null,
      teamId: tmpl.teamId ?? null,
      description: tmpl.description ?? '',
      tasks: tmpl.tasks,
      parts: (tmpl.parts ?? []).map((x) => ({ partId: x.partId, quantity: x.quantity, name: names.get(Number(x.partId)) ?? null })),
    },
    nextDueAt: iso(p.nextDueAt),
    nextDueOn: dueOn,
    nextDueValue: p.nextDueValue === null ? null : Number(p.nextDueValue),
    openWorkOrder: row.openNumber ?? null,
    lastCompletedAt: iso(p.lastCompletedAt),
    fires: true,
    overdue: p.active && ((!!dueOn && dueOn < todayIn(zone, now)) || openOverdue),
    active: p.active,
    lastError: p.lastError,
    version: p.version,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

async function answer(scope: Scope, tenantId: number, rows: repo.PlanWithNames[], now = new Date()): Promise<Plan[]> {
  const zone = await zoneOf(scope, tenantId);
  const partIds = [...new Set(rows.flatMap((r) => (r.p.template.parts ?? []).map((x) => Number(x.partId))))];
  const names = await repo.partNames(scope.tx, tenantId, partIds);
  return rows.map((r) => toPlan(r, zone, names, now));
}

async function answerOne(scope: Scope, tenantId: number, id: number): Promise<Plan> {
  const row = await repo.findPlanWithNames(scope.tx, tenantId, id);
  if (!row) throw notFound('Maintenance plan');
  return (await answer(scope, tenantId, [row]))[0];
}

// Validation ---------------------------------------------------------------------------------------

function storedTrigger(t: PlanBody['trigger'], today: string): PlanTrigger {
  if (t.type === 'interval') return { type: 'interval', every: t.every, unit: t.unit, from: t.from, startsOn: t.startsOn ?? today };
  return t;
}

function storedTemplate(t: PlanBody['template']): PlanTemplate {
  return {
    priority: t.priority,
    assigneeId: t.assigneeId ?? null,
    teamId: t.teamId ?? null,
    description: t.description ?? '',
    tasks: t.tasks,
    parts: t.parts,
  };
}

async function checkMeter(scope: Scope, tenantId: number, t: PlanTrigger) {
  if (t.type === 'interval') return;
  if (!(await meterExists(scope, tenantId, Number(t.meterId))))
    throw new AppError('validation', 'The meter does not exist', { fields: { 'trigger.meterId': 'no such meter' } });
}

async function checkTemplate(scope: Scope, tenantId: number, t: PlanTemplate) {
  await checkTemplateRefs(scope, tenantId, {
    assigneeId: t.assigneeId ? Number(t.assigneeId) : null,
    teamId: t.teamId ? Number(t.teamId) : null,
  });
  const partIds = (t.parts ?? []).map((x) => Number(x.partId));
  const found = await repo.partNames(scope.tx, tenantId, partIds);
  if (found.size !== new Set(partIds).size)
    throw new AppError('validation', 'A part of the template does not exist', { fields: { 'template.parts': 'no such part' } });
}

// Use cases ----------------------------------------------------------------------------------------

export async function listAssetPlans(ctx: Ctx, assetId: number, q: { limit: number; cursor?: string }) {
  const actor = requireUser(ctx);
  const after = decodeCursor(q.cursor, z.tuple([z.number().int()]));
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    if (!(await repo.assetExists(scope.tx, actor.tenantId, assetId))) throw notFound('Asset');
    const rows = await repo.assetPlans(scope.tx, actor.tenantId, assetId, after?.[0] ?? null, q.limit + 1);
    const items = await answer(scope, actor.tenantId, rows.slice(0, q.limit));
    return { items, nextCursor: rows.length > q.limit ? encodeCursor([rows[q.limit - 1].p.id]) : null };
  });
}

const planCursor = z.tuple([z.string(), z.number().int()]);

/** Active plans soonest due first: all, due this week (the next 7 days in the company's zone, and overdue), or overdue. */
export async function listPlans(ctx: Ctx, q: { limit: number; cursor?: string; due: 'week' | 'overdue' | 'all' }, now = new Date()) {
  const actor = requireUser(ctx);
  const after = decodeCursor(q.cursor, planCursor);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const zone = await zoneOf(scope, actor.tenantId);
    const today = todayIn(zone, now);
    const filter =
      q.due === 'week'
        ? { dueBefore: dayRange(addDays(today, 7), zone).start }
        : q.due === 'overdue'
          ? { overdueAt: { dayStart: dayRange(today, zone).start, now } }
          : {};
    const rows = await repo.plansPage(scope.tx, actor.tenantId, filter, after, q.limit + 1);
    const items = await answer(scope, actor.tenantId, rows.slice(0, q.limit), now);
    const last = rows[q.limit - 1];
    return {
      items,
      nextCursor: rows.length > q.limit && last ? encodeCursor([last.p.nextDueAt?.toISOString() ?? 'infinity', last.p.id]) : null,
    };
  });
}

export async function getPlan(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, (scope) => answerOne(scope, actor.tenantId, id));
}

export async function createPlan(ctx: Ctx, assetId: number, body: PlanBody, now = new Date()) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    if (!(await repo.assetExists(scope.tx, actor.tenantId, assetId))) throw notFound('Asset');
    const zone = await zoneOf(scope, actor.tenantId);
    const today = todayIn(zone, now);
    const trigger = storedTrigger(body.trigger, today);
    const template = storedTemplate(body.template);
    await checkTemplate(scope, actor.tenantId, template);
    const clock =
      body.active && isInterval(trigger)
        ? clockFor(firstDueDay(trigger, today), body.leadDays, zone)
        : { nextDueAt: null, nextOpenAt: null };
    await checkMeter(scope, actor.tenantId, trigger);
    const meterClock = await meterPlanClock(scope, actor.tenantId, trigger);
    const row = await repo.insertPlan(scope.tx, {
      ...meterClock,
      tenantId: actor.tenantId,
      assetId,
      title: body.title,
      triggerType: trigger.type,
      trigger,
      leadDays: body.leadDays,
      template,
      active: body.active,
      ...clock,
      createdById: actor.userId,
    });
    await writeAudit(scope, actor, ctx.info.ip, {
      action: 'maintenance_plan.created',
      tenantId: actor.tenantId,
      targetType: 'maintenance_plan',
      targetId: String(row.id),
      details: { title: row.title, assetId: String(assetId) },
    });
    return answerOne(scope, actor.tenantId, row.id);
  });
}

/** Edits a plan. A new trigger or lead time re-plans from today (nothing missed is backfilled); a pause stops the clock. */
export async function updatePlan(ctx: Ctx, id: number, patch: PlanPatch, now = new Date()) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const before = await repo.findPlan(scope.tx, actor.tenantId, id, true);
    if (!before) throw notFound('Maintenance plan');
    if (patch.version !== undefined && patch.version !== before.version) {
      throw new AppError('stale_version', 'Someone else changed this plan; reload it and try again', { currentVersion: before.version });
    }
    const zone = await zoneOf(scope, actor.tenantId);
    const today = todayIn(zone, now);
    const trigger = patch.trigger ? storedTrigger(patch.trigger, today) : before.trigger;
    const template = patch.template ? storedTemplate(patch.template) : before.template;
    if (patch.template) await checkTemplate(scope, actor.tenantId, template);
    const leadDays = patch.leadDays ?? before.leadDays;
    const active = patch.active ?? before.active;
    const replan = !!patch.trigger || leadDays !== before.leadDays || (active && !before.active);
    let clock: PlanClock = { nextDueAt: before.nextDueAt, nextOpenAt: before.nextOpenAt };
    if (!active || !isInterval(trigger)) clock = { nextDueAt: null, nextOpenAt: null };
    else if (replan) {
      // Completion mode with a work order open stays waiting for its completion.
      const waiting = trigger.from === 'completion' && before.openWorkOrderId !== null;
      clock = waiting ? { nextDueAt: null, nextOpenAt: null } : clockFor(firstDueDay(trigger, today), leadDays, zone);
    }
    if (patch.trigger) await checkMeter(scope, actor.tenantId, trigger);
    const meterClock = patch.trigger || (active && !before.active) ? await meterPlanClock(scope, actor.tenantId, trigger) : {};
    await repo.updatePlan(scope.tx, actor.tenantId, id, {
      ...meterClock,
      title: patch.title,
      trigger,
      triggerType: trigger.type,
      template,
      leadDays,
      active,
      ...clock,
      lastError: replan ? null : undefined,
    });
    await writeAudit(scope, actor, ctx.info.ip, {
      action: 'maintenance_plan.updated',
      tenantId: actor.tenantId,
      targetType: 'maintenance_plan',
      targetId: String(id),
      details: { fields: Object.keys(patch).filter((k) => k !== 'version') },
    });
    return answerOne(scope, actor.tenantId, id);
  });
}

export async function deletePlan(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  await ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const row = await repo.findPlan(scope.tx, actor.tenantId, id, true);
    if (!row) throw notFound('Maintenance plan');
    await repo.deletePlan(scope.tx, actor.tenantId, id);
    await writeAudit(scope, actor, ctx.info.ip, {
      action: 'maintenance_plan.deleted',
      tenantId: actor.tenantId,
      targetType: 'maintenance_plan',
      targetId: String(id),
      details: { title: row.title },
    });
  });
}

export async function listWorkOrders(ctx: Ctx, id: number, q: { limit: number; cursor?: string }) {
  const actor = requireUser(ctx);
  const before = decodeCursor(q.cursor, z.tuple([z.number().int()]));
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    if (!(await repo.findPlan(scope.tx, actor.tenantId, id))) throw notFound('Maintenance plan');
    const rows = await repo.runsPage(scope.tx, actor.tenantId, id, before?.[0] ?? null, q.limit + 1);
    const items: WorkOrderRun[] = rows.slice(0, q.limit).map((r) => ({
      dueAt: r.r.dueAt.toISOString(),
      ticketNumber: r.number ?? null,
      title: r.title ?? null,
      status: r.status ?? null,
      resolvedAt: iso(r.resolvedAt),
      late: r.r.late,
      manual: r.r.manual,
      createdAt: r.r.createdAt.toISOString(),
    }));
    return { items, nextCursor: rows.length > q.limit ? encodeCursor([rows[q.limit - 1].r.id]) : null };
  });
}

// Opening work orders ------------------------------------------------------------------------------

/**
 * Opens the work order of a locked plan for `dueAt` in the caller's transaction, unless that due
 * date has one already (the run's unique key); then moves the plan's clock. Null when it existed.
 */
export async function openWorkOrderIn(
  scope: Scope,
  deps: Deps,
  plan: repo.PlanRow,
  dueAt: Date,
  now: Date,
  manual: boolean,
  /** Meter and threshold plans: what made it due (in the description). */
  reason?: string,
) {
  const zone = await zoneOf(scope, plan.tenantId);
  const dueDay = dayOf(dueAt, zone);
  const openAt = openAtFor(dueDay, plan.leadDays, zone);
  const late = !manual && isInterval(plan.trigger) && now.getTime() - openAt.getTime() > LATE_AFTER_MS;
  const runId = await repo.insertRun(scope.tx, { tenantId: plan.tenantId, planId: plan.id, dueAt, late, manual });
  if (runId === null) {
    // This due date had its work order already (re-planned onto a day that had one): move past it.
    if (!manual && isInterval(plan.trigger)) {
      const t = plan.trigger;
      const clock =
        t.from === 'schedule'
          ? clockAfterOpening(t, dueDay, plan.leadDays, zone)
          : clockFor(addPeriod(dueDay, t.every, t.unit), plan.leadDays, zone);
      await repo.updatePlan(scope.tx, plan.tenantId, plan.id, clock, false);
    }
    return null;
  }
  const tmpl = plan.template;
  const names = await repo.partNames(
    scope.tx,
    plan.tenantId,
    (tmpl.parts ?? []).map((x) => Number(x.partId)),
  );
  const partLines = (tmpl.parts ?? []).map((x) => `- ${x.quantity} × ${names.get(Number(x.partId)) ?? `part ${x.partId}`}`);
  const description = [
    tmpl.description ?? '',
    partLines.length ? `**Parts**\n${partLines.join('\n')}` : '',
    reason
      ? `_Preventive maintenance "${plan.title}": ${reason}._`
      : `_Preventive maintenance "${plan.title}", due ${dueDay}${late ? ' (opened late: the scheduler was down)' : ''}._`,
  ]
    .filter(Boolean)
    .join('\n\n');
  const ticket = await openFromTemplate(scope, deps, plan.tenantId, {
    kind: 'work_order',
    title: plan.title,
    description,
    priority: tmpl.priority,
    assigneeId: tmpl.assigneeId ? Number(tmpl.assigneeId) : null,
    teamId: tmpl.teamId ? Number(tmpl.teamId) : null,
    assetIds: [plan.assetId],
    dueAt: dayRange(dueDay, zone).end,
    tasks: tmpl.tasks,
  });
  await repo.setRunTicket(scope.tx, plan.tenantId, runId, ticket.id);
  const clock =
    isInterval(plan.trigger) && plan.active
      ? clockAfterOpening(plan.trigger, dueDay, plan.leadDays, zone)
      : { nextDueAt: plan.nextDueAt, nextOpenAt: null };
  await repo.updatePlan(scope.tx, plan.tenantId, plan.id, { ...clock, openWorkOrderId: ticket.id, lastError: null }, false);
  return ticket;
}

/** "Generate now": opens the plan's work order for its next due date (today when it has none). */
export async function generateWorkOrder(ctx: Ctx, id: number, now = new Date()) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const plan = await repo.findPlan(scope.tx, actor.tenantId, id, true);
    if (!plan) throw notFound('Maintenance plan');
    const trigger = plan.trigger;
    if (isInterval(trigger) && trigger.from === 'completion' && plan.openWorkOrderId !== null) {
      throw new AppError('conflict', 'This plan has a work order open; complete it first', {
        openWorkOrderId: String(plan.openWorkOrderId),
      });
    }
    const zone = await zoneOf(scope, actor.tenantId);
    const dueAt = plan.nextDueAt ?? dayRange(todayIn(zone, now), zone).start;
    const ticket = await openWorkOrderIn(scope, ctx.deps, plan, dueAt, now, true);
    if (!ticket) throw new AppError('duplicate', 'A work order for this due date exists already', { dueAt: dueAt.toISOString() });
    return {
      ticket: { id: String(ticket.id), number: ticket.number, title: ticket.title, status: ticket.status, dueAt: iso(ticket.dueAt) },
      plan: await answerOne(scope, actor.tenantId, id),
    };
  });
}

/**
 * A work order resolved or closed completes its plan's cycle: in completion mode the next due day
 * is the completion day plus the interval (a job done early moves it earlier). Called by the
 * tickets module inside the status change's transaction.
 */
async function workOrderFinished(scope: Scope, t: TicketRow, before: TicketRow['status']): Promise<void> {
  const done = t.status === 'resolved' || t.status === 'closed';
  const wasDone = before === 'resolved' || before === 'closed';
  if (!done || wasDone || t.kind !== 'work_order') return;
  const plans = await repo.plansWithWorkOrder(scope.tx, t.tenantId, t.id);
  if (plans.length > 0) await completePlans(scope, t.tenantId, plans, t.resolvedAt ?? t.closedAt ?? new Date());
}

/** Ends the plans' cycle at `completedAt`: no open work order; in completion mode, due again an interval later. */
async function completePlans(scope: Scope, tenantId: number, plans: repo.PlanRow[], completedAt: Date): Promise<void> {
  const zone = await zoneOf(scope, tenantId);
  for (const plan of plans) {
    const trigger = plan.trigger;
    const clock =
      isInterval(trigger) && trigger.from === 'completion' && plan.active
        ? clockFor(addPeriod(dayOf(completedAt, zone), trigger.every, trigger.unit), plan.leadDays, zone)
        : { nextDueAt: plan.nextDueAt, nextOpenAt: plan.nextOpenAt };
    await repo.updatePlan(scope.tx, tenantId, plan.id, { ...clock, openWorkOrderId: null, lastCompletedAt: completedAt }, false);
  }
}

/**
 * The scheduler's safety net for the completion hook: a plan whose open work order was finished
 * some other way (rejected, purged, deleted) is completed here, at the ticket's resolution or
 * closing time, or now. Returns whether the plan changed.
 */
export async function reconcileWorkOrderIn(scope: Scope, tenantId: number, planId: number, now: Date): Promise<boolean> {
  const plan = await repo.findPlan(scope.tx, tenantId, planId, true);
  if (!plan?.openWorkOrderId) return false;
  const wo = await repo.workOrderState(scope.tx, tenantId, plan.openWorkOrderId);
  if (wo && !['resolved', 'closed', 'rejected'].includes(wo.status)) return false;
  await completePlans(scope, tenantId, [plan], wo?.resolvedAt ?? wo?.closedAt ?? now);
  return true;
}
onTicketStatusChanged(workOrderFinished);

// Meter and threshold plans ----------------------------------------------------------------------
// Meter and threshold maintenance plans (issue 16). A meter plan ({meterId, everyUnits}) opens its
// work order when the meter's counter reaches the next mark (marks every everyUnits from 0: 500,
// 1000, 1500 … running hours), once per mark; the next mark is the mark plus everyUnits (past the
// reading when the counter jumped over several). A threshold plan opens one work order per
// excursion (the rule of src/shared/excursion.ts; the run is keyed by the excursion's start, so a
// retry or a second worker never opens it twice). Called by the meters ingest hook and sweep
// inside their transaction, with the plans locked.

/** The first mark above a counter value: marks are the multiples of everyUnits. */
export function nextMark(value: number, everyUnits: number): number {
  return (Math.floor(value / everyUnits) + 1) * everyUnits;
}

/** The stored clock of a new or re-triggered meter/threshold plan. */
export async function meterPlanClock(scope: Scope, tenantId: number, trigger: PlanTrigger) {
  const empty = { excursionStartedAt: null, fireAt: null, fired: false, evaluatedAt: null };
  if (trigger.type === 'interval') return { meterId: null, nextDueValue: null, ...empty };
  const meter = await repo.meterLastValue(scope.tx, tenantId, Number(trigger.meterId));
  const nextDueValue =
    trigger.type === 'meter' && meter?.lastValue !== null && meter?.lastValue !== undefined
      ? String(nextMark(meter.lastValue, trigger.everyUnits))
      : null;
  return { meterId: Number(trigger.meterId), nextDueValue, ...empty };
}

export const meterExists = async (scope: Scope, tenantId: number, meterId: number) =>
  !!(await repo.meterLastValue(scope.tx, tenantId, meterId));
