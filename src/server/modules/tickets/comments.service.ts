// Comments: public replies and internal notes (never shown or pushed to those without
// tickets.internal_notes), with @mentions of those who may see them; and the ticket's history, oldest first.
// The use cases take the caller's scope (`…In`) so that others compose them in one transaction.
import type { ListQuery } from '../../../shared/contracts/common.js';
import { idCursor } from '../../db/keyset.js';
import type { UserActor } from '../../platform/actor.js';
import type { Ctx, Deps } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import type { Scope } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { cutPage, decodeCursor } from '../http.js';
import { type MentionMap, mentionedUsernames, renderMarkdown } from '../../platform/markdown.js';
import { approvalsOf, type CommentRow, commentsPage, findMentioned, historyPage, insertComment, mentionMapOf } from './comments.repo.js';
import { audienceOf, notifyTicket, publishTicket, recordHistory, stakeholders, who } from './tickets.events.js';
import { ticketCan } from './tickets.policy.js';
import { touchTicket } from './tickets.repo.js';
import { findVisible } from './tickets.service.js';
import { labelChanges, type RefKind } from '../names/names.service.js';
import { slaOnPublicReply } from '../sla/sla.service.js';
import { type CommentMail, mailOfComments, numberedSubject, threadingFor } from '../mail/mail-info.service.js';

/** Ticket history fields that hold ids, and what they refer to. */
const TICKET_REFS: Record<string, RefKind> = { assigneeId: 'user', requesterId: 'user', teamId: 'team', categoryId: 'category', projectId: 'project', watchers: 'user', assets: 'asset' };

const toDto = (c: CommentRow, mentions: MentionMap, mail?: CommentMail) => ({
  id: String(c.id),
  body: c.body,
  // A comment that came by mail shows the message's own HTML (sanitised, quotes cut) when it had one.
  bodyHtml: mail?.html || renderMarkdown(c.body, mentions),
  internal: c.internal,
  author: c.authorId ? { id: String(c.authorId), name: c.authorName } : { id: null, name: c.authorName },
  mentionIds: c.mentions.map(String),
  createdAt: c.createdAt.toISOString(),
  ...(mail ? { email: mail.email } : {}),
});

export async function listComments(ctx: Ctx, number: number, q: ListQuery) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, (scope) => listCommentsIn(scope, actor, number, q));
}

/** One page of a ticket's conversation, oldest first; internal notes only for those who may read them. */
export async function listCommentsIn(scope: Scope, actor: UserActor, number: number, q: ListQuery) {
  const after = decodeCursor(q.cursor, idCursor);
  const t = await findVisible(scope, actor, number);
  const internal = actor.permissions.has('tickets.internal_notes');
  const rows = await commentsPage(scope.tx, actor.tenantId, t.id, { internal, after, take: q.limit + 1 });
  const page = cutPage(rows, q.limit, (c) => [c.id]);
  const mentions = await mentionMapOf(scope.tx, actor.tenantId, page.rows.map((r) => r.body));
  // Any ticket may hold replies by mail (a reply to a notification about a web ticket), not only those opened by mail.
  const mail = await mailOfComments(scope, actor.tenantId, page.rows.map((r) => r.id));
  return { items: page.rows.map((r) => toDto(r, mentions, mail.get(r.id))), nextCursor: page.nextCursor };
}

export async function addComment(ctx: Ctx, number: number, input: { body: string; internal: boolean }) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, (scope) => addCommentIn(scope, ctx.deps, actor, number, input));
}

