// Presence rows (Drizzle only): one per open socket, keyed by (tenant_id, connection_id).
import { and, eq, lt, sql } from 'drizzle-orm';
import { presence } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';

/**
 * Marks these connections as seen now. An upsert on the key, so a row that was lost (its insert
 * failed, or another process swept it while this one stalled) comes back at the next heartbeat.
 */
export async function seeConnections(tx: Tx, tenantId: number, conns: Array<{ userId: number; connectionId: string }>) {
  if (conns.length === 0) return;
  await tx
    .insert(presence)
    .values(conns.map((c) => ({ tenantId, userId: c.userId, connectionId: c.connectionId })))
    .onConflictDoUpdate({ target: [presence.tenantId, presence.connectionId], set: { seenAt: sql`now()` } });
}

export async function dropConnection(tx: Tx, tenantId: number, connectionId: string) {
  await tx.delete(presence).where(and(eq(presence.tenantId, tenantId), eq(presence.connectionId, connectionId)));
}

/** Rows of sockets whose process stopped without closing them. */
export async function sweepConnections(tx: Tx, tenantId: number) {
  await tx.delete(presence).where(and(eq(presence.tenantId, tenantId), lt(presence.seenAt, sql`now() - interval '5 minutes'`)));
}
