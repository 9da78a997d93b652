// The ticket list sorted by SLA due (`sort=slaDue`), driven by the clocks' own index instead of
// sorting every ticket by a subquery: running clocks in due order (breached ones first, by how
// overdue), in batches checked against the filters and the caller's visibility, then the tickets
// without a running clock, oldest first. The cursor is [due, id] in the first part, ['~', id] after.
import type { TicketFilters } from '../../../shared/contracts/tickets.js';
import type { UserActor } from '../../platform/actor.js';
import type { Tx } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { encodeCursor } from '../http.js';
import { slaDueCandidates } from '../sla/sla.service.js';
import { passingIds, ticketsByIds, withoutRunningClock } from './list.queries.js';
import type { TicketWithNames } from './tickets.repo.js';

const BATCH = 200;
const ROUNDS = 50;
const TAIL = '~';
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

export async function slaDuePage(tx: Tx, actor: UserActor, f: TicketFilters, after: [string | number, number] | null, limit: number) {
  if (after && after[0] !== TAIL && (typeof after[0] !== 'string' || !ISO.test(after[0]) || Number.isNaN(Date.parse(after[0]))))
    throw new AppError('validation', 'The cursor is not valid', { fields: { cursor: 'not a cursor from this list' } });
  const found: Array<{ id: number; due: string }> = [];
  let cursor: [string, number] | null = after && after[0] !== TAIL ? [String(after[0]), after[1]] : null;
  let exhausted = after?.[0] === TAIL;
  const atRisk = f.slaAtRisk === 'true';
  for (let round = 0; !exhausted && round < ROUNDS && found.length <= limit; round++) {
    const batch = await slaDueCandidates(tx, actor.tenantId, { after: cursor, atRisk, breached: f.slaBreached === 'true', limit: BATCH });
    if (batch.length > 0) {
      const ok = await passingIds(
        tx,
        actor,
        f,
        batch.map((c) => c.ticketId),
      );
      for (const c of batch) if (ok.has(c.ticketId)) found.push({ id: c.ticketId, due: c.due });
      const last = batch[batch.length - 1];
      cursor = [last.due, last.ticketId];
    }
    if (batch.length < BATCH) exhausted = true;
  }
  const page = found.slice(0, limit);
  const byId = new Map(
    (page.length
      ? await ticketsByIds(
          tx,
          actor.tenantId,
          page.map((p) => p.id),
        )
      : []
    ).map((r) => [r.t.id, r]),
  );
  const rows: TicketWithNames[] = page.map((p) => byId.get(p.id)).filter((r): r is TicketWithNames => r !== undefined);
  if (found.length > limit) {
    const last = page[page.length - 1];
    return { rows, nextCursor: encodeCursor([last.due, last.id]) };
  }
  // The scan stopped at its round limit: continue where it stopped.
  if (!exhausted && cursor) return { rows, nextCursor: encodeCursor(cursor) };
  // At risk needs a running clock: nothing follows.
  if (atRisk) return { rows, nextCursor: null };
  const afterId = after?.[0] === TAIL ? after[1] : 0;
  const tail = await withoutRunningClock(tx, actor, f, afterId, limit - rows.length + 1);
  const more = tail.length > limit - rows.length;
  const all = [...rows, ...tail.slice(0, limit - rows.length)];
  const lastTail = all.length > rows.length ? all[all.length - 1].t.id : afterId;
  return { rows: all, nextCursor: more ? encodeCursor([TAIL, lastTail]) : null };
}
