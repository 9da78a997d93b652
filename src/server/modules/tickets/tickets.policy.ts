// Who may see and do what with a ticket: the one place these rules live. The list query, the
// single-ticket checks, the `can` map and the live push audience are all derived from here.
import { type SQL, sql } from 'drizzle-orm';
import type { TicketStatus } from '../../db/schema/index.js';
import { tickets } from '../../db/schema/index.js';
import { qualified } from '../../db/qualified.js';
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

/** The SQL condition for "the actor may see this ticket", used by every ticket query. */
export function visibleTickets(actor: UserActor): SQL {
  if (actor.permissions.has('tickets.view_all')) return sql`true`;
  const me = actor.userId;
  const parts: SQL[] = [
    sql`${tickets.requesterId} = ${me}`,
    sql`${tickets.createdById} = ${me}`,
    sql`${tickets.pendingUserId} = ${me}`,
    sql`exists (select 1 from ticket_watchers w where w.tenant_id = ${qualified(tickets.tenantId)} and w.ticket_id = ${qualified(tickets.id)} and w.user_id = ${me})`,
  ];
  if (actor.permissions.has('tickets.approve')) parts.push(sql`${tickets.pendingRoleId} = ${actor.roleId}`);
  if (actor.permissions.has('tickets.view_department') && actor.departmentId) parts.push(sql`${tickets.departmentId} = ${actor.departmentId}`);
  if (actor.permissions.has('tickets.view_assigned')) {
    parts.push(sql`${tickets.assigneeId} = ${me}`);
    parts.push(
      sql`${qualified(tickets.teamId)} in (select m.team_id from team_members m where m.tenant_id = ${qualified(tickets.tenantId)} and m.user_id = ${me})`,
    );
  }
  return sql`(${sql.join(parts, sql` or `)})`;
}

export function canApprove(actor: UserActor, t: TicketRow): boolean {
  return (
    t.status === 'pending_approval' &&
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

/** Who an event about a ticket may reach, for the live push; the hub checks each socket. */
export interface TicketAudience {
  userIds: number[];
  departmentId: number | null;
  pendingRoleId: number | null;
}
