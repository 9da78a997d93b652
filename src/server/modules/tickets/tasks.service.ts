// A ticket's checklist (tasks) and the reusable checklists ("processes") applied to tickets.
// Reading follows the ticket's visibility; changing needs what `ticketCan(...).manageTasks` says.
// The ticket use cases take the caller's scope (`…In`) so that others compose them in one transaction.
import { z } from 'zod';
import type { ListQuery } from '../../../shared/contracts/common.js';
import { nameCursor } from '../../db/keyset.js';
import { writeAudit } from '../../platform/audit.js';
import type { UserActor } from '../../platform/actor.js';
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import type { Scope } from '../../platform/db.js';
import { AppError, notFound } from '../../platform/errors.js';
import { cutPage, decodeCursor } from '../http.js';
import * as repo from './tasks.repo.js';
import { type FieldChange, publishTicket, recordHistory, who } from './tickets.events.js';
import { ticketCan } from './tickets.policy.js';
import { touchTicket } from './tickets.repo.js';
import { findVisible } from './tickets.service.js';

type TicketRow = Awaited<ReturnType<typeof findVisible>>;

/** A ticket has at most this many tasks, so one page of this size is its whole checklist. */
export const MAX_TASKS = 200;
const taskCursor = z.tuple([z.number().int(), z.number().int()]);

const toTask = (t: repo.TaskRow & { doneByName?: string | null }) => ({
  id: String(t.id),
  title: t.title,
  position: t.position,
  done: t.done,
  doneBy: t.doneById ? { id: String(t.doneById), name: t.doneByName ?? '' } : null,
  doneAt: t.doneAt ? t.doneAt.toISOString() : null,
  createdAt: t.createdAt.toISOString(),
});

/** A page of the checklist in order, with how many tasks the whole checklist has and how many are done. */
async function tasksOf(scope: Scope, tenantId: number, ticketId: number, q: ListQuery) {
  const after = decodeCursor(q.cursor, taskCursor);
  const rows = await repo.tasksPage(scope.tx, tenantId, ticketId, after, q.limit + 1);
  const page = cutPage(rows, q.limit, (r) => [r.t.position, r.t.id]);
  const counts = await repo.taskCounts(scope.tx, tenantId, ticketId);
  return {
    items: page.rows.map((r) => toTask({ ...r.t, doneByName: r.doneByName })),
    nextCursor: page.nextCursor,
    done: counts.done,
    total: counts.total,
  };
}

function checkManage(actor: UserActor, t: TicketRow) {
  if (!ticketCan(actor, t).manageTasks) throw new AppError('forbidden', 'You may not change the tasks of this ticket');
}

/** Marks the ticket changed (for lists sorted by update), records history and pushes to open pages. */
async function touch(scope: Scope, actor: UserActor, t: TicketRow, event: string, changes: FieldChange[]) {
  const row = await touchTicket(scope.tx, t.tenantId, t.id);
  await recordHistory(scope, who(actor), row, event, changes);
  await publishTicket(scope, row, 'tasks');
}

export async function listTasks(ctx: Ctx, number: number, q: ListQuery) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, (scope) => listTasksIn(scope, actor, number, q));
}

export async function listTasksIn(scope: Scope, actor: UserActor, number: number, q: ListQuery) {
  const t = await findVisible(scope, actor, number);
  return tasksOf(scope, actor.tenantId, t.id, q);
}

async function appendTasks(scope: Scope, t: TicketRow, titles: string[]) {
  const { total, next } = await repo.taskCounts(scope.tx, t.tenantId, t.id);
  if (total + titles.length > MAX_TASKS)
    throw new AppError('too_many_tasks', `A ticket has at most ${MAX_TASKS} tasks`, { max: MAX_TASKS });
  if (titles.length === 0) return [];
  return repo.insertTasks(scope.tx, t.tenantId, t.id, titles, next);
}

/**
 * The checklist of a ticket the system just opened (a recurring ticket, a maintenance work order):
 * no actor and no history entry of its own, the ticket's "created" entry covers it.
 */
export async function seedTasksIn(scope: Scope, t: { tenantId: number; id: number }, titles: string[]): Promise<number> {
  return (await appendTasks(scope, t as TicketRow, titles)).length;
}

export async function addTask(ctx: Ctx, number: number, title: string) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, (scope) => addTaskIn(scope, actor, number, title));
}

export async function addTaskIn(scope: Scope, actor: UserActor, number: number, title: string) {
  const t = await findVisible(scope, actor, number, true);
  checkManage(actor, t);
  const [task] = await appendTasks(scope, t, [title]);
  await touch(scope, actor, t, 'task_added', [{ field: 'task', before: null, after: { id: String(task.id), title } }]);
  return toTask(task);
}

