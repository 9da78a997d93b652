// Ticket use cases: open (with routing), read, list, edit (version-checked), status changes,
// approval decisions and assignment. Every change records history, notifies and pushes.
import type { Priority, TicketKind, TicketStatus, tickets } from '../../db/schema/index.js';
import type { UserActor } from '../../platform/actor.js';
import type { Ctx, Deps } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import type { Scope, Tx } from '../../platform/db.js';
import { AppError, notFound } from '../../platform/errors.js';
import { renderMarkdown } from '../../platform/markdown.js';
import { applySla, slaOf, slaOnStatus } from '../sla/sla.service.js';
import { mailOfTicket, relatedTicketsOf, threadingFor } from '../mail/mail-info.service.js';
import { mentionMapOf } from './comments.repo.js';
import { toTicket } from './tickets.dto.js';
import { type FieldChange, notifyTicket, publishTicket, recordHistory, stakeholders, ticketStatusChanged, who } from './tickets.events.js';
import { canApprove, checkTransition, isNamedApprover, ticketCan } from './tickets.policy.js';
import { fieldError, type NewTicket, openTicket } from './tickets.open.js';
import * as repo from './tickets.repo.js';
import { approverIds, nextApprover } from './tickets.routing.js';

export { type NewTicket, openTicket } from './tickets.open.js';
// What other modules use of tickets: the visibility rule and `can`, the history and live push of
// changes they make to a ticket, the summary shape, the ticket row read with its names, and the
// retention defaults the settings page shows.
export { toSummary } from './tickets.dto.js';
export { onTicketStatusChanged, publishTicket, recordHistory, type StatusListener, who } from './tickets.events.js';
export { ARCHIVE_AFTER_DAYS, daysSetting, REJECTED_RETENTION_DAYS } from './tickets.jobs.js';
export { ticketCan, visibleTickets } from './tickets.policy.js';
export { selectTickets, type TicketRow, type TicketWithNames } from './tickets.repo.js';
export { addMailCommentIn, lockTicketIn, type MailAuthor, reopenFromMailIn } from './tickets.mail.js';

async function checkRefs(tx: Tx, tenantId: number, input: { categoryId?: number | null; projectId?: number | null; teamId?: number | null }) {
  if (input.categoryId) {
    const c = await repo.findCategory(tx, tenantId, input.categoryId);
    if (!c || !c.active) throw fieldError('categoryId', 'no such category');
  }
  if (input.projectId && !(await repo.projectExists(tx, tenantId, input.projectId))) throw fieldError('projectId', 'no such project');
  if (input.teamId && !(await repo.teamExists(tx, tenantId, input.teamId))) throw fieldError('teamId', 'no such team');
}

/** A ticket the actor may see, locked for update when asked; 404 otherwise (also for other companies). */
export async function findVisible(scope: Scope, actor: UserActor, number: number, lock = false): Promise<repo.TicketRow> {
  const row = await repo.findVisibleRow(scope.tx, actor, number, lock);
  if (!row) throw notFound('Ticket');
  return row;
}

async function renderDescription(scope: Scope, t: { tenantId: number; description: string }) {
  return renderMarkdown(t.description, await mentionMapOf(scope.tx, t.tenantId, [t.description]));
}

/** The answer about a ticket: the row with its names, links, watchers and chain length, and `can`. */
async function answerOf(scope: Scope, actor: UserActor, row: repo.TicketWithNames) {
  const [assetIds, watcherIds] = await Promise.all([repo.assetIds(scope.tx, actor.tenantId, row.t.id), repo.watcherIds(scope.tx, actor.tenantId, row.t.id)]);
  const stepCount = row.t.categoryId ? ((await repo.approvalSteps(scope.tx, actor.tenantId, row.t.categoryId))?.length ?? 0) : 0;
  const descriptionHtml = await renderDescription(scope, row.t);
  const sla = await slaOf(scope.tx, actor.tenantId, row.t.id);
  const relatedTickets = await relatedTicketsOf(scope, actor.tenantId, row.t.id);
  const mail = row.t.source === 'email' ? await mailOfTicket(scope, actor.tenantId, row.t.id) : null;
  return {
    ticket: toTicket(row, { assetIds, watcherIds, stepCount, descriptionHtml: mail?.html || descriptionHtml, sla, relatedTickets, email: mail?.email ?? null }),
    can: ticketCan(actor, row.t),
  };
}

