import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { bytea } from './_columns.js';
import { companies } from './companies.js';
import { createdAt, tenantPolicy } from './_tenancy.js';

import type { MailStatus } from '../../../shared/contracts/enums.js';

export type { MailStatus };

/** Every outgoing message is written here in the transaction that caused it, then delivered. */
export const mailOutbox = pgTable(
  'mail_outbox',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: bigint('tenant_id', { mode: 'number' }).references(() => companies.id, { onDelete: 'cascade' }),
    to: text('to').notNull(),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    html: text('html'),
    template: text('template').notNull(),
    status: text('status').$type<MailStatus>().notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: createdAt(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    /**
     * While pending: when the next attempt is due, or, while a worker holds the claim, when that claim
     * lapses and the message may be retaken. The sweep reads only this (default now(): pending rows of
     * before the column are due at once).
     */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).default(sql`now()`),
    /** Set while a worker sends the message (claimed, committed, sending outside any transaction). */
    claimedAt: timestamp('claimed_at', { withTimezone: true }),
    /** Threading (mail-in): our Message-ID (no brackets), the one replied to, and the thread before it. */
    messageId: text('message_id'),
    inReplyTo: text('in_reply_to'),
    references: text('references').array().notNull().default(sql`'{}'::text[]`),
    cc: text('cc').array().notNull().default(sql`'{}'::text[]`),
    /** From address when not the instance default (the ticket's mailbox). */
    fromAddress: text('from_address'),
    /** Extra headers (Auto-Submitted, X-Steward-Ticket). */
    headers: jsonb('headers').$type<Record<string, string>>().notNull().default({}),
  },
  (t) => [
    index('mail_outbox_tenant_id_idx').on(t.tenantId, t.id.desc()),
    // Partial: the sweep stays cheap however many sent rows the table holds.
    index('mail_outbox_due_idx').on(t.nextAttemptAt).where(sql`status = 'pending'`),
    tenantPolicy(),
  ],
);

/** Files sent with an outgoing message (a PO's PDF), kept with it so a retry sends the same bytes. */
export const mailAttachments = pgTable(
  'mail_attachments',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: bigint('tenant_id', { mode: 'number' }).references(() => companies.id, { onDelete: 'cascade' }),
    mailId: bigint('mail_id', { mode: 'number' })
      .notNull()
      .references(() => mailOutbox.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    content: bytea('content').notNull(),
  },
  (t) => [index('mail_attachments_mail_idx').on(t.mailId), tenantPolicy()],
);
