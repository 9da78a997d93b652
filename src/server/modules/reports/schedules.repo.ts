// Saved reports, report schedules and their runs: Drizzle only.
import { and, asc, desc, eq, isNotNull, lt, lte, or, sql } from 'drizzle-orm';
import { reportScheduleRuns, reportSchedules, roles, savedReports, users } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';

export type ScheduleRow = typeof reportSchedules.$inferSelect;
export type NewSchedule = typeof reportSchedules.$inferInsert;
export type RunRow = typeof reportScheduleRuns.$inferSelect;
export type SavedRow = typeof savedReports.$inferSelect;

const scheduleColumns = { s: reportSchedules, creatorName: users.name };

export async function insertSchedule(tx: Tx, values: NewSchedule): Promise<ScheduleRow> {
  const [row] = await tx.insert(reportSchedules).values(values).returning();
  return row;
}

export async function findSchedule(tx: Tx, tenantId: number, id: number, lock = false): Promise<ScheduleRow | null> {
  const q = tx
    .select()
    .from(reportSchedules)
    .where(and(eq(reportSchedules.tenantId, tenantId), eq(reportSchedules.id, id)));
  const [row] = lock ? await q.for('update') : await q;
  return row ?? null;
}

export async function updateSchedule(tx: Tx, tenantId: number, id: number, set: Partial<NewSchedule>): Promise<ScheduleRow> {
  const [row] = await tx
    .update(reportSchedules)
    .set({ ...set, version: sql`${reportSchedules.version} + 1`, updatedAt: new Date() })
    .where(and(eq(reportSchedules.tenantId, tenantId), eq(reportSchedules.id, id)))
    .returning();
  return row;
}

export async function deleteSchedule(tx: Tx, tenantId: number, id: number): Promise<void> {
  await tx.delete(reportSchedules).where(and(eq(reportSchedules.tenantId, tenantId), eq(reportSchedules.id, id)));
}

/** A page of schedules, newest first; `financial` false leaves cost schedules out. */
export async function listSchedules(tx: Tx, tenantId: number, financial: boolean, limit: number, beforeId: number | null) {
  return tx
    .select(scheduleColumns)
    .from(reportSchedules)
    .innerJoin(users, and(eq(users.tenantId, reportSchedules.tenantId), eq(users.id, reportSchedules.createdById)))
    .where(
      and(
        eq(reportSchedules.tenantId, tenantId),
        financial ? undefined : sql`${reportSchedules.report} <> 'costs'`,
        beforeId ? lt(reportSchedules.id, beforeId) : undefined,
      ),
    )
    .orderBy(desc(reportSchedules.id))
    .limit(limit);
}

export async function userName(tx: Tx, tenantId: number, id: number): Promise<string> {
  const [row] = await tx
    .select({ name: users.name })
    .from(users)
    .where(and(eq(users.tenantId, tenantId), eq(users.id, id)));
  return row?.name ?? '';
}

/** The last run of each schedule named (one query). */
export async function lastRuns(tx: Tx, tenantId: number, scheduleIds: number[]): Promise<Map<number, RunRow>> {
  if (!scheduleIds.length) return new Map();
  const rows = await tx
    .selectDistinctOn([reportScheduleRuns.scheduleId])
    .from(reportScheduleRuns)
    .where(
      and(
        eq(reportScheduleRuns.tenantId, tenantId),
        sql`${reportScheduleRuns.scheduleId} = any(${`{${scheduleIds.join(',')}}`}::bigint[])`,
      ),
    )
    .orderBy(reportScheduleRuns.scheduleId, desc(reportScheduleRuns.id));
  return new Map(rows.map((r) => [r.scheduleId, r]));
}

export async function listRuns(tx: Tx, tenantId: number, scheduleId: number, limit: number, beforeId: number | null): Promise<RunRow[]> {
  return tx
    .select()
    .from(reportScheduleRuns)
    .where(
      and(
        eq(reportScheduleRuns.tenantId, tenantId),
        eq(reportScheduleRuns.scheduleId, scheduleId),
        beforeId ? lt(reportScheduleRuns.id, beforeId) : undefined,
      ),
    )
    .orderBy(desc(reportScheduleRuns.id))
    .limit(limit);
}

// The scheduler -----------------------------------------------------------------------------------

export interface DueCursor {
  tenantId: number;
  id: number;
  nextRunAt: Date;
}

/** Due schedules across companies (system scope), soonest first, after a cursor. */
export async function dueSchedules(tx: Tx, now: Date, after: DueCursor | null, take: number): Promise<DueCursor[]> {
  const rows = await tx
    .select({ tenantId: reportSchedules.tenantId, id: reportSchedules.id, nextRunAt: reportSchedules.nextRunAt })
    .from(reportSchedules)
    .where(
      and(
        eq(reportSchedules.active, true),
        isNotNull(reportSchedules.nextRunAt),
        lte(reportSchedules.nextRunAt, now),
        after
          ? or(
              sql`${reportSchedules.nextRunAt} > ${after.nextRunAt.toISOString()}::timestamptz`,
              and(
                sql`${reportSchedules.nextRunAt} = ${after.nextRunAt.toISOString()}::timestamptz`,
                sql`(${reportSchedules.tenantId}, ${reportSchedules.id}) > (${after.tenantId}, ${after.id})`,
              ),
            )
          : undefined,
      ),
    )
    .orderBy(asc(reportSchedules.nextRunAt), asc(reportSchedules.tenantId), asc(reportSchedules.id))
    .limit(take);
  return rows.map((r) => ({ tenantId: r.tenantId, id: r.id, nextRunAt: r.nextRunAt as Date }));
}

