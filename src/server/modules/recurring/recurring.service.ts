// Recurring tickets: a ticket template with an RRULE at a time of day in a zone. CRUD, the
// occurrences preview, the runs list, and opening a ticket from a template (shared with
// maintenance plans). The scheduler that fires them is recurring.scheduler.ts.
import type { RecurringTicket, RecurringTicketBody, RecurringTicketPatch, RecurringRun } from '../../../shared/contracts/maintenance.js';
import { todayIn } from '../../../shared/time/index.js';
import { firstOccurrenceFrom, nextOccurrences, normaliseRrule, type Recurrence, RecurrenceError, validateRecurrence } from '../../../shared/time/recurrence.js';
import { nameCursor } from '../../db/keyset.js';
import type { Priority, TicketKind } from '../../db/schema/index.js';
import { writeAudit } from '../../platform/audit.js';
import type { Ctx, Deps } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import type { Scope } from '../../platform/db.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { cutPage, decodeCursor, encodeCursor, iso } from '../http.js';
import { seedTasksIn } from '../tickets/tasks.service.js';
import { openTicket } from '../tickets/tickets.service.js';
import * as repo from './recurring.repo.js';
import { z } from 'zod';

const ids = (v: string[] | undefined) => v?.map(Number);
const idOf = (v: string | null | undefined) => (v === undefined ? undefined : v === null ? null : Number(v));

export function toRecurring(r: repo.RuleRow): RecurringTicket {
  return {
    id: String(r.id),
    title: r.title,
    kind: r.kind,
    priority: r.priority,
    categoryId: r.categoryId ? String(r.categoryId) : null,
    assigneeId: r.assigneeId ? String(r.assigneeId) : null,
    teamId: r.teamId ? String(r.teamId) : null,
    assetIds: r.assetIds.map(String),
    description: r.description,
    tasks: r.tasks,
    rrule: r.rrule,
    startsOn: r.startsOn,
    timezone: r.timezone,
    time: r.time,
    active: r.active,
    nextRunAt: iso(r.nextRunAt),
    lastError: r.lastError,
    version: r.version,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

export const recurrenceOf = (r: Pick<repo.RuleRow, 'rrule' | 'startsOn' | 'time' | 'timezone'>): Recurrence => ({
  rrule: r.rrule,
  startsOn: r.startsOn,
  time: r.time,
  timezone: r.timezone,
});

/** Validates a rule: 400 with the field for a bad or never-occurring rule. */
export function checkRecurrence(r: Recurrence): void {
  try {
    validateRecurrence(r);
  } catch (error) {
    if (error instanceof RecurrenceError) throw invalid({ [error.field]: error.message }, `The schedule is not valid: ${error.message}`);
    throw error;
  }
}

/** 400 when a template names a category, team, assignee or asset that does not exist (or is inactive). */
export async function checkTemplateRefs(
  scope: Scope,
  tenantId: number,
  refs: { categoryId?: number | null; teamId?: number | null; assigneeId?: number | null; assetIds?: number[] },
): Promise<void> {
  const missing = await repo.missingRefs(scope.tx, tenantId, refs);
  if (missing.length > 0) throw invalid(Object.fromEntries(missing.map((f) => [f, 'no such record'])));
}

/** The company's time zone (the default of rules and the zone of maintenance due days). */
export const companyZone = (scope: Scope, tenantId: number) => repo.companyTimezone(scope.tx, tenantId);

async function loadRule(scope: Scope, tenantId: number, id: number, lock = false) {
  const row = await repo.findRule(scope.tx, tenantId, id, lock);
  if (!row) throw notFound('Recurring ticket');
  return row;
}

export async function listRecurring(ctx: Ctx, q: { limit: number; cursor?: string; q?: string; active?: 'true' | 'false' }) {
  const actor = requireUser(ctx);
  const after = decodeCursor(q.cursor, nameCursor);
  const active = q.active === undefined ? undefined : q.active === 'true';
  const rows = await ctx.deps.database.withTenant(actor.tenantId, (scope) =>
    repo.rulesPage(scope.tx, actor.tenantId, { q: q.q, active }, after, q.limit + 1),
  );
  const page = cutPage(rows, q.limit, (r) => [r.title.toLowerCase(), r.id]);
  return { items: page.rows.map(toRecurring), nextCursor: page.nextCursor };
}

export async function getRecurring(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  return toRecurring(await ctx.deps.database.withTenant(actor.tenantId, (scope) => loadRule(scope, actor.tenantId, id)));
}

export async function createRecurring(ctx: Ctx, body: RecurringTicketBody, now = new Date()) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const timezone = body.timezone ?? (await repo.companyTimezone(scope.tx, actor.tenantId));
    const rec: Recurrence = {
      rrule: normaliseRrule(body.rrule),
      startsOn: body.startsOn ?? todayIn(timezone, now),
      time: body.time,
      timezone,
    };
    checkRecurrence(rec);
    const refs = {
      categoryId: idOf(body.categoryId),
      teamId: idOf(body.teamId),
      assigneeId: idOf(body.assigneeId),
      assetIds: ids(body.assetIds),
    };
    await checkTemplateRefs(scope, actor.tenantId, refs);
    const row = await repo.insertRule(scope.tx, {
      tenantId: actor.tenantId,
      title: body.title,
      kind: body.kind,
      priority: body.priority,
      categoryId: refs.categoryId ?? null,
      teamId: refs.teamId ?? null,
      assigneeId: refs.assigneeId ?? null,
      assetIds: [...new Set(refs.assetIds ?? [])],
      description: body.description ?? '',
      tasks: body.tasks,
      ...rec,
      active: body.active,
      nextRunAt: body.active ? firstOccurrenceFrom(rec, now) : null,
      createdById: actor.userId,
    });
    await writeAudit(scope, actor, ctx.info.ip, {
      action: 'recurring_ticket.created',
      tenantId: actor.tenantId,
      targetType: 'recurring_ticket',
      targetId: String(row.id),
      details: { title: row.title, rrule: row.rrule },
    });
    return toRecurring(row);
  });
}

