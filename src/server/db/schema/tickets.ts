// The ticket engine: one table for incidents, requests, work orders and supply requests, with
// categories (routes), teams, comments, history, approvals, attachments, tasks, time and projects.
import { type SQL, sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  customType,
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
import { createdAt, tenantId, tenantPolicy, updatedAt } from './_tenancy.js';
import { companies } from './companies.js';
import { users } from './users.js';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

// The value lists live in src/shared/contracts/enums.ts (the API and the web client read them too).
import type { Priority, TicketKind, TicketSource, TicketStatus } from '../../../shared/contracts/enums.js';

export { PRIORITIES, type Priority, TICKET_KINDS, TICKET_SOURCES as SOURCES, TICKET_STATUSES, type TicketKind, type TicketSource, type TicketStatus } from '../../../shared/contracts/enums.js';

export type ApprovalStep = { type: 'role'; roleId: string } | { type: 'user'; userId: string } | { type: 'department_head' };

const tenantRef = () => tenantId().references(() => companies.id, { onDelete: 'cascade' });
const userFk = (name: string, t: { tenantId: unknown }, col: unknown) =>
  foreignKey({ name, columns: [t.tenantId as never, col as never], foreignColumns: [users.tenantId, users.id] });

export const teams = pgTable(
  'teams',
  {
    tenantId: tenantRef(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), uniqueIndex('teams_tenant_name_key').on(t.tenantId, sql`lower(${t.name})`), tenantPolicy()],
);

export const teamMembers = pgTable(
  'team_members',
  {
    tenantId: tenantRef(),
    teamId: bigint('team_id', { mode: 'number' }).notNull(),
    userId: bigint('user_id', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.teamId, t.userId] }),
    foreignKey({ name: 'team_members_team_fk', columns: [t.tenantId, t.teamId], foreignColumns: [teams.tenantId, teams.id] }).onDelete('cascade'),
    userFk('team_members_user_fk', t, t.userId).onDelete('cascade'),
    index('team_members_tenant_user_idx').on(t.tenantId, t.userId),
    tenantPolicy(),
  ],
);

