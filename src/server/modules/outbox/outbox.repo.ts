// Reads of the mail outbox (written by platform/mail.ts in the transaction of each change).
import { and, asc, desc, eq, inArray, lt } from 'drizzle-orm';
import { mailAttachments, mailOutbox } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';

export type MessageRow = typeof mailOutbox.$inferSelect;

/** Newest first, keyset-paged by id. */
export function listMessages(tx: Tx, tenantId: number, beforeId: number | undefined, limit: number): Promise<MessageRow[]> {
  return tx
    .select()
    .from(mailOutbox)
    .where(and(eq(mailOutbox.tenantId, tenantId), beforeId ? lt(mailOutbox.id, beforeId) : undefined))
    .orderBy(desc(mailOutbox.id))
    .limit(limit);
}

export async function findMessage(tx: Tx, tenantId: number, id: number): Promise<MessageRow | undefined> {
  const [row] = await tx.select().from(mailOutbox).where(and(eq(mailOutbox.tenantId, tenantId), eq(mailOutbox.id, id)));
  return row;
}

export type AttachmentInfo = { mailId: number; name: string; contentType: string; size: number };

/** The attachments' names and sizes (never their bytes) of some messages. */
export async function attachmentsOf(tx: Tx, mailIds: number[]): Promise<AttachmentInfo[]> {
  if (mailIds.length === 0) return [];
  return tx
    .select({ mailId: mailAttachments.mailId, name: mailAttachments.name, contentType: mailAttachments.contentType, size: mailAttachments.size })
    .from(mailAttachments)
    .where(inArray(mailAttachments.mailId, mailIds))
    .orderBy(asc(mailAttachments.id));
}