/**
 * Edits a rule. A changed schedule (rule, start, time, zone) or a resume recomputes the next run
 * from now: occurrences edited away or passed while paused are not backfilled. A pause clears it.
 */
export async function updateRecurring(ctx: Ctx, id: number, patch: RecurringTicketPatch, now = new Date()) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const before = await loadRule(scope, actor.tenantId, id, true);
    if (patch.version !== undefined && patch.version !== before.version) {
      throw new AppError('stale_version', 'Someone else changed this recurring ticket; reload it and try again', {
        currentVersion: before.version,
      });
    }
    const rec: Recurrence = {
      rrule: patch.rrule !== undefined ? normaliseRrule(patch.rrule) : before.rrule,
      startsOn: patch.startsOn ?? before.startsOn,
      time: patch.time ?? before.time,
      timezone: patch.timezone ?? before.timezone,
    };
    const scheduleChanged =
      rec.rrule !== before.rrule || rec.startsOn !== before.startsOn || rec.time !== before.time || rec.timezone !== before.timezone;
    if (scheduleChanged) checkRecurrence(rec);
    const refs = {
      categoryId: idOf(patch.categoryId),
      teamId: idOf(patch.teamId),
      assigneeId: idOf(patch.assigneeId),
      assetIds: ids(patch.assetIds),
    };
    await checkTemplateRefs(scope, actor.tenantId, refs);
    const active = patch.active ?? before.active;
    const resumed = active && !before.active;
    const nextRunAt = !active ? null : scheduleChanged || resumed ? firstOccurrenceFrom(rec, now) : before.nextRunAt;
    const row = await repo.updateRule(scope.tx, actor.tenantId, id, {
      title: patch.title,
      kind: patch.kind,
      priority: patch.priority,
      categoryId: refs.categoryId,
      teamId: refs.teamId,
      assigneeId: refs.assigneeId,
      assetIds: refs.assetIds ? [...new Set(refs.assetIds)] : undefined,
      description: patch.description,
      tasks: patch.tasks,
      ...rec,
      active,
      nextRunAt,
      lastError: scheduleChanged || resumed ? null : undefined,
    });
    await writeAudit(scope, actor, ctx.info.ip, {
      action:
        patch.active === false && before.active
          ? 'recurring_ticket.paused'
          : resumed
            ? 'recurring_ticket.resumed'
            : 'recurring_ticket.updated',
      tenantId: actor.tenantId,
      targetType: 'recurring_ticket',
      targetId: String(id),
      details: { fields: Object.keys(patch).filter((k) => k !== 'version') },
    });
    return toRecurring(row);
  });
}

