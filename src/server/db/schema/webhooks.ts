// Outgoing webhooks (issue 17): per company, a URL subscribed to chosen events with a signing secret
// (AES-GCM at rest; during a rotation the previous one is kept until it expires and both signatures
// are sent), and the delivery log, which is also the outbox: rows are written in the transaction of
// the change that raised the event and delivered after commit by a job.
import { sql } from 'drizzle-orm';
import { bigint, boolean, foreignKey, index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { createdAt, tenantId, tenantPolicy, updatedAt } from './_tenancy.js';
import { companies } from './companies.js';

const tenantRef = () => tenantId().references(() => companies.id, { onDelete: 'cascade' });

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'retrying' | 'failed';

export const webhooks = pgTable(
  'webhooks',
  {
    tenantId: tenantRef(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    url: text('url').notNull(),
    events: text('events').array().notNull().default(sql`'{}'::text[]`),
    active: boolean('active').notNull().default(true),
    /** `whsec_…`, sealed with encryptSecret (platform/crypto.ts). */
    secretEnc: text('secret_enc').notNull(),
    /** The secret before the last rotation, still signed with until previous_secret_until. */
    previousSecretEnc: text('previous_secret_enc'),
    previousSecretUntil: timestamp('previous_secret_until', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index('webhooks_tenant_active_idx').on(t.tenantId, t.active), tenantPolicy()],
);

export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    tenantId: tenantRef(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    webhookId: bigint('webhook_id', { mode: 'number' }).notNull(),
    event: text('event').notNull(),
    /** The webhook-id header: the same for every attempt, so receivers can drop duplicates. */
    messageId: text('message_id').notNull(),
    /** The exact body sent: {"type","timestamp","data"}. */
    payload: text('payload').notNull(),
    status: text('status').$type<WebhookDeliveryStatus>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    responseStatus: integer('response_status'),
    /** The first KB of the last response's body. */
    responseBody: text('response_body'),
    lastError: text('last_error'),
    /** While pending or retrying: when the next attempt is due. */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).default(sql`now()`),
    /** Set while a worker sends it; a lapsed claim (a dead worker) may be retaken. */
    claimedUntil: timestamp('claimed_until', { withTimezone: true }),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({
      name: 'webhook_deliveries_webhook_fk',
      columns: [t.tenantId, t.webhookId],
      foreignColumns: [webhooks.tenantId, webhooks.id],
    }).onDelete('cascade'),
    index('webhook_deliveries_hook_idx').on(t.tenantId, t.webhookId, t.id.desc()),
    index('webhook_deliveries_created_idx').on(t.tenantId, t.createdAt),
    // Partial: the sweep stays cheap however many delivered rows the table holds.
    index('webhook_deliveries_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`status in ('pending', 'retrying')`),
    tenantPolicy(),
  ],
);
