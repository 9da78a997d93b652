// Business-hours calendars per company: weekly wall-clock ranges in the calendar's own zone and
// holidays by date. SLA policies count their targets on one; planning reads them too.
import { sql } from 'drizzle-orm';
import { bigint, boolean, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, tenantId, tenantPolicy, updatedAt } from './_tenancy.js';
import { companies } from './companies.js';

export interface BusinessHoursRange {
  day: number;
  start: string;
  end: string;
}

export const businessHours = pgTable(
  'business_hours',
  {
    tenantId: tenantId().references(() => companies.id, { onDelete: 'cascade' }),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    timezone: text('timezone').notNull(),
    week: jsonb('week').$type<BusinessHoursRange[]>().notNull(),
    holidays: text('holidays').array().notNull().default(sql`'{}'::text[]`),
    /** The calendar a new company starts with (the default SLA policy counts on it). */
    isDefault: boolean('is_default').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('business_hours_tenant_name_key').on(t.tenantId, sql`lower(${t.name})`),
    tenantPolicy(),
  ],
);
