// A ticket's checklist (tasks) and the reusable checklists ("processes") applied to tickets.
// Reading follows the ticket's visibility; changing needs what `ticketCan(...).manageTasks` says.
import { and, asc, eq, sql } from 'drizzle-orm';
import { processes, tickets, ticketTasks, users } from '../../db/schema/index.js';
import { writeAudit } from '../../platform/audit.js';
import type { UserActor } from '../../platform/actor.js';
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import type { Scope } from '../../platform/db.js';
import { AppError, notFound } from '../../platform/errors.js';
import { type FieldChange, publishTicket, recordHistory, who } from './tickets.events.js';
import { ticketCan } from './tickets.policy.js';
import { findVisible } from './tickets.service.js';

type TaskRow = typeof ticketTasks.$inferSelect;
type TicketRow = Awaited<ReturnType<typeof findVisible>>;

const toTask = (t: TaskRow & { doneByName?: string | null }) => ({
  id: String(t.id),
  title: t.title,
  position: t.position,
  done: t.done,
  doneBy: t.doneById ? { id: String(t.doneById), name: t.doneByName ?? '' } : null,
  doneAt: t.doneAt ? t.doneAt.toISOString() : null,
  createdAt: t.createdAt.toISOString(),
});

async function tasksOf(scope: Scope, tenantId: number, ticketId: number) {
  const rows = await scope.tx
    .select({ t: ticketTasks, doneByName: users.name })
    .from(ticketTasks)
    .leftJoin(users, and(eq(users.tenantId, ticketTasks.tenantId), eq(users.id, ticketTasks.doneById)))
    .where(and(eq(ticketTasks.tenantId, tenantId), eq(ticketTasks.ticketId, ticketId)))
    .orderBy(asc(ticketTasks.position), asc(ticketTasks.id));
  const items = rows.map((r) => toTask({ ...r.t, doneByName: r.doneByName }));
  return { items, done: items.filter((i) => i.done).length, total: items.length };
}

function checkManage(actor: UserActor, t: TicketRow) {
  if (!ticketCan(actor, t).manageTasks) throw new AppError('forbidden', 'You may not change the tasks of this ticket');
}

/** Marks the ticket changed (for lists sorted by update), records history and pushes to open pages. */
async function touch(scope: Scope, actor: UserActor, t: TicketRow, event: string, changes: FieldChange[]) {
  const [row] = await scope.tx.update(tickets).set({ updatedAt: sql`now()` }).where(and(eq(tickets.tenantId, t.tenantId), eq(tickets.id, t.id))).returning();
  await recordHistory(scope, who(actor), row, event, changes);
  await publishTicket(scope, row, 'tasks');
}

export async function listTasks(ctx: Ctx, number: number) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const t = await findVisible(scope, actor, number);
    return tasksOf(scope, actor.tenantId, t.id);
  });
}

async function nextPosition(scope: Scope, tenantId: number, ticketId: number): Promise<number> {
  const [r] = await scope.tx
    .select({ p: sql<number>`coalesce(max(${ticketTasks.position}) + 1, 0)::int` })
    .from(ticketTasks)
    .where(and(eq(ticketTasks.tenantId, tenantId), eq(ticketTasks.ticketId, ticketId)));
  return Number(r.p);
}

const MAX_TASKS = 200;

async function appendTasks(scope: Scope, t: TicketRow, titles: string[]) {
  const start = await nextPosition(scope, t.tenantId, t.id);
  const [{ n }] = await scope.tx
    .select({ n: sql<number>`count(*)::int` })
    .from(ticketTasks)
    .where(and(eq(ticketTasks.tenantId, t.tenantId), eq(ticketTasks.ticketId, t.id)));
  if (Number(n) + titles.length > MAX_TASKS) throw new AppError('too_many_tasks', `A ticket has at most ${MAX_TASKS} tasks`, { max: MAX_TASKS });
  if (titles.length === 0) return [];
  return scope.tx
    .insert(ticketTasks)
    .values(titles.map((title, i) => ({ tenantId: t.tenantId, ticketId: t.id, title, position: start + i })))
    .returning();
}

export async function addTask(ctx: Ctx, number: number, title: string) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const t = await findVisible(scope, actor, number, true);
    checkManage(actor, t);
    const [task] = await appendTasks(scope, t, [title]);
    await touch(scope, actor, t, 'task_added', [{ field: 'task', before: null, after: { id: String(task.id), title } }]);
    return toTask(task);
  });
}

/** A task and its ticket, when the actor may see the ticket; 404 otherwise (also for other companies). */
async function findTask(scope: Scope, actor: UserActor, id: number) {
  const [row] = await scope.tx
    .select({ task: ticketTasks, number: tickets.number })
    .from(ticketTasks)
    .innerJoin(tickets, and(eq(tickets.tenantId, ticketTasks.tenantId), eq(tickets.id, ticketTasks.ticketId)))
    .where(and(eq(ticketTasks.tenantId, actor.tenantId), eq(ticketTasks.id, id)));
  if (!row) throw notFound('Task');
  const t = await findVisible(scope, actor, row.number, true).catch(() => {
    throw notFound('Task');
  });
  return { task: row.task, t };
}