async function loadFull(scope: Scope, actor: UserActor, number: number) {
  const row = await repo.findVisibleWithNames(scope.tx, actor, number);
  if (!row) throw notFound('Ticket');
  return answerOf(scope, actor, row);
}

/**
 * The answer to a change, from the row as written. Visibility was checked before the change and is
 * not checked again: a change may take the ticket out of the caller's sight (an approver's step
 * moved on, a watcher left, a dispatcher assigned it away) and still succeeds.
 */
async function writtenAnswer(scope: Scope, actor: UserActor, written: repo.TicketRow) {
  const row = await repo.findWithNames(scope.tx, written.tenantId, written.id);
  return answerOf(scope, actor, row);
}

export async function getTicket(ctx: Ctx, number: number) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, (scope) => loadFull(scope, actor, number));
}

/** getTicket inside a caller's transaction (a supply request answers with the ticket it opened). */
export const getTicketIn = loadFull;

export async function createTicket(ctx: Ctx, input: NewTicket) {
  const actor = requireUser(ctx);
  if (input.requesterId && input.requesterId !== actor.userId && !actor.permissions.has('tickets.update')) {
    throw new AppError('forbidden', 'You may only open tickets for yourself');
  }
  if ((input.assigneeId || input.teamId) && !actor.permissions.has('tickets.assign')) {
    throw new AppError('forbidden', 'You may not assign tickets');
  }
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const opened = await openTicket(scope, ctx.deps, actor, actor.tenantId, input, { ownTransaction: true });
    // The answer: the new row with its names; links, watchers and the chain's length are known already.
    const descriptionHtml = await renderDescription(scope, opened.row);
    return { ticket: toTicket(opened.names, { ...opened, descriptionHtml }), can: ticketCan(actor, opened.row) };
  });
}

export interface TicketPatch {
  title?: string;
  description?: string;
  kind?: TicketKind;
  priority?: Priority;
  categoryId?: number | null;
  projectId?: number | null;
  dueAt?: Date | null;
  scheduledStart?: Date | null;
  scheduledEnd?: Date | null;
  costCode?: string | null;
  failure?: boolean;
  downtimeStartedAt?: Date | null;
  downtimeEndedAt?: Date | null;
  tags?: string[];
  customFields?: Record<string, unknown>;
  assetIds?: number[];
  watcherIds?: number[];
}

const asJson = (v: unknown) => (v instanceof Date ? v.toISOString() : v);

/** Applies a version-checked change: 409 stale_version when someone else changed the ticket first. */
async function bumpVersion(scope: Scope, t: repo.TicketRow, expected: number | null, set: Partial<typeof tickets.$inferInsert>) {
  if (expected !== null && t.version !== expected) {
    throw new AppError('stale_version', 'Someone else changed this ticket; reload it and try again', { currentVersion: t.version });
  }
  const row = await repo.updateIfVersion(scope.tx, t, set);
  if (!row) throw new AppError('stale_version', 'Someone else changed this ticket; reload it and try again');
  return row;
}

/** A downtime window ends after it starts (either end may come in a later edit). */
function checkDowntime(t: repo.TicketRow, patch: TicketPatch) {
  const start = patch.downtimeStartedAt === undefined ? t.downtimeStartedAt : patch.downtimeStartedAt;
  const end = patch.downtimeEndedAt === undefined ? t.downtimeEndedAt : patch.downtimeEndedAt;
  if (end && !start) throw fieldError('downtimeStartedAt', 'give the start of the downtime before its end');
  if (start && end && end < start) throw fieldError('downtimeEndedAt', 'the downtime ends before it starts');
}

