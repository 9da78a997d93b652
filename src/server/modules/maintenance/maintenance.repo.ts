// Preventive maintenance plans' queries (Drizzle only): plans per asset, the due lists, the
// generated work orders (runs, one per plan and due date), and the scheduler's scan and claim.
import { and, asc, desc, eq, inArray, isNotNull, lte, notInArray, or, type SQL, sql } from 'drizzle-orm';
import { assets, maintenancePlanRuns, maintenancePlans, meters, parts, type TicketStatus, tickets } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';

export type PlanRow = typeof maintenancePlans.$inferSelect;
export type NewPlan = typeof maintenancePlans.$inferInsert;
export interface PlanWithNames {
  p: PlanRow;
  asset: { id: number; tag: string; name: string };
  openNumber: number | null;
  openDueAt: Date | null;
  openStatus: string | null;
}

const DONE: TicketStatus[] = ['resolved', 'closed', 'rejected'];

function selectPlans(tx: Tx) {
  return tx
    .select({
      p: maintenancePlans,
      asset: { id: assets.id, tag: assets.tag, name: assets.name },
      openNumber: tickets.number,
      openDueAt: tickets.dueAt,
      openStatus: tickets.status,
    })
    .from(maintenancePlans)
    .innerJoin(assets, and(eq(assets.tenantId, maintenancePlans.tenantId), eq(assets.id, maintenancePlans.assetId)))
    .leftJoin(tickets, and(eq(tickets.tenantId, maintenancePlans.tenantId), eq(tickets.id, maintenancePlans.openWorkOrderId)));
}

export async function assetExists(tx: Tx, tenantId: number, id: number): Promise<boolean> {
  const [row] = await tx
    .select({ id: assets.id })
    .from(assets)
    .where(and(eq(assets.tenantId, tenantId), eq(assets.id, id)));
  return !!row;
}

/** Part names by id (the template lists them on the work order); missing ids are left out. */
export async function partNames(tx: Tx, tenantId: number, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await tx
    .select({ id: parts.id, sku: parts.sku, name: parts.name })
    .from(parts)
    .where(and(eq(parts.tenantId, tenantId), inArray(parts.id, ids)));
  return new Map(rows.map((r) => [r.id, `${r.name} (${r.sku})`]));
}

export async function insertPlan(tx: Tx, values: NewPlan): Promise<PlanRow> {
  const [row] = await tx.insert(maintenancePlans).values(values).returning();
  return row;
}

export async function findPlan(tx: Tx, tenantId: number, id: number, lock = false): Promise<PlanRow | null> {
  const q = tx
    .select()
    .from(maintenancePlans)
    .where(and(eq(maintenancePlans.tenantId, tenantId), eq(maintenancePlans.id, id)));
  const [row] = lock ? await q.for('update') : await q;
  return row ?? null;
}

export async function findPlanWithNames(tx: Tx, tenantId: number, id: number): Promise<PlanWithNames | null> {
  const [row] = await selectPlans(tx).where(and(eq(maintenancePlans.tenantId, tenantId), eq(maintenancePlans.id, id)));
  return row ?? null;
}

export async function updatePlan(tx: Tx, tenantId: number, id: number, set: Partial<NewPlan>, bump = true): Promise<PlanRow> {
  const [row] = await tx
    .update(maintenancePlans)
    .set({ ...set, ...(bump ? { version: sql`${maintenancePlans.version} + 1`, updatedAt: sql`now()` } : {}) })
    .where(and(eq(maintenancePlans.tenantId, tenantId), eq(maintenancePlans.id, id)))
    .returning();
  return row;
}

export async function deletePlan(tx: Tx, tenantId: number, id: number): Promise<void> {
  await tx.delete(maintenancePlans).where(and(eq(maintenancePlans.tenantId, tenantId), eq(maintenancePlans.id, id)));
}

export function assetPlans(tx: Tx, tenantId: number, assetId: number, afterId: number | null, take: number): Promise<PlanWithNames[]> {
  return selectPlans(tx)
    .where(
      and(
        eq(maintenancePlans.tenantId, tenantId),
        eq(maintenancePlans.assetId, assetId),
        afterId ? sql`${maintenancePlans.id} > ${afterId}` : undefined,
      ),
    )
    .orderBy(asc(maintenancePlans.id))
    .limit(take);
}