/** The schedule, locked, if still due and no other worker holds it. */
export async function claimDue(tx: Tx, tenantId: number, id: number, now: Date): Promise<ScheduleRow | null> {
  const [row] = await tx
    .select()
    .from(reportSchedules)
    .where(
      and(
        eq(reportSchedules.tenantId, tenantId),
        eq(reportSchedules.id, id),
        eq(reportSchedules.active, true),
        lte(reportSchedules.nextRunAt, now),
      ),
    )
    .for('update', { skipLocked: true });
  return row ?? null;
}

/** The run of an occurrence; null when it exists already (another worker, or a retry, ran it). */
export async function insertRun(tx: Tx, values: typeof reportScheduleRuns.$inferInsert): Promise<RunRow | null> {
  const [row] = await tx.insert(reportScheduleRuns).values(values).onConflictDoNothing().returning();
  return row ?? null;
}

export async function updateRun(tx: Tx, tenantId: number, id: number, set: Partial<typeof reportScheduleRuns.$inferInsert>): Promise<void> {
  await tx
    .update(reportScheduleRuns)
    .set(set)
    .where(and(eq(reportScheduleRuns.tenantId, tenantId), eq(reportScheduleRuns.id, id)));
}

/** The earliest run after `after` across companies (the worker wakes up then). */
export async function earliestRun(tx: Tx, after: Date): Promise<Date | null> {
  const [row] = await tx
    .select({ at: sql<Date | string | null>`min(${reportSchedules.nextRunAt})` })
    .from(reportSchedules)
    .where(and(eq(reportSchedules.active, true), sql`${reportSchedules.nextRunAt} > ${after.toISOString()}::timestamptz`));
  return row?.at ? new Date(row.at) : null;
}

export async function advance(tx: Tx, tenantId: number, id: number, nextRunAt: Date | null): Promise<void> {
  await tx
    .update(reportSchedules)
    .set({ nextRunAt })
    .where(and(eq(reportSchedules.tenantId, tenantId), eq(reportSchedules.id, id)));
}

/** Whether the schedule's creator is active and their role holds the permission. */
export async function creatorMay(tx: Tx, tenantId: number, userId: number, permission: string): Promise<boolean> {
  const [row] = await tx
    .select({ ok: sql<boolean>`${users.status} = 'active' and ${permission} = any(${roles.permissions})` })
    .from(users)
    .innerJoin(roles, and(eq(roles.tenantId, users.tenantId), eq(roles.id, users.roleId)))
    .where(and(eq(users.tenantId, tenantId), eq(users.id, userId)));
  return !!row?.ok;
}

/** A run's file by its link token (system scope: the link needs no login); null when unknown or expired. */
export async function fileByToken(tx: Tx, tokenHash: string, now: Date) {
  const [row] = await tx
    .select({ name: reportScheduleRuns.fileName, type: reportScheduleRuns.fileType, file: reportScheduleRuns.file })
    .from(reportScheduleRuns)
    .where(
      and(eq(reportScheduleRuns.linkTokenHash, tokenHash), sql`${reportScheduleRuns.linkExpiresAt} > ${now.toISOString()}::timestamptz`),
    );
  return row?.file ? row : null;
}

// Saved reports -----------------------------------------------------------------------------------

export async function insertSaved(tx: Tx, values: typeof savedReports.$inferInsert): Promise<SavedRow> {
  const [row] = await tx.insert(savedReports).values(values).returning();
  return row;
}

export async function findSaved(tx: Tx, tenantId: number, id: number): Promise<SavedRow | null> {
  const [row] = await tx
    .select()
    .from(savedReports)
    .where(and(eq(savedReports.tenantId, tenantId), eq(savedReports.id, id)));
  return row ?? null;
}

export async function updateSaved(tx: Tx, tenantId: number, id: number, set: Partial<typeof savedReports.$inferInsert>): Promise<SavedRow> {
  const [row] = await tx
    .update(savedReports)
    .set({ ...set, updatedAt: new Date() })
    .where(and(eq(savedReports.tenantId, tenantId), eq(savedReports.id, id)))
    .returning();
  return row;
}

export async function deleteSaved(tx: Tx, tenantId: number, id: number): Promise<void> {
  await tx.delete(savedReports).where(and(eq(savedReports.tenantId, tenantId), eq(savedReports.id, id)));
}

/** The caller's own saved reports and those shared with the company, newest first, a page at a time. */
export async function listSaved(tx: Tx, tenantId: number, userId: number, financial: boolean, limit: number, beforeId: number | null) {
  return tx
    .select({ r: savedReports, ownerName: users.name })
    .from(savedReports)
    .innerJoin(users, and(eq(users.tenantId, savedReports.tenantId), eq(users.id, savedReports.ownerId)))
    .where(
      and(
        eq(savedReports.tenantId, tenantId),
        or(eq(savedReports.ownerId, userId), eq(savedReports.shared, true)),
        financial ? undefined : sql`${savedReports.report} <> 'costs'`,
        beforeId ? lt(savedReports.id, beforeId) : undefined,
      ),
    )
    .orderBy(desc(savedReports.id))
    .limit(limit);
}
