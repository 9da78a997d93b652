// Reads of the mail outbox (written by platform/mail.ts in the transaction of each change).
import { and, desc, eq, lt } from 'drizzle-orm';
import { mailOutbox } from '../../db/schema/index.js';
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
