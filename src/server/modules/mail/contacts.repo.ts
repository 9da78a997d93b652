// People: the users and roles a sender's address or a contact's conversion looks up, and the
// contacts (external senders) with the tickets they become a user's.
import { and, eq, or, sql } from 'drizzle-orm';
import { afterKey, byKey, type NameCursor, nameContains } from '../../db/keyset.js';
import { contacts, roles, tickets, users } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';

export type ContactRow = typeof contacts.$inferSelect;

export async function userByEmail(tx: Tx, tenantId: number, email: string) {
  const [row] = await tx
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(and(eq(users.tenantId, tenantId), eq(users.emailKey, email.toLowerCase())))
    .limit(1);
  return row ?? null;
}

export async function roleIdByName(tx: Tx, tenantId: number, name: string): Promise<number | null> {
  const [row] = await tx
    .select({ id: roles.id })
    .from(roles)
    .where(and(eq(roles.tenantId, tenantId), sql`lower(${roles.name}) = ${name.toLowerCase()}`))
    .limit(1);
  return row?.id ?? null;
}

/** A contact for an address the caller found none for (senderFacts): the insert first, the read only when a concurrent one won. */
export async function insertContact(tx: Tx, tenantId: number, name: string, email: string): Promise<ContactRow> {
  const address = email.toLowerCase();
  const [row] = await tx
    .insert(contacts)
    .values({ tenantId, name: name || address, email: address })
    .onConflictDoNothing()
    .returning();
  return row ?? upsertContact(tx, tenantId, name, email);
}

/** The contact of this address, made on first contact (its name from the first message that named it). */
export async function upsertContact(tx: Tx, tenantId: number, name: string, email: string): Promise<ContactRow> {
  const address = email.toLowerCase();
  const existing = async () =>
    (
      await tx
        .select()
        .from(contacts)
        .where(and(eq(contacts.tenantId, tenantId), eq(contacts.emailKey, address)))
    )[0];
  const found = await existing();
  if (found) return found;
  const [row] = await tx
    .insert(contacts)
    .values({ tenantId, name: name || address, email: address })
    .onConflictDoNothing()
    .returning();
  return row ?? (await existing());
}

export async function contactsPage(tx: Tx, tenantId: number, q: string | undefined, after: NameCursor | null, limit: number) {
  return tx
    .select({ c: contacts, userName: users.name })
    .from(contacts)
    .leftJoin(users, and(eq(users.tenantId, contacts.tenantId), eq(users.id, contacts.userId)))
    .where(
      and(
        eq(contacts.tenantId, tenantId),
        q ? or(nameContains(contacts.name, q), nameContains(contacts.email, q)) : undefined,
        afterKey(contacts.nameKey, contacts.id, after),
      ),
    )
    .orderBy(...byKey(contacts.nameKey, contacts.id))
    .limit(limit);
}

export async function findContact(tx: Tx, tenantId: number, id: number, lock = false): Promise<ContactRow | null> {
  const q = tx
    .select()
    .from(contacts)
    .where(and(eq(contacts.tenantId, tenantId), eq(contacts.id, id)));
  const [row] = lock ? await q.for('update') : await q;
  return row ?? null;
}

export async function linkContact(tx: Tx, tenantId: number, id: number, userId: number): Promise<void> {
  await tx
    .update(contacts)
    .set({ userId, updatedAt: sql`now()` })
    .where(and(eq(contacts.tenantId, tenantId), eq(contacts.id, id)));
}

/** The contact's tickets become the new user's (requester set, contact kept for the record). */
export async function adoptContactTickets(tx: Tx, tenantId: number, contactId: number, userId: number): Promise<void> {
  await tx
    .update(tickets)
    .set({ requesterId: userId })
    .where(and(eq(tickets.tenantId, tenantId), sql`${tickets.requesterId} is null`, sql`${tickets.contact}->>'id' = ${String(contactId)}`));
}
