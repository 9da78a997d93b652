import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  type PgTableExtraConfigValue,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { companies } from './companies.js';
import { createdAt, tenantId, tenantPolicy, updatedAt } from './_tenancy.js';

export const roles = pgTable(
  'roles',
  {
    tenantId: tenantId().references(() => companies.id, { onDelete: 'cascade' }),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    level: integer('level').notNull(),
    permissions: text('permissions').array().notNull().default(sql`'{}'::text[]`),
    builtin: boolean('builtin').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('roles_tenant_name_key').on(t.tenantId, sql`lower(${t.name})`),
    tenantPolicy(),
  ],
);

export const departments = pgTable(
  'departments',
  {
    tenantId: tenantId().references(() => companies.id, { onDelete: 'cascade' }),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    headUserId: bigint('head_user_id', { mode: 'number' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t): PgTableExtraConfigValue[] => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('departments_tenant_name_key').on(t.tenantId, sql`lower(${t.name})`),
    foreignKey({ name: 'departments_head_fk', columns: [t.tenantId, t.headUserId], foreignColumns: [users.tenantId, users.id] }),
    tenantPolicy(),
  ],
);

import type { UserStatus } from '../../../shared/contracts/enums.js';

export { USER_STATUSES, type UserStatus } from '../../../shared/contracts/enums.js';

export const users = pgTable(
  'users',
  {
    tenantId: tenantId().references(() => companies.id, { onDelete: 'cascade' }),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    /** lower(name), stored: the list's keyset order (db/keyset.ts: an index on lower(name) is unusable for the cursor under RLS). */
    nameKey: text('name_key').generatedAlwaysAs(sql`lower(name)`),
    email: text('email').notNull(),
    /**
     * lower(email), stored: a company's lookups by address (a mail sender) compare this column, because
     * under row-level security PostgreSQL may not use users_email_key (lower() is not leakproof).
     */
    emailKey: text('email_key').generatedAlwaysAs(sql`lower(email)`),
    username: text('username'),
    passwordHash: text('password_hash'),
    roleId: bigint('role_id', { mode: 'number' }).notNull(),
    departmentId: bigint('department_id', { mode: 'number' }),
    status: text('status').$type<UserStatus>().notNull().default('active'),
    color: text('color').notNull().default('#228be6'),
    timezone: text('timezone').notNull().default('UTC'),
    theme: text('theme').notNull().default('system'),
    preferences: jsonb('preferences').$type<Record<string, unknown>>().notNull().default({}),
    totpSecret: text('totp_secret'),
    totpEnabled: boolean('totp_enabled').notNull().default(false),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t): PgTableExtraConfigValue[] => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'users_role_fk', columns: [t.tenantId, t.roleId], foreignColumns: [roles.tenantId, roles.id] }),
    foreignKey({
      name: 'users_department_fk',
      columns: [t.tenantId, t.departmentId],
      foreignColumns: [departments.tenantId, departments.id],
    }),
    // Login is by e-mail or username without naming the company, so both are unique instance-wide.
    uniqueIndex('users_email_key').on(sql`lower(${t.email})`),
    uniqueIndex('users_username_key').on(sql`lower(${t.username})`),
    index('users_tenant_name_idx').on(t.tenantId, t.nameKey, t.id),
    index('users_tenant_email_idx').on(t.tenantId, t.emailKey),
    index('users_tenant_role_idx').on(t.tenantId, t.roleId),
    index('users_tenant_department_idx').on(t.tenantId, t.departmentId),
    tenantPolicy(),
  ],
);

/** Who has a live WebSocket open, one row per connection (its key); rows expire by heartbeat, which re-inserts a lost one. */
export const presence = pgTable(
  'presence',
  {
    tenantId: tenantId().references(() => companies.id, { onDelete: 'cascade' }),
    userId: bigint('user_id', { mode: 'number' }).notNull(),
    connectionId: text('connection_id').notNull(),
    seenAt: timestamp('seen_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'presence_pkey', columns: [t.tenantId, t.connectionId] }),
    foreignKey({ name: 'presence_user_fk', columns: [t.tenantId, t.userId], foreignColumns: [users.tenantId, users.id] }).onDelete(
      'cascade',
    ),
    index('presence_tenant_seen_idx').on(t.tenantId, t.seenAt),
    tenantPolicy(),
  ],
);
