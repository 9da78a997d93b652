// Saved reports and report schedules: their use cases. A schedule needs the permission of its
// report (costs: reports.financial, the others reports.view), and runs with its creator's: a
// creator who loses it, or leaves, makes the next run fail with that reason rather than mail data
// they may no longer see. Changing a schedule is for its creator and for settings.manage.
import type { z } from 'zod';
import type {
  ReportKind,
  ReportParams,
  ReportRun,
  ReportSchedule,
  ReportScheduleInput,
  ReportSchedulePatch,
  SavedReport,
  SavedReportInput,
} from '../../../shared/contracts/reports.js';
import { costReportQuery, REPORT_FIELDS, reliabilityQuery, ticketReportQuery } from '../../../shared/contracts/reports.js';
import type { Permission } from '../../../shared/permissions/catalogue.js';
import { isTimeZone, todayIn } from '../../../shared/time/index.js';
import { firstOccurrenceFrom, nextOccurrences, RecurrenceError, type Recurrence, validateRecurrence } from '../../../shared/time/recurrence.js';
import type { UserActor } from '../../platform/actor.js';
import { type Ctx, type Deps, requireUser } from '../../platform/context.js';
import { AppError, invalid } from '../../platform/errors.js';
import * as repo from './schedules.repo.js';

export const REPORT_PERMISSION: Record<ReportKind, Permission> = {
  costs: 'reports.financial',
  tickets: 'reports.view',
  reliability: 'reports.view',
};
const QUERY: Record<ReportKind, z.ZodType> = { costs: costReportQuery, tickets: ticketReportQuery, reliability: reliabilityQuery };
const NAME: Record<ReportKind, string> = { costs: 'Costs', tickets: 'Service desk', reliability: 'Reliability' };

function mayRun(actor: UserActor, report: ReportKind) {
  if (!actor.permissions.has(REPORT_PERMISSION[report])) {
    throw new AppError('forbidden', `This report needs the permission ${REPORT_PERMISSION[report]}`, {
      permission: REPORT_PERMISSION[report],
    });
  }
}

/** The params must make a valid query of the report (its own groupings and filters). */
export function checkParams(report: ReportKind, params: ReportParams): void {
  const { period: _period, ...query } = params;
  const parsed = QUERY[report].safeParse(query);
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const issue of parsed.error.issues) fields[`params.${issue.path.join('.')}`] = issue.message;
    throw invalid(fields, 'The report parameters are not valid for this report');
  }
  if (params.period && (params.from || params.to)) throw invalid({ 'params.period': 'give a relative period or from/to, not both' });
}

export const recurrenceOf = (s: Pick<repo.ScheduleRow, 'rrule' | 'startsOn' | 'time' | 'timezone'>): Recurrence => ({
  rrule: s.rrule,
  startsOn: s.startsOn,
  time: s.time,
  timezone: s.timezone,
});

/** Validates a rule (400 by field) and answers its first run at or after `now`. */
function firstRun(rec: Recurrence, now: Date): Date | null {
  if (!isTimeZone(rec.timezone)) throw invalid({ timezone: 'not a known time zone' });
  try {
    validateRecurrence(rec);
  } catch (error) {
    if (error instanceof RecurrenceError) throw invalid({ [error.field]: error.message });
    throw error;
  }
  return firstOccurrenceFrom(rec, now);
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export function runDto(r: repo.RunRow): ReportRun {
  return {
    id: String(r.id),
    occurrence: r.occurrence.toISOString(),
    status: r.status,
    error: r.error,
    skipped: r.skipped,
    rows: r.rows,
    file: r.fileName ? { name: r.fileName, size: r.fileSize ?? 0, attached: !r.linkTokenHash, linkExpiresAt: iso(r.linkExpiresAt) } : null,
    createdAt: r.createdAt.toISOString(),
  };
}

function scheduleDto(s: repo.ScheduleRow, creatorName: string, last: repo.RunRow | null): ReportSchedule {
  return {
    id: String(s.id),
    name: s.name,
    report: s.report,
    params: s.params as ReportParams,
    rrule: s.rrule,
    startsOn: s.startsOn,
    timezone: s.timezone,
    time: s.time,
    format: s.format,
    recipients: s.recipients,
    active: s.active,
    nextRunAt: iso(s.nextRunAt),
    createdBy: { id: String(s.createdById), name: creatorName },
    lastRun: last ? runDto(last) : null,
    version: s.version,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}

const wrapSchedule = (s: ReportSchedule) => ({ ...s, reportSchedule: s });

export async function createSchedule(ctx: Ctx, input: ReportScheduleInput) {
  const actor = requireUser(ctx);
  mayRun(actor, input.report);
  checkParams(input.report, input.params);
  const zone = input.timezone ?? actor.profile.companyTimezone;
  const rec: Recurrence = { rrule: input.rrule, startsOn: input.startsOn ?? todayIn(zone), time: input.time, timezone: zone };
  const next = firstRun(rec, new Date());
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    const row = await repo.insertSchedule(tx, {
      tenantId: actor.tenantId,
      name: input.name ?? `${NAME[input.report]} report`,
      report: input.report,
      params: input.params,
      rrule: rec.rrule,
      startsOn: rec.startsOn,
      timezone: zone,
      time: input.time,
      format: input.format,
      recipients: [...new Set(input.recipients)],
      active: input.active,
      nextRunAt: next,
      createdById: actor.userId,
    });
    return wrapSchedule(scheduleDto(row, actor.name, null));
  });
}

