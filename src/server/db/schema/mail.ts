import { bigint, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { bytea } from './_columns.js';
import { companies } from './companies.js';
import { createdAt, tenantPolicy } from './_tenancy.js';

export type MailStatus = 'kept' | 'pending' | 'sent' | 'failed';

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
  },
  (t) => [
    index('mail_outbox_tenant_id_idx').on(t.tenantId, t.id.desc()),
    index('mail_outbox_pending_idx').on(t.status, t.createdAt),
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