export async function updateTicket(ctx: Ctx, number: number, expectedVersion: number | null, patch: TicketPatch) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const t = await findVisible(scope, actor, number, true);
    if (!ticketCan(actor, t).update) throw new AppError('forbidden', 'You may not edit this ticket');
    if (expectedVersion === null) {
      throw new AppError('precondition_required', 'Send the If-Match header with the ticket version you edited', { header: 'If-Match', currentVersion: t.version });
    }
    await checkRefs(scope.tx, actor.tenantId, patch);
    checkDowntime(t, patch);
    if (patch.costCode === '') patch = { ...patch, costCode: null };
    const changes: FieldChange[] = [];
    const set: Record<string, unknown> = {};
    for (const key of ['title', 'description', 'kind', 'priority', 'categoryId', 'projectId', 'dueAt', 'scheduledStart', 'scheduledEnd', 'costCode', 'failure', 'downtimeStartedAt', 'downtimeEndedAt', 'tags', 'customFields'] as const) {
      if (patch[key] === undefined) continue;
      const before = asJson(t[key]);
      const after = asJson(patch[key]);
      if (JSON.stringify(before) === JSON.stringify(after)) continue;
      changes.push({ field: key, before, after });
      set[key] = patch[key];
    }
    if (patch.watcherIds) {
      if (!(await repo.usersExist(scope.tx, actor.tenantId, patch.watcherIds))) throw fieldError('watcherIds', 'no such user');
      const before = await repo.watcherIds(scope.tx, actor.tenantId, t.id);
      const after = [...new Set(patch.watcherIds)].sort((a, b) => a - b);
      if (JSON.stringify([...before].sort((a, b) => a - b)) !== JSON.stringify(after)) {
        await repo.replaceWatchers(scope.tx, actor.tenantId, t.id, after);
        changes.push({ field: 'watchers', before: before.map(String), after: after.map(String) });
      }
    }
    if (patch.assetIds) {
      if (!(await repo.assetsExist(scope.tx, actor.tenantId, patch.assetIds))) throw fieldError('assetIds', 'no such asset');
      const before = await repo.assetIds(scope.tx, actor.tenantId, t.id);
      const after = [...new Set(patch.assetIds)].sort((a, b) => a - b);
      if (JSON.stringify(before) !== JSON.stringify(after)) {
        await repo.replaceAssets(scope.tx, actor.tenantId, t.id, after);
        changes.push({ field: 'assets', before: before.map(String), after: after.map(String) });
      }
    }
    if (t.version !== expectedVersion) {
      throw new AppError('stale_version', 'Someone else changed this ticket; reload it and try again', { currentVersion: t.version });
    }
    if (changes.length === 0) return writtenAnswer(scope, actor, t);
    const row = await bumpVersion(scope, t, expectedVersion, set);
    // A new priority, category or kind may bring another SLA policy or target.
    if ('priority' in set || 'categoryId' in set || 'kind' in set) await applySla(scope, ctx.deps, row);
    await recordHistory(scope, who(actor), row, 'updated', changes);
    await publishTicket(scope, row, 'updated');
    return writtenAnswer(scope, actor, row);
  });
}

export async function changeStatus(ctx: Ctx, number: number, status: TicketStatus, expectedVersion: number | null, note?: string) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, (scope) => changeStatusIn(scope, ctx.deps, actor, number, status, expectedVersion, note));
}

