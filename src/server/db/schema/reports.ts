// Saved reports (a report with its parameters and chart, kept by a person or shared with the
// company) and report schedules (a report rendered on an RRULE at a time of day in a zone and
// e-mailed). Each schedule run is a row whose unique key (schedule, occurrence) makes the run
// happen once, whatever the number of workers or restarts; a file too large to attach is kept on
// the run row and reached by a link whose token is stored only as a hash.
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { bytea } from './_columns.js';
import { createdAt, tenantId, tenantPolicy, updatedAt } from './_tenancy.js';
import { companies } from './companies.js';
import { users } from './users.js';

const tenantRef = () => tenantId().references(() => companies.id, { onDelete: 'cascade' });

export type ReportKind = 'costs' | 'tickets' | 'reliability';
export type ReportFileFormat = 'csv' | 'xlsx';

export const savedReports = pgTable(
  'saved_reports',
  {
    tenantId: tenantRef(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    report: text('report').$type<ReportKind>().notNull(),
    params: jsonb('params').$type<Record<string, string>>().notNull().default({}),
    fields: jsonb('fields').$type<string[]>().notNull().default([]),
    chart: text('chart').notNull().default('bar'),
    shared: boolean('shared').notNull().default(false),
    ownerId: bigint('owner_id', { mode: 'number' }).notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'saved_reports_owner_fk', columns: [t.tenantId, t.ownerId], foreignColumns: [users.tenantId, users.id] }).onDelete(
      'cascade',
    ),
    index('saved_reports_tenant_owner_idx').on(t.tenantId, t.ownerId, t.id),
    index('saved_reports_tenant_shared_idx').on(t.tenantId, t.id).where(sql`${t.shared}`),
    check('saved_reports_report_check', sql`${t.report} in ('costs', 'tickets', 'reliability')`),
    tenantPolicy(),
  ],
);

export const reportSchedules = pgTable(
  'report_schedules',
  {
    tenantId: tenantRef(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    report: text('report').$type<ReportKind>().notNull(),
    params: jsonb('params').$type<Record<string, string>>().notNull().default({}),
    rrule: text('rrule').notNull(),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    timezone: text('timezone').notNull(),
    time: text('time').notNull(),
    format: text('format').$type<ReportFileFormat>().notNull(),
    recipients: text('recipients').array().notNull(),
    active: boolean('active').notNull().default(true),
    /** The next occurrence to run; null when the rule has ended. */
    nextRunAt: timestamp('next_run_at', { withTimezone: true }),
    /** The report runs with this person's permissions (checked at each run). */
    createdById: bigint('created_by_id', { mode: 'number' }).notNull(),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({
      name: 'report_schedules_creator_fk',
      columns: [t.tenantId, t.createdById],
      foreignColumns: [users.tenantId, users.id],
    }).onDelete('cascade'),
    index('report_schedules_tenant_id_idx').on(t.tenantId, t.id.desc()),
    // The scheduler's scan across companies: what is due, soonest first.
    index('report_schedules_due_idx')
      .on(t.nextRunAt)
      .where(sql`${t.active} and ${t.nextRunAt} is not null`),
    check('report_schedules_report_check', sql`${t.report} in ('costs', 'tickets', 'reliability')`),
    check('report_schedules_format_check', sql`${t.format} in ('csv', 'xlsx')`),
    tenantPolicy(),
  ],
);

export const reportScheduleRuns = pgTable(
  'report_schedule_runs',
  {
    tenantId: tenantRef(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    scheduleId: bigint('schedule_id', { mode: 'number' }).notNull(),
    occurrence: timestamp('occurrence', { withTimezone: true }).notNull(),
    status: text('status').$type<'sent' | 'failed'>().notNull(),
    error: text('error'),
    /** Occurrences before this one that were missed while no worker ran (run once, for the latest). */
    skipped: integer('skipped').notNull().default(0),
    rows: integer('rows'),
    fileName: text('file_name'),
    fileType: text('file_type'),
    fileSize: integer('file_size'),
    /** A file too large to attach, downloadable by link until it expires. */
    file: bytea('file'),
    linkTokenHash: text('link_token_hash'),
    linkExpiresAt: timestamp('link_expires_at', { withTimezone: true }),
    mailIds: bigint('mail_ids', { mode: 'number' }).array().notNull().default(sql`'{}'::bigint[]`),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({
      name: 'report_schedule_runs_schedule_fk',
      columns: [t.tenantId, t.scheduleId],
      foreignColumns: [reportSchedules.tenantId, reportSchedules.id],
    }).onDelete('cascade'),
    uniqueIndex('report_schedule_runs_once_key').on(t.tenantId, t.scheduleId, t.occurrence),
    index('report_schedule_runs_tenant_schedule_idx').on(t.tenantId, t.scheduleId, t.id.desc()),
    uniqueIndex('report_schedule_runs_link_key').on(t.linkTokenHash),
    check('report_schedule_runs_status_check', sql`${t.status} in ('sent', 'failed')`),
    tenantPolicy(),
  ],
);

/**
 * The cost report's maintained aggregate (docs/decisions/0007-cost-aggregate.md): per company, day
 * (in the company zone), source and one grouping dimension, the exact sum and count of the cost lines
 * of that key. Each line counts once under each of the five dimensions (department, costCode,
 * location, technician, category) and is split over its assets under `asset` (shares, migration
 * 0039), so any one dimension adds up to the total. Kept by triggers on
 * the cost lines and on what they are charged to, in the writer's transaction (upserts that add
 * deltas: concurrent writers serialise on the row, none is lost); rebuilt by cost_daily_rebuild()
 * when the company zone changes, after a restore and by `steward rebuild-costs`. Its size is bounded
 * by days × sources × distinct keys, not by the number of lines. A key of '' is "none".
 */
export const costDaily = pgTable(
  'cost_daily',
  {
    tenantId: tenantRef(),
    dim: text('dim').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    source: text('source').notNull(),
    key: text('key').notNull(),
    amount: numeric('amount', { precision: 20, scale: 2 }).notNull().default('0'),
    lines: integer('lines').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.dim, t.day, t.source, t.key] }),
    check('cost_daily_dim_check', sql`${t.dim} in ('department', 'costCode', 'location', 'technician', 'category', 'asset')`),
    check('cost_daily_source_check', sql`${t.source} in ('labour', 'parts', 'received', 'ordered')`),
    tenantPolicy(),
  ],
);
