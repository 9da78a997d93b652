import { bigint, boolean, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { companies, superAdmins } from './companies.js';
import { createdAt, tenantPolicy } from './_tenancy.js';

// Sessions, tokens and one-time links. A token is found by its SHA-256 before the company is
// known, so these lookups run outside a tenant transaction; everything else runs inside one.
// tenant_id is null for the operator's (super admin's) rows.

export const sessions = pgTable(
  'sessions',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: bigint('tenant_id', { mode: 'number' }).references(() => companies.id, { onDelete: 'cascade' }),
    userId: bigint('user_id', { mode: 'number' }),
    superAdminId: bigint('super_admin_id', { mode: 'number' }).references(() => superAdmins.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    csrfToken: text('csrf_token').notNull(),
    remember: boolean('remember').notNull().default(false),
    ip: text('ip'),
    userAgent: text('user_agent'),
    createdAt: createdAt(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('sessions_token_key').on(t.tokenHash),
    index('sessions_tenant_user_idx').on(t.tenantId, t.userId),
    index('sessions_expires_idx').on(t.expiresAt),
    tenantPolicy(),
  ],
);

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: bigint('tenant_id', { mode: 'number' })
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    userId: bigint('user_id', { mode: 'number' }).notNull(),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('api_tokens_token_key').on(t.tokenHash),
    index('api_tokens_tenant_user_idx').on(t.tenantId, t.userId),
    tenantPolicy(),
  ],
);

export type OneTimePurpose = 'invitation' | 'password_reset';

/** Single-use links sent by mail (invitations, password resets); only the hash is kept. */
export const oneTimeTokens = pgTable(
  'one_time_tokens',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: bigint('tenant_id', { mode: 'number' })
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    userId: bigint('user_id', { mode: 'number' }).notNull(),
    purpose: text('purpose').$type<OneTimePurpose>().notNull(),
    tokenHash: text('token_hash').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('one_time_tokens_token_key').on(t.tokenHash),
    index('one_time_tokens_tenant_user_idx').on(t.tenantId, t.userId, t.purpose),
    index('one_time_tokens_expires_idx').on(t.expiresAt),
    tenantPolicy(),
  ],
);

/** Failed-login counters per login name and per IP, for the temporary lockout. */
export const loginThrottle = pgTable(
  'login_throttle',
  {
    key: text('key').notNull(),
    failures: integer('failures').notNull().default(0),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull().defaultNow(),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.key] }), index('login_throttle_window_idx').on(t.windowStart)],
);