export async function deleteRecurring(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  await ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const row = await loadRule(scope, actor.tenantId, id, true);
    await repo.deleteRule(scope.tx, actor.tenantId, id);
    await writeAudit(scope, actor, ctx.info.ip, {
      action: 'recurring_ticket.deleted',
      tenantId: actor.tenantId,
      targetType: 'recurring_ticket',
      targetId: String(id),
      details: { title: row.title },
    });
  });
}

/** The next occurrences of a saved rule, or of the unsaved rule in the query (the editor's live preview). */
export async function previewOccurrences(
  ctx: Ctx,
  id: number | null,
  q: { count: number; rrule?: string; startsOn?: string; time?: string; timezone?: string },
  now = new Date(),
) {
  const actor = requireUser(ctx);
  const rec = await ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const saved = id === null ? null : recurrenceOf(await loadRule(scope, actor.tenantId, id));
    const timezone = q.timezone ?? saved?.timezone ?? (await repo.companyTimezone(scope.tx, actor.tenantId));
    return {
      rrule: q.rrule !== undefined ? normaliseRrule(q.rrule) : (saved?.rrule ?? ''),
      startsOn: q.startsOn ?? saved?.startsOn ?? todayIn(timezone, now),
      time: q.time ?? saved?.time ?? '',
      timezone,
    };
  });
  checkRecurrence(rec);
  return { items: nextOccurrences(rec, new Date(now.getTime() - 1), q.count).map((d) => d.toISOString()), timezone: rec.timezone };
}

const runCursor = z.tuple([z.string().datetime()]);

export async function listRuns(ctx: Ctx, id: number, q: { limit: number; cursor?: string }) {
  const actor = requireUser(ctx);
  const after = decodeCursor(q.cursor, runCursor);
  const rows = await ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    await loadRule(scope, actor.tenantId, id);
    return repo.runsPage(scope.tx, actor.tenantId, id, after ? new Date(after[0]) : null, q.limit + 1);
  });
  const page = rows.slice(0, q.limit);
  const items: RecurringRun[] = page.map((r) => ({
    occurrence: r.r.occurrence.toISOString(),
    ticketNumber: r.number ?? null,
    ticketStatus: r.status ?? null,
    createdAt: r.r.createdAt.toISOString(),
    late: r.r.late,
  }));
  const last = page.at(-1);
  return { items, nextCursor: rows.length > q.limit && last ? encodeCursor([last.r.occurrence.toISOString()]) : null };
}

// Opening tickets from templates (recurring tickets and maintenance work orders) -----------------

export interface TicketTemplate {
  kind: TicketKind;
  title: string;
  description: string;
  priority: Priority;
  categoryId?: number | null;
  assigneeId?: number | null;
  teamId?: number | null;
  assetIds?: number[];
  dueAt?: Date | null;
  tasks: Array<{ title: string }>;
}

/** Opens a ticket from a template as Steward itself (source "schedule"), with its checklist, in the caller's transaction. */
export async function openFromTemplate(scope: Scope, deps: Deps, tenantId: number, t: TicketTemplate) {
  const opened = await openTicket(scope, deps, null, tenantId, {
    kind: t.kind,
    title: t.title,
    description: t.description,
    priority: t.priority,
    categoryId: t.categoryId ?? null,
    assigneeId: t.assigneeId ?? null,
    teamId: t.teamId ?? null,
    assetIds: t.assetIds ?? [],
    dueAt: t.dueAt ?? null,
    source: 'schedule',
  });
  if (t.tasks.length > 0)
    await seedTasksIn(
      scope,
      opened.row,
      t.tasks.map((x) => x.title),
    );
  return opened.row;
}
