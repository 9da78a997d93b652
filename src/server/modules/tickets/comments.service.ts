// Comments: public replies and internal notes (never shown or pushed to those without
// tickets.internal_notes), with @mentions of those who may see them; and the ticket's history, oldest first.
import { and, asc, eq, sql } from 'drizzle-orm';
import { ticketApprovals, ticketComments, ticketHistory, tickets } from '../../db/schema/index.js';
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { findMentioned } from './comments.repo.js';
import { audienceOf, notifyTicket, publishTicket, recordHistory, stakeholders, who } from './tickets.events.js';
import { ticketCan } from './tickets.policy.js';
import { findVisible } from './tickets.service.js';

type CommentRow = typeof ticketComments.$inferSelect;
const toDto = (c: CommentRow) => ({
  id: String(c.id),
  body: c.body,
  internal: c.internal,
  author: c.authorId ? { id: String(c.authorId), name: c.authorName } : { id: null, name: c.authorName },
  mentionIds: c.mentions.map(String),
  createdAt: c.createdAt.toISOString(),
});

const MENTION = /(^|[\s(])@([a-zA-Z0-9._-]{2,60})/g;

export async function listComments(ctx: Ctx, number: number) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const t = await findVisible(scope, actor, number);
    const internal = actor.permissions.has('tickets.internal_notes');
    const rows = await scope.tx
      .select()
      .from(ticketComments)
      .where(and(eq(ticketComments.tenantId, actor.tenantId), eq(ticketComments.ticketId, t.id), internal ? undefined : eq(ticketComments.internal, false)))
      .orderBy(asc(ticketComments.id));
    return { items: rows.map(toDto) };
  });
}

export async function addComment(ctx: Ctx, number: number, input: { body: string; internal: boolean }) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const t = await findVisible(scope, actor, number, true);
    const can = ticketCan(actor, t);
    if (!can.comment) throw new AppError('forbidden', 'You may not comment on this ticket');
    if (input.internal && !can.internalNotes) throw new AppError('forbidden', 'You may not write internal notes');
    const names = [...new Set([...input.body.matchAll(MENTION)].map((m) => m[2].toLowerCase()))];
    const mentioned = names.length ? await findMentioned(scope.tx, actor.tenantId, names) : [];
    // Only the people who may see the ticket (and, for an internal note, read one) hear of it;
    // a mention of anyone else is not recorded, and the author is told who was left out.
    const s = await stakeholders(scope, t);
    const stake = [...new Set([...s.direct, ...s.watchers])];
    const audience = await audienceOf(scope, t, s, [...stake, ...mentioned.map((m) => m.id)], { internal: input.internal });
    const heard = mentioned.filter((m) => audience.has(m.id));
    const [comment] = await scope.tx
      .insert(ticketComments)
      .values({ tenantId: actor.tenantId, ticketId: t.id, authorId: actor.userId, authorName: actor.name, body: input.body, internal: input.internal, mentions: heard.map((m) => m.id) })
      .returning();
    const [row] = await scope.tx
      .update(tickets)
      .set({ updatedAt: sql`now()` })
      .where(and(eq(tickets.tenantId, t.tenantId), eq(tickets.id, t.id)))
      .returning();
    await recordHistory(scope, who(actor), row, input.internal ? 'internal_note' : 'commented', [{ field: 'comment', before: null, after: { id: String(comment.id) } }], input.internal);

    const mentionIds = heard.map((m) => m.id);
    const preview = input.body.length > 300 ? `${input.body.slice(0, 300)}…` : input.body;
    await notifyTicket(
      scope,
      ctx.deps,
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
    // The push says only that something changed; clients that may read it fetch it.
    await publishTicket(scope, row, 'comment', s);
    const unnotifiedMentions = mentioned.filter((m) => !audience.has(m.id) && m.id !== actor.userId).map((m) => ({ id: String(m.id), name: m.name }));
    return { comment: toDto(comment), unnotifiedMentions };
  });
}

export async function ticketHistoryOf(ctx: Ctx, number: number) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const t = await findVisible(scope, actor, number);
    const internal = actor.permissions.has('tickets.internal_notes');
    const rows = await scope.tx
      .select()
      .from(ticketHistory)
      .where(and(eq(ticketHistory.tenantId, actor.tenantId), eq(ticketHistory.ticketId, t.id), internal ? undefined : eq(ticketHistory.internal, false)))
      .orderBy(asc(ticketHistory.id));
    const approvals = await scope.tx
      .select()
      .from(ticketApprovals)
      .where(and(eq(ticketApprovals.tenantId, actor.tenantId), eq(ticketApprovals.ticketId, t.id)))
      .orderBy(asc(ticketApprovals.id));
    return {
      items: rows.map((h) => ({
        id: String(h.id),
        at: h.at.toISOString(),
        actor: h.actorName ? { id: h.actorId ? String(h.actorId) : null, name: h.actorName } : null,
        event: h.event,
        field: h.field,
        before: h.before ?? null,
        after: h.after ?? null,
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
  });
}
