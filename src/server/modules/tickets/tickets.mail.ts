// What the mail pipeline does to tickets without a signed-in caller: a comment by the sender of a
// message (a user or an external contact), and the reopen a reply to a finished ticket causes.
// Notified and pushed like the web's own comment and status change.
import type { Deps } from '../../platform/context.js';
import type { Scope } from '../../platform/db.js';
import { insertComment } from './comments.repo.js';
import { notifyTicket, publishTicket, recordHistory, stakeholders } from './tickets.events.js';
import { isTicketStaff, lockTicket, reopen } from './mail-tickets.repo.js';
import { slaOnPublicReply, slaOnStatus } from '../sla/sla.service.js';
import * as repo from './tickets.repo.js';

export interface MailAuthor {
  userId: number | null;
  name: string;
}

/** The ticket with this number or id, locked (no visibility check: the pipeline acts for the company). */
export const lockTicketIn = (scope: Scope, tenantId: number, by: { number: number } | { id: number }) => lockTicket(scope.tx, tenantId, by);

/** A public comment from a message's sender; everyone with a stake but the author hears of it. */
export async function addMailCommentIn(scope: Scope, deps: Deps, t: repo.TicketRow, by: MailAuthor, body: string) {
  const comment = await insertComment(scope.tx, {
    tenantId: t.tenantId,
    ticketId: t.id,
    authorId: by.userId,
    authorName: by.name,
    body,
    internal: false,
    mentions: [],
  });
  const row = await repo.touchTicket(scope.tx, t.tenantId, t.id);
  // Staff answering by e-mail meets first response as a reply on the web does.
  if (by.userId && by.userId !== t.requesterId && (await isTicketStaff(scope.tx, t.tenantId, by.userId))) {
    await slaOnPublicReply(scope, deps, t.tenantId, t.id);
  }
  await recordHistory(scope, by, row, 'commented', [{ field: 'comment', before: null, after: { id: String(comment.id), via: 'email' } }]);
  const s = await stakeholders(scope, row);
  const preview = body.length > 300 ? `${body.slice(0, 300)}…` : body;
  await notifyTicket(
    scope,
    deps,
    row,
    {
      event: 'ticket.commented',
      recipients: [...new Set([...s.direct, ...s.watchers])],
      actorId: by.userId,
      title: `New reply on #${row.number}: ${row.title}`,
      body: `${by.name} wrote by e-mail:\n\n${preview}`,
    },
    { known: s },
  );
  await publishTicket(scope, row, 'comment', s);
  return { comment, ticket: row };
}

/** A reply to a resolved or closed ticket: back to in_progress, recorded and told like a status change. */
export async function reopenFromMailIn(scope: Scope, deps: Deps, t: repo.TicketRow, by: MailAuthor): Promise<repo.TicketRow> {
  const row = await reopen(scope.tx, t);
  await slaOnStatus(scope, deps, row, t.status);
  await recordHistory(scope, by, row, 'reopened', [{ field: 'status', before: t.status, after: 'in_progress' }]);
  const s = await stakeholders(scope, row);
  await notifyTicket(
    scope,
    deps,
    row,
    {
      event: 'ticket.status_changed',
      recipients: [...s.direct, ...s.watchers],
      actorId: by.userId,
      title: `#${row.number} is in progress: ${row.title}`,
      body: `${by.name} replied by e-mail, which reopened #${row.number} (it was ${t.status.replace('_', ' ')}).`,
    },
    { known: s },
  );
  await publishTicket(scope, row, 'status', s);
  return row;
}
