// Recurring tickets' queries (Drizzle only): the rules, their runs (one row per occurrence, the
// exactly-once key), the scheduler's due scan across companies and its per-rule claim.
import { and, asc, desc, eq, inArray, isNotNull, lte, type SQL, sql } from 'drizzle-orm';
import { afterName, byName, type NameCursor, nameContains } from '../../db/keyset.js';
import { assets, categories, companies, recurringTicketRuns, recurringTickets, teams, tickets, users } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';

export type RuleRow = typeof recurringTickets.$inferSelect;
export type NewRule = typeof recurringTickets.$inferInsert;

export async function companyTimezone(tx: Tx, tenantId: number): Promise<string> {
  const [row] = await tx.select({ timezone: companies.timezone }).from(companies).where(eq(companies.id, tenantId));
  return row?.timezone ?? 'UTC';
}

/** Which of a template's references exist (a ticket opened from it would be refused otherwise). */
export async function missingRefs(
  tx: Tx,
  tenantId: number,
  refs: { categoryId?: number | null; teamId?: number | null; assigneeId?: number | null; assetIds?: number[] },
): Promise<string[]> {
  const missing: string[] = [];
  if (refs.categoryId) {
    const [c] = await tx
      .select({ active: categories.active })
      .from(categories)
      .where(and(eq(categories.tenantId, tenantId), eq(categories.id, refs.categoryId)));
    if (!c?.active) missing.push('categoryId');
  }
  if (refs.teamId) {
    const [t] = await tx
      .select({ id: teams.id })
      .from(teams)
      .where(and(eq(teams.tenantId, tenantId), eq(teams.id, refs.teamId)));
    if (!t) missing.push('teamId');
  }
  if (refs.assigneeId) {
    const [u] = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.tenantId, tenantId), eq(users.id, refs.assigneeId), eq(users.status, 'active')));
    if (!u) missing.push('assigneeId');
  }
  const ids = [...new Set(refs.assetIds ?? [])];
  if (ids.length > 0) {
    const found = await tx
      .select({ id: assets.id })
      .from(assets)
      .where(and(eq(assets.tenantId, tenantId), inArray(assets.id, ids)));
    if (found.length !== ids.length) missing.push('assetIds');
  }
  return missing;
}

export async function insertRule(tx: Tx, values: NewRule): Promise<RuleRow> {
  const [row] = await tx.insert(recurringTickets).values(values).returning();
  return row;
}

export async function findRule(tx: Tx, tenantId: number, id: number, lock = false): Promise<RuleRow | null> {
  const q = tx
    .select()
    .from(recurringTickets)
    .where(and(eq(recurringTickets.tenantId, tenantId), eq(recurringTickets.id, id)));
  const [row] = lock ? await q.for('update') : await q;
  return row ?? null;
}