/**
 * Active plans by next due date (soonest first, then id), optionally only those due before
 * `dueBefore` or overdue at `now` (due day passed, or the open work order past its due time).
 */
export function plansPage(
  tx: Tx,
  tenantId: number,
  filter: { dueBefore?: Date; overdueAt?: { dayStart: Date; now: Date } },
  after: [string, number] | null,
  take: number,
): Promise<PlanWithNames[]> {
  const due = sql`coalesce(${maintenancePlans.nextDueAt}, 'infinity'::timestamptz)`;
  const where: Array<SQL | undefined> = [eq(maintenancePlans.tenantId, tenantId), eq(maintenancePlans.active, true)];
  if (filter.dueBefore) {
    where.push(
      or(
        sql`${maintenancePlans.nextDueAt} < ${filter.dueBefore.toISOString()}::timestamptz`,
        and(
          isNotNull(tickets.dueAt),
          sql`${tickets.dueAt} < ${filter.dueBefore.toISOString()}::timestamptz`,
          notInArray(tickets.status, DONE),
        ),
      ),
    );
  }
  if (filter.overdueAt) {
    where.push(
      or(
        sql`${maintenancePlans.nextDueAt} < ${filter.overdueAt.dayStart.toISOString()}::timestamptz`,
        and(
          isNotNull(tickets.dueAt),
          sql`${tickets.dueAt} < ${filter.overdueAt.now.toISOString()}::timestamptz`,
          notInArray(tickets.status, DONE),
        ),
      ),
    );
  }
  if (after) where.push(sql`(${due}, ${maintenancePlans.id}) > (${after[0]}::timestamptz, ${after[1]})`);
  return selectPlans(tx)
    .where(and(...where))
    .orderBy(due, asc(maintenancePlans.id))
    .limit(take);
}

/** The work orders a plan generated, newest first. */
export function runsPage(tx: Tx, tenantId: number, planId: number, beforeId: number | null, take: number) {
  return tx
    .select({
      r: maintenancePlanRuns,
      number: tickets.number,
      title: tickets.title,
      status: tickets.status,
      resolvedAt: tickets.resolvedAt,
    })
    .from(maintenancePlanRuns)
    .leftJoin(tickets, and(eq(tickets.tenantId, maintenancePlanRuns.tenantId), eq(tickets.id, maintenancePlanRuns.ticketId)))
    .where(
      and(
        eq(maintenancePlanRuns.tenantId, tenantId),
        eq(maintenancePlanRuns.planId, planId),
        beforeId ? sql`${maintenancePlanRuns.id} < ${beforeId}` : undefined,
      ),
    )
    .orderBy(desc(maintenancePlanRuns.id))
    .limit(take);
}

/** The run of one due date, or null when it exists already (the exactly-once key). */
export async function insertRun(
  tx: Tx,
  values: { tenantId: number; planId: number; dueAt: Date; late: boolean; manual: boolean },
): Promise<number | null> {
  const rows = await tx.insert(maintenancePlanRuns).values(values).onConflictDoNothing().returning({ id: maintenancePlanRuns.id });
  return rows[0]?.id ?? null;
}

export async function setRunTicket(tx: Tx, tenantId: number, runId: number, ticketId: number): Promise<void> {
  await tx
    .update(maintenancePlanRuns)
    .set({ ticketId })
    .where(and(eq(maintenancePlanRuns.tenantId, tenantId), eq(maintenancePlanRuns.id, runId)));
}

/** Plans whose open work order is this ticket (locked), for the completion hook. */
export function plansWithWorkOrder(tx: Tx, tenantId: number, ticketId: number): Promise<PlanRow[]> {
  return tx
    .select()
    .from(maintenancePlans)
    .where(and(eq(maintenancePlans.tenantId, tenantId), eq(maintenancePlans.openWorkOrderId, ticketId)))
    .for('update');
}

// The scheduler -----------------------------------------------------------------------------------

export type DueCursor = { at: Date; tenantId: number; id: number };

