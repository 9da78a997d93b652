// Received messages: the claim that keeps a message from being ingested twice, its outcome, the
// mailbox's list of what came in, and the message behind a comment or a ticket.
import { and, asc, count, desc, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import { inboundMessages, ticketHistory, tickets } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';

export type InboundRow = typeof inboundMessages.$inferSelect;

/** Claims the message's key; null when it was received before (a duplicate). Waits for a concurrent claim to settle. */
export async function claimInbound(tx: Tx, values: typeof inboundMessages.$inferInsert): Promise<number | null> {
  const rows = await tx
    .insert(inboundMessages)
    .values(values)
    .onConflictDoNothing({ target: [inboundMessages.tenantId, inboundMessages.messageIdKey] })
    .returning({ id: inboundMessages.id });
  return rows[0]?.id ?? null;
}

export async function findInboundByKey(tx: Tx, tenantId: number, key: string) {
  const [row] = await tx
    .select({ id: inboundMessages.id, result: inboundMessages.result, reason: inboundMessages.reason, number: tickets.number })
    .from(inboundMessages)
    .leftJoin(tickets, and(eq(tickets.tenantId, inboundMessages.tenantId), eq(tickets.id, inboundMessages.ticketId)))
    .where(and(eq(inboundMessages.tenantId, tenantId), eq(inboundMessages.messageIdKey, key)));
  return row ?? null;
}

export async function finishInbound(
  tx: Tx,
  tenantId: number,
  id: number,
  set: Partial<typeof inboundMessages.$inferInsert>,
): Promise<void> {
  await tx
    .update(inboundMessages)
    .set(set)
    .where(and(eq(inboundMessages.tenantId, tenantId), eq(inboundMessages.id, id)));
}

/** Size refusals of one sender in the last hour (bounces to a forged sender are capped: no backscatter floods). */
export async function recentRefusals(tx: Tx, tenantId: number, address: string): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(inboundMessages)
    .where(
      and(
        eq(inboundMessages.tenantId, tenantId),
        eq(inboundMessages.fromKey, address.toLowerCase()),
        gt(inboundMessages.receivedAt, sql`now() - interval '1 hour'`),
        eq(inboundMessages.reason, 'too_large'),
      ),
    );
  return Number(row?.n ?? 0);
}

export async function inboundPage(
  tx: Tx,
  tenantId: number,
  mailboxId: number,
  beforeId: number | undefined,
  result: string | undefined,
  limit: number,
) {
  return tx
    .select({ i: inboundMessages, number: tickets.number })
    .from(inboundMessages)
    .leftJoin(tickets, and(eq(tickets.tenantId, inboundMessages.tenantId), eq(tickets.id, inboundMessages.ticketId)))
    .where(
      and(
        eq(inboundMessages.tenantId, tenantId),
        eq(inboundMessages.mailboxId, mailboxId),
        beforeId ? lt(inboundMessages.id, beforeId) : undefined,
        result ? eq(inboundMessages.result, result as InboundRow['result']) : undefined,
      ),
    )
    .orderBy(desc(inboundMessages.id))
    .limit(limit);
}

export async function findInbound(tx: Tx, tenantId: number, id: number): Promise<InboundRow | null> {
  const [row] = await tx
    .select()
    .from(inboundMessages)
    .where(and(eq(inboundMessages.tenantId, tenantId), eq(inboundMessages.id, id)));
  return row ?? null;
}

/** The received message behind each of these comments. */
export async function inboundOfComments(tx: Tx, tenantId: number, commentIds: number[]): Promise<InboundRow[]> {
  if (commentIds.length === 0) return [];
  return tx
    .select()
    .from(inboundMessages)
    .where(and(eq(inboundMessages.tenantId, tenantId), inArray(inboundMessages.commentId, commentIds)));
}

/** The first message of a ticket made from mail (its description's message). */
export async function inboundOfTicket(tx: Tx, tenantId: number, ticketId: number): Promise<InboundRow | null> {
  const [row] = await tx
    .select()
    .from(inboundMessages)
    .where(and(eq(inboundMessages.tenantId, tenantId), eq(inboundMessages.ticketId, ticketId), eq(inboundMessages.result, 'created')))
    .orderBy(asc(inboundMessages.id))
    .limit(1);
  return row ?? null;
}

/** Whether someone edited the ticket's description since it came in (the mail's HTML no longer shows it). */
export async function descriptionEdited(tx: Tx, tenantId: number, ticketId: number): Promise<boolean> {
  const [row] = await tx
    .select({ id: ticketHistory.id })
    .from(ticketHistory)
    .where(and(eq(ticketHistory.tenantId, tenantId), eq(ticketHistory.ticketId, ticketId), eq(ticketHistory.field, 'description')))
    .limit(1);
  return Boolean(row);
}

export async function ticketNumberOf(tx: Tx, tenantId: number, ticketId: number): Promise<number | null> {
  const [row] = await tx
    .select({ number: tickets.number })
    .from(tickets)
    .where(and(eq(tickets.tenantId, tenantId), eq(tickets.id, ticketId)));
  return row?.number ?? null;
}
