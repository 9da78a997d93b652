// Role dashboards (SPEC §12): one answer with the sections the caller's permissions allow, each
// computed with grouped SQL over the tickets the caller may see (visibleTickets), never per row.
import { addDays, dayRange, todayIn } from '../../../shared/time/index.js';
import { TICKET_STATUSES, type TicketStatus } from '../../db/schema/index.js';
import type { UserActor } from '../../platform/actor.js';
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import type { Tx } from '../../platform/db.js';
import { toSummary } from '../tickets/tickets.dto.js';
import type { DashboardAnswer, DashboardSection as Section } from '../../../shared/contracts/dashboards.js';
import { visibleTickets } from '../tickets/tickets.policy.js';
import * as q from './dashboards.queries.js';

const LIST = 10;

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

const list = async (tx: Tx, f: q.Filters, section: q.ListSection, limit = LIST) => (await q.sectionTickets(tx, f, section, limit)).map(toSummary);

export async function dashboard(ctx: Ctx): Promise<DashboardAnswer> {
  const actor = requireUser(ctx);
  const sections = sectionsFor(actor);
  const has = (s: Section) => sections.includes(s);
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    const f = q.filtersFor(actor, visibleTickets(actor));
    const counts = await q.sectionCounts(tx, f);
    const mineCounts = countsByStatus(await q.mineByStatus(tx, f));
    const answer: DashboardAnswer = {
      sections,
      mine: {
        open: Object.values(mineCounts).reduce((a, b) => a + b, 0),
        byStatus: mineCounts,
        latest: await list(tx, f, 'mine', 5),
      },
    };
    if (has('queue')) {
      answer.queue = { count: counts.queue, items: await list(tx, f, 'queue') };
    }
    if (has('approvals')) {
      answer.approvals = { count: counts.approvals, items: await list(tx, f, 'approvals') };
    }
    if (has('unassigned')) {
      answer.unassigned = { count: counts.unassigned, items: await list(tx, f, 'unassigned') };
    }
    if (has('overdue')) {
      answer.overdue = { count: counts.overdue, items: await list(tx, f, 'overdue') };
    }
    if (has('workload')) answer.workload = await workload(tx, f);
    if (has('statusOverTime')) answer.statusOverTime = await statusOverTime(tx, actor);
    return answer;
  });
}

/** Open tickets per assignee (resolved, closed and rejected ones do not count), busiest first. */
async function workload(tx: Tx, f: q.Filters) {
  const rows = await q.workload(tx, f);
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

/**
 * Tickets created per day over the last 30 days, by their status now. Days are the company's (its
 * time zone), so everyone in it sees the same counts for a date.
 */
async function statusOverTime(tx: Tx, actor: UserActor) {
  const tz = actor.profile.companyTimezone;
  const today = todayIn(tz);
  const first = addDays(today, -29);
  const rows = await q.createdPerDay(tx, actor.tenantId, visibleTickets(actor), tz, { first, today, since: dayRange(first, tz).start });
  const byDay = new Map<string, Record<string, number>>();
  for (const r of rows) {
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
