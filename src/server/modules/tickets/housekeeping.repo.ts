// The SQL of the daily ticket housekeeping (tickets.jobs): archiving old closed tickets, purging old
// rejected ones with their files. Drizzle only.
import { and, asc, eq, gt, inArray, or, sql } from 'drizzle-orm';
import { attachments, companies, ticketComments, ticketHistory, tickets } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';

/** A page of companies with their settings, by id (an owner read: the list of companies is not tenant data). */
export function companiesPage(tx: Tx, after: number, limit: number) {
  return tx
    .select({ id: companies.id, settings: companies.settings })
    .from(companies)
    .where(gt(companies.id, after))
    .orderBy(asc(companies.id))
    .limit(limit);
}

/** Archives up to `batch` closed tickets older than `days`, each with its history line; returns how many. */
export async function archiveBatch(tx: Tx, tenantId: number, days: number, batch: number): Promise<number> {
  const due = tx
    .select({ id: tickets.id })
    .from(tickets)
    .where(
      and(
        eq(tickets.tenantId, tenantId),
        eq(tickets.status, 'closed'),
        sql`${tickets.archivedAt} is null`,
        sql`coalesce(${tickets.closedAt}, ${tickets.updatedAt}) < now() - make_interval(days => ${days})`,
      ),
    )
    .limit(batch);
  const moved = await tx
    .update(tickets)
    .set({ archivedAt: sql`now()` })
    .where(and(eq(tickets.tenantId, tenantId), inArray(tickets.id, due)))
    .returning({ id: tickets.id, archivedAt: tickets.archivedAt });
  if (moved.length) {
    await tx.insert(ticketHistory).values(
      moved.map((m) => ({
        tenantId,
        ticketId: m.id,
        actorName: 'Steward',
        event: 'archived',
        field: 'archivedAt',
        before: null,
        after: m.archivedAt?.toISOString() as never,
      })),
    );
  }
  return moved.length;
}

/** Up to `batch` rejected tickets older than `days`, locked (skipping those another worker holds). */
export function rejectedDue(tx: Tx, tenantId: number, days: number, batch: number) {
  return tx
    .select({ id: tickets.id, number: tickets.number })
    .from(tickets)
    .where(
      and(
        eq(tickets.tenantId, tenantId),
        eq(tickets.status, 'rejected'),
        sql`coalesce(${tickets.closedAt}, ${tickets.updatedAt}) < now() - make_interval(days => ${days})`,
      ),
    )
    .orderBy(asc(tickets.id))
    .limit(batch)
    .for('update', { skipLocked: true });
}

/** Deletes tickets (their rows cascade) and the attachment rows of them and of their comments; returns the files' storage keys. */
export async function deleteTicketsWithFiles(tx: Tx, tenantId: number, ids: number[]): Promise<string[]> {
  const ofTickets = and(
    eq(attachments.tenantId, tenantId),
    or(
      inArray(attachments.ticketId, ids),
      inArray(
        attachments.commentId,
        tx
          .select({ id: ticketComments.id })
          .from(ticketComments)
          .where(and(eq(ticketComments.tenantId, tenantId), inArray(ticketComments.ticketId, ids))),
      ),
    ),
  );
  const files = await tx.delete(attachments).where(ofTickets).returning({ key: attachments.storageKey });
  await tx.delete(tickets).where(and(eq(tickets.tenantId, tenantId), inArray(tickets.id, ids)));
  return files.map((f) => f.key);
}
