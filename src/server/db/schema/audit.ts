import { bigint, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { companies } from './companies.js';
import { tenantPolicy } from './_tenancy.js';

/** Security and administration events. tenant_id is null for instance-level events. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: bigint('tenant_id', { mode: 'number' }).references(() => companies.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorUserId: bigint('actor_user_id', { mode: 'number' }),
    actorSuperAdminId: bigint('actor_super_admin_id', { mode: 'number' }),
    actorName: text('actor_name'),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    ip: text('ip'),
  },
  (t) => [
    index('audit_log_tenant_id_idx').on(t.tenantId, t.id.desc()),
    index('audit_log_tenant_action_idx').on(t.tenantId, t.action, t.id.desc()),
    index('audit_log_at_idx').on(t.at),
    tenantPolicy(),
  ],
);
