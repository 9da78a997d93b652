// Time spent on tickets (Drizzle only): entries in keyset pages by the day spent, and their totals.
import { and, asc, eq, sql } from 'drizzle-orm';
import { tickets, timeEntries, users } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';

export type EntryRow = typeof timeEntries.$inferSelect;
/** Keyset position: (spent_on in microseconds since the epoch, exact; id). */
export type TimeCursor = [number, number];

const spentMicros = sql<string>`((extract(epoch from ${timeEntries.spentOn}) * 1000000)::bigint)::text`;

/** A page of a ticket's entries, oldest day first (index time_entries_tenant_ticket_idx). */
export async function entriesPage(tx: Tx, tenantId: number, ticketId: number, after: TimeCursor | null, take: number) {
  const rows = await tx
    .select({ e: timeEntries, userName: users.name, key: spentMicros })
    .from(timeEntries)
    .leftJoin(users, and(eq(users.tenantId, timeEntries.tenantId), eq(users.id, timeEntries.userId)))
    .where(
      and(
        eq(timeEntries.tenantId, tenantId),
        eq(timeEntries.ticketId, ticketId),
        after
          ? sql`(${timeEntries.spentOn}, ${timeEntries.id}) > (timestamptz 'epoch' + ${after[0]}::bigint * interval '1 microsecond', ${after[1]})`
          : undefined,
      ),
    )
    .orderBy(asc(timeEntries.spentOn), asc(timeEntries.id))
    .limit(take);
  return rows.map((r) => ({ ...r, key: Number(r.key) }));
}

/** Totals over every entry of a ticket, in SQL so amounts stay exact decimals (rate is per hour). */
export async function entryTotals(tx: Tx, tenantId: number, ticketId: number) {
  const [totals] = await tx
    .select({
      minutes: sql<number>`coalesce(sum(${timeEntries.minutes}), 0)::int`,
      billableMinutes: sql<number>`coalesce(sum(${timeEntries.minutes}) filter (where ${timeEntries.billable}), 0)::int`,
      billableAmount: sql<string>`round(coalesce(sum(${timeEntries.minutes} * coalesce(${timeEntries.rate}, 0) / 60.0) filter (where ${timeEntries.billable}), 0), 2)::text`,
    })
    .from(timeEntries)
    .where(and(eq(timeEntries.tenantId, tenantId), eq(timeEntries.ticketId, ticketId)));
  return {
    minutes: Number(totals.minutes),
    billableMinutes: Number(totals.billableMinutes),
    billableAmount: String(totals.billableAmount),
  };
}

export async function insertEntry(tx: Tx, values: typeof timeEntries.$inferInsert): Promise<EntryRow> {
  const [row] = await tx.insert(timeEntries).values(values).returning();
  return row;
}

/** An entry with its ticket's number. */
export async function findEntryWithNumber(tx: Tx, tenantId: number, id: number) {
  const [row] = await tx
    .select({ e: timeEntries, number: tickets.number })
    .from(timeEntries)
    .innerJoin(tickets, and(eq(tickets.tenantId, timeEntries.tenantId), eq(tickets.id, timeEntries.ticketId)))
    .where(and(eq(timeEntries.tenantId, tenantId), eq(timeEntries.id, id)));
  return row ?? null;
}

export async function deleteEntry(tx: Tx, tenantId: number, id: number) {
  await tx.delete(timeEntries).where(and(eq(timeEntries.tenantId, tenantId), eq(timeEntries.id, id)));
}
