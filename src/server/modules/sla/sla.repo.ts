// SLA policy and ticket-clock queries (Drizzle only).
import { and, asc, eq, gt, inArray, isNotNull, lte, sql } from 'drizzle-orm';
import { businessHours, companies, roles, slaPolicies, teamMembers, ticketHistory, tickets, ticketSla, users } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';

export type SlaPolicyRow = typeof slaPolicies.$inferSelect;
export type TicketSlaRow = typeof ticketSla.$inferSelect;

export function listPolicies(tx: Tx, tenantId: number, after: [number, number] | null, limit: number) {
  return tx
    .select()
    .from(slaPolicies)
    .where(
      and(
        eq(slaPolicies.tenantId, tenantId),
        after ? sql`(${slaPolicies.position}, ${slaPolicies.id}) > (${after[0]}, ${after[1]})` : undefined,
      ),
    )
    .orderBy(asc(slaPolicies.position), asc(slaPolicies.id))
    .limit(limit + 1);
}

/** The enabled policies in the order they are tried, each with its calendar. */
export function enabledPoliciesWithCalendars(tx: Tx, tenantId: number) {
  return tx
    .select({ policy: slaPolicies, calendar: businessHours })
    .from(slaPolicies)
    .innerJoin(businessHours, and(eq(businessHours.tenantId, slaPolicies.tenantId), eq(businessHours.id, slaPolicies.businessHoursId)))
    .where(and(eq(slaPolicies.tenantId, tenantId), eq(slaPolicies.enabled, true)))
    .orderBy(asc(slaPolicies.position), asc(slaPolicies.id));
}

export async function findPolicy(tx: Tx, tenantId: number, id: number, lock = false) {
  const q = tx
    .select()
    .from(slaPolicies)
    .where(and(eq(slaPolicies.tenantId, tenantId), eq(slaPolicies.id, id)));
  const [row] = lock ? await q.for('update') : await q;
  return row ?? null;
}

export async function nameTaken(tx: Tx, tenantId: number, name: string, exceptId?: number): Promise<boolean> {
  const rows = await tx
    .select({ id: slaPolicies.id })
    .from(slaPolicies)
    .where(
      and(
        eq(slaPolicies.tenantId, tenantId),
        sql`lower(${slaPolicies.name}) = lower(${name})`,
        exceptId ? sql`${slaPolicies.id} <> ${exceptId}` : undefined,
      ),
    );
  return rows.length > 0;
}

export async function lastPosition(tx: Tx, tenantId: number): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`coalesce(max(${slaPolicies.position}), 0)::int` })
    .from(slaPolicies)
    .where(eq(slaPolicies.tenantId, tenantId));
  return row.n;
}

/** The policies' ids in the order they are tried. */
export async function orderedIds(tx: Tx, tenantId: number): Promise<Array<{ id: number; position: number }>> {
  return tx
    .select({ id: slaPolicies.id, position: slaPolicies.position })
    .from(slaPolicies)
    .where(eq(slaPolicies.tenantId, tenantId))
    .orderBy(asc(slaPolicies.position), asc(slaPolicies.id));
}

export async function setPosition(tx: Tx, tenantId: number, id: number, position: number): Promise<void> {
  await tx
    .update(slaPolicies)
    .set({ position })
    .where(and(eq(slaPolicies.tenantId, tenantId), eq(slaPolicies.id, id)));
}

export async function insertPolicy(tx: Tx, values: typeof slaPolicies.$inferInsert): Promise<SlaPolicyRow> {
  const [row] = await tx.insert(slaPolicies).values(values).returning();
  return row;
}

export async function updatePolicy(
  tx: Tx,
  tenantId: number,
  id: number,
  set: Partial<typeof slaPolicies.$inferInsert>,
): Promise<SlaPolicyRow> {
  const [row] = await tx
    .update(slaPolicies)
    .set({ ...set, updatedAt: sql`now()` })
    .where(and(eq(slaPolicies.tenantId, tenantId), eq(slaPolicies.id, id)))
    .returning();
  return row;
}

