// Mail in: the company's mailboxes (IMAP, Microsoft Graph, webhook), one row per received message
// (the idempotency key of the pipeline), every Message-ID Steward received or sent (threading),
// the external contacts mail brings in, and the company's mail settings.
import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { InboundResult, MailboxType } from '../../../shared/contracts/mail.js';
import { createdAt, tenantId, tenantPolicy, updatedAt } from './_tenancy.js';
import { companies } from './companies.js';

const tenantRef = () => tenantId().references(() => companies.id, { onDelete: 'cascade' });

export const mailboxes = pgTable(
  'mailboxes',
  {
    tenantId: tenantRef(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    type: text('type').$type<MailboxType>().notNull(),
    name: text('name').notNull(),
    /** The address mail arrives at; outgoing mail about its tickets is sent from it. */
    address: text('address').notNull(),
    categoryId: bigint('category_id', { mode: 'number' }),
    active: boolean('active').notNull().default(true),
    // IMAP
    host: text('host'),
    port: integer('port'),
    secure: boolean('secure'),
    username: text('username'),
    /** AES-256-GCM (platform/crypto.ts encryptSecret); never returned. */
    passwordEnc: text('password_enc'),
    folder: text('folder'),
    processedFolder: text('processed_folder'),
    // Microsoft Graph
    graphTenantId: text('graph_tenant_id'),
    clientId: text('client_id'),
    clientSecretEnc: text('client_secret_enc'),
    graphMailbox: text('graph_mailbox'),
    /** Access token cache (encrypted) and when it lapses. */
    graphTokenEnc: text('graph_token_enc'),
    graphTokenExpiresAt: timestamp('graph_token_expires_at', { withTimezone: true }),
    /** Webhook: sha256 of the secret URL token (the token itself is kept encrypted so the URL can be shown again). */
    webhookTokenHash: text('webhook_token_hash'),
    webhookTokenEnc: text('webhook_token_enc'),
    // Status
    lastFetchAt: timestamp('last_fetch_at', { withTimezone: true }),
    lastError: text('last_error'),
    lastErrorAt: timestamp('last_error_at', { withTimezone: true }),
    waitingCount: integer('waiting_count').notNull().default(0),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    // Looked up before the tenant is known (POST /inbound/:token): unique over all companies.
    uniqueIndex('mailboxes_webhook_token_key').on(t.webhookTokenHash),
    index('mailboxes_tenant_address_idx').on(t.tenantId, sql`lower(${t.address})`),
    tenantPolicy(),
  ],
);

/** One row per received message: its key makes ingestion idempotent (a crash, a re-fetch, two mailboxes). */
export const inboundMessages = pgTable(
  'inbound_messages',
  {
    tenantId: tenantRef(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    mailboxId: bigint('mailbox_id', { mode: 'number' }),
    /** The Message-ID (lower case, no brackets), or `sha256:<hex>` of the raw message when it has none. */
    messageIdKey: text('message_id_key').notNull(),
    /** Where the raw message is kept (storage interface). */
    rawKey: text('raw_key'),
    rawSize: integer('raw_size').notNull().default(0),
    fromAddress: text('from_address'),
    /**
     * lower(from_address), stored: the sender's rate limit compares this column, because under
     * row-level security PostgreSQL may not use an index on lower(from_address) (lower() is not
     * leakproof) and read every message of the company (docs/PERFORMANCE.md, "Mail in").
     */
    fromKey: text('from_key').generatedAlwaysAs(sql`lower(from_address)`),
    fromName: text('from_name'),
    to: text('to').array().notNull().default(sql`'{}'::text[]`),
    cc: text('cc').array().notNull().default(sql`'{}'::text[]`),
    subject: text('subject'),
    result: text('result').$type<InboundResult>().notNull(),
    reason: text('reason'),
    ticketId: bigint('ticket_id', { mode: 'number' }),
    commentId: bigint('comment_id', { mode: 'number' }),
    /** The connector's reference on the server (IMAP uid, Graph message id). */
    serverRef: text('server_ref'),
    /** The message's own HTML, sanitised, with the quoted earlier conversation removed (shown as the comment's rich text). */
    html: text('html'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('inbound_messages_tenant_key').on(t.tenantId, t.messageIdKey),
    index('inbound_messages_tenant_mailbox_idx').on(t.tenantId, t.mailboxId, t.id.desc()),
    index('inbound_messages_tenant_sender_idx').on(t.tenantId, t.fromKey, t.receivedAt),
    index('inbound_messages_tenant_comment_idx').on(t.tenantId, t.commentId),
    tenantPolicy(),
  ],
);

/** Every Message-ID Steward received or sent, and the ticket it belongs to. */
export const mailThreadIds = pgTable(
  'mail_thread_ids',
  {
    tenantId: tenantRef(),
    messageId: text('message_id').notNull(),
    ticketId: bigint('ticket_id', { mode: 'number' }).notNull(),
    direction: text('direction').$type<'in' | 'out'>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.messageId] }),
    index('mail_thread_ids_tenant_ticket_idx').on(t.tenantId, t.ticketId),
    tenantPolicy(),
  ],
);

/** External people who wrote in; staff may turn one into a user. */
export const contacts = pgTable(
  'contacts',
  {
    tenantId: tenantRef(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    /** lower(name), stored: the list's keyset order (db/keyset.ts: an index on lower(name) is unusable for the cursor under RLS). */
    nameKey: text('name_key').generatedAlwaysAs(sql`lower(name)`),
    email: text('email').notNull(),
    /** lower(email), stored: looked up by this column (an index on lower(email) is unusable under RLS, see inbound_messages.from_key). */
    emailKey: text('email_key').generatedAlwaysAs(sql`lower(email)`),
    userId: bigint('user_id', { mode: 'number' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('contacts_tenant_email_key').on(t.tenantId, t.emailKey),
    index('contacts_tenant_name_idx').on(t.tenantId, t.nameKey, t.id),
    tenantPolicy(),
  ],
);

export const mailSettings = pgTable(
  'mail_settings',
  {
    tenantId: tenantRef().primaryKey(),
    allowedDomains: text('allowed_domains').array().notNull().default(sql`'{}'::text[]`),
    denySenders: text('deny_senders').array().notNull().default(sql`'{}'::text[]`),
    maxMessageMb: integer('max_message_mb').notNull().default(25),
    reopenDays: integer('reopen_days').notNull().default(14),
    /** Messages one sender may send in an hour before further ones are ignored (rate_limited). */
    senderHourlyLimit: integer('sender_hourly_limit').notNull().default(30),
    updatedAt: updatedAt(),
  },
  () => [tenantPolicy()],
);

/** Tickets that belong together (a reply after the reopen period opened a new ticket): stored both ways. */
export const ticketRelations = pgTable(
  'ticket_relations',
  {
    tenantId: tenantRef(),
    ticketId: bigint('ticket_id', { mode: 'number' }).notNull(),
    relatedId: bigint('related_id', { mode: 'number' }).notNull(),
    reason: text('reason').notNull().default('mail_after_reopen_period'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.ticketId, t.relatedId] }), tenantPolicy()],
);