/** changeStatus inside a caller's transaction (fulfilling a supply request resolves and closes it). */
export async function changeStatusIn(scope: Scope, deps: Deps, actor: UserActor, number: number, status: TicketStatus, expectedVersion: number | null, note?: string) {
  const t = await findVisible(scope, actor, number, true);
  checkTransition(actor, t, status);
  const now = new Date();
  // "Start work" on an unassigned ticket makes the one who starts it its assignee.
  const startsWork = status === 'in_progress' && (t.status === 'open' || t.status === 'on_hold') && t.assigneeId === null;
  const row = await bumpVersion(scope, t, expectedVersion, {
    status,
    resolvedAt: status === 'resolved' ? now : status === 'in_progress' || status === 'open' ? null : t.resolvedAt,
    closedAt: status === 'closed' ? now : status === 'in_progress' || status === 'open' ? null : t.closedAt,
    archivedAt: null,
    ...(startsWork ? { assigneeId: actor.userId } : {}),
  });
  await slaOnStatus(scope, deps, row, t.status, now);
  const reopened = (t.status === 'resolved' || t.status === 'closed') && status === 'in_progress';
  await ticketStatusChanged(scope, row, t.status);
  await recordHistory(scope, who(actor), row, reopened ? 'reopened' : 'status_changed', [{ field: 'status', before: t.status, after: status }]);
  if (startsWork) await recordHistory(scope, who(actor), row, 'assigned', [{ field: 'assigneeId', before: null, after: String(actor.userId) }]);
  const s = await stakeholders(scope, row);
  await notifyTicket(
    scope,
    deps,
    row,
    {
      event: 'ticket.status_changed',
      recipients: [...s.direct, ...s.watchers],
      actorId: actor.userId,
      title: `#${row.number} is ${status.replace('_', ' ')}: ${row.title}`,
      body: `${actor.name} changed #${row.number} from ${t.status.replace('_', ' ')} to ${status.replace('_', ' ')}.${note ? `\n\n${note}` : ''}`,
    },
    { known: s },
  );
  // Someone without an account (a QR report) hears of status changes by e-mail.
  if (row.contact?.email) {
    const thread = (await threadingFor(scope, row.tenantId, [row.number])).get(row.number);
    await deps.mailer.queue(scope, row.tenantId, {
      template: 'ticket.contact_status',
      to: row.contact.email,
      from: thread?.from ?? undefined,
      inReplyTo: thread?.inReplyTo ?? null,
      references: thread?.references ?? [],
      ticketId: row.id,
      headers: { 'Auto-Submitted': 'auto-generated' },
      subject: `Your report #${row.number} is ${status.replace('_', ' ')}`,
      text: `Hello ${row.contact.name},\n\nyour report #${row.number} "${row.title}" is now ${status.replace('_', ' ')}.${note ? `\n\n${note}` : ''}\n`,
    });
  }
  await publishTicket(scope, row, 'status', s);
  return writtenAnswer(scope, actor, row);
}

/**
 * The step waiting, locked, once the actor is known to be allowed to decide it. The override says
 * whose step an approve_any holder decided instead of its named approver (kept in the history).
 */
async function stepToDecide(scope: Scope, actor: UserActor, number: number) {
  if (!actor.permissions.has('tickets.approve') && !actor.permissions.has('tickets.approve_any')) {
    throw new AppError('forbidden', 'You do not have permission to do this', { permission: 'tickets.approve' });
  }
  const t = await findVisible(scope, actor, number, true);
  if (t.status !== 'pending_approval') throw new AppError('invalid_transition', 'This ticket is not waiting for approval', { from: t.status });
  if (!canApprove(actor, t)) throw new AppError('forbidden', 'This approval step is not yours to decide');
  const override = isNamedApprover(actor, t) ? null : { pendingUserId: t.pendingUserId && String(t.pendingUserId), pendingRoleId: t.pendingRoleId && String(t.pendingRoleId) };
  return { t, step: t.approvalStep ?? 0, override };
}

export async function approveTicket(ctx: Ctx, number: number, comment?: string) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, (scope) => approveTicketIn(scope, ctx.deps, actor, number, comment));
}

