// The SQL of the ticket list (tickets.list): filters, full-text search (tsvector on title/description
// and on comments, plus trigram for partial words) and the sort orders of keyset pagination.
import { and, eq, inArray, isNotNull, isNull, lt, notInArray, type SQL, sql } from 'drizzle-orm';
import type { TicketFilters } from '../../../shared/contracts/tickets.js';
import { tickets } from '../../db/schema/index.js';
import { qualified } from '../../db/qualified.js';
import type { UserActor } from '../../platform/actor.js';
import type { Tx } from '../../platform/db.js';
import { visibleTickets } from './tickets.queries.js';
import * as repo from './tickets.repo.js';

/** Statuses in which a ticket is no longer due (an overdue ticket is past its due date in none of these). */
const DONE_STATUSES = ['resolved', 'closed', 'rejected'] as const;

const PRIORITY_RANK = sql`(case ${tickets.priority} when 'urgent' then 4 when 'high' then 3 when 'medium' then 2 else 1 end)`;

export function sortKey(sort: TicketFilters['sort']): { expr: SQL | null; dir: 'asc' | 'desc' } {
  switch (sort) {
    case 'oldest':
      return { expr: null, dir: 'asc' };
    case 'updated':
      // Microseconds since the epoch: exact, and safe to carry in a cursor.
      return { expr: sql`(extract(epoch from ${tickets.updatedAt}) * 1000000)::bigint`, dir: 'desc' };
    case 'priority':
      return { expr: PRIORITY_RANK, dir: 'desc' };
    case 'slaDue':
      // The earliest unmet SLA due time of a running clock; tickets without one last.
      return {
        expr: sql`coalesce((select (extract(epoch from s.next_due_at) * 1000000)::bigint from ticket_sla s where s.tenant_id = ${qualified(tickets.tenantId)} and s.ticket_id = ${qualified(tickets.id)}), 9000000000000000000)`,
        dir: 'asc',
      };
    case 'due':
      // Tickets without a due date last.
      return { expr: sql`coalesce((extract(epoch from ${tickets.dueAt}) * 1000000)::bigint, 9000000000000000000)`, dir: 'asc' };
    default:
      return { expr: null, dir: 'desc' };
  }
}

/** The WHERE of a filtered list for this caller (visibility included). */
export function listConditions(actor: UserActor, f: TicketFilters): SQL[] {
  const c: SQL[] = [eq(tickets.tenantId, actor.tenantId), visibleTickets(actor)];
  if (f.status?.length) c.push(inArray(tickets.status, f.status));
  if (f.kind?.length) c.push(inArray(tickets.kind, f.kind));
  if (f.priority?.length) c.push(inArray(tickets.priority, f.priority));
  if (f.assigneeId === 'me') c.push(eq(tickets.assigneeId, actor.userId));
  else if (f.assigneeId === 'none') c.push(isNull(tickets.assigneeId));
  else if (f.assigneeId) c.push(eq(tickets.assigneeId, Number(f.assigneeId)));
  if (f.requesterId) c.push(eq(tickets.requesterId, f.requesterId === 'me' ? actor.userId : Number(f.requesterId)));
  if (f.categoryId) c.push(eq(tickets.categoryId, Number(f.categoryId)));
  if (f.teamId) c.push(eq(tickets.teamId, Number(f.teamId)));
  if (f.projectId) c.push(eq(tickets.projectId, Number(f.projectId)));
  if (f.departmentId) c.push(eq(tickets.departmentId, Number(f.departmentId)));
  if (f.assetId) {
    c.push(
      sql`exists (select 1 from ticket_assets a where a.tenant_id = ${qualified(tickets.tenantId)} and a.ticket_id = ${qualified(tickets.id)} and a.asset_id = ${Number(f.assetId)})`,
    );
  }
  if (f.archived === 'only') c.push(isNotNull(tickets.archivedAt));
  else if (f.archived !== 'true') c.push(isNull(tickets.archivedAt));
  if (f.q) c.push(searchCondition(actor, f.q));
  if (f.overdue === 'true') c.push(lt(tickets.dueAt, sql`now()`), notInArray(tickets.status, [...DONE_STATUSES]));
  const sla = (cond: SQL) => sql`exists (select 1 from ticket_sla s where s.tenant_id = ${qualified(tickets.tenantId)} and s.ticket_id = ${qualified(tickets.id)} and ${cond})`;
  const breached = sql`(s.first_response_breached or s.resolution_breached)`;
  if (f.slaBreached === 'true') c.push(sla(breached));
  else if (f.slaBreached === 'false') c.push(sql`not ${sla(breached)}`);
  const atRisk = sql`s.next_warn_at <= now() and s.next_due_at > now()`;
  if (f.slaAtRisk === 'true') c.push(sla(atRisk));
  else if (f.slaAtRisk === 'false') c.push(sql`not ${sla(atRisk)}`);
  return c;
}

