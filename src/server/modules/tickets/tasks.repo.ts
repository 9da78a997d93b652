// A ticket's checklist (tasks) and the reusable checklists (processes), Drizzle only.
import { and, asc, eq, sql } from 'drizzle-orm';
import { afterName, byName, type NameCursor } from '../../db/keyset.js';
import { processes, tickets, ticketTasks, users } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';

export type TaskRow = typeof ticketTasks.$inferSelect;
export type ProcessRow = typeof processes.$inferSelect;
/** Keyset position in a checklist: (position, id). */
export type TaskCursor = [number, number];

/** A page of a ticket's tasks in checklist order (index ticket_tasks_tenant_ticket_idx). */
export function tasksPage(tx: Tx, tenantId: number, ticketId: number, after: TaskCursor | null, take: number) {
  return tx
    .select({ t: ticketTasks, doneByName: users.name })
    .from(ticketTasks)
    .leftJoin(users, and(eq(users.tenantId, ticketTasks.tenantId), eq(users.id, ticketTasks.doneById)))
    .where(
      and(
        eq(ticketTasks.tenantId, tenantId),
        eq(ticketTasks.ticketId, ticketId),
        after ? sql`(${ticketTasks.position}, ${ticketTasks.id}) > (${after[0]}, ${after[1]})` : undefined,
      ),
    )
    .orderBy(asc(ticketTasks.position), asc(ticketTasks.id))
    .limit(take);
}

/** How many tasks a ticket has, how many are done, and the position after the last one. */
export async function taskCounts(tx: Tx, tenantId: number, ticketId: number) {
  const [r] = await tx
    .select({
      total: sql<number>`count(*)::int`,
      done: sql<number>`(count(*) filter (where ${ticketTasks.done}))::int`,
      next: sql<number>`coalesce(max(${ticketTasks.position}) + 1, 0)::int`,
    })
    .from(ticketTasks)
    .where(and(eq(ticketTasks.tenantId, tenantId), eq(ticketTasks.ticketId, ticketId)));
  return { total: Number(r.total), done: Number(r.done), next: Number(r.next) };
}

export function insertTasks(tx: Tx, tenantId: number, ticketId: number, titles: string[], start: number) {
  return tx
    .insert(ticketTasks)
    .values(titles.map((title, i) => ({ tenantId, ticketId, title, position: start + i })))
    .returning();
}

/** A task with its ticket's number. */
export async function findTaskWithNumber(tx: Tx, tenantId: number, id: number) {
  const [row] = await tx
    .select({ task: ticketTasks, number: tickets.number })
    .from(ticketTasks)
    .innerJoin(tickets, and(eq(tickets.tenantId, ticketTasks.tenantId), eq(tickets.id, ticketTasks.ticketId)))
    .where(and(eq(ticketTasks.tenantId, tenantId), eq(ticketTasks.id, id)));
  return row ?? null;
}

export async function updateTask(tx: Tx, tenantId: number, id: number, set: Partial<typeof ticketTasks.$inferInsert>): Promise<TaskRow> {
  const [row] = await tx
    .update(ticketTasks)
    .set(set)
    .where(and(eq(ticketTasks.tenantId, tenantId), eq(ticketTasks.id, id)))
    .returning();
  return row;
}

export async function deleteTask(tx: Tx, tenantId: number, id: number) {
  await tx.delete(ticketTasks).where(and(eq(ticketTasks.tenantId, tenantId), eq(ticketTasks.id, id)));
}

/** Processes by name after the cursor (lower(name), id). */
export function processesPage(tx: Tx, tenantId: number, after: NameCursor | null, take: number): Promise<ProcessRow[]> {
  return tx
    .select()
    .from(processes)
    .where(and(eq(processes.tenantId, tenantId), afterName(processes.name, processes.id, after)))
    .orderBy(...byName(processes.name, processes.id))
    .limit(take);
}

export async function findProcess(tx: Tx, tenantId: number, id: number): Promise<ProcessRow | null> {
  const [row] = await tx
    .select()
    .from(processes)
    .where(and(eq(processes.tenantId, tenantId), eq(processes.id, id)));
  return row ?? null;
}

export async function insertProcess(tx: Tx, values: typeof processes.$inferInsert): Promise<ProcessRow> {
  const [row] = await tx.insert(processes).values(values).returning();
  return row;
}

export async function updateProcess(tx: Tx, tenantId: number, id: number, set: { name?: string; tasks?: string[] }): Promise<ProcessRow> {
  const [row] = await tx
    .update(processes)
    .set(set)
    .where(and(eq(processes.tenantId, tenantId), eq(processes.id, id)))
    .returning();
  return row;
}

export async function deleteProcess(tx: Tx, tenantId: number, id: number): Promise<ProcessRow | null> {
  const [row] = await tx
    .delete(processes)
    .where(and(eq(processes.tenantId, tenantId), eq(processes.id, id)))
    .returning();
  return row ?? null;
}