export async function deletePolicy(tx: Tx, tenantId: number, id: number): Promise<void> {
  await tx.delete(slaPolicies).where(and(eq(slaPolicies.tenantId, tenantId), eq(slaPolicies.id, id)));
}

export async function roleExists(tx: Tx, tenantId: number, id: number): Promise<boolean> {
  const [r] = await tx
    .select({ id: roles.id })
    .from(roles)
    .where(and(eq(roles.tenantId, tenantId), eq(roles.id, id)));
  return Boolean(r);
}

export async function roleIdByName(tx: Tx, tenantId: number, name: string): Promise<number | null> {
  const [r] = await tx
    .select({ id: roles.id })
    .from(roles)
    .where(and(eq(roles.tenantId, tenantId), eq(roles.name, name)));
  return r?.id ?? null;
}

export async function findTicketSla(tx: Tx, tenantId: number, ticketId: number, lock = false): Promise<TicketSlaRow | null> {
  const q = tx
    .select()
    .from(ticketSla)
    .where(and(eq(ticketSla.tenantId, tenantId), eq(ticketSla.ticketId, ticketId)));
  const [row] = lock ? await q.for('update') : await q;
  return row ?? null;
}

export function ticketSlaMany(tx: Tx, tenantId: number, ticketIds: number[]) {
  return tx
    .select()
    .from(ticketSla)
    .where(and(eq(ticketSla.tenantId, tenantId), sql`${ticketSla.ticketId} = any(${`{${ticketIds.join(',')}}`}::bigint[])`));
}

export async function upsertTicketSla(tx: Tx, values: typeof ticketSla.$inferInsert): Promise<TicketSlaRow> {
  const { tenantId: _t, ticketId: _i, ...set } = values;
  const [row] = await tx
    .insert(ticketSla)
    .values(values)
    .onConflictDoUpdate({ target: [ticketSla.tenantId, ticketSla.ticketId], set: { ...set, updatedAt: sql`now()` } })
    .returning();
  return row;
}

export async function updateTicketSla(
  tx: Tx,
  tenantId: number,
  ticketId: number,
  set: Partial<typeof ticketSla.$inferInsert>,
): Promise<TicketSlaRow> {
  const [row] = await tx
    .update(ticketSla)
    .set({ ...set, updatedAt: sql`now()` })
    .where(and(eq(ticketSla.tenantId, tenantId), eq(ticketSla.ticketId, ticketId)))
    .returning();
  return row;
}

export async function deleteTicketSla(tx: Tx, tenantId: number, ticketId: number): Promise<void> {
  await tx.delete(ticketSla).where(and(eq(ticketSla.tenantId, tenantId), eq(ticketSla.ticketId, ticketId)));
}

/** Tickets whose next timer moment has come (the sweep), earliest first, by the partial index. */
export async function dueTimerTickets(tx: Tx, tenantId: number, now: Date, limit: number): Promise<number[]> {
  const rows = await tx
    .select({ ticketId: ticketSla.ticketId })
    .from(ticketSla)
    .where(and(eq(ticketSla.tenantId, tenantId), isNotNull(ticketSla.nextEventAt), lte(ticketSla.nextEventAt, now)))
    .orderBy(asc(ticketSla.nextEventAt))
    .limit(limit);
  return rows.map((r) => r.ticketId);
}

/** The companies (an owner read), for the sweep to visit one by one. */
export async function companyIds(tx: Tx, after: number, limit: number): Promise<number[]> {
  const rows = await tx.select({ id: companies.id }).from(companies).where(gt(companies.id, after)).orderBy(asc(companies.id)).limit(limit);
  return rows.map((r) => r.id);
}

/** What a timer's notice says and whom it reaches. */
export async function ticketFacts(tx: Tx, tenantId: number, ticketId: number) {
  const [row] = await tx
    .select({
      id: tickets.id,
      number: tickets.number,
      title: tickets.title,
      status: tickets.status,
      assigneeId: tickets.assigneeId,
      teamId: tickets.teamId,
    })
    .from(tickets)
    .where(and(eq(tickets.tenantId, tenantId), eq(tickets.id, ticketId)));
  return row ?? null;
}

