// Time off (API.md "Scheduling"): anyone with schedule.view requests their own; a holder of
// schedule.manage approves or rejects others' (never their own) and what they enter for someone else
// is approved at once. Approving over existing entries is refused (422 overlap) unless forced; forced
// entries stay, flagged. Approved time off blocks new bookings (schedule.service refuseOverlaps).
import { z } from 'zod';
import type { TimeOffBody } from '../../../shared/contracts/schedule.js';
import type { UserActor } from '../../platform/actor.js';
import type { Ctx, Deps } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import type { Scope } from '../../platform/db.js';
import { AppError, forbidden, invalid, notFound } from '../../platform/errors.js';
import { decodeCursor, encodeCursor } from '../http.js';
import { notify } from '../notifications/notifications.service.js';
import { overlapError, spanIn, timeOffDto } from './schedule.dto.js';
import * as repo from './schedule.repo.js';
import { rangeOf, scheduleChanged } from './schedule.service.js';

const DAY_MS = 86_400_000;
const KIND = { vacation: 'Vacation', sick: 'Sick leave', other: 'Time off' } as const;

export async function listTimeOff(
  ctx: Ctx,
  q: { status?: 'requested' | 'approved' | 'rejected'; userId?: string; from?: string; to?: string; limit?: number; cursor?: string },
) {
  const actor = requireUser(ctx);
  const planner = actor.permissions.has('schedule.manage');
  const range = q.from || q.to ? rangeOf(q, actor.profile.companyTimezone) : null;
  if (!planner && q.userId && Number(q.userId) !== actor.userId) throw forbidden('You may only see your own time off');
  const userIds = planner ? (q.userId ? [Number(q.userId)] : undefined) : [actor.userId];
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    // Keyset pages in start order: (startsAt, id) of the last row shown.
    const limit = q.limit ?? 50;
    const cursor = decodeCursor(q.cursor, z.tuple([z.iso.datetime(), z.number().int().positive()]));
    const after: [Date, number] | null = cursor ? [new Date(cursor[0]), cursor[1]] : null;
    const rows = await repo.listTimeOff(tx, actor.tenantId, { from: range?.from, to: range?.to, userIds, status: q.status, limit: limit + 1, after });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((r) => timeOffDto(r, actor)),
      nextCursor: rows.length > limit && last ? encodeCursor([last.t.startsAt.toISOString(), last.t.id]) : null,
    };
  });
}

/** Entries of the user during [start, end) refuse the approval unless forced; forced, they are flagged. */
async function approveOver(scope: Scope, actor: UserActor, person: repo.Person, start: Date, end: Date, force: boolean) {
  await repo.lockTechnician(scope.tx, actor.tenantId, person.id);
  const entries = await repo.entryConflicts(scope.tx, actor.tenantId, person.id, null, start, end, null);
  if (entries.length && !force) throw overlapError(person.name, entries, [], actor.profile.timezone, 'This time off');
  await repo.flagEntries(
    scope.tx,
    actor.tenantId,
    entries.map((e) => e.id),
  );
}

async function tell(scope: Scope, deps: Deps, actor: UserActor, to: number[], title: string, body: string) {
  await notify(scope, deps, actor.tenantId, {
    event: 'time_off.decided',
    recipients: to,
    actorId: actor.userId,
    ticketNumber: null,
    title,
    body,
  });
}

export async function createTimeOff(ctx: Ctx, body: TimeOffBody & { force?: boolean }) {
  const actor = requireUser(ctx);
  const userId = body.userId ? Number(body.userId) : actor.userId;
  const forOther = userId !== actor.userId;
  if (forOther && !actor.permissions.has('schedule.manage')) throw forbidden('Only a planner enters time off for someone else');
  const fields: Record<string, string> = {};
  if (body.endsAt <= body.startsAt) fields.endsAt = 'must be after startsAt';
  else if (body.endsAt.getTime() - body.startsAt.getTime() > 366 * DAY_MS) fields.endsAt = 'time off lasts at most a year';
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const person = await repo.findPerson(scope.tx, actor.tenantId, userId);
    if (!person || person.status !== 'active') fields.userId = 'no such active user';
    if (Object.keys(fields).length) throw invalid(fields);
    const who = person as repo.Person;
    if (forOther) await approveOver(scope, actor, who, body.startsAt, body.endsAt, body.force === true);
    const id = await repo.insertTimeOff(scope.tx, {
      tenantId: actor.tenantId,
      userId,
      kind: body.kind,
      startsAt: body.startsAt,
      endsAt: body.endsAt,
      status: forOther ? 'approved' : 'requested',
      note: body.note ?? null,
      createdById: actor.userId,
      ...(forOther ? { decidedById: actor.userId, decidedAt: new Date() } : {}),
    });
    await scheduleChanged(scope, actor.tenantId, userId);
    if (forOther) {
      await tell(
        scope,
        ctx.deps,
        actor,
        [userId],
        `${KIND[body.kind]} entered for you`,
        `${actor.name} entered ${KIND[body.kind].toLowerCase()} for you: ${spanIn(body.startsAt, body.endsAt, who.timezone)}.`,
      );
    } else {
      const planners = await repo.plannerIds(scope.tx, actor.tenantId);
      await tell(
        scope,
        ctx.deps,
        actor,
        planners,
        `Time off requested by ${actor.name}`,
        `${actor.name} asks for ${KIND[body.kind].toLowerCase()}: ${spanIn(body.startsAt, body.endsAt, actor.profile.companyTimezone)}.`,
      );
    }
    return timeOffDto((await repo.findTimeOff(scope.tx, actor.tenantId, id)) as repo.TimeOffWithNames, actor);
  });
}

export async function decideTimeOff(
  ctx: Ctx,
  id: number,
  decision: 'approved' | 'rejected',
  opts: { force?: boolean; note?: string | null },
) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const row = await repo.findTimeOff(scope.tx, actor.tenantId, id, true);
    if (!row) throw notFound('Time off');
    if (row.t.userId === actor.userId) throw forbidden('Someone else decides on your own time off');
    if (row.t.status === decision) throw new AppError('invalid_transition', `This time off is already ${decision}`);
    const person = (await repo.findPerson(scope.tx, actor.tenantId, row.t.userId)) as repo.Person;
    if (decision === 'approved') await approveOver(scope, actor, person, row.t.startsAt, row.t.endsAt, opts.force === true);
    await repo.decideTimeOff(scope.tx, actor.tenantId, id, { status: decision, decidedById: actor.userId, note: opts.note });
    await scheduleChanged(scope, actor.tenantId, row.t.userId);
    const word = decision === 'approved' ? 'approved' : 'rejected';
    await tell(
      scope,
      ctx.deps,
      actor,
      [row.t.userId],
      `Time off ${word}`,
      `${actor.name} ${word} your ${KIND[row.t.kind].toLowerCase()}: ${spanIn(row.t.startsAt, row.t.endsAt, person.timezone)}.`,
    );
    return timeOffDto((await repo.findTimeOff(scope.tx, actor.tenantId, id)) as repo.TimeOffWithNames, actor);
  });
}
