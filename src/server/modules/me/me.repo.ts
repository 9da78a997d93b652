// The signed-in person's own rows: profile, password, second factor, sessions and API tokens.
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import { apiTokens, sessions, superAdmins, users } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';

export type UserRow = typeof users.$inferSelect;
export type SuperAdminRow = typeof superAdmins.$inferSelect;
type UserSet = Partial<Pick<UserRow, 'name' | 'color' | 'timezone' | 'theme' | 'passwordHash'>>;
interface Me {
  tenantId: number;
  userId: number;
}
/** Whose sessions: an operator's or a company user's. */
export type SessionOwner = { superAdminId: number } | Me;

export async function findSuperAdmin(tx: Tx, id: number): Promise<SuperAdminRow> {
  const [sa] = await tx.select().from(superAdmins).where(eq(superAdmins.id, id));
  return sa;
}

export async function updateSuperAdmin(tx: Tx, id: number, set: Partial<Pick<SuperAdminRow, 'name' | 'timezone' | 'theme' | 'passwordHash'>>) {
  await tx.update(superAdmins).set(set).where(eq(superAdmins.id, id));
}

export async function findUser(tx: Tx, me: Me): Promise<UserRow> {
  const [u] = await tx.select().from(users).where(and(eq(users.tenantId, me.tenantId), eq(users.id, me.userId)));
  return u;
}

/** `preferences` is merged into the stored JSON, keeping the keys it does not name. */
export async function updateUser(tx: Tx, me: Me, set: UserSet & { preferences?: Record<string, unknown> }): Promise<UserRow> {
  const { preferences, ...rest } = set;
  const [row] = await tx
    .update(users)
    .set({
      ...rest,
      ...(preferences ? { preferences: sql`${users.preferences} || ${JSON.stringify(preferences)}::jsonb` } : {}),
      updatedAt: sql`now()`,
    })
    .where(and(eq(users.tenantId, me.tenantId), eq(users.id, me.userId)))
    .returning();
  return row;
}

/** The second factor's state; not a profile change, so `updatedAt` stays. */
export async function setTotp(tx: Tx, me: Me, set: Partial<Pick<UserRow, 'totpSecret' | 'totpEnabled'>>) {
  await tx.update(users).set(set).where(and(eq(users.tenantId, me.tenantId), eq(users.id, me.userId)));
}

const ownSessions = (o: SessionOwner) =>
  'superAdminId' in o ? eq(sessions.superAdminId, o.superAdminId) : and(eq(sessions.tenantId, o.tenantId), eq(sessions.userId, o.userId))!;

/** Unexpired sessions, most recently used first. */
// Compared at the millisecond the cursor carries (JavaScript dates have no microseconds).
const lastSeenMs = sql`date_trunc('milliseconds', ${sessions.lastSeenAt})`;

/** One page (`limit + 1` rows) after the cursor `[lastSeenAt, id]`. */
export function listSessions(tx: Tx, o: SessionOwner, f: { after: [string, number] | null; limit: number }) {
  return tx
    .select()
    .from(sessions)
    .where(and(ownSessions(o), sql`${sessions.expiresAt} > now()`, f.after ? sql`(${lastSeenMs}, ${sessions.id}) < (${f.after[0]}::timestamptz, ${f.after[1]})` : undefined))
    .orderBy(desc(lastSeenMs), desc(sessions.id))
    .limit(f.limit + 1);
}

/** Ends one session; false when the owner has no such session. */
export async function deleteSession(tx: Tx, o: SessionOwner, id: number): Promise<boolean> {
  const gone = await tx.delete(sessions).where(and(ownSessions(o), eq(sessions.id, id))).returning({ id: sessions.id });
  return gone.length > 0;
}

/** Ends every session of the owner but `keepId` (the caller's own, when there is one). */
export async function deleteOtherSessions(tx: Tx, o: SessionOwner, keepId: number | null | undefined) {
  await tx.delete(sessions).where(and(ownSessions(o), keepId ? sql`${sessions.id} <> ${keepId}` : undefined));
}

/** One page (`limit + 1` rows) of the user's tokens, newest first; `before` is the last id seen. */
export function listApiTokens(tx: Tx, me: Me, page: { before: number | null; limit: number }) {
  return tx
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.tenantId, me.tenantId), eq(apiTokens.userId, me.userId), page.before ? lt(apiTokens.id, page.before) : undefined))
    .orderBy(desc(apiTokens.id))
    .limit(page.limit + 1);
}

export async function insertApiToken(tx: Tx, me: Me, values: { name: string; tokenHash: string; expiresAt: Date | null }): Promise<number> {
  const [row] = await tx
    .insert(apiTokens)
    .values({ tenantId: me.tenantId, userId: me.userId, ...values })
    .returning({ id: apiTokens.id });
  return row.id;
}

export async function deleteApiToken(tx: Tx, me: Me, id: number): Promise<boolean> {
  const gone = await tx
    .delete(apiTokens)
    .where(and(eq(apiTokens.tenantId, me.tenantId), eq(apiTokens.userId, me.userId), eq(apiTokens.id, id)))
    .returning({ id: apiTokens.id });
  return gone.length > 0;
}