/** approveTicket inside a caller's transaction. */
export async function approveTicketIn(scope: Scope, deps: Deps, actor: UserActor, number: number, comment?: string) {
  const { t, step, override } = await stepToDecide(scope, actor, number);
  await repo.insertApprovals(scope.tx, [{ tenantId: t.tenantId, ticketId: t.id, step, decision: 'approved', deciderId: actor.userId, deciderName: actor.name, comment: comment ?? null }]);
  const steps = t.categoryId ? await repo.approvalSteps(scope.tx, t.tenantId, t.categoryId) : null;
  const next = await nextApprover(scope.tx, t.tenantId, t.id, steps ?? [], step + 1, t.departmentId);
  const row = await bumpVersion(scope, t, null, {
    status: next ? 'pending_approval' : 'open',
    approvalStep: next?.step ?? null,
    pendingRoleId: next?.pendingRoleId ?? null,
    pendingUserId: next?.pendingUserId ?? null,
  });
  await recordHistory(scope, who(actor), row, 'approved', [
    { field: 'approval', before: { step }, after: { step, decision: 'approved', comment: comment ?? null, ...(override ? { override } : {}) } },
    ...(next ? [] : [{ field: 'status', before: 'pending_approval', after: 'open' }]),
  ]);
  const s = await stakeholders(scope, row);
  const notices = [
    {
      event: 'ticket.approved' as const,
      recipients: [...s.direct, ...s.watchers],
      actorId: actor.userId,
      title: `#${row.number} approved${next ? ` (step ${step + 1})` : ''}: ${row.title}`,
      body: `${actor.name} approved #${row.number}.${comment ? `\n\n${comment}` : ''}`,
    },
    ...(next
      ? [
          {
            event: 'ticket.approval_needed' as const,
            recipients: await approverIds(scope.tx, t.tenantId, next),
            actorId: actor.userId,
            title: `#${row.number} needs your approval: ${row.title}`,
            body: `${actor.name} approved step ${step + 1}; the next decision is yours.`,
          },
        ]
      : []),
  ];
  await notifyTicket(scope, deps, row, notices, { known: s });
  await publishTicket(scope, row, 'approved', s);
  return writtenAnswer(scope, actor, row);
}

export async function rejectTicket(ctx: Ctx, number: number, reason: string) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, (scope) => rejectTicketIn(scope, ctx.deps, actor, number, reason));
}

/** rejectTicket inside a caller's transaction. */
export async function rejectTicketIn(scope: Scope, deps: Deps, actor: UserActor, number: number, reason: string) {
  const { t, step, override } = await stepToDecide(scope, actor, number);
  await repo.insertApprovals(scope.tx, [{ tenantId: t.tenantId, ticketId: t.id, step, decision: 'rejected', deciderId: actor.userId, deciderName: actor.name, comment: reason }]);
  // Rejected tickets and their files stay; the retention job purges them later.
  const row = await bumpVersion(scope, t, null, { status: 'rejected', approvalStep: null, pendingRoleId: null, pendingUserId: null, closedAt: new Date() });
  await slaOnStatus(scope, deps, row, t.status);
  await recordHistory(scope, who(actor), row, 'rejected', [
    { field: 'approval', before: { step }, after: { step, decision: 'rejected', reason, ...(override ? { override } : {}) } },
    { field: 'status', before: 'pending_approval', after: 'rejected' },
  ]);
  const s = await stakeholders(scope, row);
  await notifyTicket(
    scope,
    deps,
    row,
    {
      event: 'ticket.rejected',
      recipients: [...s.direct, ...s.watchers],
      actorId: actor.userId,
      title: `#${row.number} rejected: ${row.title}`,
      body: `${actor.name} rejected #${row.number}. Reason: ${reason}`,
    },
    { known: s },
  );
  await publishTicket(scope, row, 'rejected', s);
  return writtenAnswer(scope, actor, row);
}

export async function assignTicket(ctx: Ctx, number: number, input: { assigneeId?: number | null; teamId?: number | null }) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, (scope) => assignTicketIn(scope, ctx.deps, actor, number, input));
}

