// Threading: the Message-IDs of each ticket's conversation, the address its mail goes out from, and
// the tickets related to one another (a reply to a closed ticket that became a new one).
import { and, asc, eq, inArray, isNotNull } from 'drizzle-orm';
import { inboundMessages, mailboxes, mailThreadIds, ticketRelations, tickets } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';

export async function threadTickets(tx: Tx, tenantId: number, ids: string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await tx
    .select({ messageId: mailThreadIds.messageId, ticketId: mailThreadIds.ticketId })
    .from(mailThreadIds)
    .where(and(eq(mailThreadIds.tenantId, tenantId), inArray(mailThreadIds.messageId, ids)));
  return new Map(rows.map((r) => [r.messageId, r.ticketId]));
}

/** A ticket's thread, oldest first (for References of the next outgoing message). */
export async function threadOf(tx: Tx, tenantId: number, ticketIds: number[]) {
  if (ticketIds.length === 0) return [];
  return tx
    .select({ ticketId: mailThreadIds.ticketId, messageId: mailThreadIds.messageId })
    .from(mailThreadIds)
    .where(and(eq(mailThreadIds.tenantId, tenantId), inArray(mailThreadIds.ticketId, ticketIds)))
    .orderBy(asc(mailThreadIds.createdAt), asc(mailThreadIds.messageId));
}

/** The address outgoing mail about these tickets is sent from: the mailbox their first message came to. */
export async function ticketMailboxes(tx: Tx, tenantId: number, ticketIds: number[]) {
  if (ticketIds.length === 0) return [];
  return tx
    .selectDistinctOn([inboundMessages.ticketId], { ticketId: inboundMessages.ticketId, address: mailboxes.address })
    .from(inboundMessages)
    .innerJoin(mailboxes, and(eq(mailboxes.tenantId, inboundMessages.tenantId), eq(mailboxes.id, inboundMessages.mailboxId)))
    .where(and(eq(inboundMessages.tenantId, tenantId), inArray(inboundMessages.ticketId, ticketIds), isNotNull(inboundMessages.mailboxId)))
    .orderBy(inboundMessages.ticketId, asc(inboundMessages.id));
}

export async function ticketIdsOfNumbers(tx: Tx, tenantId: number, numbers: number[]) {
  if (numbers.length === 0) return [];
  return tx
    .select({ id: tickets.id, number: tickets.number })
    .from(tickets)
    .where(and(eq(tickets.tenantId, tenantId), inArray(tickets.number, numbers)));
}

/** The company's first active webhook/imap/graph mailbox address (the default sender of ticket mail). */
export async function defaultMailbox(tx: Tx, tenantId: number): Promise<string | null> {
  const [row] = await tx
    .select({ address: mailboxes.address })
    .from(mailboxes)
    .where(and(eq(mailboxes.tenantId, tenantId), eq(mailboxes.active, true)))
    .orderBy(asc(mailboxes.id))
    .limit(1);
  return row?.address ?? null;
}

// Related tickets ----------------------------------------------------------------------------

export async function relateTickets(tx: Tx, tenantId: number, a: number, b: number): Promise<void> {
  await tx
    .insert(ticketRelations)
    .values([
      { tenantId, ticketId: a, relatedId: b },
      { tenantId, ticketId: b, relatedId: a },
    ])
    .onConflictDoNothing();
}

export async function relatedOf(tx: Tx, tenantId: number, ticketId: number) {
  return tx
    .select({ number: tickets.number, title: tickets.title, status: tickets.status })
    .from(ticketRelations)
    .innerJoin(tickets, and(eq(tickets.tenantId, ticketRelations.tenantId), eq(tickets.id, ticketRelations.relatedId)))
    .where(and(eq(ticketRelations.tenantId, tenantId), eq(ticketRelations.ticketId, ticketId)))
    .orderBy(asc(tickets.number));
}
