// Mail in: mailboxes, received messages, thread ids, contacts, settings and related tickets.
import { and, asc, count, desc, eq, gt, inArray, isNotNull, lt, or, sql } from 'drizzle-orm';
import { afterName, byName, type NameCursor, nameContains } from '../../db/keyset.js';
import { qualified } from '../../db/qualified.js';
import {
  categories,
  contacts,
  inboundMessages,
  mailboxes,
  mailSettings,
  mailThreadIds,
  roles,
  ticketHistory,
  ticketRelations,
  tickets,
  users,
} from '../../db/schema/index.js';
import { preparedRows, type Tx } from '../../platform/db.js';

export type MailboxRow = typeof mailboxes.$inferSelect;
export type InboundRow = typeof inboundMessages.$inferSelect;
export type ContactRow = typeof contacts.$inferSelect;
export type SettingsRow = {
  allowedDomains: string[];
  denySenders: string[];
  maxMessageMb: number;
  reopenDays: number;
  senderHourlyLimit: number;
};

export const DEFAULT_SETTINGS: SettingsRow = {
  allowedDomains: [],
  denySenders: [],
  maxMessageMb: 25,
  reopenDays: 14,
  senderHourlyLimit: 30,
};

// Settings -----------------------------------------------------------------------------------

export async function settingsOf(tx: Tx, tenantId: number): Promise<SettingsRow> {
  const [row] = await tx.select().from(mailSettings).where(eq(mailSettings.tenantId, tenantId));
  return row
    ? {
        allowedDomains: row.allowedDomains,
        denySenders: row.denySenders,
        maxMessageMb: row.maxMessageMb,
        reopenDays: row.reopenDays,
        senderHourlyLimit: row.senderHourlyLimit,
      }
    : DEFAULT_SETTINGS;
}

export async function saveSettings(tx: Tx, tenantId: number, set: Partial<SettingsRow>): Promise<SettingsRow> {
  const values = { ...DEFAULT_SETTINGS, ...(await settingsOf(tx, tenantId)), ...set };
  await tx
    .insert(mailSettings)
    .values({ tenantId, ...values })
    .onConflictDoUpdate({ target: mailSettings.tenantId, set: { ...set, updatedAt: sql`now()` } });
  return values;
}

// Mailboxes ----------------------------------------------------------------------------------

export type MailboxWithCategory = { m: MailboxRow; category: { id: number; name: string } | null; refused: number };

const refusedCount = sql<number>`(select count(*)::int from ${inboundMessages} i where i.tenant_id = ${qualified(mailboxes.tenantId)} and i.mailbox_id = ${qualified(mailboxes.id)} and i.result = 'ignored' and i.reason in ('too_large', 'unparseable'))`;

function selectMailboxes(tx: Tx) {
  return tx
    .select({ m: mailboxes, categoryId: categories.id, categoryName: categories.name, refused: refusedCount })
    .from(mailboxes)
    .leftJoin(categories, and(eq(categories.tenantId, mailboxes.tenantId), eq(categories.id, mailboxes.categoryId)));
}
type Selected = { m: MailboxRow; categoryId: number | null; categoryName: string | null; refused: number };
const withCategory = (r: Selected): MailboxWithCategory => ({
  m: r.m,
  category: r.categoryId ? { id: r.categoryId, name: r.categoryName ?? '' } : null,
  refused: Number(r.refused),
});

export async function listMailboxes(tx: Tx, tenantId: number, after: NameCursor | null, limit: number): Promise<MailboxWithCategory[]> {
  const rows = await selectMailboxes(tx)
    .where(and(eq(mailboxes.tenantId, tenantId), afterName(mailboxes.name, mailboxes.id, after)))
    .orderBy(...byName(mailboxes.name, mailboxes.id))
    .limit(limit);
  return rows.map(withCategory);
}

