// What other modules read of the e-mail channel (kept apart from mail.service.ts, which uses the
// tickets module, so that tickets and notifications may use this without an import cycle): the mail
// behind comments, the threading headers of outgoing ticket mail, and related tickets.
import type { CommentEmail } from '../../../shared/contracts/mail.js';
import type { Scope } from '../../platform/db.js';
import { descriptionEdited, type InboundRow, inboundOfComments, inboundOfTicket } from './inbound.repo.js';
import { numberedSubject } from './mail.threading.js';
import { defaultMailbox, relatedOf, threadOf, ticketIdsOfNumbers, ticketMailboxes } from './threads.repo.js';

export { numberedSubject };

export interface CommentMail {
  email: CommentEmail;
  /** The message's own HTML, sanitised (null for a text-only message). */
  html: string | null;
}

const toEmail = (i: InboundRow): CommentEmail => ({
  from: i.fromName ? `${i.fromName} <${i.fromAddress}>` : (i.fromAddress ?? ''),
  to: i.to,
  cc: i.cc,
  messageId: i.messageIdKey.startsWith('sha256:') ? null : i.messageIdKey,
  rawUrl: `/api/v1/mail/messages/${i.id}/raw`,
});

/** The received message behind each comment that came by mail. */
export async function mailOfComments(scope: Scope, tenantId: number, commentIds: number[]): Promise<Map<number, CommentMail>> {
  const rows = await inboundOfComments(scope.tx, tenantId, commentIds);
  return new Map(rows.filter((r) => r.commentId !== null).map((r) => [r.commentId as number, { email: toEmail(r), html: r.html }]));
}

/**
 * The message a ticket was made from (its description), when it came by mail. Its HTML stands for
 * the description until someone edits that.
 */
export async function mailOfTicket(scope: Scope, tenantId: number, ticketId: number): Promise<CommentMail | null> {
  const row = await inboundOfTicket(scope.tx, tenantId, ticketId);
  if (!row) return null;
  const html = row.html && !(await descriptionEdited(scope.tx, tenantId, ticketId)) ? row.html : null;
  return { email: toEmail(row), html };
}

export async function relatedTicketsOf(scope: Scope, tenantId: number, ticketId: number) {
  const rows = await relatedOf(scope.tx, tenantId, ticketId);
  return rows.map((r) => ({ number: r.number, title: r.title, status: r.status }));
}

export interface Threading {
  ticketId: number;
  /** The mailbox address the ticket's mail comes from (null: the instance's sender). */
  from: string | null;
  inReplyTo: string | null;
  references: string[];
}

/**
 * The headers of the next outgoing message about each ticket: In-Reply-To the newest message of its
 * thread, References the thread (the last 20), from the mailbox it came in by (else the company's first).
 */
export async function threadingFor(scope: Scope, tenantId: number, numbers: number[]): Promise<Map<number, Threading>> {
  const ids = await ticketIdsOfNumbers(scope.tx, tenantId, [...new Set(numbers)]);
  if (ids.length === 0) return new Map();
  const ticketIds = ids.map((t) => t.id);
  const [thread, boxes, fallback] = [
    await threadOf(scope.tx, tenantId, ticketIds),
    await ticketMailboxes(scope.tx, tenantId, ticketIds),
    await defaultMailbox(scope.tx, tenantId),
  ];
  const out = new Map<number, Threading>();
  for (const t of ids) {
    const refs = thread.filter((m) => m.ticketId === t.id).map((m) => m.messageId);
    out.set(t.number, {
      ticketId: t.id,
      from: boxes.find((b) => b.ticketId === t.id)?.address ?? fallback,
      inReplyTo: refs.at(-1) ?? null,
      references: refs.slice(-20),
    });
  }
  return out;
}
