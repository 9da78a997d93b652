import { bigint, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
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
  },
  (t) => [
    index('mail_outbox_tenant_id_idx').on(t.tenantId, t.id.desc()),
    index('mail_outbox_pending_idx').on(t.status, t.createdAt),
    tenantPolicy(),
  ],
);