export async function findMailbox(tx: Tx, tenantId: number, id: number): Promise<MailboxWithCategory | null> {
  const [row] = await selectMailboxes(tx).where(and(eq(mailboxes.tenantId, tenantId), eq(mailboxes.id, id)));
  return row ? withCategory(row) : null;
}

export async function insertMailbox(tx: Tx, values: typeof mailboxes.$inferInsert): Promise<MailboxRow> {
  const [row] = await tx.insert(mailboxes).values(values).returning();
  return row;
}

export async function updateMailbox(
  tx: Tx,
  tenantId: number,
  id: number,
  set: Partial<typeof mailboxes.$inferInsert>,
): Promise<MailboxRow | null> {
  const [row] = await tx
    .update(mailboxes)
    .set({ ...set, version: sql`${mailboxes.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(mailboxes.tenantId, tenantId), eq(mailboxes.id, id)))
    .returning();
  return row ?? null;
}

export async function deleteMailbox(tx: Tx, tenantId: number, id: number): Promise<boolean> {
  const rows = await tx
    .delete(mailboxes)
    .where(and(eq(mailboxes.tenantId, tenantId), eq(mailboxes.id, id)))
    .returning({ id: mailboxes.id });
  return rows.length > 0;
}

/** The webhook mailbox of a secret URL (owner transaction: the company is not known yet). */
export async function mailboxByTokenHash(tx: Tx, hash: string): Promise<{ tenantId: number; id: number; active: boolean } | null> {
  const [row] = await tx
    .select({ tenantId: mailboxes.tenantId, id: mailboxes.id, active: mailboxes.active })
    .from(mailboxes)
    .where(and(eq(mailboxes.webhookTokenHash, hash), eq(mailboxes.type, 'webhook')));
  return row ?? null;
}

/** Every address the company's mailboxes receive at (mail from them is our own: a loop). */
export async function mailboxAddresses(tx: Tx, tenantId: number): Promise<string[]> {
  const rows = await tx.select({ address: mailboxes.address }).from(mailboxes).where(eq(mailboxes.tenantId, tenantId));
  return rows.map((r) => r.address.toLowerCase());
}

export async function mailboxBrief(tx: Tx, tenantId: number, id: number) {
  const [row] = await tx
    .select({ id: mailboxes.id, address: mailboxes.address, categoryId: mailboxes.categoryId, active: mailboxes.active })
    .from(mailboxes)
    .where(and(eq(mailboxes.tenantId, tenantId), eq(mailboxes.id, id)));
  return row ?? null;
}

export async function categoryExists(tx: Tx, tenantId: number, id: number): Promise<boolean> {
  const [row] = await tx
    .select({ id: categories.id })
    .from(categories)
    .where(and(eq(categories.tenantId, tenantId), eq(categories.id, id)));
  return Boolean(row);
}

/** A connector's status report (no version bump: the admin's edit of the same mailbox is not disturbed). */
export async function setMailboxStatus(tx: Tx, tenantId: number, id: number, set: Partial<typeof mailboxes.$inferInsert>): Promise<void> {
  await tx
    .update(mailboxes)
    .set(set)
    .where(and(eq(mailboxes.tenantId, tenantId), eq(mailboxes.id, id)));
}

// Received messages --------------------------------------------------------------------------

/** Claims the message's key; null when it was received before (a duplicate). Waits for a concurrent claim to settle. */
export async function claimInbound(tx: Tx, values: typeof inboundMessages.$inferInsert): Promise<number | null> {
  const rows = await tx
    .insert(inboundMessages)
    .values(values)
    .onConflictDoNothing({ target: [inboundMessages.tenantId, inboundMessages.messageIdKey] })
    .returning({ id: inboundMessages.id });
  return rows[0]?.id ?? null;
}

export async function findInboundByKey(tx: Tx, tenantId: number, key: string) {
  const [row] = await tx
    .select({ id: inboundMessages.id, result: inboundMessages.result, reason: inboundMessages.reason, number: tickets.number })
    .from(inboundMessages)
    .leftJoin(tickets, and(eq(tickets.tenantId, inboundMessages.tenantId), eq(tickets.id, inboundMessages.ticketId)))
    .where(and(eq(inboundMessages.tenantId, tenantId), eq(inboundMessages.messageIdKey, key)));
  return row ?? null;
}

export async function finishInbound(
  tx: Tx,
  tenantId: number,
  id: number,
  set: Partial<typeof inboundMessages.$inferInsert>,
): Promise<void> {
  await tx
    .update(inboundMessages)
    .set(set)
    .where(and(eq(inboundMessages.tenantId, tenantId), eq(inboundMessages.id, id)));
}

/**
 * A message that reached a ticket, in one statement: its row finished (result, ticket, comment, the
 * HTML as shown) and its Message-ID, if any, recorded as one of the ticket's thread ids
 * (finishInbound and recordThreadId together).
 */
export async function finishThreaded(
  tx: Tx,
  tenantId: number,
  id: number,
  set: { result: 'created' | 'appended' | 'reopened'; ticketId: number; commentId: number | null; html: string | null },
  messageId: string | null,
): Promise<void> {
  await preparedRows(
    tx,
    'mail_finish_threaded',
    sql`with th as (
      insert into mail_thread_ids (tenant_id, message_id, ticket_id, direction)
      select ${tenantId}::bigint, ${messageId}::text, ${set.ticketId}::bigint, 'in' where ${messageId}::text is not null
      on conflict do nothing)
    update inbound_messages set result = ${set.result}::text, reason = null, ticket_id = ${set.ticketId}::bigint,
      comment_id = ${set.commentId}::bigint, html = ${set.html}::text
    where tenant_id = ${tenantId}::bigint and id = ${id}::bigint`,
  );
}

/** Messages of one sender in the last hour that reached a ticket. */
export async function recentFromSender(tx: Tx, tenantId: number, address: string): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(inboundMessages)
    .where(
      and(
        eq(inboundMessages.tenantId, tenantId),
        sql`lower(${inboundMessages.fromAddress}) = ${address.toLowerCase()}`,
        gt(inboundMessages.receivedAt, sql`now() - interval '1 hour'`),
        inArray(inboundMessages.result, ['created', 'appended', 'reopened']),
      ),
    );
  return Number(row?.n ?? 0);
}

/** Size refusals of one sender in the last hour (bounces to a forged sender are capped: no backscatter floods). */
export async function recentRefusals(tx: Tx, tenantId: number, address: string): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(inboundMessages)
    .where(
      and(
        eq(inboundMessages.tenantId, tenantId),
        sql`lower(${inboundMessages.fromAddress}) = ${address.toLowerCase()}`,
        gt(inboundMessages.receivedAt, sql`now() - interval '1 hour'`),
        eq(inboundMessages.reason, 'too_large'),
      ),
    );
  return Number(row?.n ?? 0);
}

export async function inboundPage(
  tx: Tx,
  tenantId: number,
  mailboxId: number,
  beforeId: number | undefined,
  result: string | undefined,
  limit: number,
) {
  return tx
    .select({ i: inboundMessages, number: tickets.number })
    .from(inboundMessages)
    .leftJoin(tickets, and(eq(tickets.tenantId, inboundMessages.tenantId), eq(tickets.id, inboundMessages.ticketId)))
    .where(
      and(
        eq(inboundMessages.tenantId, tenantId),
        eq(inboundMessages.mailboxId, mailboxId),
        beforeId ? lt(inboundMessages.id, beforeId) : undefined,
        result ? eq(inboundMessages.result, result as InboundRow['result']) : undefined,
      ),
    )
    .orderBy(desc(inboundMessages.id))
    .limit(limit);
}

export async function findInbound(tx: Tx, tenantId: number, id: number): Promise<InboundRow | null> {
  const [row] = await tx
    .select()
    .from(inboundMessages)
    .where(and(eq(inboundMessages.tenantId, tenantId), eq(inboundMessages.id, id)));
  return row ?? null;
}

/** The received message behind each of these comments. */
export async function inboundOfComments(tx: Tx, tenantId: number, commentIds: number[]): Promise<InboundRow[]> {
  if (commentIds.length === 0) return [];
  return tx
    .select()
    .from(inboundMessages)
    .where(and(eq(inboundMessages.tenantId, tenantId), inArray(inboundMessages.commentId, commentIds)));
}

/** The first message of a ticket made from mail (its description's message). */
export async function inboundOfTicket(tx: Tx, tenantId: number, ticketId: number): Promise<InboundRow | null> {
  const [row] = await tx
    .select()
    .from(inboundMessages)
    .where(and(eq(inboundMessages.tenantId, tenantId), eq(inboundMessages.ticketId, ticketId), eq(inboundMessages.result, 'created')))
    .orderBy(asc(inboundMessages.id))
    .limit(1);
  return row ?? null;
}

/** Whether someone edited the ticket's description since it came in (the mail's HTML no longer shows it). */
export async function descriptionEdited(tx: Tx, tenantId: number, ticketId: number): Promise<boolean> {
  const [row] = await tx
    .select({ id: ticketHistory.id })
    .from(ticketHistory)
    .where(and(eq(ticketHistory.tenantId, tenantId), eq(ticketHistory.ticketId, ticketId), eq(ticketHistory.field, 'description')))
    .limit(1);
  return Boolean(row);
}

// Threading ----------------------------------------------------------------------------------

export async function threadTickets(tx: Tx, tenantId: number, ids: string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await tx
    .select({ messageId: mailThreadIds.messageId, ticketId: mailThreadIds.ticketId })
    .from(mailThreadIds)
    .where(and(eq(mailThreadIds.tenantId, tenantId), inArray(mailThreadIds.messageId, ids)));
  return new Map(rows.map((r) => [r.messageId, r.ticketId]));
}

export async function isOwnMessageId(tx: Tx, tenantId: number, id: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: mailThreadIds.messageId })
    .from(mailThreadIds)
    .where(and(eq(mailThreadIds.tenantId, tenantId), eq(mailThreadIds.messageId, id), eq(mailThreadIds.direction, 'out')));
  return Boolean(row);
}

export async function recordThreadId(
  tx: Tx,
  tenantId: number,
  messageId: string,
  ticketId: number,
  direction: 'in' | 'out',
): Promise<void> {
  await tx.insert(mailThreadIds).values({ tenantId, messageId, ticketId, direction }).onConflictDoNothing();
}

/** A ticket's thread, oldest first (for References of the next outgoing message). */
export async function threadOf(tx: Tx, tenantId: number, ticketIds: number[]) {
  if (ticketIds.length === 0) return [];
  return tx
    .select({ ticketId: mailThreadIds.ticketId, messageId: mailThreadIds.messageId })
    .from(mailThreadIds)
    .where(and(eq(mailThreadIds.tenantId, tenantId), inArray(mailThreadIds.ticketId, ticketIds)))
    .orderBy(asc(mailThreadIds.createdAt), asc(mailThreadIds.messageId));
}

/** The address outgoing mail about these tickets is sent from: the mailbox their first message came to. */
export async function ticketMailboxes(tx: Tx, tenantId: number, ticketIds: number[]) {
  if (ticketIds.length === 0) return [];
  return tx
    .selectDistinctOn([inboundMessages.ticketId], { ticketId: inboundMessages.ticketId, address: mailboxes.address })
    .from(inboundMessages)
    .innerJoin(mailboxes, and(eq(mailboxes.tenantId, inboundMessages.tenantId), eq(mailboxes.id, inboundMessages.mailboxId)))
    .where(and(eq(inboundMessages.tenantId, tenantId), inArray(inboundMessages.ticketId, ticketIds), isNotNull(inboundMessages.mailboxId)))
    .orderBy(inboundMessages.ticketId, asc(inboundMessages.id));
}

export async function ticketIdsOfNumbers(tx: Tx, tenantId: number, numbers: number[]) {
  if (numbers.length === 0) return [];
  return tx
    .select({ id: tickets.id, number: tickets.number })
    .from(tickets)
    .where(and(eq(tickets.tenantId, tenantId), inArray(tickets.number, numbers)));
}

/** The company's first active webhook/imap/graph mailbox address (the default sender of ticket mail). */
export async function defaultMailbox(tx: Tx, tenantId: number): Promise<string | null> {
  const [row] = await tx
    .select({ address: mailboxes.address })
    .from(mailboxes)
    .where(and(eq(mailboxes.tenantId, tenantId), eq(mailboxes.active, true)))
    .orderBy(asc(mailboxes.id))
    .limit(1);
  return row?.address ?? null;
}

// People -------------------------------------------------------------------------------------

export async function activeUserByEmail(tx: Tx, tenantId: number, email: string) {
  const [row] = await tx
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(and(eq(users.tenantId, tenantId), sql`lower(${users.email}) = ${email.toLowerCase()}`, eq(users.status, 'active')))
    .limit(1);
  return row ?? null;
}

export async function userByEmail(tx: Tx, tenantId: number, email: string) {
  const [row] = await tx
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(and(eq(users.tenantId, tenantId), sql`lower(${users.email}) = ${email.toLowerCase()}`))
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

export async function ticketNumberOf(tx: Tx, tenantId: number, ticketId: number): Promise<number | null> {
  const [row] = await tx
    .select({ number: tickets.number })
    .from(tickets)
    .where(and(eq(tickets.tenantId, tenantId), eq(tickets.id, ticketId)));
  return row?.number ?? null;
}

/** The contact of this address, made on first contact (its name from the first message that named it). */
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

export async function upsertContact(tx: Tx, tenantId: number, name: string, email: string): Promise<ContactRow> {
  const address = email.toLowerCase();
  const existing = async () =>
    (
      await tx
        .select()
        .from(contacts)
        .where(and(eq(contacts.tenantId, tenantId), sql`lower(${contacts.email}) = ${address}`))
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
        afterName(contacts.name, contacts.id, after),
      ),
    )
    .orderBy(...byName(contacts.name, contacts.id))
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

// Related tickets ----------------------------------------------------------------------------

export async function relateTickets(tx: Tx, tenantId: number, a: number, b: number): Promise<void> {
  await tx
    .insert(ticketRelations)
    .values([
      { tenantId, ticketId: a, relatedId: b },
      { tenantId, ticketId: b, relatedId: a },
    ])
    .onConflictDoNothing();
}

export async function relatedOf(tx: Tx, tenantId: number, ticketId: number) {
  return tx
    .select({ number: tickets.number, title: tickets.title, status: tickets.status })
    .from(ticketRelations)
    .innerJoin(tickets, and(eq(tickets.tenantId, ticketRelations.tenantId), eq(tickets.id, ticketRelations.relatedId)))
    .where(and(eq(ticketRelations.tenantId, tenantId), eq(ticketRelations.ticketId, ticketId)))
    .orderBy(asc(tickets.number));
}

// The pipeline's reads, one statement each ---------------------------------------------------

export type IngestPre = {
  settings: SettingsRow;
  mailbox: { id: number; address: string; categoryId: number | null; active: boolean } | null;
  own: string[];
  seen: { id: number; result: InboundRow['result']; reason: string | null; number: number | null } | null;
};

/**
 * Before a message is parsed, in one round trip: the company's mail settings, the mailbox, every
 * address its mailboxes receive at, and the message seen before under this key (settingsOf,
 * mailboxBrief, mailboxAddresses and findInboundByKey in one statement).
 */
export async function ingestPre(tx: Tx, tenantId: number, mailboxId: number | null, key: string): Promise<IngestPre> {
  const [row] = await preparedRows<{
    settings: Record<string, unknown> | null;
    mailbox: { id: number; address: string; category_id: number | null; active: boolean } | null;
    own: string[] | null;
    seen: { id: number; result: InboundRow['result']; reason: string | null; number: number | null } | null;
  }>(
    tx,
    'mail_ingest_pre',
    sql`select
      (select json_build_object('allowedDomains', s.allowed_domains, 'denySenders', s.deny_senders, 'maxMessageMb', s.max_message_mb,
         'reopenDays', s.reopen_days, 'senderHourlyLimit', s.sender_hourly_limit)
         from mail_settings s where s.tenant_id = ${tenantId}::bigint) as settings,
      (select json_build_object('id', b.id, 'address', b.address, 'category_id', b.category_id, 'active', b.active)
         from mailboxes b where b.tenant_id = ${tenantId}::bigint and b.id = ${mailboxId}::bigint) as mailbox,
      (select array_agg(lower(a.address)) from mailboxes a where a.tenant_id = ${tenantId}::bigint) as own,
      (select json_build_object('id', i.id, 'result', i.result, 'reason', i.reason, 'number', t.number)
         from inbound_messages i left join tickets t on t.tenant_id = i.tenant_id and t.id = i.ticket_id
         where i.tenant_id = ${tenantId}::bigint and i.message_id_key = ${key}::text) as seen`,
  );
  const s = row?.settings as SettingsRow | null;
  const b = row?.mailbox ?? null;
  const seen = row?.seen ?? null;
  return {
    settings: s ? { ...DEFAULT_SETTINGS, ...s } : DEFAULT_SETTINGS,
    mailbox: b ? { id: Number(b.id), address: b.address, categoryId: b.category_id === null ? null : Number(b.category_id), active: b.active } : null,
    own: row?.own ?? [],
    seen: seen ? { ...seen, id: Number(seen.id), number: seen.number === null ? null : Number(seen.number) } : null,
  };
}

export type SenderFacts = {
  /** The message's Message-ID is one Steward sent (a loop). */
  ownMessageId: boolean;
  /** Messages of the sender in the last hour that reached a ticket (the rate limit). */
  recent: number;
  user: { id: number; name: string } | null;
  contact: { id: number; name: string; email: string } | null;
};

/**
 * After the claim, in one round trip: isOwnMessageId, recentFromSender, activeUserByEmail and the
 * contact of the sender's address (one statement instead of four).
 */
export async function senderFacts(tx: Tx, tenantId: number, messageId: string | null, address: string): Promise<SenderFacts> {
  const a = address.toLowerCase();
  const [row] = await preparedRows<{
    own: boolean;
    recent: number;
    u: { id: number; name: string } | null;
    c: { id: number; name: string; email: string } | null;
  }>(
    tx,
    'mail_sender_facts',
    sql`select
      exists (select 1 from mail_thread_ids m where m.tenant_id = ${tenantId}::bigint and m.message_id = ${messageId}::text and m.direction = 'out') as own,
      (select count(*)::int from inbound_messages i where i.tenant_id = ${tenantId}::bigint and lower(i.from_address) = ${a}::text
         and i.received_at > now() - interval '1 hour' and i.result in ('created', 'appended', 'reopened')) as recent,
      (select json_build_object('id', u.id, 'name', u.name) from users u
         where u.tenant_id = ${tenantId}::bigint and lower(u.email) = ${a}::text and u.status = 'active' limit 1) as u,
      (select json_build_object('id', c.id, 'name', c.name, 'email', c.email) from contacts c
         where c.tenant_id = ${tenantId}::bigint and lower(c.email) = ${a}::text limit 1) as c`,
  );
  return {
    ownMessageId: Boolean(row?.own),
    recent: Number(row?.recent ?? 0),
    user: row?.u ? { id: Number(row.u.id), name: row.u.name } : null,
    contact: row?.c ? { id: Number(row.c.id), name: row.c.name, email: row.c.email } : null,
  };
}
