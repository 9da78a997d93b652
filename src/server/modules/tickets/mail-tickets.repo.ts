// The ticket reads and writes of the mail pipeline (it acts for the company, not for a signed-in caller).
import { and, eq, sql } from 'drizzle-orm';
import { tickets } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';
import type { TicketRow } from './tickets.repo.js';

/** The ticket with this number or id, locked. */
export async function lockTicket(tx: Tx, tenantId: number, by: { number: number } | { id: number }): Promise<TicketRow | null> {
  const match = 'number' in by ? eq(tickets.number, by.number) : eq(tickets.id, by.id);
  const [row] = await tx
    .select()
    .from(tickets)
    .where(and(eq(tickets.tenantId, tenantId), match))
    .for('update');
  return row ?? null;
}

export async function reopen(tx: Tx, t: TicketRow): Promise<TicketRow> {
  const [row] = await tx
    .update(tickets)
    .set({
      status: 'in_progress',
      resolvedAt: null,
      closedAt: null,
      archivedAt: null,
      version: sql`${tickets.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(tickets.tenantId, t.tenantId), eq(tickets.id, t.id)))
    .returning();
  return row;
}