/** The schedule, for a change by its creator or an administrator (404 when the caller may not see its report). */
function editable(actor: UserActor, s: repo.ScheduleRow | null): repo.ScheduleRow {
  if (!s || !actor.permissions.has(REPORT_PERMISSION[s.report])) throw new AppError('not_found', 'No such report schedule');
  if (s.createdById !== actor.userId && !actor.permissions.has('settings.manage')) {
    throw new AppError('forbidden', 'Only its creator or an administrator may change this schedule');
  }
  return s;
}

export async function updateSchedule(ctx: Ctx, id: number, patch: ReportSchedulePatch) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    const s = editable(actor, await repo.findSchedule(tx, actor.tenantId, id, true));
    const report = patch.report ?? s.report;
    const params = patch.params ?? (s.params as ReportParams);
    if (patch.report) mayRun(actor, report);
    if (patch.report || patch.params) checkParams(report, params);
    const rec: Recurrence = {
      rrule: patch.rrule ?? s.rrule,
      startsOn: patch.startsOn ?? s.startsOn,
      time: patch.time ?? s.time,
      timezone: patch.timezone ?? s.timezone,
    };
    const ruleChanged = ['rrule', 'startsOn', 'time', 'timezone'].some((k) => patch[k as keyof ReportSchedulePatch] !== undefined);
    const resumed = patch.active === true && !s.active;
    // An edited rule, or a resumed schedule, runs next from now on: nothing is backfilled.
    const nextRunAt = ruleChanged || resumed ? firstRun(rec, new Date()) : undefined;
    const row = await repo.updateSchedule(tx, actor.tenantId, id, {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      report,
      params,
      ...rec,
      ...(patch.format ? { format: patch.format } : {}),
      ...(patch.recipients ? { recipients: [...new Set(patch.recipients)] } : {}),
      ...(patch.active !== undefined ? { active: patch.active } : {}),
      ...(nextRunAt !== undefined ? { nextRunAt } : {}),
    });
    const last = (await repo.lastRuns(tx, actor.tenantId, [id])).get(id) ?? null;
    return wrapSchedule(scheduleDto(row, await repo.userName(tx, actor.tenantId, row.createdById), last));
  });
}

export async function deleteSchedule(ctx: Ctx, id: number): Promise<void> {
  const actor = requireUser(ctx);
  await ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    editable(actor, await repo.findSchedule(tx, actor.tenantId, id, true));
    await repo.deleteSchedule(tx, actor.tenantId, id);
  });
}

export async function getSchedule(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    const s = await repo.findSchedule(tx, actor.tenantId, id);
    if (!s || !actor.permissions.has(REPORT_PERMISSION[s.report])) throw new AppError('not_found', 'No such report schedule');
    const last = (await repo.lastRuns(tx, actor.tenantId, [id])).get(id) ?? null;
    return wrapSchedule(scheduleDto(s, await repo.userName(tx, actor.tenantId, s.createdById), last));
  });
}

export async function listSchedules(ctx: Ctx, limit: number, beforeId: number | null) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    const rows = await repo.listSchedules(tx, actor.tenantId, actor.permissions.has('reports.financial'), limit + 1, beforeId);
    const page = rows.slice(0, limit);
    const last = await repo.lastRuns(
      tx,
      actor.tenantId,
      page.map((r) => r.s.id),
    );
    return {
      items: page.map((r) => scheduleDto(r.s, r.creatorName, last.get(r.s.id) ?? null)),
      more: rows.length > limit,
      lastId: page.at(-1)?.s.id ?? null,
    };
  });
}

export async function listRuns(ctx: Ctx, id: number, limit: number, beforeId: number | null) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    const s = await repo.findSchedule(tx, actor.tenantId, id);
    if (!s || !actor.permissions.has(REPORT_PERMISSION[s.report])) throw new AppError('not_found', 'No such report schedule');
    const rows = await repo.listRuns(tx, actor.tenantId, id, limit + 1, beforeId);
    const page = rows.slice(0, limit);
    return { items: page.map(runDto), more: rows.length > limit, lastId: page.at(-1)?.id ?? null };
  });
}

