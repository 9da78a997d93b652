// Time spent on a ticket (minutes, billable, hourly rate), with totals. Costs are staff-only: the
// entries are read by those who may work on tickets or see cost reports, history lines are internal.
// The ticket use cases take the caller's scope (`…In`) so that others compose them in one transaction.
import { z } from 'zod';
import type { ListQuery } from '../../../shared/contracts/common.js';
import type { UserActor } from '../../platform/actor.js';
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import type { Scope } from '../../platform/db.js';
import { AppError, notFound } from '../../platform/errors.js';
import { cutPage, decodeCursor } from '../http.js';
import * as repo from './time.repo.js';
import { publishTicket, recordHistory, who } from './tickets.events.js';
import { ticketCan } from './tickets.policy.js';
import { touchTicket } from './tickets.repo.js';
import { findVisible } from './tickets.service.js';

type TicketRow = Awaited<ReturnType<typeof findVisible>>;

// Microseconds since the epoch within about 1780..2223: wide enough for any entry, never an overflow in SQL.
const timeCursor = z.tuple([z.number().int().min(-6e15).max(8e15), z.number().int().min(1)]);

const toEntry = (e: repo.EntryRow, userName: string | null) => ({
  id: String(e.id),
  user: { id: String(e.userId), name: userName ?? '' },
  minutes: e.minutes,
  billable: e.billable,
  rate: e.rate,
  note: e.note,
  spentOn: e.spentOn.toISOString(),
  createdAt: e.createdAt.toISOString(),
});

function checkRead(actor: UserActor) {
  if (!actor.permissions.has('tickets.update') && !actor.permissions.has('reports.financial')) {
    throw new AppError('forbidden', 'You may not see the time spent on tickets');
  }
}

async function entriesOf(scope: Scope, tenantId: number, ticketId: number, q: ListQuery) {
  const after = decodeCursor(q.cursor, timeCursor);
  const rows = await repo.entriesPage(scope.tx, tenantId, ticketId, after, q.limit + 1);
  const page = cutPage(rows, q.limit, (r) => [r.key, r.e.id]);
  return {
    items: page.rows.map((r) => toEntry(r.e, r.userName)),
    nextCursor: page.nextCursor,
    totals: await repo.entryTotals(scope.tx, tenantId, ticketId),
  };
}

async function touch(scope: Scope, actor: UserActor, t: TicketRow, event: string, before: unknown, after: unknown) {
  const row = await touchTicket(scope.tx, t.tenantId, t.id);
  await recordHistory(scope, who(actor), row, event, [{ field: 'time', before, after }], true);
  await publishTicket(scope, row, 'time');
}

export async function listTime(ctx: Ctx, number: number, q: ListQuery) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, (scope) => listTimeIn(scope, actor, number, q));
}

export async function listTimeIn(scope: Scope, actor: UserActor, number: number, q: ListQuery) {
  const t = await findVisible(scope, actor, number);
  checkRead(actor);
  return entriesOf(scope, actor.tenantId, t.id, q);
}

export interface NewTimeEntry {
  minutes: number;
  billable: boolean;
  rate?: string | null;
  note?: string | null;
  spentOn?: Date;
}

export async function logTime(ctx: Ctx, number: number, input: NewTimeEntry) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, (scope) => logTimeIn(scope, actor, number, input));
}

/** Logs time; the answer carries the entry, the first page of entries and the new totals. */
export async function logTimeIn(scope: Scope, actor: UserActor, number: number, input: NewTimeEntry) {
  const t = await findVisible(scope, actor, number, true);
  if (!ticketCan(actor, t).logTime) throw new AppError('forbidden', 'You may not log time on this ticket');
  const entry = await repo.insertEntry(scope.tx, {
    tenantId: actor.tenantId,
    ticketId: t.id,
    userId: actor.userId,
    minutes: input.minutes,
    billable: input.billable,
    rate: input.rate ?? null,
    note: input.note ?? null,
    ...(input.spentOn ? { spentOn: input.spentOn } : {}),
  });
  await touch(scope, actor, t, 'time_logged', null, {
    id: String(entry.id),
    minutes: entry.minutes,
    billable: entry.billable,
    rate: entry.rate,
  });
  return { entry: toEntry(entry, actor.name), ...(await entriesOf(scope, actor.tenantId, t.id, { limit: 50 })) };
}

export async function deleteTime(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  await ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const row = await repo.findEntryWithNumber(scope.tx, actor.tenantId, id);
    if (!row) throw notFound('Time entry');
    const t = await findVisible(scope, actor, row.number, true).catch(() => {
      throw notFound('Time entry');
    });
    if (row.e.userId !== actor.userId && !actor.permissions.has('tickets.update')) {
      throw new AppError('forbidden', 'You may remove only your own time entries');
    }
    await repo.deleteEntry(scope.tx, actor.tenantId, id);
    await touch(
      scope,
      actor,
      t,
      'time_removed',
      { id: String(id), minutes: row.e.minutes, billable: row.e.billable, rate: row.e.rate },
      null,
    );
  });
}
