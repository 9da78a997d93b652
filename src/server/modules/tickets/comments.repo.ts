// Comments, history and the user lookups of commenting (Drizzle only): a ticket's conversation and
// history in keyset pages, and who an @mention names.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { afterId } from '../../db/keyset.js';
import { ticketApprovals, ticketComments, ticketHistory, users } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';
import { type MentionMap, mentionedUsernames } from '../../platform/markdown.js';

export type CommentRow = typeof ticketComments.$inferSelect;
export type NewComment = typeof ticketComments.$inferInsert;

/** Active users of the company with one of these usernames (lower case). */
export function findMentioned(tx: Tx, tenantId: number, usernames: string[]) {
  return tx
    .select({ id: users.id, name: users.name, username: users.username })
    .from(users)
    .where(and(eq(users.tenantId, tenantId), inArray(sql`lower(${users.username})`, usernames), eq(users.status, 'active')));
}

/** Whom the @usernames in these texts name, for rendering them as links to the person. */
export async function mentionMapOf(tx: Tx, tenantId: number, texts: string[]): Promise<MentionMap> {
  const names = [...new Set(texts.flatMap(mentionedUsernames))];
  const rows = names.length ? await findMentioned(tx, tenantId, names) : [];
  return new Map(rows.filter((r) => r.username).map((r) => [String(r.username).toLowerCase(), { id: String(r.id), name: r.name }]));
}

export interface SubPage {
  /** Internal rows too (internal notes; internal history lines). */
  internal: boolean;
  after: [number] | null;
  /** Rows to read: the page size plus one, to know whether another page follows. */
  take: number;
}

/** A ticket's comments after the cursor, oldest first (index ticket_comments_tenant_ticket_idx). */
export function commentsPage(tx: Tx, tenantId: number, ticketId: number, p: SubPage): Promise<CommentRow[]> {
  return tx
    .select()
    .from(ticketComments)
    .where(
      and(
        eq(ticketComments.tenantId, tenantId),
        eq(ticketComments.ticketId, ticketId),
        p.internal ? undefined : eq(ticketComments.internal, false),
        afterId(ticketComments.id, p.after),
      ),
    )
    .orderBy(asc(ticketComments.id))
    .limit(p.take);
}

export async function insertComment(tx: Tx, values: NewComment): Promise<CommentRow> {
  const [row] = await tx.insert(ticketComments).values(values).returning();
  return row;
}

export type HistoryRow = typeof ticketHistory.$inferSelect;

/** A ticket's history after the cursor, oldest first (index ticket_history_tenant_ticket_idx). */
export function historyPage(tx: Tx, tenantId: number, ticketId: number, p: SubPage): Promise<HistoryRow[]> {
  return tx
    .select()
    .from(ticketHistory)
    .where(
      and(
        eq(ticketHistory.tenantId, tenantId),
        eq(ticketHistory.ticketId, ticketId),
        p.internal ? undefined : eq(ticketHistory.internal, false),
        afterId(ticketHistory.id, p.after),
      ),
    )
    .orderBy(asc(ticketHistory.id))
    .limit(p.take);
}

/** A ticket's approval decisions: one per step of its category's route (a handful). */
export function approvalsOf(tx: Tx, tenantId: number, ticketId: number) {
  return tx
    .select()
    .from(ticketApprovals)
    .where(and(eq(ticketApprovals.tenantId, tenantId), eq(ticketApprovals.ticketId, ticketId)))
    .orderBy(asc(ticketApprovals.id));
}