export async function previewOccurrences(ctx: Ctx, id: number, count: number): Promise<string[]> {
  const schedule = (await getSchedule(ctx, id)).reportSchedule;
  const rec: Recurrence = { rrule: schedule.rrule, startsOn: schedule.startsOn, time: schedule.time, timezone: schedule.timezone };
  return nextOccurrences(rec, new Date(), count).map((d) => d.toISOString());
}

// Saved reports -------------------------------------------------------------------------------------

function savedDto(r: repo.SavedRow, ownerName: string, actor: UserActor): SavedReport {
  return {
    id: String(r.id),
    name: r.name,
    report: r.report,
    params: r.params as ReportParams,
    fields: r.fields,
    chart: r.chart as SavedReport['chart'],
    shared: r.shared,
    owner: { id: String(r.ownerId), name: ownerName },
    mine: r.ownerId === actor.userId,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

/** A saved report's fields must be columns its report returns. */
function checkFields(report: ReportKind, fields: readonly string[]): void {
  const known: readonly string[] = REPORT_FIELDS[report];
  const errors: Record<string, string> = {};
  fields.forEach((f, i) => {
    if (!known.includes(f)) errors[`fields.${i}`] = `not a column of this report (one of ${known.join(', ')})`;
  });
  if (Object.keys(errors).length) throw invalid(errors, 'Some fields are not columns of this report');
}

export async function createSaved(ctx: Ctx, input: SavedReportInput) {
  const actor = requireUser(ctx);
  mayRun(actor, input.report);
  checkParams(input.report, input.params);
  checkFields(input.report, input.fields);
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    const row = await repo.insertSaved(tx, { tenantId: actor.tenantId, ownerId: actor.userId, ...input });
    const dto = savedDto(row, actor.name, actor);
    return { ...dto, savedReport: dto };
  });
}

/** Own reports are the owner's to change; shared ones also an administrator's. Others' private ones do not exist. */
async function ownSaved(ctx: Ctx, id: number, write: boolean) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    const r = await repo.findSaved(tx, actor.tenantId, id);
    if (!r || (!r.shared && r.ownerId !== actor.userId) || !actor.permissions.has(REPORT_PERMISSION[r.report])) {
      throw new AppError('not_found', 'No such saved report');
    }
    if (write && r.ownerId !== actor.userId && !actor.permissions.has('settings.manage')) {
      throw new AppError('forbidden', 'Only its owner or an administrator may change this report');
    }
    return r;
  });
}

export async function updateSaved(ctx: Ctx, id: number, patch: Partial<SavedReportInput>) {
  const actor = requireUser(ctx);
  const r = await ownSaved(ctx, id, true);
  const report = patch.report ?? r.report;
  if (patch.report) mayRun(actor, report);
  if (patch.report || patch.params) checkParams(report, patch.params ?? (r.params as ReportParams));
  if (patch.report || patch.fields) checkFields(report, patch.fields ?? r.fields);
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    const row = await repo.updateSaved(tx, actor.tenantId, id, patch);
    const dto = savedDto(row, await repo.userName(tx, actor.tenantId, row.ownerId), actor);
    return { ...dto, savedReport: dto };
  });
}

export async function deleteSaved(ctx: Ctx, id: number): Promise<void> {
  const actor = requireUser(ctx);
  await ownSaved(ctx, id, true);
  await ctx.deps.database.withTenant(actor.tenantId, ({ tx }) => repo.deleteSaved(tx, actor.tenantId, id));
}

export async function listSaved(ctx: Ctx, limit: number, beforeId: number | null) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    const rows = await repo.listSaved(tx, actor.tenantId, actor.userId, actor.permissions.has('reports.financial'), limit + 1, beforeId);
    const page = rows.slice(0, limit);
    return { items: page.map((x) => savedDto(x.r, x.ownerName, actor)), more: rows.length > limit, lastId: page.at(-1)?.r.id ?? null };
  });
}

/** A large scheduled report by its link (no login): 404 when the link is unknown or has expired. */
export async function fileByToken(deps: Deps, tokenHash: string): Promise<{ name: string; type: string; content: Buffer }> {
  const row = await deps.database.system(({ tx }) => repo.fileByToken(tx, tokenHash, new Date()));
  if (!row?.file) throw new AppError('not_found', 'This link is unknown or has expired; ask for the report to be sent again');
  return { name: row.name ?? 'report', type: row.type ?? 'application/octet-stream', content: Buffer.from(row.file) };
}
