// What a ticket change leaves behind in its transaction: history rows, notifications and the live
// push, each reaching only people who may see the ticket (maySeeTicket); delivered after commit.
import type { UserActor } from '../../platform/actor.js';
import type { Deps } from '../../platform/context.js';
import type { Scope } from '../../platform/db.js';
import { publishLive } from '../../platform/realtime.js';
import { type Notice, notify } from '../notifications/notifications.service.js';
import { maySeeTicket, visibilityOf } from './tickets.policy.js';
import * as repo from './tickets.repo.js';
import { emitTicketEvent } from './tickets.webhook.js';

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
  await repo.insertHistory(scope.tx, base, changes);
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

const visibility = (t: repo.TicketRow, s: Stakeholders) => visibilityOf(t, { watcherIds: s.watchers, teamMemberIds: s.team });

/** The live audience kind of ticket events: the hub checks each socket's caller with `maySeeTicket`. */
export const TICKET_AUDIENCE = 'ticket';

/**
 * Pushes "this ticket changed" to the sockets whose caller may see it, after commit, and records the
 * change's webhook event (tickets.webhook.ts; `webhookExtra` joins the ticket in its data).
 */
export async function publishTicket(
  scope: Scope,
  t: repo.TicketRow,
  what: string,
  known?: Stakeholders,
  webhookExtra?: Record<string, unknown>,
  /** The hooks subscribed to the event, read earlier in this transaction. */
  hooks?: number[],
): Promise<void> {
  await emitTicketEvent(scope, t, what, webhookExtra, hooks);
  const s = known ?? (await stakeholders(scope, t));
  await publishLive(scope, {
    tenantId: t.tenantId,
    type: 'ticket.updated',
    data: { number: t.number, version: t.version, status: t.status, what },
    audience: { kind: TICKET_AUDIENCE, facts: visibility(t, s) },
  });
}

/** Who may hear about a ticket: only those who may see it, and for an internal note only those who may read one. */
export interface NoticeScope {
  internal?: boolean;
}

/** Which of these people may be told about the ticket (the one visibility rule; inactive people never). */
export async function audienceOf(scope: Scope, t: repo.TicketRow, s: Stakeholders, ids: Iterable<number>, opts: NoticeScope = {}): Promise<Set<number>> {
  const facts = visibility(t, s);
  const people = await repo.viewers(scope.tx, t.tenantId, [...ids]);
  return new Set(
    people.filter((v) => maySeeTicket(v, facts) && (!opts.internal || v.permissions.has('tickets.internal_notes'))).map((v) => v.userId),
  );
}

/**
 * Records the notices about a ticket for the recipients who may see it (see `audienceOf`); the
 * others are left out. `known` saves reading the stakeholders again; `audience` the check itself.
 */
export async function notifyTicket(
  scope: Scope,
  deps: Deps,
  t: repo.TicketRow,
  notices: Omit<Notice, 'ticketNumber'> | Array<Omit<Notice, 'ticketNumber'>>,
  opts: NoticeScope & { known?: Stakeholders; audience?: ReadonlySet<number> } = {},
): Promise<void> {
  const list = Array.isArray(notices) ? notices : [notices];
  const everyone = new Set(list.flatMap((n) => [...n.recipients]));
  if (everyone.size === 0) return;
  const allowed = opts.audience ?? (await audienceOf(scope, t, opts.known ?? (await stakeholders(scope, t)), everyone, opts));
  await notify(
    scope,
    deps,
    t.tenantId,
    list.map((n) => ({ ...n, recipients: [...n.recipients].filter((id) => allowed.has(id)), ticketNumber: t.number })),
  );
}

/**
 * Listeners told of every status change inside its transaction (maintenance plans count a resolved
 * work order as the completion that schedules the next one). Registered by the listening module's
 * service at load; a listener that throws rolls the change back.
 */
export type StatusListener = (scope: Scope, t: repo.TicketRow, before: repo.TicketRow['status']) => Promise<void>;
const statusListeners: StatusListener[] = [];
export function onTicketStatusChanged(listener: StatusListener): void {
  if (!statusListeners.includes(listener)) statusListeners.push(listener);
}
export async function ticketStatusChanged(scope: Scope, t: repo.TicketRow, before: repo.TicketRow['status']): Promise<void> {
  for (const listener of statusListeners) await listener(scope, t, before);
}