export const categories = pgTable(
  'categories',
  {
    tenantId: tenantRef(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    description: text('description'),
    approvalSteps: jsonb('approval_steps').$type<ApprovalStep[]>().notNull().default([]),
    defaultTeamId: bigint('default_team_id', { mode: 'number' }),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('categories_tenant_name_key').on(t.tenantId, sql`lower(${t.name})`),
    foreignKey({ name: 'categories_team_fk', columns: [t.tenantId, t.defaultTeamId], foreignColumns: [teams.tenantId, teams.id] }),
    tenantPolicy(),
  ],
);

export const projects = pgTable(
  'projects',
  {
    tenantId: tenantRef(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    description: text('description'),
    status: text('status').$type<'active' | 'on_hold' | 'done'>().notNull().default('active'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index('projects_tenant_status_idx').on(t.tenantId, t.status), tenantPolicy()],
);

/** The last ticket number handed out per company (`#1042`). */
export const ticketCounters = pgTable(
  'ticket_counters',
  {
    tenantId: tenantRef().primaryKey(),
    last: integer('last').notNull().default(0),
  },
  () => [tenantPolicy()],
);

export const tickets = pgTable(
  'tickets',
  {
    tenantId: tenantRef(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    number: integer('number').notNull(),
    kind: text('kind').$type<TicketKind>().notNull(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    categoryId: bigint('category_id', { mode: 'number' }),
    priority: text('priority').$type<Priority>().notNull().default('medium'),
    status: text('status').$type<TicketStatus>().notNull(),
    requesterId: bigint('requester_id', { mode: 'number' }),
    /** An external requester (e-mail, QR report): {name, email}. */
    contact: jsonb('contact').$type<{ id?: string; name: string; email?: string | null } | null>(),
    createdById: bigint('created_by_id', { mode: 'number' }),
    assigneeId: bigint('assignee_id', { mode: 'number' }),
    teamId: bigint('team_id', { mode: 'number' }),
    departmentId: bigint('department_id', { mode: 'number' }),
    locationId: bigint('location_id', { mode: 'number' }),
    projectId: bigint('project_id', { mode: 'number' }),
    dueAt: timestamp('due_at', { withTimezone: true }),
    scheduledStart: timestamp('scheduled_start', { withTimezone: true }),
    scheduledEnd: timestamp('scheduled_end', { withTimezone: true }),
    source: text('source').$type<TicketSource>().notNull().default('web'),
    /** The cost code labour and parts on this ticket are charged to (cost reports). */
    costCode: text('cost_code'),
    /** A work order for a breakdown: counts as a failure of its assets, down from start to end (reliability reports). */
    failure: boolean('failure').notNull().default(false),
    downtimeStartedAt: timestamp('downtime_started_at', { withTimezone: true }),
    downtimeEndedAt: timestamp('downtime_ended_at', { withTimezone: true }),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    customFields: jsonb('custom_fields').$type<Record<string, unknown>>().notNull().default({}),
    /** Index of the approval step waiting for a decision, and who may take it. */
    approvalStep: integer('approval_step'),
    pendingRoleId: bigint('pending_role_id', { mode: 'number' }),
    pendingUserId: bigint('pending_user_id', { mode: 'number' }),
    version: integer('version').notNull().default(1),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    search: tsvector('search').generatedAlwaysAs(
      (): SQL =>
        sql`setweight(to_tsvector('simple', coalesce(${tickets.title}, '')), 'A') || setweight(to_tsvector('simple', coalesce(${tickets.description}, '')), 'B')`,
    ),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('tickets_tenant_number_key').on(t.tenantId, t.number),
    foreignKey({ name: 'tickets_category_fk', columns: [t.tenantId, t.categoryId], foreignColumns: [categories.tenantId, categories.id] }),
    foreignKey({ name: 'tickets_team_fk', columns: [t.tenantId, t.teamId], foreignColumns: [teams.tenantId, teams.id] }),
    foreignKey({ name: 'tickets_project_fk', columns: [t.tenantId, t.projectId], foreignColumns: [projects.tenantId, projects.id] }),
    userFk('tickets_requester_fk', t, t.requesterId),
    userFk('tickets_assignee_fk', t, t.assigneeId),
    // Keyset list orders: newest first by id, within status/assignee/requester filters.
    index('tickets_tenant_id_idx').on(t.tenantId, t.id.desc()),
    index('tickets_tenant_status_idx').on(t.tenantId, t.status, t.id.desc()),
    index('tickets_tenant_assignee_idx').on(t.tenantId, t.assigneeId, t.id.desc()),
    index('tickets_tenant_requester_idx').on(t.tenantId, t.requesterId, t.id.desc()),
    index('tickets_tenant_category_idx').on(t.tenantId, t.categoryId, t.id.desc()),
    index('tickets_tenant_department_idx').on(t.tenantId, t.departmentId, t.id.desc()),
    index('tickets_tenant_team_idx').on(t.tenantId, t.teamId, t.id.desc()),
    index('tickets_tenant_project_idx').on(t.tenantId, t.projectId, t.id.desc()),
    index('tickets_tenant_pending_idx').on(t.tenantId, t.pendingRoleId, t.pendingUserId).where(sql`${t.status} = 'pending_approval'`),
    index('tickets_search_idx').using('gin', t.tenantId, t.search),
    index('tickets_title_trgm_idx').using('gin', t.tenantId, sql`${t.title} gin_trgm_ops`),
    // Reports by period: tickets created in a range; failures of a period (reliability).
    index('tickets_tenant_created_idx').on(t.tenantId, t.createdAt),
    index('tickets_tenant_failure_idx').on(t.tenantId, t.downtimeStartedAt).where(sql`${t.failure}`),
    tenantPolicy(),
  ],
);

export const ticketWatchers = pgTable(
  'ticket_watchers',
  {
    tenantId: tenantRef(),
    ticketId: bigint('ticket_id', { mode: 'number' }).notNull(),
    userId: bigint('user_id', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.ticketId, t.userId] }),
    foreignKey({ name: 'ticket_watchers_ticket_fk', columns: [t.tenantId, t.ticketId], foreignColumns: [tickets.tenantId, tickets.id] }).onDelete('cascade'),
    userFk('ticket_watchers_user_fk', t, t.userId).onDelete('cascade'),
    index('ticket_watchers_tenant_user_idx').on(t.tenantId, t.userId),
    tenantPolicy(),
  ],
);

export const ticketComments = pgTable(
  'ticket_comments',
  {
    tenantId: tenantRef(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    ticketId: bigint('ticket_id', { mode: 'number' }).notNull(),
    authorId: bigint('author_id', { mode: 'number' }),
    authorName: text('author_name').notNull(),
    body: text('body').notNull(),
    internal: boolean('internal').notNull().default(false),
    mentions: bigint('mentions', { mode: 'number' }).array().notNull().default(sql`'{}'::bigint[]`),
    createdAt: createdAt(),
    search: tsvector('search').generatedAlwaysAs((): SQL => sql`to_tsvector('simple', coalesce(${ticketComments.body}, ''))`),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'ticket_comments_ticket_fk', columns: [t.tenantId, t.ticketId], foreignColumns: [tickets.tenantId, tickets.id] }).onDelete('cascade'),
    index('ticket_comments_tenant_ticket_idx').on(t.tenantId, t.ticketId, t.id),
    index('ticket_comments_search_idx').using('gin', t.tenantId, t.search),
    tenantPolicy(),
  ],
);

/** Every change of every field, and every approval decision: who, when, before → after. */
export const ticketHistory = pgTable(
  'ticket_history',
  {
    tenantId: tenantRef(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    ticketId: bigint('ticket_id', { mode: 'number' }).notNull(),
    actorId: bigint('actor_id', { mode: 'number' }),
    actorName: text('actor_name'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    event: text('event').notNull(),
    field: text('field'),
    before: jsonb('before'),
    after: jsonb('after'),
    /** Shown only to those who may read internal notes. */
    internal: boolean('internal').notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'ticket_history_ticket_fk', columns: [t.tenantId, t.ticketId], foreignColumns: [tickets.tenantId, tickets.id] }).onDelete('cascade'),
    index('ticket_history_tenant_ticket_idx').on(t.tenantId, t.ticketId, t.id),
    tenantPolicy(),
  ],
);

export const ticketApprovals = pgTable(
  'ticket_approvals',
  {
    tenantId: tenantRef(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    ticketId: bigint('ticket_id', { mode: 'number' }).notNull(),
    step: integer('step').notNull(),
    decision: text('decision').$type<'approved' | 'rejected' | 'skipped'>().notNull(),
    deciderId: bigint('decider_id', { mode: 'number' }),
    deciderName: text('decider_name'),
    comment: text('comment'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'ticket_approvals_ticket_fk', columns: [t.tenantId, t.ticketId], foreignColumns: [tickets.tenantId, tickets.id] }).onDelete('cascade'),
    index('ticket_approvals_tenant_ticket_idx').on(t.tenantId, t.ticketId, t.id),
    tenantPolicy(),
  ],
);

export const attachments = pgTable(
  'attachments',
  {
    tenantId: tenantRef(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    ticketId: bigint('ticket_id', { mode: 'number' }),
    commentId: bigint('comment_id', { mode: 'number' }),
    name: text('name').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    contentType: text('content_type').notNull(),
    storageKey: text('storage_key').notNull(),
    uploadedById: bigint('uploaded_by_id', { mode: 'number' }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'attachments_ticket_fk', columns: [t.tenantId, t.ticketId], foreignColumns: [tickets.tenantId, tickets.id] }).onDelete('cascade'),
    index('attachments_tenant_ticket_idx').on(t.tenantId, t.ticketId, t.id),
    tenantPolicy(),
  ],
);

export const ticketTasks = pgTable(
  'ticket_tasks',
  {
    tenantId: tenantRef(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    ticketId: bigint('ticket_id', { mode: 'number' }).notNull(),
    title: text('title').notNull(),
    position: integer('position').notNull().default(0),
    done: boolean('done').notNull().default(false),
    doneById: bigint('done_by_id', { mode: 'number' }),
    doneAt: timestamp('done_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'ticket_tasks_ticket_fk', columns: [t.tenantId, t.ticketId], foreignColumns: [tickets.tenantId, tickets.id] }).onDelete('cascade'),
    index('ticket_tasks_tenant_ticket_idx').on(t.tenantId, t.ticketId, t.position, t.id),
    tenantPolicy(),
  ],
);

/** Reusable checklists ("processes") applied to tickets. */
export const processes = pgTable(
  'processes',
  {
    tenantId: tenantRef(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    tasks: text('tasks').array().notNull().default(sql`'{}'::text[]`),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), uniqueIndex('processes_tenant_name_key').on(t.tenantId, sql`lower(${t.name})`), tenantPolicy()],
);

export const timeEntries = pgTable(
  'time_entries',
  {
    tenantId: tenantRef(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    ticketId: bigint('ticket_id', { mode: 'number' }).notNull(),
    userId: bigint('user_id', { mode: 'number' }).notNull(),
    minutes: integer('minutes').notNull(),
    billable: boolean('billable').notNull().default(false),
    rate: numeric('rate', { precision: 12, scale: 2 }),
    note: text('note'),
    spentOn: timestamp('spent_on', { withTimezone: true }).notNull().defaultNow(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'time_entries_ticket_fk', columns: [t.tenantId, t.ticketId], foreignColumns: [tickets.tenantId, tickets.id] }).onDelete('cascade'),
    userFk('time_entries_user_fk', t, t.userId),
    index('time_entries_tenant_ticket_idx').on(t.tenantId, t.ticketId, t.spentOn, t.id),
    index('time_entries_tenant_user_idx').on(t.tenantId, t.userId, t.spentOn),
    // Cost reports read a period's labour (newest first, by id within a moment: the export's keyset).
    index('time_entries_tenant_spent_idx').on(t.tenantId, t.spentOn, t.id),
    tenantPolicy(),
  ],
);

export const savedViews = pgTable(
  'saved_views',
  {
    tenantId: tenantRef(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    userId: bigint('user_id', { mode: 'number' }).notNull(),
    name: text('name').notNull(),
    filters: jsonb('filters').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    userFk('saved_views_user_fk', t, t.userId).onDelete('cascade'),
    index('saved_views_tenant_user_idx').on(t.tenantId, t.userId),
    tenantPolicy(),
  ],
);

export const notifications = pgTable(
  'notifications',
  {
    tenantId: tenantRef(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    userId: bigint('user_id', { mode: 'number' }).notNull(),
    event: text('event').notNull(),
    ticketNumber: integer('ticket_number'),
    title: text('title').notNull(),
    body: text('body').notNull().default(''),
    readAt: timestamp('read_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    userFk('notifications_user_fk', t, t.userId).onDelete('cascade'),
    index('notifications_tenant_user_idx').on(t.tenantId, t.userId, t.id.desc()),
    index('notifications_unread_idx').on(t.tenantId, t.userId).where(sql`${t.readAt} is null`),
    tenantPolicy(),
  ],
);