/** Active plans whose work order opens by `now`, across companies (an owner read), in order after the cursor. */
export async function duePlans(tx: Tx, now: Date, after: DueCursor | null, take: number): Promise<DueCursor[]> {
  const rows = await tx
    .select({ at: maintenancePlans.nextOpenAt, tenantId: maintenancePlans.tenantId, id: maintenancePlans.id })
    .from(maintenancePlans)
    .where(
      and(
        eq(maintenancePlans.active, true),
        isNotNull(maintenancePlans.nextOpenAt),
        lte(maintenancePlans.nextOpenAt, now),
        after
          ? sql`(${maintenancePlans.nextOpenAt}, ${maintenancePlans.tenantId}, ${maintenancePlans.id}) > (${after.at.toISOString()}::timestamptz, ${after.tenantId}, ${after.id})`
          : undefined,
      ),
    )
    .orderBy(asc(maintenancePlans.nextOpenAt), asc(maintenancePlans.tenantId), asc(maintenancePlans.id))
    .limit(take);
  return rows.map((r) => ({ at: r.at as Date, tenantId: r.tenantId, id: r.id }));
}

/** The plan, locked, if its work order is still due to open and no other worker holds it. */
export async function claimDuePlan(tx: Tx, tenantId: number, id: number, now: Date): Promise<PlanRow | null> {
  const [row] = await tx
    .select()
    .from(maintenancePlans)
    .where(
      and(
        eq(maintenancePlans.tenantId, tenantId),
        eq(maintenancePlans.id, id),
        eq(maintenancePlans.active, true),
        lte(maintenancePlans.nextOpenAt, now),
      ),
    )
    .for('update', { skipLocked: true });
  return row ?? null;
}

export async function setLastError(tx: Tx, tenantId: number, id: number, lastError: string): Promise<void> {
  await tx
    .update(maintenancePlans)
    .set({ lastError })
    .where(and(eq(maintenancePlans.tenantId, tenantId), eq(maintenancePlans.id, id)));
}

/** The state of a plan's work order, or null when the ticket is gone. */
export async function workOrderState(tx: Tx, tenantId: number, ticketId: number) {
  const [row] = await tx
    .select({ status: tickets.status, resolvedAt: tickets.resolvedAt, closedAt: tickets.closedAt })
    .from(tickets)
    .where(and(eq(tickets.tenantId, tenantId), eq(tickets.id, ticketId)));
  return row ?? null;
}

/** Plans (across companies, an owner read) whose open work order is finished or gone: the completion hook's safety net. */
export async function strandedPlans(tx: Tx, take: number): Promise<Array<{ tenantId: number; id: number }>> {
  return tx
    .select({ tenantId: maintenancePlans.tenantId, id: maintenancePlans.id })
    .from(maintenancePlans)
    .leftJoin(tickets, and(eq(tickets.tenantId, maintenancePlans.tenantId), eq(tickets.id, maintenancePlans.openWorkOrderId)))
    .where(and(isNotNull(maintenancePlans.openWorkOrderId), or(sql`${tickets.id} is null`, inArray(tickets.status, DONE))))
    .limit(take);
}

// Meter and threshold plans ------------------------------------------------------------------------

/** Active meter and threshold plans of these meters, locked in id order (two workers never deadlock). */
export function plansOfMeters(tx: Tx, tenantId: number, meterIds: number[]): Promise<PlanRow[]> {
  if (meterIds.length === 0) return Promise.resolve([]);
  return tx
    .select()
    .from(maintenancePlans)
    .where(and(eq(maintenancePlans.tenantId, tenantId), eq(maintenancePlans.active, true), inArray(maintenancePlans.meterId, meterIds)))
    .orderBy(asc(maintenancePlans.id))
    .for('update');
}

/** A threshold plan whose excursion is due to open its work order, locked, if no other worker holds it. */
export async function claimDueThresholdPlan(tx: Tx, tenantId: number, id: number, now: Date): Promise<PlanRow | null> {
  const [row] = await tx
    .select()
    .from(maintenancePlans)
    .where(
      and(
        eq(maintenancePlans.tenantId, tenantId),
        eq(maintenancePlans.id, id),
        eq(maintenancePlans.active, true),
        eq(maintenancePlans.fired, false),
        lte(maintenancePlans.fireAt, now),
      ),
    )
    .for('update', { skipLocked: true });
  return row ?? null;
}

/** A meter's latest value (the start of a meter plan's marks), or null. */
export async function meterLastValue(tx: Tx, tenantId: number, meterId: number): Promise<{ lastValue: number | null } | null> {
  const [row] = await tx
    .select({ lastValue: meters.lastValue })
    .from(meters)
    .where(and(eq(meters.tenantId, tenantId), eq(meters.id, meterId)));
  return row ?? null;
}
