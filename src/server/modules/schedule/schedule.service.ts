// Schedule entries (API.md "Scheduling"): the calendar's range query, create / move / resize / delete
// with overlap refusal, the ticket's window following its job entry, and a notice to the technician
// on each change. Every write takes the technician's lock first (schedule.repo lockTechnician), so the
// time-off rule holds under concurrency; the exclusion constraint guards same-kind overlaps as well.
import type { Conflict, CopyWeekBody, EntryBody, EntryPatch, ScheduleQuery } from '../../../shared/contracts/schedule.js';
import { dayRange, isDateOnly, todayIn } from '../../../shared/time/index.js';
import { addDaysInZone, weekRange, weekStart, weekdayOf } from '../../../shared/time/zones.js';
import type { UserActor } from '../../platform/actor.js';
import type { Ctx, Deps } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import type { Scope } from '../../platform/db.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { publishLive } from '../../platform/realtime.js';
import { notify } from '../notifications/notifications.service.js';
import { scheduleTicketIn, visibleTicketIn, visibleTickets } from '../tickets/tickets.service.js';
import { entryDto, overlapError, spanIn, timeOffDto } from './schedule.dto.js';
import * as repo from './schedule.repo.js';

const MAX_RANGE_DAYS = 370;
const DAY_MS = 86_400_000;

/** `from`/`to` of a query: days in the company's zone (`to` inclusive) or instants; default this week. */
export function rangeOf(q: { from?: string; to?: string }, zone: string, now = new Date()): { from: Date; to: Date } {
  const week = weekRange(weekStart(todayIn(zone, now)), zone);
  const from = q.from ? (isDateOnly(q.from) ? dayRange(q.from, zone).start : new Date(q.from)) : week.start;
  const to = q.to
    ? isDateOnly(q.to)
      ? dayRange(q.to, zone).end
      : new Date(q.to)
    : q.from
      ? new Date(from.getTime() + 7 * DAY_MS)
      : week.end;
  if (Number.isNaN(from.getTime())) throw invalid({ from: 'must be a date or a time with offset' });
  if (Number.isNaN(to.getTime())) throw invalid({ to: 'must be a date or a time with offset' });
  if (to <= from) throw invalid({ to: 'must be after from' });
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) throw invalid({ to: `at most ${MAX_RANGE_DAYS} days after from` });
  return { from, to };
}

async function technicianFilter(
  scope: Scope,
  tenantId: number,
  q: { technicianId?: string; teamId?: string },
): Promise<number[] | undefined> {
  let ids: number[] | undefined = q.technicianId ? [Number(q.technicianId)] : undefined;
  if (q.teamId) {
    const members = await repo.teamMemberIds(scope.tx, tenantId, Number(q.teamId));
    ids = ids ? ids.filter((id) => members.includes(id)) : members;
  }
  return ids;
}

export async function getSchedule(ctx: Ctx, q: ScheduleQuery) {
  const actor = requireUser(ctx);
  const { from, to } = rangeOf(q, actor.profile.companyTimezone);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const technicianIds = await technicianFilter(scope, actor.tenantId, q);
    if (technicianIds?.length === 0) return { from: from.toISOString(), to: to.toISOString(), entries: [], timeOff: [] };
    const entries = await repo.listEntries(scope.tx, actor.tenantId, {
      from,
      to,
      technicianIds,
      locationId: q.locationId ? Number(q.locationId) : undefined,
      ticketVisible: visibleTickets(actor),
    });
    const planner = actor.permissions.has('schedule.manage');
    const off = (await repo.listTimeOff(scope.tx, actor.tenantId, { from, to, userIds: technicianIds, limit: 5000 })).filter(
      (t) => t.t.status === 'approved' || (t.t.status === 'requested' && (planner || t.t.userId === actor.userId)),
    );
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      entries: entries.map(entryDto),
      timeOff: off.map((t) => timeOffDto(t, actor)),
    };
  });
}

export async function getEntry(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    const row = await repo.findEntry(tx, actor.tenantId, id, visibleTickets(actor));
    if (!row) throw notFound('Schedule entry');
    return entryDto(row);
  });
}

interface Resolved {
  technician: repo.Person;
  ticket: { id: number; number: number; title: string } | null;
}