/** A task and its ticket, when the actor may see the ticket; 404 otherwise (also for other companies). */
async function findTask(scope: Scope, actor: UserActor, id: number) {
  const row = await repo.findTaskWithNumber(scope.tx, actor.tenantId, id);
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
    const set: Partial<repo.TaskRow> = {};
    const changes: FieldChange[] = [];
    if (patch.title !== undefined && patch.title !== task.title) {
      set.title = patch.title;
      changes.push({ field: 'task.title', before: { id: String(id), title: task.title }, after: { id: String(id), title: patch.title } });
    }
    if (patch.done !== undefined && patch.done !== task.done) {
      Object.assign(
        set,
        patch.done ? { done: true, doneById: actor.userId, doneAt: new Date() } : { done: false, doneById: null, doneAt: null },
      );
      changes.push({
        field: 'task.done',
        before: { id: String(id), title: task.title, done: task.done },
        after: { id: String(id), title: task.title, done: patch.done },
      });
    }
    if (patch.position !== undefined && patch.position !== task.position) set.position = patch.position;
    if (Object.keys(set).length === 0) return toTask(task);
    const row = await repo.updateTask(scope.tx, actor.tenantId, id, set);
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
    await repo.deleteTask(scope.tx, actor.tenantId, id);
    await touch(scope, actor, t, 'task_removed', [{ field: 'task', before: { id: String(id), title: task.title }, after: null }]);
  });
}

// Processes: reusable task templates.

const toProcess = (p: repo.ProcessRow, canManage: boolean) => ({
  id: String(p.id),
  name: p.name,
  tasks: p.tasks,
  can: { update: canManage },
});

export async function listProcesses(ctx: Ctx, q: ListQuery) {
  const actor = requireUser(ctx);
  const after = decodeCursor(q.cursor, nameCursor);
  const rows = await ctx.deps.database.withTenant(actor.tenantId, ({ tx }) => repo.processesPage(tx, actor.tenantId, after, q.limit + 1));
  const page = cutPage(rows, q.limit, (p) => [p.name.toLowerCase(), p.id]);
  return { items: page.rows.map((p) => toProcess(p, actor.permissions.has('categories.manage'))), nextCursor: page.nextCursor };
}

export async function createProcess(ctx: Ctx, input: { name: string; tasks: string[] }) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const row = await repo.insertProcess(scope.tx, { tenantId: actor.tenantId, name: input.name, tasks: input.tasks });
    await writeAudit(scope, actor, ctx.info.ip, {
      action: 'process.created',
      targetType: 'process',
      targetId: row.id,
      details: { name: row.name, tasks: row.tasks },
    });
    return toProcess(row, true);
  });
}

export async function updateProcess(ctx: Ctx, id: number, input: { name?: string; tasks?: string[] }) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const before = await repo.findProcess(scope.tx, actor.tenantId, id);
    if (!before) throw notFound('Process');
    if (input.name === undefined && input.tasks === undefined) return toProcess(before, true);
    const row = await repo.updateProcess(scope.tx, actor.tenantId, id, { name: input.name, tasks: input.tasks });
    await writeAudit(scope, actor, ctx.info.ip, {
      action: 'process.updated',
      targetType: 'process',
      targetId: id,
      details: { before: { name: before.name, tasks: before.tasks }, after: input },
    });
    return toProcess(row, true);
  });
}

export async function deleteProcess(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  await ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const row = await repo.deleteProcess(scope.tx, actor.tenantId, id);
    if (!row) throw notFound('Process');
    await writeAudit(scope, actor, ctx.info.ip, {
      action: 'process.deleted',
      targetType: 'process',
      targetId: id,
      details: { name: row.name },
    });
  });
}

/** Appends a process's tasks to a ticket's checklist (after the tasks it already has); answers the whole checklist. */
export async function applyProcess(ctx: Ctx, number: number, processId: number) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const t = await findVisible(scope, actor, number, true);
    const p = await repo.findProcess(scope.tx, actor.tenantId, processId);
    if (!p) throw notFound('Process');
    checkManage(actor, t);
    const added = await appendTasks(scope, t, p.tasks);
    await touch(scope, actor, t, 'process_applied', [
      { field: 'process', before: null, after: { id: String(p.id), name: p.name, taskIds: added.map((a) => String(a.id)) } },
    ]);
    return tasksOf(scope, actor.tenantId, t.id, { limit: MAX_TASKS });
  });
}
