// Who may see and do what with a ticket: the one place these rules live. The list query, the
// single-ticket checks, the `can` map, notice recipients and the live push audience all derive from here.
import { type SQL, sql } from 'drizzle-orm';
import type { TicketStatus } from '../../db/schema/index.js';
import { tickets } from '../../db/schema/index.js';
import { qualified } from '../../db/qualified.js';
import type { Permission } from '../../../shared/permissions/index.js';
import type { UserActor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';

type TicketRow = Omit<typeof tickets.$inferSelect, 'search'>;

/** Statuses a ticket may move to with POST /status (approval decisions have their own routes). */
const TRANSITIONS: Record<TicketStatus, readonly TicketStatus[]> = {
  new: [],
  pending_approval: [],
  open: ['in_progress', 'on_hold', 'resolved', 'closed'],
  in_progress: ['open', 'on_hold', 'resolved'],
  on_hold: ['open', 'in_progress', 'resolved'],
  resolved: ['closed', 'in_progress'],
  closed: ['in_progress'],
  rejected: [],
};

/** What a requester may do on their own ticket without tickets.update: confirm or reopen. */
const REQUESTER_TRANSITIONS: Partial<Record<TicketStatus, readonly TicketStatus[]>> = {
  resolved: ['closed', 'in_progress'],
  closed: ['in_progress'],
};

export function allowedTransitions(actor: UserActor, t: TicketRow): readonly TicketStatus[] {
  if (actor.permissions.has('tickets.update')) return TRANSITIONS[t.status];
  if (isRequester(actor, t)) return REQUESTER_TRANSITIONS[t.status] ?? [];
  return [];
}

export function checkTransition(actor: UserActor, t: TicketRow, to: TicketStatus): void {
  if (!TRANSITIONS[t.status].includes(to)) {
    throw new AppError('invalid_transition', `A ticket cannot go from ${t.status} to ${to}`, { from: t.status, to, allowed: TRANSITIONS[t.status] });
  }
  if (!allowedTransitions(actor, t).includes(to)) throw new AppError('forbidden', 'You may not change the status of this ticket');
}

const isRequester = (actor: UserActor, t: TicketRow) => t.requesterId === actor.userId || t.createdById === actor.userId;

/** Whoever looks at a ticket: a request's caller, a socket's caller, a notice's recipient. */
export interface Viewer {
  userId: number;
  roleId: number;
  departmentId: number | null;
  permissions: ReadonlySet<string>;
}

/** The facts about a ticket that decide who may see it: its row plus its watchers and its team's members. */
export interface TicketVisibility {
  status: TicketStatus;
  requesterId: number | null;
  createdById: number | null;
  assigneeId: number | null;
  departmentId: number | null;
  pendingUserId: number | null;
  pendingRoleId: number | null;
  watcherIds: readonly number[];
  teamMemberIds: readonly number[];
}

export const visibilityOf = (t: TicketRow, people: { watcherIds: readonly number[]; teamMemberIds: readonly number[] }): TicketVisibility => ({
  status: t.status,
  requesterId: t.requesterId,
  createdById: t.createdById,
  assigneeId: t.assigneeId,
  departmentId: t.departmentId,
  pendingUserId: t.pendingUserId,
  pendingRoleId: t.pendingRoleId,
  watcherIds: people.watcherIds,
  teamMemberIds: people.teamMemberIds,
});

/**
 * May this viewer see this ticket? The one visibility rule: notifications and live pushes use it
 * as is, reads use its SQL twin `visibleTickets` (clause for clause the same; a test compares them).
 */
export function maySeeTicket(v: Viewer, t: TicketVisibility): boolean {
  const has = (p: Permission) => v.permissions.has(p);
  if (has('tickets.view_all')) return true;
  const me = v.userId;
  if (t.requesterId === me || t.createdById === me || t.pendingUserId === me || t.watcherIds.includes(me)) return true;
  if (has('tickets.approve') && t.pendingRoleId !== null && t.pendingRoleId === v.roleId) return true;
  // Whoever may decide any pending step must be able to find the steps waiting.
  if (has('tickets.approve_any') && t.status === 'pending_approval') return true;
  if (has('tickets.view_department') && v.departmentId !== null && t.departmentId === v.departmentId) return true;
  return has('tickets.view_assigned') && (t.assigneeId === me || t.teamMemberIds.includes(me));
}

/** `maySeeTicket` as the SQL condition of every ticket query (a row of `tickets`, unaliased). */
export function visibleTickets(actor: Viewer): SQL {
  const has = (p: Permission) => actor.permissions.has(p);
  if (has('tickets.view_all')) return sql`true`;
  const me = actor.userId;
  const parts: SQL[] = [
    sql`${tickets.requesterId} = ${me}`,
    sql`${tickets.createdById} = ${me}`,
    sql`${tickets.pendingUserId} = ${me}`,
    sql`exists (select 1 from ticket_watchers w where w.tenant_id = ${qualified(tickets.tenantId)} and w.ticket_id = ${qualified(tickets.id)} and w.user_id = ${me})`,
  ];
  if (has('tickets.approve')) parts.push(sql`${tickets.pendingRoleId} = ${actor.roleId}`);
  if (has('tickets.approve_any')) parts.push(sql`${tickets.status} = 'pending_approval'`);
  if (has('tickets.view_department') && actor.departmentId) parts.push(sql`${tickets.departmentId} = ${actor.departmentId}`);
  if (has('tickets.view_assigned')) {
    parts.push(sql`${tickets.assigneeId} = ${me}`);
    parts.push(
      sql`${qualified(tickets.teamId)} in (select m.team_id from team_members m where m.tenant_id = ${qualified(tickets.tenantId)} and m.user_id = ${me})`,
    );
  }
  return sql`(${sql.join(parts, sql` or `)})`;
}

/** Whether the actor may decide the step now waiting: theirs by name or role, or anyone's with tickets.approve_any. */
export function canApprove(actor: UserActor, t: TicketRow): boolean {
  return t.status === 'pending_approval' && (isNamedApprover(actor, t) || actor.permissions.has('tickets.approve_any'));
}

/** The step names the actor (or their role) and they may approve: a decision that needs no override. */
export function isNamedApprover(actor: UserActor, t: TicketRow): boolean {
  return (
    actor.permissions.has('tickets.approve') &&
    (t.pendingUserId === actor.userId || (t.pendingRoleId !== null && t.pendingRoleId === actor.roleId))
  );
}

export function ticketCan(actor: UserActor, t: TicketRow) {
  const closedForGood = t.status === 'rejected';
  return {
    update: actor.permissions.has('tickets.update') && !closedForGood,
    changeStatus: allowedTransitions(actor, t).length > 0,
    transitions: [...allowedTransitions(actor, t)],
    approve: canApprove(actor, t),
    reject: canApprove(actor, t),
    assign: actor.permissions.has('tickets.assign') && !closedForGood,
    comment: (actor.permissions.has('tickets.comment') || isRequester(actor, t)) && !closedForGood,
    internalNotes: actor.permissions.has('tickets.internal_notes'),
    attach: (actor.permissions.has('tickets.update') || isRequester(actor, t)) && !closedForGood,
    manageTasks: actor.permissions.has('tickets.update'),
    logTime: actor.permissions.has('tickets.update'),
    delete: actor.permissions.has('tickets.delete'),
  };
}
export type TicketCan = ReturnType<typeof ticketCan>;
