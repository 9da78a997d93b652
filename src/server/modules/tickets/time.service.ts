// Time spent on a ticket (minutes, billable, hourly rate), with totals. Costs are staff-only: the
// entries are read by those who may work on tickets or see cost reports, history lines are internal.
import { and, asc, eq, sql } from 'drizzle-orm';
import { tickets, timeEntries, users } from '../../db/schema/index.js';
import type { UserActor } from '../../platform/actor.js';
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import type { Scope } from '../../platform/db.js';
import { AppError, notFound } from '../../platform/errors.js';
import { publishTicket, recordHistory, who } from './tickets.events.js';
import { ticketCan } from './tickets.policy.js';
import { findVisible } from './tickets.service.js';

type EntryRow = typeof timeEntries.$inferSelect;
type TicketRow = Awaited<ReturnType<typeof findVisible>>;

const toEntry = (e: EntryRow, userName: string | null) => ({
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

async function entriesOf(scope: Scope, tenantId: number, ticketId: number) {
  const rows = await scope.tx
    .select({ e: timeEntries, userName: users.name })
    .from(timeEntries)
    .leftJoin(users, and(eq(users.tenantId, timeEntries.tenantId), eq(users.id, timeEntries.userId)))
    .where(and(eq(timeEntries.tenantId, tenantId), eq(timeEntries.ticketId, ticketId)))
    .orderBy(asc(timeEntries.spentOn), asc(timeEntries.id));
  // Totals in SQL so amounts stay exact decimals (rate is per hour).
  const [totals] = await scope.tx
    .select({
      minutes: sql<number>`coalesce(sum(${timeEntries.minutes}), 0)::int`,
      billableMinutes: sql<number>`coalesce(sum(${timeEntries.minutes}) filter (where ${timeEntries.billable}), 0)::int`,
      billableAmount: sql<string>`round(coalesce(sum(${timeEntries.minutes} * coalesce(${timeEntries.rate}, 0) / 60.0) filter (where ${timeEntries.billable}), 0), 2)::text`,
    })
    .from(timeEntries)
    .where(and(eq(timeEntries.tenantId, tenantId), eq(timeEntries.ticketId, ticketId)));
  return {
    items: rows.map((r) => toEntry(r.e, r.userName)),
    totals: { minutes: Number(totals.minutes), billableMinutes: Number(totals.billableMinutes), billableAmount: String(totals.billableAmount) },
  };
}

async function touch(scope: Scope, actor: UserActor, t: TicketRow, event: string, before: unknown, after: unknown) {
  const [row] = await scope.tx.update(tickets).set({ updatedAt: sql`now()` }).where(and(eq(tickets.tenantId, t.tenantId), eq(tickets.id, t.id))).returning();
  await recordHistory(scope, who(actor), row, event, [{ field: 'time', before, after }], true);
  await publishTicket(scope, row, 'time');
}

export async function listTime(ctx: Ctx, number: number) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const t = await findVisible(scope, actor, number);
    checkRead(actor);
    return entriesOf(scope, actor.tenantId, t.id);
  });
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
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const t = await findVisible(scope, actor, number, true);
    if (!ticketCan(actor, t).logTime) throw new AppError('forbidden', 'You may not log time on this ticket');
    const [entry] = await scope.tx
      .insert(timeEntries)
      .values({
        tenantId: actor.tenantId,
        ticketId: t.id,
        userId: actor.userId,
        minutes: input.minutes,
        billable: input.billable,
        rate: input.rate ?? null,
        note: input.note ?? null,
        ...(input.spentOn ? { spentOn: input.spentOn } : {}),
      })
      .returning();
    await touch(scope, actor, t, 'time_logged', null, { id: String(entry.id), minutes: entry.minutes, billable: entry.billable, rate: entry.rate });
    return { entry: toEntry(entry, actor.name), ...(await entriesOf(scope, actor.tenantId, t.id)) };
  });
}

export async function deleteTime(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  await ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const [row] = await scope.tx
      .select({ e: timeEntries, number: tickets.number })
      .from(timeEntries)
      .innerJoin(tickets, and(eq(tickets.tenantId, timeEntries.tenantId), eq(tickets.id, timeEntries.ticketId)))
      .where(and(eq(timeEntries.tenantId, actor.tenantId), eq(timeEntries.id, id)));
    if (!row) throw notFound('Time entry');
    const t = await findVisible(scope, actor, row.number, true).catch(() => {
      throw notFound('Time entry');
    });
    if (row.e.userId !== actor.userId && !actor.permissions.has('tickets.update')) {
      throw new AppError('forbidden', 'You may remove only your own time entries');
    }
    await scope.tx.delete(timeEntries).where(and(eq(timeEntries.tenantId, actor.tenantId), eq(timeEntries.id, id)));
    await touch(scope, actor, t, 'time_removed', { id: String(id), minutes: row.e.minutes, billable: row.e.billable, rate: row.e.rate }, null);
  });
}
