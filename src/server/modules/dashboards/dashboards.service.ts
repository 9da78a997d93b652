// Role dashboards (SPEC §12): one answer with the sections the caller's permissions allow, each
// computed with grouped SQL over the tickets the caller may see (visibleTickets), never per row.
import { and, asc, desc, eq, inArray, isNull, notInArray, type SQL, sql } from 'drizzle-orm';
import { TICKET_STATUSES, type TicketStatus, tickets, users } from '../../db/schema/index.js';
import type { UserActor } from '../../platform/actor.js';
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import type { Tx } from '../../platform/db.js';
import { toSummary } from '../tickets/tickets.dto.js';
import type { DashboardAnswer, DashboardSection as Section } from '../../../shared/contracts/dashboards.js';
import { visibleTickets } from '../tickets/tickets.policy.js';
import * as repo from '../tickets/tickets.repo.js';

const LIST = 10;
const DONE: TicketStatus[] = ['resolved', 'closed', 'rejected'];
const NOT_MINE_OPEN: TicketStatus[] = ['closed', 'rejected'];
/** Tickets somebody should be working on (approval first, then work). */
const ACTIVE: TicketStatus[] = ['new', 'open', 'in_progress', 'on_hold'];
const PRIORITY_RANK = sql`(case ${tickets.priority} when 'urgent' then 4 when 'high' then 3 when 'medium' then 2 else 1 end)`;

/** Which sections a caller gets; the rows inside are further limited to what they may see. */
export function sectionsFor(actor: UserActor): Section[] {
  const p = actor.permissions;
  const out: Section[] = ['mine'];
  if (p.has('tickets.view_assigned') || p.has('tickets.update')) out.push('queue');
  if (p.has('tickets.approve')) out.push('approvals');
  if (p.has('tickets.assign')) out.push('unassigned');
  if (p.has('tickets.assign') || p.has('tickets.view_all') || p.has('tickets.view_department') || p.has('reports.view'))
    out.push('overdue');
  if (p.has('tickets.assign') || p.has('reports.view')) out.push('workload');
  if (p.has('reports.view')) out.push('statusOverTime');
  return out;
}

const countsByStatus = (rows: Array<{ status: TicketStatus; n: number }>) =>
  Object.fromEntries(TICKET_STATUSES.map((s) => [s, Number(rows.find((r) => r.status === s)?.n ?? 0)])) as Record<TicketStatus, number>;

async function list(tx: Tx, where: SQL | undefined, order: SQL[], limit = LIST) {
  const rows = await repo
    .selectTickets(tx)
    .where(where)
    .orderBy(...order)
    .limit(limit);
  return rows.map(toSummary);
}

