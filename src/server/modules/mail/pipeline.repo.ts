// The pipeline's statements that span the other repositories' tables, one round trip each where
// their functions would take several: the reads before and after the claim, and the finish.
import { sql } from 'drizzle-orm';
import { preparedRows, type Tx } from '../../platform/db.js';
import type { InboundRow } from './inbound.repo.js';
import { DEFAULT_SETTINGS, type SettingsRow } from './mail-settings.repo.js';

export type IngestPre = {
  settings: SettingsRow;
  mailbox: { id: number; address: string; categoryId: number | null; active: boolean } | null;
  own: string[];
  seen: { id: number; result: InboundRow['result']; reason: string | null; number: number | null } | null;
};

/**
 * Before a message is parsed, in one round trip: the company's mail settings, the mailbox, every
 * address its mailboxes receive at, and the message seen before under this key (what settingsOf and
 * findInboundByKey read, with the mailbox and its addresses, in one statement).
 */
export async function ingestPre(tx: Tx, tenantId: number, mailboxId: number | null, key: string): Promise<IngestPre> {
  const [row] = await preparedRows<
    CompanyColumns & {
    seen: { id: number; result: InboundRow['result']; reason: string | null; number: number | null } | null;
  }>(
    tx,
    'mail_ingest_pre',
    sql`select ${companyFacts(tenantId, mailboxId)},
      (select json_build_object('id', i.id, 'result', i.result, 'reason', i.reason, 'number', t.number)
         from inbound_messages i left join tickets t on t.tenant_id = i.tenant_id and t.id = i.ticket_id
         where i.tenant_id = ${tenantId}::bigint and i.message_id_key = ${key}::text) as seen`,
  );
  const seen = row?.seen ?? null;
  return {
    ...companyOf(row),
    seen: seen ? { ...seen, id: Number(seen.id), number: seen.number === null ? null : Number(seen.number) } : null,
  };
}

type CompanyColumns = {
  settings: Record<string, unknown> | null;
  mailbox: { id: number; address: string; category_id: number | null; active: boolean } | null;
  own: string[] | null;
};

/** The company's mail settings, the mailbox, and every address its mailboxes receive at: three columns. */
const companyFacts = (tenantId: number, mailboxId: number | null) => sql`
      (select json_build_object('allowedDomains', s.allowed_domains, 'denySenders', s.deny_senders, 'maxMessageMb', s.max_message_mb,
         'reopenDays', s.reopen_days, 'senderHourlyLimit', s.sender_hourly_limit)
         from mail_settings s where s.tenant_id = ${tenantId}::bigint) as settings,
      (select json_build_object('id', b.id, 'address', b.address, 'category_id', b.category_id, 'active', b.active)
         from mailboxes b where b.tenant_id = ${tenantId}::bigint and b.id = ${mailboxId}::bigint) as mailbox,
      (select array_agg(lower(a.address)) from mailboxes a where a.tenant_id = ${tenantId}::bigint) as own`;

function companyOf(row: CompanyColumns | undefined): Omit<IngestPre, 'seen'> {
  const s = row?.settings as SettingsRow | null;
  const b = row?.mailbox ?? null;
  return {
    settings: s ? { ...DEFAULT_SETTINGS, ...s } : DEFAULT_SETTINGS,
    mailbox: b
      ? { id: Number(b.id), address: b.address, categoryId: b.category_id === null ? null : Number(b.category_id), active: b.active }
      : null,
    own: row?.own ?? [],
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
 * After the claim, in one round trip: whether the Message-ID is one Steward sent, the sender's recent
 * messages (rate limit), the active user and the contact of the sender's address (one statement
 * instead of four).
 */
export async function senderFacts(tx: Tx, tenantId: number, messageId: string | null, address: string): Promise<SenderFacts> {
  const [row] = await preparedRows<SenderColumns>(
    tx,
    'mail_sender_facts',
    sql`select ${senderColumns(tenantId, messageId, address)}`,
  );
  return senderOf(row);
}

type SenderColumns = {
  own_id: boolean;
  recent: number;
  u: { id: number; name: string } | null;
  c: { id: number; name: string; email: string } | null;
};

const senderColumns = (tenantId: number, messageId: string | null, address: string) => {
  const a = address.toLowerCase();
  return sql`
      exists (select 1 from mail_thread_ids m where m.tenant_id = ${tenantId}::bigint and m.message_id = ${messageId}::text and m.direction = 'out') as own_id,
      (select count(*)::int from inbound_messages i where i.tenant_id = ${tenantId}::bigint and i.from_key = ${a}::text
         and i.received_at > now() - interval '1 hour' and i.result in ('created', 'appended', 'reopened')) as recent,
      (select json_build_object('id', u.id, 'name', u.name) from users u
         where u.tenant_id = ${tenantId}::bigint and u.email_key = ${a}::text and u.status = 'active' limit 1) as u,
      (select json_build_object('id', c.id, 'name', c.name, 'email', c.email) from contacts c
         where c.tenant_id = ${tenantId}::bigint and c.email_key = ${a}::text limit 1) as c`;
};

function senderOf(row: SenderColumns | undefined): SenderFacts {
  return {
    ownMessageId: Boolean(row?.own_id),
    recent: Number(row?.recent ?? 0),
    user: row?.u ? { id: Number(row.u.id), name: row.u.name } : null,
    contact: row?.c ? { id: Number(row.c.id), name: row.c.name, email: row.c.email } : null,
  };
}

export type NewInbound = {
  tenantId: number;
  mailboxId: number | null;
  messageIdKey: string;
  rawKey: string;
  rawSize: number;
  fromAddress: string | null;
  fromName: string | null;
  to: string[];
  cc: string[];
  subject: string | null;
  serverRef: string | null;
};

/**
 * The first statement of a parsed message's transaction: its key claimed (a row `ignored` /
 * `processing` until it is finished; id null when the key was claimed before, a duplicate), and
 * what ingestPre and senderFacts read, in one round trip. The reads see the data as of the
 * statement's start (the claimed row is not among the sender's recent messages).
 */
export async function claimWithFacts(
  tx: Tx,
  v: NewInbound,
  messageId: string | null,
  address: string,
): Promise<{ id: number | null } & Omit<IngestPre, 'seen'> & SenderFacts> {
  const [row] = await preparedRows<{ id: number | null } & CompanyColumns & SenderColumns>(
    tx,
    'mail_claim_facts',
    sql`with claim as (
      insert into inbound_messages (tenant_id, mailbox_id, message_id_key, raw_key, raw_size, from_address, from_name, "to", cc,
        subject, server_ref, result, reason)
      values (${v.tenantId}::bigint, ${v.mailboxId}::bigint, ${v.messageIdKey}::text, ${v.rawKey}::text, ${v.rawSize}::int,
        ${v.fromAddress}::text, ${v.fromName}::text, ${sql.param(v.to)}::text[], ${sql.param(v.cc)}::text[], ${v.subject}::text, ${v.serverRef}::text,
        'ignored', 'processing')
      on conflict (tenant_id, message_id_key) do nothing
      returning id)
    select (select id from claim) as id, ${companyFacts(v.tenantId, v.mailboxId)}, ${senderColumns(v.tenantId, messageId, address)}`,
  );
  return { id: row?.id == null ? null : Number(row.id), ...companyOf(row), ...senderOf(row) };
}

/**
 * A message that reached a ticket, in one statement: its row finished (result, ticket, comment, the
 * HTML as shown) and its Message-ID, if any, recorded as one of the ticket's thread ids (what
 * finishInbound does, and the thread id insert, together).
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
