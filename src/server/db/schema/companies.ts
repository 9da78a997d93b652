import { sql } from 'drizzle-orm';
import { bigint, boolean, integer, jsonb, pgPolicy, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { CURRENT_TENANT, createdAt, updatedAt } from './_tenancy.js';

/** A company (tenant). Inside a tenant transaction a company sees only its own row. */
export const companies = pgTable(
  'companies',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    slug: text('slug').notNull(),
    contactEmail: text('contact_email').notNull(),
    seats: integer('seats').notNull().default(25),
    suspended: boolean('suspended').notNull().default(false),
    signupKeyHash: text('signup_key_hash'),
    signedUpAt: timestamp('signed_up_at', { withTimezone: true }),
    timezone: text('timezone').notNull().default('UTC'),
    settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('companies_slug_key').on(t.slug),
    pgPolicy('tenant_isolation', { for: 'all', using: sql`${t.id} = ${CURRENT_TENANT}`, withCheck: sql`${t.id} = ${CURRENT_TENANT}` }),
  ],
);

/** Operators of the whole instance. Not tenant data; read only outside tenant transactions. */
export const superAdmins = pgTable(
  'super_admins',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    email: text('email').notNull(),
    passwordHash: text('password_hash').notNull(),
    theme: text('theme').notNull().default('system'),
    timezone: text('timezone').notNull().default('UTC'),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('super_admins_email_key').on(sql`lower(${t.email})`)],
);
