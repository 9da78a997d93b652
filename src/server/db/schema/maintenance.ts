// Recurring work: recurring tickets (a ticket template plus an RRULE at a time of day in a zone) and
// preventive maintenance plans per asset (interval now; meter and threshold triggers are stored
// and validated for the meters issue). Each firing is a run row whose unique key is the
// exactly-once guarantee: (rule, occurrence) and (plan, due date).
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { Priority, TicketKind } from '../../../shared/contracts/enums.js';
import { createdAt, tenantId, tenantPolicy, updatedAt } from './_tenancy.js';
import { assets } from './assets.js';
import { companies } from './companies.js';

const tenantRef = () => tenantId().references(() => companies.id, { onDelete: 'cascade' });

export interface TaskTemplate {
  title: string;
}

export const recurringTickets = pgTable(
  'recurring_tickets',
  {
    tenantId: tenantRef(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    title: text('title').notNull(),
    kind: text('kind').$type<TicketKind>().notNull(),
    priority: text('priority').$type<Priority>().notNull(),
    categoryId: bigint('category_id', { mode: 'number' }),
    assigneeId: bigint('assignee_id', { mode: 'number' }),
    teamId: bigint('team_id', { mode: 'number' }),
    assetIds: bigint('asset_ids', { mode: 'number' }).array().notNull().default(sql`'{}'::bigint[]`),
    description: text('description').notNull().default(''),
    tasks: jsonb('tasks').$type<TaskTemplate[]>().notNull().default([]),
    rrule: text('rrule').notNull(),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    timezone: text('timezone').notNull(),
    time: text('time').notNull(),
    active: boolean('active').notNull().default(true),
    /** The next occurrence not yet fired; null when the rule has ended. Recomputed from now on edit and on resume. */
    nextRunAt: timestamp('next_run_at', { withTimezone: true }),
    /** Why the last attempt to open a ticket failed (a deleted assignee…); cleared on success. */
    lastError: text('last_error'),
    createdById: bigint('created_by_id', { mode: 'number' }),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('recurring_tickets_tenant_title_idx').on(t.tenantId, sql`lower(${t.title})`, t.id),
    // The scheduler's scan across companies: due, active rules in order.
    index('recurring_tickets_due_idx')
      .on(t.nextRunAt)
      .where(sql`${t.active} and ${t.nextRunAt} is not null`),
    tenantPolicy(),
  ],
);

export const recurringTicketRuns = pgTable(
  'recurring_ticket_runs',
  {
    tenantId: tenantRef(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    recurringTicketId: bigint('recurring_ticket_id', { mode: 'number' }).notNull(),
    occurrence: timestamp('occurrence', { withTimezone: true }).notNull(),
    ticketId: bigint('ticket_id', { mode: 'number' }),
    /** Created after the worker was down at the occurrence (caught up). */
    late: boolean('late').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('recurring_ticket_runs_occurrence_key').on(t.tenantId, t.recurringTicketId, t.occurrence),
    foreignKey({
      name: 'recurring_ticket_runs_rule_fk',
      columns: [t.tenantId, t.recurringTicketId],
      foreignColumns: [recurringTickets.tenantId, recurringTickets.id],
    }).onDelete('cascade'),
    tenantPolicy(),
  ],
);

export const PLAN_TRIGGER_TYPES = ['interval', 'meter', 'threshold'] as const;
export type PlanTriggerType = (typeof PLAN_TRIGGER_TYPES)[number];
export type PlanTrigger =
  | { type: 'interval'; every: number; unit: 'day' | 'week' | 'month'; from: 'schedule' | 'completion'; startsOn: string }
  | { type: 'meter'; meterId: string; everyUnits: number }
  | { type: 'threshold'; meterId: string; op: '>' | '<'; value: number; forSeconds: number };
export interface PlanTemplate {
  priority: Priority;
  assigneeId?: string | null;
  teamId?: string | null;
  description?: string;
  tasks: TaskTemplate[];
  parts?: Array<{ partId: string; quantity: number }>;
}

export const maintenancePlans = pgTable(
  'maintenance_plans',
  {
    tenantId: tenantRef(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    assetId: bigint('asset_id', { mode: 'number' }).notNull(),
    title: text('title').notNull(),
    triggerType: text('trigger_type').$type<PlanTriggerType>().notNull(),
    trigger: jsonb('trigger').$type<PlanTrigger>().notNull(),
    leadDays: integer('lead_days').notNull().default(0),
    template: jsonb('template').$type<PlanTemplate>().notNull(),
    /** Interval plans: the start of the due day in the company's zone; null while a completion-mode work order is open. */
    nextDueAt: timestamp('next_due_at', { withTimezone: true }),
    /** Meter plans (the meters issue): the reading at which the next work order is due. */
    nextDueValue: text('next_due_value'),
    /** Meter and threshold plans: the meter (the ingest finds a meter's plans by it). */
    meterId: bigint('meter_id', { mode: 'number' }),
    /** Threshold plans: the current excursion's first reading past the value (null: within limits). */
    excursionStartedAt: timestamp('excursion_started_at', { withTimezone: true, precision: 6 }),
    /** Threshold plans: excursion start + forSeconds while it has not fired: the timer's key. */
    fireAt: timestamp('fire_at', { withTimezone: true, precision: 6 }),
    /** Threshold plans: the current excursion opened its work order. */
    fired: boolean('fired').notNull().default(false),
    /** Meter and threshold plans: the newest reading evaluated. */
    evaluatedAt: timestamp('evaluated_at', { withTimezone: true, precision: 6 }),
    /** When the work order for nextDueAt opens: leadDays before it. The scheduler's key. */
    nextOpenAt: timestamp('next_open_at', { withTimezone: true }),
    openWorkOrderId: bigint('open_work_order_id', { mode: 'number' }),
    lastCompletedAt: timestamp('last_completed_at', { withTimezone: true }),
    active: boolean('active').notNull().default(true),
    lastError: text('last_error'),
    createdById: bigint('created_by_id', { mode: 'number' }),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({
      name: 'maintenance_plans_asset_fk',
      columns: [t.tenantId, t.assetId],
      foreignColumns: [assets.tenantId, assets.id],
    }).onDelete('cascade'),
    index('maintenance_plans_tenant_asset_idx').on(t.tenantId, t.assetId, t.id),
    index('maintenance_plans_tenant_due_idx').on(t.tenantId, t.nextDueAt, t.id).where(sql`${t.active}`),
    index('maintenance_plans_tenant_open_wo_idx').on(t.tenantId, t.openWorkOrderId).where(sql`${t.openWorkOrderId} is not null`),
    index('maintenance_plans_open_idx').on(t.nextOpenAt).where(sql`${t.active} and ${t.nextOpenAt} is not null`),
    index('maintenance_plans_tenant_meter_idx').on(t.tenantId, t.meterId).where(sql`${t.meterId} is not null`),
    index('maintenance_plans_fire_idx').on(t.fireAt).where(sql`${t.active} and ${t.fireAt} is not null`),
    tenantPolicy(),
  ],
);

export const maintenancePlanRuns = pgTable(
  'maintenance_plan_runs',
  {
    tenantId: tenantRef(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    planId: bigint('plan_id', { mode: 'number' }).notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    ticketId: bigint('ticket_id', { mode: 'number' }),
    late: boolean('late').notNull().default(false),
    /** Opened with "generate now" rather than by the scheduler. */
    manual: boolean('manual').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('maintenance_plan_runs_due_key').on(t.tenantId, t.planId, t.dueAt),
    index('maintenance_plan_runs_tenant_plan_idx').on(t.tenantId, t.planId, t.id.desc()),
    foreignKey({
      name: 'maintenance_plan_runs_plan_fk',
      columns: [t.tenantId, t.planId],
      foreignColumns: [maintenancePlans.tenantId, maintenancePlans.id],
    }).onDelete('cascade'),
    tenantPolicy(),
  ],
);
