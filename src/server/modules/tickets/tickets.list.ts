// The ticket list: filters, full-text search (tsvector on title/description and on comments, plus
// trigram for partial words), sort with keyset pagination. Shared by the screen, exports and bulk.
import { and, eq, inArray, isNotNull, isNull, lt, notInArray, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { TicketFilters } from '../../../shared/contracts/tickets.js';
import { tickets } from '../../db/schema/index.js';
import { qualified } from '../../db/qualified.js';
import type { UserActor } from '../../platform/actor.js';
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import type { Tx } from '../../platform/db.js';
import { decodeCursor, encodeCursor } from '../http.js';
import { toSummary } from './tickets.dto.js';
import { visibleTickets } from './tickets.policy.js';
import * as repo from './tickets.repo.js';

export { type TicketFilters, ticketFilters } from '../../../shared/contracts/tickets.js';

/** Statuses in which a ticket is no longer due (an overdue ticket is past its due date in none of these). */
const DONE_STATUSES = ['resolved', 'closed', 'rejected'] as const;

const PRIORITY_RANK = sql`(case ${tickets.priority} when 'urgent' then 4 when 'high' then 3 when 'medium' then 2 else 1 end)`;

function sortKey(sort: TicketFilters['sort']): { expr: SQL | null; dir: 'asc' | 'desc' } {
  switch (sort) {
    case 'oldest':
      return { expr: null, dir: 'asc' };
    case 'updated':
      // Microseconds since the epoch: exact, and safe to carry in a cursor.
      return { expr: sql`(extract(epoch from ${tickets.updatedAt}) * 1000000)::bigint`, dir: 'desc' };
    case 'priority':
      return { expr: PRIORITY_RANK, dir: 'desc' };
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
    c.push(sql`exists (select 1 from ticket_assets a where a.tenant_id = ${qualified(tickets.tenantId)} and a.ticket_id = ${qualified(tickets.id)} and a.asset_id = ${Number(f.assetId)})`);
  }
  if (f.archived === 'only') c.push(isNotNull(tickets.archivedAt));
  else if (f.archived !== 'true') c.push(isNull(tickets.archivedAt));
  if (f.q) c.push(searchCondition(actor, f.q));
  if (f.overdue === 'true') c.push(lt(tickets.dueAt, sql`now()`), notInArray(tickets.status, [...DONE_STATUSES]));
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

const NUMBER_QUERY = /^#?\d{1,9}$/;
const SEARCH_BATCH = 200;
const SEARCH_ROUNDS = 50;

/**
 * Text search, newest first: candidate ids come from `ticket_text_match` (which can use the GIN and
 * trigram indexes that row-level security hides from `@@`/`ilike`), newest first in batches; every
 * other filter and the caller's visibility are applied to each batch under RLS until the page is full.
 */
/** `id = any('{…}')`: one parameter however many ids (a list of 200 parameters costs more to plan than to run). */
const anyId = (ids: number[]) => sql`${tickets.id} = any(${`{${ids.join(',')}}`}::bigint[])`;

async function searchNewest(tx: Tx, actor: UserActor, f: TicketFilters, page: { limit: number; cursor?: string }) {
  const base = listConditions(actor, { ...f, q: undefined });
  const after = decodeCursor(page.cursor, z.tuple([z.number()]));
  const internal = actor.permissions.has('tickets.internal_notes');
  let before = after ? after[0] : Number.MAX_SAFE_INTEGER;
  const found: number[] = [];
  let exhausted = false;
  for (let round = 0; round < SEARCH_ROUNDS && found.length <= page.limit; round++) {
    const result = (await tx.execute(
      sql`select ticket_text_match(${f.q}, ${internal}, ${before}, ${SEARCH_BATCH}) as id`,
    )) as unknown as { rows: Array<{ id: string | number }> };
    const ids = result.rows.map((r) => Number(r.id));
    if (ids.length > 0) {
      // Filters and visibility on the candidates, ids only: names are joined once, for the page.
      const hits = await tx
        .select({ id: tickets.id })
        .from(tickets)
        .where(and(...base, anyId(ids)))
        .orderBy(sql`${tickets.id} desc`)
        .limit(page.limit + 1 - found.length);
      found.push(...hits.map((h) => h.id));
      before = Math.min(...ids);
    }
    if (ids.length < SEARCH_BATCH) {
      exhausted = true;
      break;
    }
  }
  const rows = found.length
    ? await repo
        .selectTickets(tx)
        .where(and(eq(tickets.tenantId, actor.tenantId), anyId(found.slice(0, page.limit))))
        .orderBy(sql`${tickets.id} desc`)
    : [];
  const last = rows.at(-1);
  // A full page continues after its last row; a page cut short by the round limit continues where the scan stopped.
  const nextCursor = found.length > page.limit && last ? encodeCursor([last.t.id]) : !exhausted ? encodeCursor([before]) : null;
  return { rows, nextCursor };
}

export async function queryTickets(tx: Tx, actor: UserActor, f: TicketFilters, page: { limit: number; cursor?: string }) {
  if (f.q && !NUMBER_QUERY.test(f.q) && f.sort === 'newest') return searchNewest(tx, actor, f, page);
  const { expr, dir } = sortKey(f.sort);
  const conditions = listConditions(actor, f);
  const cmp = dir === 'desc' ? sql`<` : sql`>`;
  if (expr) {
    const after = decodeCursor(page.cursor, z.tuple([z.union([z.string(), z.number()]), z.number()]));
    if (after) conditions.push(sql`(${expr}, ${tickets.id}) ${cmp} (${after[0]}, ${after[1]})`);
  } else {
    const after = decodeCursor(page.cursor, z.tuple([z.number()]));
    if (after) conditions.push(sql`${tickets.id} ${cmp} ${after[0]}`);
  }
  const order = expr ? [sql`${expr} ${sql.raw(dir)}`, sql`${tickets.id} ${sql.raw(dir)}`] : [sql`${tickets.id} ${sql.raw(dir)}`];
  const rows = await repo
    .selectTickets(tx)
    .where(and(...conditions))
    .orderBy(...order)
    .limit(page.limit + 1);
  const items = rows.slice(0, page.limit);
  let nextCursor: string | null = null;
  const last = items.at(-1);
  if (rows.length > page.limit && last) {
    if (!expr) nextCursor = encodeCursor([last.t.id]);
    else {
      const [keyRow] = await tx.select({ k: sql<unknown>`${expr}` }).from(tickets).where(and(eq(tickets.tenantId, actor.tenantId), eq(tickets.id, last.t.id)));
      nextCursor = encodeCursor([String(keyRow.k), last.t.id]);
    }
  }
  return { rows: items, nextCursor };
}

export async function listTickets(ctx: Ctx, f: TicketFilters, page: { limit: number; cursor?: string }) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    const { rows, nextCursor } = await queryTickets(tx, actor, f, page);
    return { items: rows.map(toSummary), nextCursor };
  });
}

