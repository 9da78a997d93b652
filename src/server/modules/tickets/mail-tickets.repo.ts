// The ticket reads and writes of the mail pipeline (it acts for the company, not for a signed-in caller).
import { and, eq, sql } from 'drizzle-orm';
import { roles, tickets, users } from '../../db/schema/index.js';
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

/** Whether a user works on tickets (their role holds tickets.update): their public reply is staff's. */
export async function isTicketStaff(tx: Tx, tenantId: number, userId: number): Promise<boolean> {
  const [row] = await tx
    .select({ ok: sql<boolean>`'tickets.update' = any(${roles.permissions})` })
    .from(users)
    .innerJoin(roles, and(eq(roles.tenantId, users.tenantId), eq(roles.id, users.roleId)))
    .where(and(eq(users.tenantId, tenantId), eq(users.id, userId)));
  return !!row?.ok;
}
