// What a ticket change leaves behind in its transaction: history rows, notifications and the live
// push (delivered after commit, only to sockets whose caller may see the ticket).
import { ticketHistory } from '../../db/schema/index.js';
import type { UserActor } from '../../platform/actor.js';
import type { Deps } from '../../platform/context.js';
import type { Scope } from '../../platform/db.js';
import { publishLive } from '../../platform/realtime.js';
import { type Notice, notify } from '../notifications/notifications.service.js';
import * as repo from './tickets.repo.js';

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

export async function recordHistory(
  scope: Scope,
  actor: { userId: number | null; name: string } | null,
  t: repo.TicketRow,
  event: string,
  changes: FieldChange[] = [],
  internal = false,
): Promise<void> {
  const base = { tenantId: t.tenantId, ticketId: t.id, actorId: actor?.userId ?? null, actorName: actor?.name ?? null, event, internal };
  if (changes.length === 0) {
    await scope.tx.insert(ticketHistory).values(base);
    return;
  }
  await scope.tx.insert(ticketHistory).values(
    changes.map((c) => ({ ...base, field: c.field, before: (c.before ?? null) as never, after: (c.after ?? null) as never })),
  );
}

export const who = (actor: UserActor) => ({ userId: actor.userId, name: actor.name });

export interface Stakeholders {
  direct: number[];
  team: number[];
  watchers: number[];
}

/** Everyone with a personal stake in the ticket (requester, creator, assignee, watchers, team). */
export async function stakeholders(scope: Scope, t: repo.TicketRow): Promise<Stakeholders> {
  const watchers = await repo.watcherIds(scope.tx, t.tenantId, t.id);
  const team = await repo.teamMemberIds(scope.tx, t.tenantId, t.teamId);
  const direct = [t.requesterId, t.createdById, t.assigneeId].filter((id): id is number => id !== null);
  return { direct, team, watchers };
}

/** Pushes "this ticket changed" to the sockets allowed to see it, after commit. */
export async function publishTicket(scope: Scope, t: repo.TicketRow, what: string, known?: Stakeholders): Promise<void> {
  const s = known ?? (await stakeholders(scope, t));
  const userIds = [...new Set([...s.direct, ...s.team, ...s.watchers, ...(t.pendingUserId ? [t.pendingUserId] : [])])];
  await publishLive(scope, {
    tenantId: t.tenantId,
    type: 'ticket.updated',
    data: { number: t.number, version: t.version, status: t.status, what },
    audience: {
      userIds,
      departmentId: t.departmentId,
      pendingRoleId: t.status === 'pending_approval' ? t.pendingRoleId : null,
    },
  });
}

export async function notifyTicket(scope: Scope, deps: Deps, t: repo.TicketRow, notice: Omit<Notice, 'ticketNumber'>): Promise<void> {
  await notify(scope, deps, t.tenantId, { ...notice, ticketNumber: t.number });
}
