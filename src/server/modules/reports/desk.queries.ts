// The service-desk and reliability reports' SQL: grouped aggregates over a period's tickets, read
// by tickets_tenant_created_idx and tickets_tenant_failure_idx, never row by row.
import { type SQL, sql } from 'drizzle-orm';
import type { TicketReportGroup } from '../../../shared/contracts/reports.js';
import { NONE_KEY } from '../../../shared/contracts/reports.js';
import type { Tx } from '../../platform/db.js';
import { rowsOf } from './costs.queries.js';

export interface Period {
  tenantId: number;
  start: Date;
  end: Date;
  zone: string;
}

export interface TicketSums {
  key: string | null;
  count: number;
  open: number;
  backlog_age_days: string | null;
  first_response_minutes: string | null;
  resolution_minutes: string | null;
  sla_met: number;
  sla_breached: number;
}

const DONE = sql`('resolved', 'closed', 'rejected')`;

/**
 * Tickets created in the period, by the grouping, and their total (the null key). First response is
 * staff's first public comment (anyone but the requester); SLA figures come from `sla` (the SLA
 * state when the SLA module keeps one, else none).
 */
export async function ticketSums(tx: Tx, p: Period, groupBy: TicketReportGroup, sla: SlaSource | null): Promise<TicketSums[]> {
  const key: Record<TicketReportGroup, SQL> = {
    status: sql`t.status`,
    priority: sql`t.priority`,
    category: sql`t.category_id::text`,
    technician: sql`t.assignee_id::text`,
    week: sql`to_char(date_trunc('week', t.created_at at time zone ${p.zone}), 'YYYY-MM-DD')`,
  };
  const met = sla ? sla.met : sql`false`;
  const breached = sla ? sla.breached : sql`false`;
  return rowsOf<TicketSums>(
    tx,
    sql`
    select case when grouping(k) = 1 then null else k end as key,
           count(*)::int as count,
           (count(*) filter (where not done))::int as open,
           (avg(extract(epoch from (now() - created_at)) / 86400) filter (where not done))::text as backlog_age_days,
           (avg(extract(epoch from (first_response_at - created_at)) / 60))::text as first_response_minutes,
           (avg(extract(epoch from (resolved_at - created_at)) / 60) filter (where resolved_at is not null))::text as resolution_minutes,
           (count(*) filter (where sla_met))::int as sla_met,
           (count(*) filter (where sla_breached))::int as sla_breached
      from (
        select coalesce(${key[groupBy]}, ${NONE_KEY}) as k, t.created_at, t.resolved_at, t.status in ${DONE} as done,
               (select min(c.created_at) from ticket_comments c
                 where c.tenant_id = t.tenant_id and c.ticket_id = t.id and not c.internal
                   and c.author_id is not null and c.author_id is distinct from t.requester_id) as first_response_at,
               ${met} as sla_met, ${breached} as sla_breached
          from tickets t
          ${sla ? sla.join : sql``}
         where t.tenant_id = ${p.tenantId} and t.created_at >= ${p.start.toISOString()}::timestamptz and t.created_at < ${p.end.toISOString()}::timestamptz
      ) x
     group by grouping sets ((k), ())`,
  );
}

/** How the SLA module's state joins the report (kept here so the report reads it in the same pass). */
export interface SlaSource {
  join: SQL;
  met: SQL;
  breached: SQL;
}

/**
 * The SLA clock of each ticket (ticket_sla): met is a ticket under an SLA resolved with no target
 * breached; breached is one with any target breached, open or not.
 */
export function slaReportSource(tenantId: number): SlaSource {
  return {
    join: sql`left join ticket_sla s on s.tenant_id = ${tenantId} and s.ticket_id = t.id`,
    met: sql`(s.ticket_id is not null and s.resolved_at is not null and not s.first_response_breached and not s.resolution_breached)`,
    breached: sql`coalesce(s.first_response_breached or s.resolution_breached, false)`,
  };
}

export interface AssetReliability {
  asset_id: string;
  tag: string;
  name: string;
  category_id: string;
  category_name: string | null;
  downtime_minutes: string;
  failures: number;
}

/**
 * Per asset: failure work orders (tickets marked as failures) that started in the period, and the
 * minutes of their downtime windows inside the period (an open window runs until now). A failure
 * without a window counts as a failure with no downtime.
 */
export async function assetReliability(tx: Tx, p: Period, categoryId: number | null): Promise<AssetReliability[]> {
  const t = p.tenantId;
  const start = p.start.toISOString();
  const end = p.end.toISOString();
  return rowsOf<AssetReliability>(
    tx,
    sql`
    select a.id::text as asset_id, a.tag, a.name, a.category_id::text as category_id, pi.name as category_name,
           sum(greatest(0, extract(epoch from (
             least(coalesce(tk.downtime_ended_at, now()), ${end}::timestamptz)
             - greatest(tk.downtime_started_at, ${start}::timestamptz))) / 60))::text as downtime_minutes,
           (count(*) filter (where coalesce(tk.downtime_started_at, tk.created_at) >= ${start}::timestamptz))::int as failures
      from tickets tk
      join ticket_assets ta on ta.tenant_id = tk.tenant_id and ta.ticket_id = tk.id
      join assets a on a.tenant_id = ta.tenant_id and a.id = ta.asset_id
      left join picklist_items pi on pi.tenant_id = a.tenant_id and pi.id = a.category_id
     where tk.tenant_id = ${t} and tk.failure
       and coalesce(tk.downtime_started_at, tk.created_at) < ${end}::timestamptz
       and (coalesce(tk.downtime_ended_at, now()) > ${start}::timestamptz or coalesce(tk.downtime_started_at, tk.created_at) >= ${start}::timestamptz)
       ${categoryId ? sql`and a.category_id = ${categoryId}` : sql``}
     group by a.id, a.tag, a.name, a.category_id, pi.name`,
  );
}

/** Assets per category (the denominator of a category's MTBF), for the categories named. */
export async function assetsPerCategory(tx: Tx, tenantId: number, categoryIds: number[]): Promise<Map<string, number>> {
  if (!categoryIds.length) return new Map();
  const rows = await rowsOf<{ category_id: string; n: number }>(
    tx,
    sql`select category_id::text as category_id, count(*)::int as n from assets
         where tenant_id = ${tenantId} and category_id = any(${`{${categoryIds.join(',')}}`}::bigint[]) group by category_id`,
  );
  return new Map(rows.map((r) => [r.category_id, Number(r.n)]));
}