function searchCondition(actor: UserActor, q: string): SQL {
  const number = NUMBER_QUERY.exec(q);
  if (number) return eq(tickets.number, Number(q.replace('#', '')));
  const tsq = sql`websearch_to_tsquery('simple', ${q})`;
  const like = `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
  const internal = actor.permissions.has('tickets.internal_notes');
  return sql`(${qualified(tickets.search)} @@ ${tsq}
    or ${qualified(tickets.title)} ilike ${like}
    or exists (select 1 from ticket_comments c where c.tenant_id = ${qualified(tickets.tenantId)} and c.ticket_id = ${qualified(tickets.id)}
               and c.search @@ ${tsq} ${internal ? sql`` : sql`and not c.internal`}))`;
}

export const NUMBER_QUERY = /^#?\d{1,9}$/;

/** `id = any('{…}')`: one parameter however many ids (a list of 200 parameters costs more to plan than to run). */
const anyId = (ids: number[]) => sql`${tickets.id} = any(${`{${ids.join(',')}}`}::bigint[])`;

/**
 * Candidate ids of a text search, newest first, below `before`: from `ticket_text_match`, which can use
 * the GIN and trigram indexes that row-level security hides from `@@`/`ilike`.
 */
export async function textMatchIds(tx: Tx, q: string, internal: boolean, before: number, batch: number): Promise<number[]> {
  const result = (await tx.execute(sql`select ticket_text_match(${q}, ${internal}, ${before}, ${batch}) as id`)) as unknown as {
    rows: Array<{ id: string | number }>;
  };
  return result.rows.map((r) => Number(r.id));
}

/** Which of these candidates pass every other filter and the caller's visibility (under RLS), newest first; ids only. */
export async function filteredIds(tx: Tx, actor: UserActor, f: TicketFilters, ids: number[], limit: number): Promise<number[]> {
  const hits = await tx
    .select({ id: tickets.id })
    .from(tickets)
    .where(and(...listConditions(actor, { ...f, q: undefined }), anyId(ids)))
    .orderBy(sql`${tickets.id} desc`)
    .limit(limit);
  return hits.map((h) => h.id);
}

/** These tickets with their names, newest first. */
export function ticketsByIds(tx: Tx, tenantId: number, ids: number[]) {
  return repo
    .selectTickets(tx)
    .where(and(eq(tickets.tenantId, tenantId), anyId(ids)))
    .orderBy(sql`${tickets.id} desc`);
}

/** A cursor of a sorted list: the sort value and the id, or the id alone for the id orders. */
export type SortCursor = [string | number, number] | [number];

/** One page (`take` rows) of the filtered list in its sort order, after the cursor. */
export function sortedPage(tx: Tx, actor: UserActor, f: TicketFilters, after: SortCursor | null, take: number) {
  const { expr, dir } = sortKey(f.sort);
  const conditions = listConditions(actor, f);
  const cmp = dir === 'desc' ? sql`<` : sql`>`;
  if (after && expr && after.length === 2) conditions.push(sql`(${expr}, ${tickets.id}) ${cmp} (${after[0]}, ${after[1]})`);
  else if (after && !expr && after.length === 1) conditions.push(sql`${tickets.id} ${cmp} ${after[0]}`);
  const order = expr ? [sql`${expr} ${sql.raw(dir)}`, sql`${tickets.id} ${sql.raw(dir)}`] : [sql`${tickets.id} ${sql.raw(dir)}`];
  return repo
    .selectTickets(tx)
    .where(and(...conditions))
    .orderBy(...order)
    .limit(take);
}

/** The sort value of one ticket, as the cursor carries it (null for the id orders). */
export async function sortValueOf(tx: Tx, tenantId: number, sort: TicketFilters['sort'], id: number): Promise<string | null> {
  const { expr } = sortKey(sort);
  if (!expr) return null;
  const [row] = await tx
    .select({ k: sql<unknown>`${expr}` })
    .from(tickets)
    .where(and(eq(tickets.tenantId, tenantId), eq(tickets.id, id)));
  return String(row.k);
}

/** Which of these ids pass every filter (text search included) and the caller's visibility; ids only. */
export async function passingIds(tx: Tx, actor: UserActor, f: TicketFilters, ids: number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const hits = await tx
    .select({ id: tickets.id })
    .from(tickets)
    .where(and(...listConditions(actor, f), anyId(ids)));
  return new Set(hits.map((h) => h.id));
}

/** The tail of the list sorted by SLA due: tickets without a running clock, oldest first, after `afterId`. */
export function withoutRunningClock(tx: Tx, actor: UserActor, f: TicketFilters, afterId: number, take: number) {
  return repo
    .selectTickets(tx)
    .where(
      and(
        ...listConditions(actor, f),
        sql`not exists (select 1 from ticket_sla s where s.tenant_id = ${qualified(tickets.tenantId)} and s.ticket_id = ${qualified(tickets.id)} and s.next_due_at is not null)`,
        sql`${tickets.id} > ${afterId}`,
      ),
    )
    .orderBy(sql`${tickets.id} asc`)
    .limit(take);
}
