// The user lookups of commenting (Drizzle only): who an @mention names.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { users } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';
import { type MentionMap, mentionedUsernames } from '../../platform/markdown.js';

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
