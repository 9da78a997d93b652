// Attachment rows with what their answers need: the comment's internal flag, the uploader's name
// and the ticket's number.
import { and, asc, eq, or, sql } from 'drizzle-orm';
import { afterId } from '../../db/keyset.js';
import { attachments, ticketComments, tickets, users } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';

export type NewAttachment = typeof attachments.$inferInsert;

const selectRows = (tx: Tx) =>
  tx
    .select({ a: attachments, internal: sql<boolean>`coalesce(${ticketComments.internal}, false)`, uploaderName: users.name, ticketNumber: tickets.number })
    .from(attachments)
    .innerJoin(tickets, and(eq(tickets.tenantId, attachments.tenantId), eq(tickets.id, attachments.ticketId)))
    .leftJoin(ticketComments, and(eq(ticketComments.tenantId, attachments.tenantId), eq(ticketComments.id, attachments.commentId)))
    .leftJoin(users, and(eq(users.tenantId, attachments.tenantId), eq(users.id, attachments.uploadedById)));
export type AttachmentRow = Awaited<ReturnType<ReturnType<typeof selectRows>['where']>>[number];

/**
 * A page (`take` rows) of a ticket's attachments after the cursor, oldest first (index
 * attachments_tenant_ticket_idx); without `withInternal`, none of those on internal notes.
 */
export function ticketAttachments(
  tx: Tx,
  tenantId: number,
  ticketId: number,
  withInternal: boolean,
  page: { after: [number] | null; take: number },
): Promise<AttachmentRow[]> {
  return selectRows(tx)
    .where(
      and(
        eq(attachments.tenantId, tenantId),
        eq(attachments.ticketId, ticketId),
        withInternal ? undefined : or(sql`${attachments.commentId} is null`, eq(ticketComments.internal, false)),
        afterId(attachments.id, page.after),
      ),
    )
    .orderBy(asc(attachments.id))
    .limit(page.take);
}

export async function findAttachment(tx: Tx, tenantId: number, id: number): Promise<AttachmentRow | undefined> {
  const [row] = await selectRows(tx).where(and(eq(attachments.tenantId, tenantId), eq(attachments.id, id)));
  return row;
}

export async function findComment(tx: Tx, tenantId: number, ticketId: number, commentId: number) {
  const [c] = await tx
    .select({ id: ticketComments.id, internal: ticketComments.internal })
    .from(ticketComments)
    .where(and(eq(ticketComments.tenantId, tenantId), eq(ticketComments.ticketId, ticketId), eq(ticketComments.id, commentId)));
  return c;
}

export async function insertAttachment(tx: Tx, values: NewAttachment) {
  const [row] = await tx.insert(attachments).values(values).returning();
  return row;
}

export async function deleteAttachment(tx: Tx, tenantId: number, id: number) {
  await tx.delete(attachments).where(and(eq(attachments.tenantId, tenantId), eq(attachments.id, id)));
}

/** A ticket's files changed: it counts as updated (lists sort by it). */
export async function touchTicket(tx: Tx, tenantId: number, ticketId: number) {
  const [touched] = await tx.update(tickets).set({ updatedAt: sql`now()` }).where(and(eq(tickets.tenantId, tenantId), eq(tickets.id, ticketId))).returning();
  return touched;
}

export function insertAttachments(tx: Tx, values: NewAttachment[]) {
  return tx.insert(attachments).values(values).returning();
}
