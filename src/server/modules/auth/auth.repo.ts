import { and, eq, gt, inArray, isNull, or, sql } from 'drizzle-orm';
import { companies, loginThrottle, oneTimeTokens, sessions, superAdmins, users, type OneTimePurpose } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';

export async function findSuperAdminByEmail(tx: Tx, login: string) {
  const [row] = await tx.select().from(superAdmins).where(eq(sql`lower(${superAdmins.email})`, login)).limit(1);
  return row ?? null;
}

/** A company user by e-mail or username, with their company's state. Runs before the tenant is known. */
export async function findUserByLogin(tx: Tx, login: string) {
  const [row] = await tx
    .select({ user: users, suspended: companies.suspended, companyName: companies.name })
    .from(users)
    .innerJoin(companies, eq(companies.id, users.tenantId))
    .where(or(eq(sql`lower(${users.email})`, login), eq(sql`lower(${users.username})`, login)))
    .limit(1);
  return row ?? null;
}

export async function throttleState(tx: Tx, keys: string[]) {
  return tx
    .select()
    .from(loginThrottle)
    .where(and(inArray(loginThrottle.key, keys), gt(loginThrottle.lockedUntil, sql`now()`)));
}

/**
 * Counts a failure in a rolling window; at the limit the key is locked for the lockout time (a lock
 * in force is not extended). `lockedNow` is true only for the failure that set the lock.
 */
export async function recordFailure(tx: Tx, key: string, limit: number, windowMinutes: number, lockMinutes: number) {
  const result = await tx.execute<{ locked_until: string | Date | null; locked_now: boolean }>(sql`
    insert into login_throttle as t (key, failures, window_start)
    values (${key}, 1, now())
    on conflict (key) do update set
      failures = case when t.window_start < now() - make_interval(mins => ${windowMinutes}) then 1 else t.failures + 1 end,
      window_start = case when t.window_start < now() - make_interval(mins => ${windowMinutes}) then now() else t.window_start end,
      locked_until = case
        when t.locked_until > now() then t.locked_until
        when t.window_start >= now() - make_interval(mins => ${windowMinutes}) and t.failures + 1 >= ${limit}
        then now() + make_interval(mins => ${lockMinutes}) else t.locked_until end
    returning locked_until, coalesce(locked_until = now() + make_interval(mins => ${lockMinutes}), false) as locked_now`);
  const [row] = (result as unknown as { rows: Array<{ locked_until: string | Date | null; locked_now: boolean }> }).rows;
  return { lockedUntil: row.locked_until === null ? null : new Date(row.locked_until), lockedNow: row.locked_now === true };
}

/** Ends the counters (and any lock) of these keys; answers the latest lock that was still in force. */
export async function clearThrottles(tx: Tx, keys: string[]): Promise<Date | null> {
  if (keys.length === 0) return null;
  const gone = await tx.delete(loginThrottle).where(inArray(loginThrottle.key, keys)).returning({ lockedUntil: loginThrottle.lockedUntil });
  const now = Date.now();
  const live = gone.map((g) => g.lockedUntil?.getTime() ?? 0).filter((t) => t > now);
  return live.length ? new Date(Math.max(...live)) : null;
}

export async function clearThrottle(tx: Tx, key: string) {
  await tx.delete(loginThrottle).where(eq(loginThrottle.key, key));
}

export async function insertSession(tx: Tx, values: typeof sessions.$inferInsert) {
  const [row] = await tx.insert(sessions).values(values).returning({ id: sessions.id });
  return row.id;
}

export async function deleteSessionByHash(tx: Tx, tokenHash: string) {
  await tx.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
}

/** A live single-use link (unused, unexpired), locked for the caller's transaction. */
export async function findOneTimeToken(tx: Tx, tokenHash: string, purpose: OneTimePurpose) {
  const [row] = await tx
    .select({ token: oneTimeTokens, user: users, companyName: companies.name, suspended: companies.suspended })
    .from(oneTimeTokens)
    .innerJoin(users, and(eq(users.tenantId, oneTimeTokens.tenantId), eq(users.id, oneTimeTokens.userId)))
    .innerJoin(companies, eq(companies.id, oneTimeTokens.tenantId))
    .where(
      and(
        eq(oneTimeTokens.tokenHash, tokenHash),
        eq(oneTimeTokens.purpose, purpose),
        isNull(oneTimeTokens.usedAt),
        gt(oneTimeTokens.expiresAt, sql`now()`),
      ),
    )
    .for('update', { of: oneTimeTokens });
  return row ?? null;
}

export async function markTokenUsed(tx: Tx, id: number) {
  await tx.update(oneTimeTokens).set({ usedAt: sql`now()` }).where(eq(oneTimeTokens.id, id));
}

export async function touchSuperAdminLogin(tx: Tx, id: number) {
  await tx.update(superAdmins).set({ lastLoginAt: sql`now()` }).where(eq(superAdmins.id, id));
}

export async function touchUserLogin(tx: Tx, tenantId: number, userId: number) {
  await tx.update(users).set({ lastLoginAt: sql`now()` }).where(and(eq(users.tenantId, tenantId), eq(users.id, userId)));
}

/** Sets a user's password; with `activate`, an invited user becomes active (and may pick a username). */
export async function setPassword(tx: Tx, tenantId: number, userId: number, passwordHash: string, activate?: { username: string | null }) {
  await tx
    .update(users)
    .set({ passwordHash, ...(activate ? { status: 'active' as const, username: activate.username } : {}), updatedAt: sql`now()` })
    .where(and(eq(users.tenantId, tenantId), eq(users.id, userId)));
}