export async function updateTask(ctx: Ctx, id: number, patch: { title?: string; done?: boolean; position?: number }) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const { task, t } = await findTask(scope, actor, id);
    checkManage(actor, t);
    const set: Partial<typeof ticketTasks.$inferInsert> = {};
    const changes: FieldChange[] = [];
    if (patch.title !== undefined && patch.title !== task.title) {
      set.title = patch.title;
      changes.push({ field: 'task.title', before: { id: String(id), title: task.title }, after: { id: String(id), title: patch.title } });
    }
    if (patch.done !== undefined && patch.done !== task.done) {
      Object.assign(set, patch.done ? { done: true, doneById: actor.userId, doneAt: new Date() } : { done: false, doneById: null, doneAt: null });
      changes.push({ field: 'task.done', before: { id: String(id), title: task.title, done: task.done }, after: { id: String(id), title: task.title, done: patch.done } });
    }
    if (patch.position !== undefined && patch.position !== task.position) set.position = patch.position;
    if (Object.keys(set).length === 0) return toTask(task);
    const [row] = await scope.tx.update(ticketTasks).set(set).where(and(eq(ticketTasks.tenantId, actor.tenantId), eq(ticketTasks.id, id))).returning();
    // Reordering alone is not worth a history line, but open pages still refresh.
    await touch(scope, actor, t, changes.some((c) => c.field === 'task.done') ? 'task_done' : 'task_updated', changes);
    return toTask({ ...row, doneByName: row.doneById ? actor.name : null });
  });
}

export async function deleteTask(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  await ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const { task, t } = await findTask(scope, actor, id);
    checkManage(actor, t);
    await scope.tx.delete(ticketTasks).where(and(eq(ticketTasks.tenantId, actor.tenantId), eq(ticketTasks.id, id)));
    await touch(scope, actor, t, 'task_removed', [{ field: 'task', before: { id: String(id), title: task.title }, after: null }]);
  });
}

// Processes: reusable task templates.

type ProcessRow = typeof processes.$inferSelect;
const toProcess = (p: ProcessRow, canManage: boolean) => ({ id: String(p.id), name: p.name, tasks: p.tasks, can: { update: canManage } });

export async function listProcesses(ctx: Ctx) {
  const actor = requireUser(ctx);
  const rows = await ctx.deps.database.withTenant(actor.tenantId, ({ tx }) =>
    tx.select().from(processes).where(eq(processes.tenantId, actor.tenantId)).orderBy(asc(sql`lower(${processes.name})`), asc(processes.id)),
  );
  return { items: rows.map((p) => toProcess(p, actor.permissions.has('categories.manage'))) };
}

export async function createProcess(ctx: Ctx, input: { name: string; tasks: string[] }) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const [row] = await scope.tx.insert(processes).values({ tenantId: actor.tenantId, name: input.name, tasks: input.tasks }).returning();
    await writeAudit(scope, actor, ctx.info.ip, { action: 'process.created', targetType: 'process', targetId: row.id, details: { name: row.name, tasks: row.tasks } });
    return toProcess(row, true);
  });
}

export async function updateProcess(ctx: Ctx, id: number, input: { name?: string; tasks?: string[] }) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const [before] = await scope.tx.select().from(processes).where(and(eq(processes.tenantId, actor.tenantId), eq(processes.id, id)));
    if (!before) throw notFound('Process');
    if (input.name === undefined && input.tasks === undefined) return toProcess(before, true);
    const [row] = await scope.tx
      .update(processes)
      .set({ name: input.name, tasks: input.tasks })
      .where(and(eq(processes.tenantId, actor.tenantId), eq(processes.id, id)))
      .returning();
    await writeAudit(scope, actor, ctx.info.ip, { action: 'process.updated', targetType: 'process', targetId: id, details: { before: { name: before.name, tasks: before.tasks }, after: input } });
    return toProcess(row, true);
  });
}

export async function deleteProcess(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  await ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const [row] = await scope.tx.delete(processes).where(and(eq(processes.tenantId, actor.tenantId), eq(processes.id, id))).returning();
    if (!row) throw notFound('Process');
    await writeAudit(scope, actor, ctx.info.ip, { action: 'process.deleted', targetType: 'process', targetId: id, details: { name: row.name } });
  });
}

/** Appends a process's tasks to a ticket's checklist (after the tasks it already has). */
export async function applyProcess(ctx: Ctx, number: number, processId: number) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const t = await findVisible(scope, actor, number, true);
    const [p] = await scope.tx.select().from(processes).where(and(eq(processes.tenantId, actor.tenantId), eq(processes.id, processId)));
    if (!p) throw notFound('Process');
    checkManage(actor, t);
    const added = await appendTasks(scope, t, p.tasks);
    await touch(scope, actor, t, 'process_applied', [
      { field: 'process', before: null, after: { id: String(p.id), name: p.name, taskIds: added.map((a) => String(a.id)) } },
    ]);
    return tasksOf(scope, actor.tenantId, t.id);
  });
}
