// Mailbox connectors (IMAP, Microsoft Graph): per mailbox, the fetch lease (one worker drains a
// mailbox at a time), the connection state (`auth_error` waits for a re-authorisation), and the
// retry backoff after failures.
import { bigint, foreignKey, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { tenantId, tenantPolicy, updatedAt } from './_tenancy.js';
import { companies } from './companies.js';
import { mailboxes } from './mail-in.js';

export type MailboxConnState = 'ok' | 'error' | 'auth_error';

export const mailboxFetchState = pgTable(
  'mailbox_fetch_state',
  {
    tenantId: tenantId().references(() => companies.id, { onDelete: 'cascade' }),
    mailboxId: bigint('mailbox_id', { mode: 'number' }).notNull(),
    state: text('state').$type<MailboxConnState>().notNull().default('ok'),
    /** Who drains the mailbox now, and until when the lease holds (a crashed worker's lease lapses). */
    leaseOwner: text('lease_owner'),
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    failures: integer('failures').notNull().default(0),
    /** No fetch before this (exponential backoff after failures). */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.mailboxId] }),
    foreignKey({ columns: [t.tenantId, t.mailboxId], foreignColumns: [mailboxes.tenantId, mailboxes.id] }).onDelete('cascade'),
    tenantPolicy(),
  ],
);