export async function updateRule(tx: Tx, tenantId: number, id: number, set: Partial<NewRule>): Promise<RuleRow> {
  const [row] = await tx
    .update(recurringTickets)
    .set({ ...set, version: sql`${recurringTickets.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(recurringTickets.tenantId, tenantId), eq(recurringTickets.id, id)))
    .returning();
  return row;
}

export async function deleteRule(tx: Tx, tenantId: number, id: number): Promise<boolean> {
  const rows = await tx
    .delete(recurringTickets)
    .where(and(eq(recurringTickets.tenantId, tenantId), eq(recurringTickets.id, id)))
    .returning({ id: recurringTickets.id });
  return rows.length > 0;
}

export function rulesPage(
  tx: Tx,
  tenantId: number,
  q: { q?: string; active?: boolean },
  after: NameCursor | null,
  take: number,
): Promise<RuleRow[]> {
  const where: Array<SQL | undefined> = [
    eq(recurringTickets.tenantId, tenantId),
    nameContains(recurringTickets.title, q.q),
    q.active === undefined ? undefined : eq(recurringTickets.active, q.active),
    afterName(recurringTickets.title, recurringTickets.id, after),
  ];
  return tx
    .select()
    .from(recurringTickets)
    .where(and(...where))
    .orderBy(...byName(recurringTickets.title, recurringTickets.id))
    .limit(take);
}

/** A page of a rule's runs, newest occurrence first, with the ticket each opened. */
export function runsPage(tx: Tx, tenantId: number, ruleId: number, before: Date | null, take: number) {
  return tx
    .select({ r: recurringTicketRuns, number: tickets.number, status: tickets.status })
    .from(recurringTicketRuns)
    .leftJoin(tickets, and(eq(tickets.tenantId, recurringTicketRuns.tenantId), eq(tickets.id, recurringTicketRuns.ticketId)))
    .where(
      and(
        eq(recurringTicketRuns.tenantId, tenantId),
        eq(recurringTicketRuns.recurringTicketId, ruleId),
        before ? sql`${recurringTicketRuns.occurrence} < ${before.toISOString()}::timestamptz` : undefined,
      ),
    )
    .orderBy(desc(recurringTicketRuns.occurrence))
    .limit(take);
}

// The scheduler -----------------------------------------------------------------------------------

export type DueCursor = { at: Date; tenantId: number; id: number };

/**
 * Active rules due at `now` across companies, in (next_run_at, tenant, id) order after the cursor
 * (an owner read: the scan crosses companies; each rule is then claimed in its company's transaction).
 */
export async function dueRules(tx: Tx, now: Date, after: DueCursor | null, take: number): Promise<DueCursor[]> {
  const rows = await tx
    .select({ at: recurringTickets.nextRunAt, tenantId: recurringTickets.tenantId, id: recurringTickets.id })
    .from(recurringTickets)
    .where(
      and(
        eq(recurringTickets.active, true),
        isNotNull(recurringTickets.nextRunAt),
        lte(recurringTickets.nextRunAt, now),
        after
          ? sql`(${recurringTickets.nextRunAt}, ${recurringTickets.tenantId}, ${recurringTickets.id}) > (${after.at.toISOString()}::timestamptz, ${after.tenantId}, ${after.id})`
          : undefined,
      ),
    )
    .orderBy(asc(recurringTickets.nextRunAt), asc(recurringTickets.tenantId), asc(recurringTickets.id))
    .limit(take);
  return rows.map((r) => ({ at: r.at as Date, tenantId: r.tenantId, id: r.id }));
}

/** The rule, locked, if it is still due and no other worker holds it (SKIP LOCKED: that one is firing it). */
export async function claimDueRule(tx: Tx, tenantId: number, id: number, now: Date): Promise<RuleRow | null> {
  const [row] = await tx
    .select()
    .from(recurringTickets)
    .where(
      and(
        eq(recurringTickets.tenantId, tenantId),
        eq(recurringTickets.id, id),
        eq(recurringTickets.active, true),
        lte(recurringTickets.nextRunAt, now),
      ),
    )
    .for('update', { skipLocked: true });
  return row ?? null;
}

/** The run of one occurrence, or null when it exists already (the exactly-once key). */
export async function insertRun(
  tx: Tx,
  values: { tenantId: number; recurringTicketId: number; occurrence: Date; late: boolean },
): Promise<number | null> {
  const rows = await tx.insert(recurringTicketRuns).values(values).onConflictDoNothing().returning({ id: recurringTicketRuns.id });
  return rows[0]?.id ?? null;
}

export async function setRunTicket(tx: Tx, tenantId: number, runId: number, ticketId: number): Promise<void> {
  await tx
    .update(recurringTicketRuns)
    .set({ ticketId })
    .where(and(eq(recurringTicketRuns.tenantId, tenantId), eq(recurringTicketRuns.id, runId)));
}

/** Moves the rule on (no version bump: the scheduler's bookkeeping is not an edit). */
export async function advanceRule(tx: Tx, tenantId: number, id: number, nextRunAt: Date | null, lastError: string | null): Promise<void> {
  await tx
    .update(recurringTickets)
    .set({ nextRunAt, lastError })
    .where(and(eq(recurringTickets.tenantId, tenantId), eq(recurringTickets.id, id)));
}

export async function setLastError(tx: Tx, tenantId: number, id: number, lastError: string): Promise<void> {
  await tx
    .update(recurringTickets)
    .set({ lastError })
    .where(and(eq(recurringTickets.tenantId, tenantId), eq(recurringTickets.id, id)));
}

/** The earliest next run of any active rule (when the scheduler should wake up next). */
export async function earliestRun(tx: Tx, after: Date): Promise<Date | null> {
  const [row] = await tx
    .select({ at: recurringTickets.nextRunAt })
    .from(recurringTickets)
    .where(
      and(
        eq(recurringTickets.active, true),
        isNotNull(recurringTickets.nextRunAt),
        sql`${recurringTickets.nextRunAt} > ${after.toISOString()}::timestamptz`,
      ),
    )
    .orderBy(asc(recurringTickets.nextRunAt))
    .limit(1);
  return row?.at ?? null;
}
