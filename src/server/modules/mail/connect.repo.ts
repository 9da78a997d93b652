// The SQL of the mailbox connectors: which mailboxes are due, the per-mailbox fetch lease, the
// connection state and backoff, the status shown on the mailbox, the Graph token cache.
import { and, eq, gt, inArray, isNull, lt, lte, ne, or, sql } from 'drizzle-orm';
import { mailboxes, mailboxFetchState, roles, users } from '../../db/schema/index.js';
import type { MailboxConnState } from '../../db/schema/mail-connect.js';

export type { MailboxConnState };
import type { Tx } from '../../platform/db.js';

export type MailboxRow = typeof mailboxes.$inferSelect;

/** Active IMAP and Graph mailboxes of every company that may be fetched now (an owner read for the scheduler). */
export function dueMailboxes(tx: Tx, limit = 1000) {
  return tx
    .select({ tenantId: mailboxes.tenantId, id: mailboxes.id })
    .from(mailboxes)
    .leftJoin(mailboxFetchState, and(eq(mailboxFetchState.tenantId, mailboxes.tenantId), eq(mailboxFetchState.mailboxId, mailboxes.id)))
    .where(
      and(
        eq(mailboxes.active, true),
        inArray(mailboxes.type, ['imap', 'graph']),
        or(isNull(mailboxFetchState.state), ne(mailboxFetchState.state, 'auth_error')),
        // Backing off after a failure — unless the mailbox was edited since (a fixed password is tried at once).
        or(
          isNull(mailboxFetchState.nextAttemptAt),
          lte(mailboxFetchState.nextAttemptAt, sql`now()`),
          gt(mailboxes.updatedAt, mailboxFetchState.updatedAt),
        ),
        or(isNull(mailboxFetchState.leaseUntil), lt(mailboxFetchState.leaseUntil, sql`now()`)),
      ),
    )
    .limit(limit);
}

export async function findMailbox(tx: Tx, tenantId: number, id: number): Promise<MailboxRow | null> {
  const [row] = await tx
    .select()
    .from(mailboxes)
    .where(and(eq(mailboxes.tenantId, tenantId), eq(mailboxes.id, id)));
  return row ?? null;
}

/** The company's active Graph mailbox with this address (case-insensitive), if any: its mail is sent through Graph. */
export async function graphMailboxByAddress(tx: Tx, tenantId: number, address: string): Promise<MailboxRow | null> {
  const [row] = await tx
    .select()
    .from(mailboxes)
    .where(and(eq(mailboxes.tenantId, tenantId), eq(mailboxes.type, 'graph'), eq(mailboxes.active, true), sql`lower(${mailboxes.address}) = ${address.toLowerCase()}`))
    .limit(1);
  return row ?? null;
}

export async function fetchState(tx: Tx, tenantId: number, mailboxId: number) {
  const [row] = await tx
    .select()
    .from(mailboxFetchState)
    .where(and(eq(mailboxFetchState.tenantId, tenantId), eq(mailboxFetchState.mailboxId, mailboxId)));
  return row ?? null;
}

/**
 * Takes the mailbox's fetch lease for `seconds` unless another worker holds a live one; returns the
 * connection state when taken, null when busy. A crashed worker's lease lapses by itself.
 */
export async function claimLease(
  tx: Tx,
  tenantId: number,
  mailboxId: number,
  owner: string,
  seconds: number,
): Promise<{ state: MailboxConnState; failures: number } | null> {
  const until = sql`now() + make_interval(secs => ${seconds})`;
  const [row] = await tx
    .insert(mailboxFetchState)
    .values({ tenantId, mailboxId, leaseOwner: owner, leaseUntil: until })
    .onConflictDoUpdate({
      target: [mailboxFetchState.tenantId, mailboxFetchState.mailboxId],
      set: { leaseOwner: owner, leaseUntil: until, updatedAt: sql`now()` },
      setWhere: or(
        isNull(mailboxFetchState.leaseUntil),
        lt(mailboxFetchState.leaseUntil, sql`now()`),
        eq(mailboxFetchState.leaseOwner, owner),
      ),
    })
    .returning({ state: mailboxFetchState.state, failures: mailboxFetchState.failures });
  return row ?? null;
}