/** Checks the references of a new or changed entry: 400 naming each field that is not valid. */
async function resolve(
  scope: Scope,
  actor: UserActor,
  v: { technicianId: number; locationId: number | null; ticketNumber: number | null; startsAt: Date; endsAt: Date },
): Promise<Resolved> {
  const fields: Record<string, string> = {};
  const technician = await repo.findPerson(scope.tx, actor.tenantId, v.technicianId);
  if (!technician || technician.status !== 'active') fields.technicianId = 'no such active user';
  if (v.locationId && !(await repo.locationExists(scope.tx, actor.tenantId, v.locationId))) fields.locationId = 'no such location';
  const ticket = v.ticketNumber ? await visibleTicketIn(scope, actor, v.ticketNumber) : null;
  if (v.ticketNumber && !ticket) fields.ticketNumber = 'no such ticket';
  if (v.endsAt <= v.startsAt) fields.endsAt = 'must be after startsAt';
  else if (v.endsAt.getTime() - v.startsAt.getTime() > 31 * DAY_MS) fields.endsAt = 'an entry lasts at most 31 days';
  if (Object.keys(fields).length) throw invalid(fields);
  return { technician: technician as repo.Person, ticket };
}

async function refuseOverlaps(
  scope: Scope,
  actor: UserActor,
  who: repo.Person,
  kind: EntryBody['kind'],
  start: Date,
  end: Date,
  exceptId: number | null,
) {
  const entries = await repo.entryConflicts(scope.tx, actor.tenantId, who.id, kind, start, end, exceptId);
  const off = await repo.timeOffConflicts(scope.tx, actor.tenantId, who.id, start, end);
  if (entries.length || off.length) throw overlapError(who.name, entries, off, actor.profile.timezone);
}

/** Open calendars of the company refresh (after commit). */
export async function scheduleChanged(scope: Scope, tenantId: number, technicianId: number) {
  await publishLive(scope, { tenantId, type: 'schedule.changed', data: { technicianId: String(technicianId) } });
}

async function noticeTo(
  scope: Scope,
  deps: Deps,
  actor: UserActor,
  who: repo.Person,
  ticketNumber: number | null,
  title: string,
  body: string,
) {
  await scheduleChanged(scope, actor.tenantId, who.id);
  await notify(scope, deps, actor.tenantId, {
    event: 'schedule.changed',
    recipients: [who.id],
    actorId: actor.userId,
    ticketNumber,
    title,
    body,
  });
}

const kindWord = (k: string) => (k === 'on_call' ? 'on-call duty' : k);

async function followTicket(scope: Scope, actor: UserActor, ticket: { id: number; number: number } | null, technicianId: number | null) {
  if (!ticket) return;
  await scheduleTicketIn(scope, actor, ticket.number, await repo.ticketJobWindow(scope.tx, actor.tenantId, ticket.id), technicianId);
}

export async function createEntry(ctx: Ctx, body: EntryBody) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const v = {
      technicianId: Number(body.technicianId),
      locationId: body.locationId ? Number(body.locationId) : null,
      ticketNumber: body.ticketNumber ?? null,
      startsAt: body.startsAt,
      endsAt: body.endsAt,
    };
    const { technician, ticket } = await resolve(scope, actor, v);
    await repo.lockTechnician(scope.tx, actor.tenantId, technician.id);
    await refuseOverlaps(scope, actor, technician, body.kind, v.startsAt, v.endsAt, null);
    const id = await repo.insertEntry(scope.tx, {
      tenantId: actor.tenantId,
      technicianId: technician.id,
      kind: body.kind,
      startsAt: v.startsAt,
      endsAt: v.endsAt,
      timezone: body.timezone,
      locationId: v.locationId,
      ticketId: ticket?.id ?? null,
      note: body.note ?? null,
      createdById: actor.userId,
    });
    if (id === 'overlap') {
      await refuseOverlaps(scope, actor, technician, body.kind, v.startsAt, v.endsAt, null);
      throw new AppError('overlap', 'Someone booked this slot at the same time; reload and try again', { conflicts: [] });
    }
    if (body.kind === 'job') await followTicket(scope, actor, ticket, technician.id);
    const row = (await repo.findEntry(scope.tx, actor.tenantId, id)) as repo.EntryWithNames;
    const what = ticket ? `job #${ticket.number} ${ticket.title}` : kindWord(body.kind);
    await noticeTo(
      scope,
      ctx.deps,
      actor,
      technician,
      ticket?.number ?? null,
      `New ${kindWord(body.kind)}: ${spanIn(v.startsAt, v.endsAt, technician.timezone)}`,
      `${actor.name} scheduled you: ${what}, ${spanIn(v.startsAt, v.endsAt, technician.timezone)}.`,
    );
    return entryDto(row);
  });
}

