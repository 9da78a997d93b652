// The instance's processes (heartbeats) and the figures /readyz, /metrics and the operator's system
// page read: job queue depths, mail waiting. Every query here reads an index or a small table.
import { and, desc, eq, getTableColumns, gt, isNull, sql } from 'drizzle-orm';
import { stewardProcesses } from '../../db/schema/index.js';
import type { ProcessDetails } from '../../db/schema/system.js';
import type { Tx } from '../../platform/db.js';

export type ProcessRow = typeof stewardProcesses.$inferSelect;

export async function upsertProcess(
  tx: Tx,
  row: { id: string; host: string; pid: number; roles: string[]; version: string; startedAt: Date; jobsCompleted: number; jobsFailed: number; details: ProcessDetails },
): Promise<void> {
  await tx
    .insert(stewardProcesses)
    .values({ ...row, lastSeenAt: sql`now()` })
    .onConflictDoUpdate({
      target: stewardProcesses.id,
      set: { lastSeenAt: sql`now()`, jobsCompleted: row.jobsCompleted, jobsFailed: row.jobsFailed, details: row.details },
    });
}

export async function markStopped(tx: Tx, id: string): Promise<void> {
  await tx.update(stewardProcesses).set({ stoppedAt: sql`now()` }).where(eq(stewardProcesses.id, id));
}

/** Processes silent for a day are forgotten (each heartbeat tidies; the table holds a few rows). */
export async function forgetOldProcesses(tx: Tx): Promise<void> {
  await tx.delete(stewardProcesses).where(sql`${stewardProcesses.lastSeenAt} < now() - interval '1 day'`);
}

/** Running processes and those stopped or silent in the last day, newest first. */
export async function listProcesses(tx: Tx): Promise<Array<ProcessRow & { ageSeconds: number }>> {
  return tx
    .select({ ...getTableColumns(stewardProcesses), ageSeconds: sql<number>`extract(epoch from now() - ${stewardProcesses.lastSeenAt})::float8` })
    .from(stewardProcesses)
    .orderBy(desc(stewardProcesses.startedAt))
    .limit(200);
}

/** Processes of a role that wrote a heartbeat in the last `seconds` and have not stopped. */
export async function freshProcesses(tx: Tx, role: string, seconds: number): Promise<ProcessRow[]> {
  return tx
    .select()
    .from(stewardProcesses)
    .where(
      and(
        sql`${role} = any(${stewardProcesses.roles})`,
        gt(stewardProcesses.lastSeenAt, sql`now() - make_interval(secs => ${seconds})`),
        isNull(stewardProcesses.stoppedAt),
      ),
    );
}

export interface QueueCount {
  name: string;
  state: string;
  n: number;
}

/** Jobs waiting, running or failed per queue (pg-boss keeps finished jobs a few days, then deletes them). */
export async function queueCounts(tx: Tx): Promise<QueueCount[]> {
  // pg-boss creates its schema when the job system first starts (not yet on a fresh instance's first request).
  const exists = (await tx.execute(sql`select to_regclass('pgboss.job') is not null as ok`)) as unknown as { rows: Array<{ ok: boolean }> };
  if (!exists.rows[0]?.ok) return [];
  const result = (await tx.execute(
    sql`select name, state::text as state, count(*)::int as n from pgboss.job
        where state in ('created', 'retry', 'active', 'failed') group by name, state order by name, state`,
  )) as unknown as { rows: QueueCount[] };
  return result.rows;
}

/** Mail waiting for delivery and the age of the oldest (the partial index on pending rows). */
export async function outboxWaiting(tx: Tx): Promise<{ pending: number; oldestSeconds: number | null }> {
  const result = (await tx.execute(
    sql`select count(*)::int as pending, extract(epoch from now() - min(next_attempt_at))::float8 as "oldestSeconds"
        from mail_outbox where status = 'pending' and next_attempt_at is not null`,
  )) as unknown as { rows: Array<{ pending: number; oldestSeconds: number | null }> };
  const [row] = result.rows;
  return { pending: row?.pending ?? 0, oldestSeconds: row?.oldestSeconds ?? null };
}
