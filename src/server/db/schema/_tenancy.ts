// Helpers every tenant table uses: the tenant column and the row-level-security policy.
import { sql } from 'drizzle-orm';
import { bigint, pgPolicy, timestamp } from 'drizzle-orm/pg-core';

/** The current request's company, set per transaction by withTenant(). */
export const CURRENT_TENANT = sql`nullif(current_setting('app.tenant_id', true), '')::bigint`;

export const tenantId = () => bigint('tenant_id', { mode: 'number' }).notNull();

/** Rows are visible and writable only inside a transaction for their company. */
export const tenantPolicy = (column = sql`tenant_id`) =>
  pgPolicy('tenant_isolation', { for: 'all', using: sql`${column} = ${CURRENT_TENANT}`, withCheck: sql`${column} = ${CURRENT_TENANT}` });

export const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
export const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();