/** addComment inside a caller's transaction. */
export async function addCommentIn(scope: Scope, deps: Deps, actor: UserActor, number: number, input: { body: string; internal: boolean }) {
  const t = await findVisible(scope, actor, number, true);
  const can = ticketCan(actor, t);
  if (!can.comment) throw new AppError('forbidden', 'You may not comment on this ticket');
  if (input.internal && !can.internalNotes) throw new AppError('forbidden', 'You may not write internal notes');
  const names = mentionedUsernames(input.body);
  const mentioned = names.length ? await findMentioned(scope.tx, actor.tenantId, names) : [];
  // Only the people who may see the ticket (and, for an internal note, read one) hear of it;
  // a mention of anyone else is not recorded, and the author is told who was left out.
  const s = await stakeholders(scope, t);
  const stake = [...new Set([...s.direct, ...s.watchers])];
  const audience = await audienceOf(scope, t, s, [...stake, ...mentioned.map((m) => m.id)], { internal: input.internal });
  const heard = mentioned.filter((m) => audience.has(m.id));
  const comment = await insertComment(scope.tx, {
    tenantId: actor.tenantId,
    ticketId: t.id,
    authorId: actor.userId,
    authorName: actor.name,
    body: input.body,
    internal: input.internal,
    mentions: heard.map((m) => m.id),
  });
  const row = await touchTicket(scope.tx, t.tenantId, t.id);
  // The first public reply by someone who works tickets (not the requester) meets first response.
  if (!input.internal && actor.permissions.has('tickets.update') && actor.userId !== t.requesterId) await slaOnPublicReply(scope, deps, t.tenantId, t.id);
  await recordHistory(
    scope,
    who(actor),
    row,
    input.internal ? 'internal_note' : 'commented',
    [{ field: 'comment', before: null, after: { id: String(comment.id) } }],
    input.internal,
  );

  const mentionIds = heard.map((m) => m.id);
  const preview = input.body.length > 300 ? `${input.body.slice(0, 300)}…` : input.body;
  await notifyTicket(
    scope,
    deps,
    row,
    [
      {
        event: 'ticket.commented',
        recipients: stake.filter((id) => !mentionIds.includes(id)),
        actorId: actor.userId,
        title: `${input.internal ? 'Internal note' : 'New reply'} on #${row.number}: ${row.title}`,
        body: `${actor.name} wrote:\n\n${preview}`,
      },
      {
        event: 'ticket.mentioned',
        recipients: mentionIds,
        actorId: actor.userId,
        title: `${actor.name} mentioned you on #${row.number}`,
        body: `${actor.name} wrote:\n\n${preview}`,
      },
    ],
    { audience },
  );
  // A public reply to a ticket from an external contact goes to them by mail, in the thread.
  if (!input.internal && row.requesterId === null && row.contact?.email) await mailContact(scope, deps, row, actor.name, input.body);
  const unnotifiedMentions = mentioned
    .filter((m) => !audience.has(m.id) && m.id !== actor.userId)
    .map((m) => ({ id: String(m.id), name: m.name }));
  const mentionMap: MentionMap = new Map(
    mentioned.filter((m) => m.username).map((m) => [String(m.username).toLowerCase(), { id: String(m.id), name: m.name }]),
  );
  const dto = toDto(comment, mentionMap);
  // The push says only that something changed; clients that may read it fetch it.
  await publishTicket(scope, row, 'comment', s, { comment: dto });
  return { comment: dto, unnotifiedMentions };
}

/** A staff reply to the ticket's external contact: threaded (In-Reply-To, References, [#n]) and from the ticket's mailbox. */
async function mailContact(scope: Scope, deps: Deps, row: Awaited<ReturnType<typeof touchTicket>>, author: string, body: string) {
  const contact = row.contact as { name: string; email: string };
  const thread = (await threadingFor(scope, row.tenantId, [row.number])).get(row.number);
  await deps.mailer.queue(scope, row.tenantId, {
    template: 'ticket.reply',
    to: contact.email,
    from: thread?.from ?? undefined,
    subject: numberedSubject(`Re: ${row.title}`, row.number),
    text: `${body}\n\n-- \n${author}\nReply to this e-mail to answer on ticket #${row.number}.\n`,
    html: `${renderMarkdown(body, new Map())}<p>-- <br>${author.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)}</p>`,
    inReplyTo: thread?.inReplyTo ?? null,
    references: thread?.references ?? [],
    ticketId: row.id,
  });
}

export async function ticketHistoryOf(ctx: Ctx, number: number, q: ListQuery) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, (scope) => ticketHistoryIn(scope, actor, number, q));
}

/** One page of a ticket's history, oldest first, with every approval decision. */
export async function ticketHistoryIn(scope: Scope, actor: UserActor, number: number, q: ListQuery) {
  const after = decodeCursor(q.cursor, idCursor);
  const t = await findVisible(scope, actor, number);
  const internal = actor.permissions.has('tickets.internal_notes');
  const rows = await historyPage(scope.tx, actor.tenantId, t.id, { internal, after, take: q.limit + 1 });
  const page = cutPage(rows, q.limit, (h) => [h.id]);
  // Approval decisions are one per step of the category's route (a handful), so each page carries them all.
  const approvals = await approvalsOf(scope.tx, actor.tenantId, t.id);
  const labels = await labelChanges(scope.tx, actor.tenantId, page.rows, TICKET_REFS);
  return {
    nextCursor: page.nextCursor,
    items: page.rows.map((h, i) => ({
      id: String(h.id),
      at: h.at.toISOString(),
      actor: h.actorName ? { id: h.actorId ? String(h.actorId) : null, name: h.actorName } : null,
      event: h.event,
      field: h.field,
      before: h.before ?? null,
      after: h.after ?? null,
      ...labels[i],
    })),
    approvals: approvals.map((a) => ({
      id: String(a.id),
      step: a.step,
      decision: a.decision,
      decider: a.deciderName ? { id: a.deciderId ? String(a.deciderId) : null, name: a.deciderName } : null,
      comment: a.comment,
      at: a.at.toISOString(),
    })),
  };
}
