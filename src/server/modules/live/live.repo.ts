// Presence rows: one per open socket, refreshed by the heartbeat, so every web process sees every user.
import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import { presence } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';

export async function insertPresence(tx: Tx, tenantId: number, userId: number, connectionId: string) {
  await tx.insert(presence).values({ tenantId, userId, connectionId });
}

export async function deletePresence(tx: Tx, tenantId: number, connectionId: string) {
  await tx.delete(presence).where(and(eq(presence.tenantId, tenantId), eq(presence.connectionId, connectionId)));
}

/** Marks these sockets as seen now and drops the rows of sockets no process has refreshed for 5 minutes. */
export async function touchPresence(tx: Tx, tenantId: number, connectionIds: string[]) {
  await tx.update(presence).set({ seenAt: sql`now()` }).where(and(eq(presence.tenantId, tenantId), inArray(presence.connectionId, connectionIds)));
  await tx.delete(presence).where(and(eq(presence.tenantId, tenantId), lt(presence.seenAt, sql`now() - interval '5 minutes'`)));
}
