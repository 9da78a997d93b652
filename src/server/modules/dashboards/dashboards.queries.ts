// The dashboard's SQL: grouped counts and short lists over the tickets the caller may see, never per row.
import { and, asc, desc, eq, inArray, isNull, notInArray, type SQL, sql } from 'drizzle-orm';
import { type TicketStatus, tickets, users } from '../../db/schema/index.js';
import type { UserActor } from '../../platform/actor.js';
import type { Tx } from '../../platform/db.js';
import * as ticketsRepo from '../tickets/tickets.repo.js';

const DONE: TicketStatus[] = ['resolved', 'closed', 'rejected'];
const NOT_MINE_OPEN: TicketStatus[] = ['closed', 'rejected'];
/** Tickets somebody should be working on (approval first, then work). */
const ACTIVE: TicketStatus[] = ['new', 'open', 'in_progress', 'on_hold'];
const PRIORITY_RANK = sql`(case ${tickets.priority} when 'urgent' then 4 when 'high' then 3 when 'medium' then 2 else 1 end)`;

export type ListSection = 'mine' | 'queue' | 'approvals' | 'unassigned' | 'overdue';

/** The caller's visible, unarchived tickets and the condition of each section within them. */
export interface Filters {
  base: SQL;
  of: Record<ListSection, SQL>;
}

/** `visible` is the caller's ticket visibility filter. */
export function filtersFor(actor: UserActor, visible: SQL): Filters {
  const me = actor.userId;
  return {
    base: and(eq(tickets.tenantId, actor.tenantId), visible, isNull(tickets.archivedAt))!,
    of: {
      mine: sql`(${tickets.requesterId} = ${me} or ${tickets.createdById} = ${me})`,
      queue: and(eq(tickets.assigneeId, me), notInArray(tickets.status, DONE))!,
      approvals: and(
        eq(tickets.status, 'pending_approval'),
        actor.permissions.has('tickets.approve') ? sql`(${tickets.pendingUserId} = ${me} or ${tickets.pendingRoleId} = ${actor.roleId})` : sql`false`,
      )!,
      unassigned: and(isNull(tickets.assigneeId), inArray(tickets.status, ACTIVE))!,
      overdue: and(sql`${tickets.dueAt} < now()`, notInArray(tickets.status, DONE))!,
    },
  };
}

const ORDER: Record<ListSection, SQL[]> = {
  mine: [desc(tickets.updatedAt), desc(tickets.id)],
  queue: [sql`${PRIORITY_RANK} desc`, sql`${tickets.dueAt} asc nulls last`, asc(tickets.id)],
  approvals: [asc(tickets.createdAt), asc(tickets.id)],
  unassigned: [sql`${PRIORITY_RANK} desc`, asc(tickets.id)],
  overdue: [asc(tickets.dueAt), asc(tickets.id)],
};

/** All the section counts in one pass over the visible tickets. */
export async function sectionCounts(tx: Tx, f: Filters) {
  const [counts] = await tx
    .select({
      queue: sql<number>`count(*) filter (where ${f.of.queue})::int`,
      approvals: sql<number>`count(*) filter (where ${f.of.approvals})::int`,
      unassigned: sql<number>`count(*) filter (where ${f.of.unassigned})::int`,
      overdue: sql<number>`count(*) filter (where ${f.of.overdue})::int`,
    })
    .from(tickets)
    .where(f.base);
  return counts;
}

/** The caller's own tickets that are not closed or rejected, by status. */
export function mineByStatus(tx: Tx, f: Filters): Promise<Array<{ status: TicketStatus; n: number }>> {
  return tx
    .select({ status: tickets.status, n: sql<number>`count(*)::int` })
    .from(tickets)
    .where(and(f.base, f.of.mine, notInArray(tickets.status, NOT_MINE_OPEN)))
    .groupBy(tickets.status);
}

/** The first tickets of a section in its order. */
export function sectionTickets(tx: Tx, f: Filters, section: ListSection, limit: number) {
  return ticketsRepo
    .selectTickets(tx)
    .where(and(f.base, f.of[section]))
    .orderBy(...ORDER[section])
    .limit(limit);
}

/** Open tickets per assignee (resolved, closed and rejected ones do not count), busiest first. */
export function workload(tx: Tx, f: Filters) {
  return tx
    .select({
      id: users.id,
      name: users.name,
      color: users.color,
      open: sql<number>`count(*)::int`,
      inProgress: sql<number>`count(*) filter (where ${tickets.status} = 'in_progress')::int`,
      onHold: sql<number>`count(*) filter (where ${tickets.status} = 'on_hold')::int`,
      urgent: sql<number>`count(*) filter (where ${tickets.priority} = 'urgent')::int`,
      overdue: sql<number>`count(*) filter (where ${tickets.dueAt} < now())::int`,
    })
    .from(tickets)
    .innerJoin(users, and(eq(users.tenantId, tickets.tenantId), eq(users.id, tickets.assigneeId)))
    .where(and(f.base, notInArray(tickets.status, [...DONE, 'pending_approval'])))
    .groupBy(users.id, users.name, users.color)
    .orderBy(desc(sql`count(*)`), asc(users.name));
}

/** Tickets created per day over the last 30 days in zone `tz`, by their status now; every day has a row. */
/** `days`: the first and last company day (YYYY-MM-DD) and the instant the first one starts. */
export async function createdPerDay(tx: Tx, tenantId: number, visible: SQL, tz: string, days: { first: string; today: string; since: Date }) {
  const result = (await tx.execute(sql`
    with days as (
      select d::date as day
        from generate_series(${days.first}::date::timestamp, ${days.today}::date::timestamp, interval '1 day') as d
    ),
    counts as (
      select (${tickets.createdAt} at time zone ${tz})::date as day, ${tickets.status} as status, count(*)::int as n
        from ${tickets}
       where ${tickets.tenantId} = ${tenantId}
         and ${visible}
         and ${tickets.createdAt} >= ${days.since.toISOString()}::timestamptz
       group by 1, 2
    )
    select to_char(days.day, 'YYYY-MM-DD') as day, counts.status, coalesce(counts.n, 0)::int as n
      from days left join counts on counts.day = days.day
     order by days.day`)) as unknown as { rows: Array<{ day: string; status: TicketStatus | null; n: number }> };
  return result.rows;
}