/** assignTicket inside a caller's transaction. */
export async function assignTicketIn(scope: Scope, deps: Deps, actor: UserActor, number: number, input: { assigneeId?: number | null; teamId?: number | null }) {
  const t = await findVisible(scope, actor, number, true);
  if (!ticketCan(actor, t).assign) throw new AppError('forbidden', 'You may not assign this ticket');
  if (input.assigneeId) {
    const u = await repo.findUserBrief(scope.tx, actor.tenantId, input.assigneeId);
    if (!u || u.status !== 'active') throw fieldError('assigneeId', 'no such active user');
    if (!u.mayWork) throw fieldError('assigneeId', 'may not work tickets');
  }
  await checkRefs(scope.tx, actor.tenantId, { teamId: input.teamId });
  const set: Partial<typeof tickets.$inferInsert> = {};
  const changes: FieldChange[] = [];
  if (input.assigneeId !== undefined && input.assigneeId !== t.assigneeId) {
    set.assigneeId = input.assigneeId;
    changes.push({ field: 'assigneeId', before: t.assigneeId && String(t.assigneeId), after: input.assigneeId && String(input.assigneeId) });
  }
  if (input.teamId !== undefined && input.teamId !== t.teamId) {
    set.teamId = input.teamId;
    changes.push({ field: 'teamId', before: t.teamId && String(t.teamId), after: input.teamId && String(input.teamId) });
  }
  if (changes.length === 0) return writtenAnswer(scope, actor, t);
  const row = await bumpVersion(scope, t, null, set);
  await recordHistory(scope, who(actor), row, 'assigned', changes);
  const s = await stakeholders(scope, row);
  await notifyTicket(
    scope,
    deps,
    row,
    {
      event: 'ticket.assigned',
      recipients: [...(set.assigneeId ? [set.assigneeId] : []), ...(set.teamId ? s.team : [])],
      actorId: actor.userId,
      title: `#${row.number} assigned to you: ${row.title}`,
      body: `${actor.name} assigned #${row.number} "${row.title}".`,
    },
    { known: s },
  );
  await publishTicket(scope, row, 'assigned', s);
  return writtenAnswer(scope, actor, row);
}


/**
 * The schedule's hold on a work order (schedule module): its scheduled window follows its job
 * entries, and an unassigned ticket goes to the technician booked for it. Recorded in the history
 * like an edit; no version check (the planner edits the entry, not the ticket).
 */
export async function scheduleTicketIn(
  scope: Scope,
  actor: UserActor,
  number: number,
  window: { start: Date | null; end: Date | null },
  technicianId: number | null,
): Promise<void> {
  const t = await repo.findVisibleRow(scope.tx, actor, number, true);
  if (!t) return;
  const set: Partial<typeof tickets.$inferInsert> = {};
  const changes: FieldChange[] = [];
  if (asJson(t.scheduledStart) !== asJson(window.start)) {
    set.scheduledStart = window.start;
    changes.push({ field: 'scheduledStart', before: asJson(t.scheduledStart), after: asJson(window.start) });
  }
  if (asJson(t.scheduledEnd) !== asJson(window.end)) {
    set.scheduledEnd = window.end;
    changes.push({ field: 'scheduledEnd', before: asJson(t.scheduledEnd), after: asJson(window.end) });
  }
  if (technicianId && t.assigneeId === null) {
    set.assigneeId = technicianId;
    changes.push({ field: 'assigneeId', before: null, after: String(technicianId) });
  }
  if (changes.length === 0) return;
  const row = await bumpVersion(scope, t, null, set);
  await recordHistory(scope, who(actor), row, 'updated', changes);
  await publishTicket(scope, row, 'updated');
}

/** A ticket by number that the actor may see (for linking it to something), or null. */
export async function visibleTicketIn(scope: Scope, actor: UserActor, number: number): Promise<{ id: number; number: number; title: string; kind: TicketKind } | null> {
  try {
    const t = await findVisible(scope, actor, number);
    return { id: t.id, number: t.number, title: t.title, kind: t.kind };
  } catch (e) {
    if (e instanceof AppError && e.code === 'not_found') return null;
    throw e;
  }
}