export async function teamMemberIds(tx: Tx, tenantId: number, teamId: number): Promise<number[]> {
  const rows = await tx
    .select({ userId: teamMembers.userId })
    .from(teamMembers)
    .where(and(eq(teamMembers.tenantId, tenantId), eq(teamMembers.teamId, teamId)));
  return rows.map((r) => r.userId);
}

/** Active members of the escalation role, when that role may see every ticket (nobody hears of a ticket they may not see). */
export async function roleMemberIds(tx: Tx, tenantId: number, roleId: number): Promise<number[]> {
  const rows = await tx
    .select({ id: users.id })
    .from(users)
    .innerJoin(roles, and(eq(roles.tenantId, users.tenantId), eq(roles.id, users.roleId)))
    .where(
      and(
        eq(users.tenantId, tenantId),
        eq(users.roleId, roleId),
        eq(users.status, 'active'),
        sql`'tickets.view_all' = any(${roles.permissions})`,
      ),
    );
  return rows.map((r) => r.id);
}

/**
 * Open tickets at risk or breached, soonest due first, by the partial index on next_due_at: at risk is
 * inside the warning window and not yet due; `breached` adds those past due.
 */
export function atRiskIds(tx: Tx, tenantId: number, opts: { includeBreached: boolean; limit: number }) {
  return tx
    .select({ ticketId: ticketSla.ticketId, nextDueAt: ticketSla.nextDueAt })
    .from(ticketSla)
    .where(
      and(
        eq(ticketSla.tenantId, tenantId),
        isNotNull(ticketSla.nextDueAt),
        opts.includeBreached ? undefined : gt(ticketSla.nextDueAt, sql`now()`),
        lte(ticketSla.nextWarnAt, sql`now()`),
      ),
    )
    .orderBy(asc(ticketSla.nextDueAt), asc(ticketSla.ticketId))
    .limit(opts.limit);
}

export function ticketNumbers(tx: Tx, tenantId: number, ids: number[]) {
  return tx
    .select({
      id: tickets.id,
      number: tickets.number,
      title: tickets.title,
      status: tickets.status,
      priority: tickets.priority,
      assigneeId: tickets.assigneeId,
    })
    .from(tickets)
    .where(and(eq(tickets.tenantId, tenantId), inArray(tickets.id, ids)));
}

/**
 * Running clocks in due order (the ticket list sorted by SLA due), after a (due, ticket) cursor, by
 * the partial index on (tenant_id, next_due_at, ticket_id); `atRisk`/`breached` narrow it.
 */
export function dueCandidates(
  tx: Tx,
  tenantId: number,
  f: { after: [string, number] | null; atRisk: boolean; breached: boolean; limit: number },
) {
  return tx
    .select({ ticketId: ticketSla.ticketId, nextDueAt: ticketSla.nextDueAt })
    .from(ticketSla)
    .where(
      and(
        eq(ticketSla.tenantId, tenantId),
        isNotNull(ticketSla.nextDueAt),
        f.atRisk ? and(gt(ticketSla.nextDueAt, sql`now()`), lte(ticketSla.nextWarnAt, sql`now()`)) : undefined,
        f.breached ? sql`(${ticketSla.firstResponseBreached} or ${ticketSla.resolutionBreached})` : undefined,
        f.after ? sql`(${ticketSla.nextDueAt}, ${ticketSla.ticketId}) > (${f.after[0]}::timestamptz, ${f.after[1]})` : undefined,
      ),
    )
    .orderBy(asc(ticketSla.nextDueAt), asc(ticketSla.ticketId))
    .limit(f.limit);
}

/** A breached target as a line of the ticket's history (actor: Steward). */
export async function insertBreachHistory(tx: Tx, tenantId: number, ticketId: number, target: string, dueAt: Date): Promise<void> {
  await tx.insert(ticketHistory).values({
    tenantId,
    ticketId,
    actorName: 'Steward',
    event: 'sla_breached',
    field: 'sla',
    before: null,
    after: { target, dueAt: dueAt.toISOString() } as never,
  });
}
