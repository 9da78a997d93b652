// The ticket list: filters, full-text search, sort with keyset pagination (the SQL is in
// list.queries.ts). Shared by the screen, exports and bulk.
import { z } from 'zod';
import type { TicketFilters } from '../../../shared/contracts/tickets.js';
import type { UserActor } from '../../platform/actor.js';
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import type { Scope, Tx } from '../../platform/db.js';
import { decodeCursor, encodeCursor } from '../http.js';
import { filteredIds, NUMBER_QUERY, sortedPage, sortKey, sortValueOf, textMatchIds, ticketsByIds } from './list.queries.js';
import { slaOfMany } from '../sla/sla.service.js';
import { slaDuePage } from './list.sla.js';
import { toSummary } from './tickets.dto.js';

export { type TicketFilters, ticketFilters } from '../../../shared/contracts/tickets.js';

const SEARCH_BATCH = 200;
const SEARCH_ROUNDS = 50;

/**
 * Text search, newest first: candidate ids come from `ticket_text_match` (which can use the GIN and
 * trigram indexes that row-level security hides from `@@`/`ilike`), newest first in batches; every
 * other filter and the caller's visibility are applied to each batch under RLS until the page is full.
 */
async function searchNewest(tx: Tx, actor: UserActor, f: TicketFilters & { q: string }, page: { limit: number; cursor?: string }) {
  const after = decodeCursor(page.cursor, z.tuple([z.number()]));
  const internal = actor.permissions.has('tickets.internal_notes');
  let before = after ? after[0] : Number.MAX_SAFE_INTEGER;
  const found: number[] = [];
  let exhausted = false;
  for (let round = 0; round < SEARCH_ROUNDS && found.length <= page.limit; round++) {
    const ids = await textMatchIds(tx, f.q, internal, before, SEARCH_BATCH);
    if (ids.length > 0) {
      // Filters and visibility on the candidates, ids only: names are joined once, for the page.
      found.push(...(await filteredIds(tx, actor, f, ids, page.limit + 1 - found.length)));
      before = Math.min(...ids);
    }
    if (ids.length < SEARCH_BATCH) {
      exhausted = true;
      break;
    }
  }
  const rows = found.length ? await ticketsByIds(tx, actor.tenantId, found.slice(0, page.limit)) : [];
  const last = rows.at(-1);
  // A full page continues after its last row; a page cut short by the round limit continues where the scan stopped.
  const nextCursor = found.length > page.limit && last ? encodeCursor([last.t.id]) : !exhausted ? encodeCursor([before]) : null;
  return { rows, nextCursor };
}

export async function queryTickets(tx: Tx, actor: UserActor, f: TicketFilters, page: { limit: number; cursor?: string }) {
  if (f.q && !NUMBER_QUERY.test(f.q) && f.sort === 'newest') return searchNewest(tx, actor, { ...f, q: f.q }, page);
  const byValue = sortKey(f.sort).expr !== null;
  const after = byValue
    ? decodeCursor(page.cursor, z.tuple([z.union([z.string(), z.number()]), z.number()]))
    : decodeCursor(page.cursor, z.tuple([z.number()]));
  if (f.sort === 'slaDue') return slaDuePage(tx, actor, f, after as [string | number, number] | null, page.limit);
  const rows = await sortedPage(tx, actor, f, after, page.limit + 1);
  const items = rows.slice(0, page.limit);
  let nextCursor: string | null = null;
  const last = items.at(-1);
  if (rows.length > page.limit && last) {
    nextCursor = byValue ? encodeCursor([await sortValueOf(tx, actor.tenantId, f.sort, last.t.id), last.t.id]) : encodeCursor([last.t.id]);
  }
  return { rows: items, nextCursor };
}

export async function listTickets(ctx: Ctx, f: TicketFilters, page: { limit: number; cursor?: string }) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, (scope) => listTicketsIn(scope, actor, f, page));
}

/** listTickets inside a caller's transaction. */
export async function listTicketsIn(scope: Scope, actor: UserActor, f: TicketFilters, page: { limit: number; cursor?: string }) {
  const { rows, nextCursor } = await queryTickets(scope.tx, actor, f, page);
  const sla = await slaOfMany(
    scope.tx,
    actor.tenantId,
    rows.map((r) => r.t.id),
  );
  return { items: rows.map((r) => ({ ...toSummary(r), sla: sla.get(r.t.id) ?? null })), nextCursor };
}