/** Keeps a held lease alive (a long drain or IDLE session); false when it was lost. */
export async function extendLease(tx: Tx, tenantId: number, mailboxId: number, owner: string, seconds: number): Promise<boolean> {
  const rows = await tx
    .update(mailboxFetchState)
    .set({ leaseUntil: sql`now() + make_interval(secs => ${seconds})` })
    .where(
      and(eq(mailboxFetchState.tenantId, tenantId), eq(mailboxFetchState.mailboxId, mailboxId), eq(mailboxFetchState.leaseOwner, owner)),
    )
    .returning({ id: mailboxFetchState.mailboxId });
  return rows.length > 0;
}

/** Ends the lease and records the outcome: state, failure count, when to try next. */
export async function releaseLease(
  tx: Tx,
  tenantId: number,
  mailboxId: number,
  owner: string,
  outcome: { state: MailboxConnState; failures: number; retryAfterSeconds: number | null },
): Promise<void> {
  await tx
    .update(mailboxFetchState)
    .set({
      leaseOwner: null,
      leaseUntil: null,
      state: outcome.state,
      failures: outcome.failures,
      nextAttemptAt: outcome.retryAfterSeconds === null ? null : sql`now() + make_interval(secs => ${outcome.retryAfterSeconds})`,
      updatedAt: sql`now()`,
    })
    .where(
      and(eq(mailboxFetchState.tenantId, tenantId), eq(mailboxFetchState.mailboxId, mailboxId), eq(mailboxFetchState.leaseOwner, owner)),
    );
}

/** Sets the connection state without a lease (re-authorisation). */
export async function setState(tx: Tx, tenantId: number, mailboxId: number, state: MailboxConnState): Promise<void> {
  await tx
    .insert(mailboxFetchState)
    .values({ tenantId, mailboxId, state })
    .onConflictDoUpdate({
      target: [mailboxFetchState.tenantId, mailboxFetchState.mailboxId],
      set: { state, failures: 0, nextAttemptAt: null, updatedAt: sql`now()` },
    });
}

/** A successful fetch: when, and how many messages still wait. */
export async function recordFetched(tx: Tx, tenantId: number, mailboxId: number, waiting: number): Promise<void> {
  await tx
    .update(mailboxes)
    .set({ lastFetchAt: sql`now()`, lastError: null, lastErrorAt: null, waitingCount: waiting })
    .where(and(eq(mailboxes.tenantId, tenantId), eq(mailboxes.id, mailboxId)));
}

/** Progress of a long drain: how many messages still wait. */
export async function recordWaiting(tx: Tx, tenantId: number, mailboxId: number, waiting: number): Promise<void> {
  await tx
    .update(mailboxes)
    .set({ waitingCount: waiting })
    .where(and(eq(mailboxes.tenantId, tenantId), eq(mailboxes.id, mailboxId)));
}

export async function recordError(tx: Tx, tenantId: number, mailboxId: number, error: string): Promise<void> {
  await tx
    .update(mailboxes)
    .set({ lastError: error.slice(0, 1000), lastErrorAt: sql`now()` })
    .where(and(eq(mailboxes.tenantId, tenantId), eq(mailboxes.id, mailboxId)));
}

export async function clearError(tx: Tx, tenantId: number, mailboxId: number): Promise<void> {
  await tx
    .update(mailboxes)
    .set({ lastError: null, lastErrorAt: null })
    .where(and(eq(mailboxes.tenantId, tenantId), eq(mailboxes.id, mailboxId)));
}

/** msal's token cache (encrypted) and when its token lapses; null clears it. */
export async function saveGraphToken(
  tx: Tx,
  tenantId: number,
  mailboxId: number,
  sealed: string | null,
  expiresAt: Date | null,
): Promise<void> {
  await tx
    .update(mailboxes)
    .set({ graphTokenEnc: sealed, graphTokenExpiresAt: expiresAt })
    .where(and(eq(mailboxes.tenantId, tenantId), eq(mailboxes.id, mailboxId)));
}

/** Active users whose role may manage settings: they hear of a mailbox that lost its authorisation. */
export async function settingsManagerIds(tx: Tx, tenantId: number): Promise<number[]> {
  const rows = await tx
    .select({ id: users.id })
    .from(users)
    .innerJoin(roles, and(eq(roles.tenantId, users.tenantId), eq(roles.id, users.roleId)))
    .where(and(eq(users.tenantId, tenantId), eq(users.status, 'active'), sql`'settings.manage' = any(${roles.permissions})`));
  return rows.map((r) => r.id);
}