export async function updateEntry(ctx: Ctx, id: number, patch: EntryPatch) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const before = await repo.findEntry(scope.tx, actor.tenantId, id);
    if (!before) throw notFound('Schedule entry');
    if (patch.version !== undefined && patch.version !== before.e.version) {
      throw new AppError('stale_version', 'Someone else changed this entry; reload it and try again', { currentVersion: before.e.version });
    }
    const kind = patch.kind ?? before.e.kind;
    const v = {
      technicianId: patch.technicianId ? Number(patch.technicianId) : before.e.technicianId,
      locationId: patch.locationId === undefined ? before.e.locationId : patch.locationId ? Number(patch.locationId) : null,
      ticketNumber: patch.ticketNumber === undefined ? before.ticketNumber : patch.ticketNumber,
      startsAt: patch.startsAt ?? before.e.startsAt,
      endsAt: patch.endsAt ?? before.e.endsAt,
    };
    const { technician, ticket } = await resolve(scope, actor, v);
    // Both technicians' locks, in id order, when the entry changes hands.
    for (const uid of [...new Set([before.e.technicianId, technician.id])].sort((a, b) => a - b))
      await repo.lockTechnician(scope.tx, actor.tenantId, uid);
    // A note, location or ticket change leaves the slot alone: no overlap check (a flagged entry stays editable).
    const moved =
      technician.id !== before.e.technicianId ||
      kind !== before.e.kind ||
      v.startsAt.getTime() !== before.e.startsAt.getTime() ||
      v.endsAt.getTime() !== before.e.endsAt.getTime();
    if (moved) await refuseOverlaps(scope, actor, technician, kind, v.startsAt, v.endsAt, id);
    const result = await repo.updateEntry(scope.tx, actor.tenantId, id, before.e.version, {
      technicianId: technician.id,
      kind,
      startsAt: v.startsAt,
      endsAt: v.endsAt,
      timezone: patch.timezone ?? before.e.timezone,
      locationId: v.locationId,
      ticketId: ticket?.id ?? null,
      note: patch.note === undefined ? before.e.note : patch.note,
      // Moved (out of the way of the time off it was kept over, or it would be refused): no longer flagged.
      flagged: before.e.flagged && !moved,
    });
    if (result === 'stale') throw new AppError('stale_version', 'Someone else changed this entry; reload it and try again');
    if (result === 'overlap') {
      await refuseOverlaps(scope, actor, technician, kind, v.startsAt, v.endsAt, id);
      throw new AppError('overlap', 'Someone booked this slot at the same time; reload and try again', { conflicts: [] });
    }
    const oldTicket = before.e.ticketId && before.ticketNumber ? { id: before.e.ticketId, number: before.ticketNumber } : null;
    if (oldTicket && oldTicket.id !== ticket?.id) await followTicket(scope, actor, oldTicket, null);
    if (ticket) await followTicket(scope, actor, ticket, kind === 'job' ? technician.id : null);
    const row = (await repo.findEntry(scope.tx, actor.tenantId, id)) as repo.EntryWithNames;
    const span = spanIn(v.startsAt, v.endsAt, technician.timezone);
    const what = ticket ? `job #${ticket.number} ${ticket.title}` : kindWord(kind);
    await noticeTo(
      scope,
      ctx.deps,
      actor,
      technician,
      ticket?.number ?? null,
      `Schedule changed: ${what}`,
      `${actor.name} changed your ${what}: now ${span}.`,
    );
    if (before.e.technicianId !== technician.id) {
      const previous = await repo.findPerson(scope.tx, actor.tenantId, before.e.technicianId);
      if (previous)
        await noticeTo(
          scope,
          ctx.deps,
          actor,
          previous,
          before.ticketNumber,
          `Schedule changed: ${what}`,
          `${actor.name} gave your ${what} (${spanIn(before.e.startsAt, before.e.endsAt, previous.timezone)}) to ${technician.name}.`,
        );
    }
    return entryDto(row);
  });
}

export async function deleteEntry(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  await ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const before = await repo.findEntry(scope.tx, actor.tenantId, id);
    if (!before) throw notFound('Schedule entry');
    await repo.lockTechnician(scope.tx, actor.tenantId, before.e.technicianId);
    await repo.deleteEntry(scope.tx, actor.tenantId, id);
    if (before.e.ticketId && before.ticketNumber)
      await followTicket(scope, actor, { id: before.e.ticketId, number: before.ticketNumber }, null);
    const who = await repo.findPerson(scope.tx, actor.tenantId, before.e.technicianId);
    const what = before.ticketNumber ? `job #${before.ticketNumber} ${before.ticketTitle}` : kindWord(before.e.kind);
    if (who)
      await noticeTo(
        scope,
        ctx.deps,
        actor,
        who,
        before.ticketNumber,
        `Schedule changed: ${what} cancelled`,
        `${actor.name} removed your ${what}, ${spanIn(before.e.startsAt, before.e.endsAt, who.timezone)}.`,
      );
  });
}