export async function dashboard(ctx: Ctx): Promise<DashboardAnswer> {
  const actor = requireUser(ctx);
  const sections = sectionsFor(actor);
  const has = (s: Section) => sections.includes(s);
  const me = actor.userId;
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    const base = and(eq(tickets.tenantId, actor.tenantId), visibleTickets(actor), isNull(tickets.archivedAt))!;
    const mineCond = sql`(${tickets.requesterId} = ${me} or ${tickets.createdById} = ${me})`;
    const queueCond = and(eq(tickets.assigneeId, me), notInArray(tickets.status, DONE));
    const approvalCond = and(
      eq(tickets.status, 'pending_approval'),
      actor.permissions.has('tickets.approve')
        ? sql`(${tickets.pendingUserId} = ${me} or ${tickets.pendingRoleId} = ${actor.roleId})`
        : sql`false`,
    );
    const unassignedCond = and(isNull(tickets.assigneeId), inArray(tickets.status, ACTIVE));
    const overdueCond = and(sql`${tickets.dueAt} < now()`, notInArray(tickets.status, DONE));

    // All the counts in one pass over the visible tickets.
    const [counts] = await tx
      .select({
        queue: sql<number>`count(*) filter (where ${queueCond})::int`,
        approvals: sql<number>`count(*) filter (where ${approvalCond})::int`,
        unassigned: sql<number>`count(*) filter (where ${unassignedCond})::int`,
        overdue: sql<number>`count(*) filter (where ${overdueCond})::int`,
      })
      .from(tickets)
      .where(base);
    const mineByStatus = await tx
      .select({ status: tickets.status, n: sql<number>`count(*)::int` })
      .from(tickets)
      .where(and(base, mineCond, notInArray(tickets.status, NOT_MINE_OPEN)))
      .groupBy(tickets.status);
    const mineCounts = countsByStatus(mineByStatus);
    const answer: DashboardAnswer = {
      sections,
      mine: {
        open: Object.values(mineCounts).reduce((a, b) => a + b, 0),
        byStatus: mineCounts,
        latest: await list(tx, and(base, mineCond), [desc(tickets.updatedAt), desc(tickets.id)], 5),
      },
    };
    if (has('queue')) {
      answer.queue = {
        count: counts.queue,
        items: await list(tx, and(base, queueCond), [sql`${PRIORITY_RANK} desc`, sql`${tickets.dueAt} asc nulls last`, asc(tickets.id)]),
      };
    }
    if (has('approvals')) {
      answer.approvals = {
        count: counts.approvals,
        items: await list(tx, and(base, approvalCond), [asc(tickets.createdAt), asc(tickets.id)]),
      };
    }
    if (has('unassigned')) {
      answer.unassigned = {
        count: counts.unassigned,
        items: await list(tx, and(base, unassignedCond), [sql`${PRIORITY_RANK} desc`, asc(tickets.id)]),
      };
    }
    if (has('overdue')) {
      answer.overdue = { count: counts.overdue, items: await list(tx, and(base, overdueCond), [asc(tickets.dueAt), asc(tickets.id)]) };
    }
    if (has('workload')) answer.workload = await workload(tx, base);
    if (has('statusOverTime')) answer.statusOverTime = await statusOverTime(tx, actor);
    return answer;
  });
}

/** Open tickets per assignee (resolved, closed and rejected ones do not count), busiest first. */
async function workload(tx: Tx, base: SQL) {
  const rows = await tx
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
    .where(and(base, notInArray(tickets.status, [...DONE, 'pending_approval'])))
    .groupBy(users.id, users.name, users.color)
    .orderBy(desc(sql`count(*)`), asc(users.name));
  return {
    items: rows.map((r) => ({
      assignee: { id: String(r.id), name: r.name, color: r.color },
      open: r.open,
      inProgress: r.inProgress,
      onHold: r.onHold,
      urgent: r.urgent,
      overdue: r.overdue,
    })),
  };
}

/** Tickets created per day over the last 30 days (in the caller's time zone), by their status now. */
async function statusOverTime(tx: Tx, actor: UserActor) {
  const tz = actor.profile.timezone || 'UTC';
  const result = (await tx.execute(sql`
    with days as (
      select d::date as day
        from generate_series(((now() at time zone ${tz})::date - 29)::timestamp, (now() at time zone ${tz})::date::timestamp, interval '1 day') as d
    ),
    counts as (
      select (${tickets.createdAt} at time zone ${tz})::date as day, ${tickets.status} as status, count(*)::int as n
        from ${tickets}
       where ${tickets.tenantId} = ${actor.tenantId}
         and ${visibleTickets(actor)}
         and ${tickets.createdAt} >= (((now() at time zone ${tz})::date - 29)::timestamp at time zone ${tz})
       group by 1, 2
    )
    select to_char(days.day, 'YYYY-MM-DD') as day, counts.status, coalesce(counts.n, 0)::int as n
      from days left join counts on counts.day = days.day
     order by days.day`)) as unknown as { rows: Array<{ day: string; status: TicketStatus | null; n: number }> };
  const byDay = new Map<string, Record<string, number>>();
  for (const r of result.rows) {
    const counts = byDay.get(r.day) ?? {};
    if (r.status) counts[r.status] = Number(r.n);
    byDay.set(r.day, counts);
  }
  return {
    timezone: tz,
    items: [...byDay].map(([date, c]) => ({
      date,
      total: Object.values(c).reduce((a, b) => a + b, 0),
      byStatus: Object.fromEntries(TICKET_STATUSES.map((s) => [s, c[s] ?? 0])) as Record<TicketStatus, number>,
    })),
  };
}