export async function listTechnicians(ctx: Ctx) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => ({
    items: (await repo.technicians(tx, actor.tenantId)).map((t) => ({ ...t, id: String(t.id), teamIds: t.teamIds ?? [] })),
  }));
}

export async function listUnscheduled(ctx: Ctx) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => ({
    items: (await repo.unscheduledWorkOrders(tx, actor.tenantId, 100)).map((t) => ({
      number: t.number,
      title: t.title,
      priority: t.priority,
      locationId: t.locationId === null ? null : String(t.locationId),
      assigneeId: t.assigneeId === null ? null : String(t.assigneeId),
    })),
  }));
}

/**
 * Copies one week's shifts and on-call duty (not jobs: they belong to their tickets) to another
 * week, each at the same wall-clock time in the zone it was made in, so 08:00 stays 08:00 across a
 * DST change. A copy that would overlap is skipped and reported with its conflicts; the others are
 * booked (each technician's lock held, as for a single booking). One notice per technician.
 */
export async function copyWeek(ctx: Ctx, body: CopyWeekBody) {
  const actor = requireUser(ctx);
  const zone = actor.profile.companyTimezone;
  const fields: Record<string, string> = {};
  if (weekdayOf(body.fromWeek) !== 1) fields.fromWeek = 'must be a Monday';
  if (weekdayOf(body.toWeek) !== 1) fields.toWeek = 'must be a Monday';
  if (body.fromWeek === body.toWeek) fields.toWeek = 'must be another week';
  if (Object.keys(fields).length) throw invalid(fields);
  const days = Math.round((Date.parse(`${body.toWeek}T00:00:00Z`) - Date.parse(`${body.fromWeek}T00:00:00Z`)) / DAY_MS);
  if (Math.abs(days) > MAX_RANGE_DAYS) throw invalid({ toWeek: `at most ${MAX_RANGE_DAYS} days from fromWeek` });
  const source = weekRange(body.fromWeek, zone);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const technicianIds = await technicianFilter(scope, actor.tenantId, body);
    // Entries that start in the source week.
    const rows = (await repo.listEntries(scope.tx, actor.tenantId, { from: source.start, to: source.end, technicianIds })).filter(
      (r) => r.e.kind !== 'job' && r.e.startsAt >= source.start,
    );
    const created: number[] = [];
    const skipped: Array<{ entryId: string; message: string; conflicts: Conflict[] }> = [];
    const touched = new Map<number, number>();
    for (const techId of [...new Set(rows.map((r) => r.e.technicianId))].sort((a, b) => a - b))
      await repo.lockTechnician(scope.tx, actor.tenantId, techId);
    for (const r of rows) {
      const startsAt = addDaysInZone(r.e.startsAt, days, r.e.timezone);
      const endsAt = addDaysInZone(r.e.endsAt, days, r.e.timezone);
      const entries = await repo.entryConflicts(scope.tx, actor.tenantId, r.e.technicianId, r.e.kind, startsAt, endsAt, null);
      const off = await repo.timeOffConflicts(scope.tx, actor.tenantId, r.e.technicianId, startsAt, endsAt);
      const id =
        entries.length || off.length
          ? 'overlap'
          : await repo.insertEntry(scope.tx, {
              tenantId: actor.tenantId,
              technicianId: r.e.technicianId,
              kind: r.e.kind,
              startsAt,
              endsAt,
              timezone: r.e.timezone,
              locationId: r.e.locationId,
              ticketId: null,
              note: r.e.note,
              createdById: actor.userId,
            });
      if (id === 'overlap') {
        const err = overlapError(r.technicianName, entries, off, actor.profile.timezone, 'The copy');
        skipped.push({ entryId: String(r.e.id), message: err.message, conflicts: (err.details.conflicts as Conflict[]) ?? [] });
        continue;
      }
      created.push(id);
      touched.set(r.e.technicianId, (touched.get(r.e.technicianId) ?? 0) + 1);
    }
    for (const [techId, n] of touched) {
      const who = await repo.findPerson(scope.tx, actor.tenantId, techId);
      if (who)
        await noticeTo(
          scope,
          ctx.deps,
          actor,
          who,
          null,
          `Schedule for the week of ${body.toWeek}`,
          `${actor.name} booked ${n} shift${n === 1 ? '' : 's'} for you in the week of ${body.toWeek}.`,
        );
    }
    const answer = [];
    for (const id of created) answer.push(entryDto((await repo.findEntry(scope.tx, actor.tenantId, id)) as repo.EntryWithNames));
    return { created: answer, skipped };
  });
}
