// SLA policies (matched by priority, category and kind, in `position` order) and each ticket's SLA
// clock: the targets it got, the due and warning moments, pauses, and the warned/breached flags the
// timers set in the same transaction as their notification (so each fires once).
import { sql } from 'drizzle-orm';
import { bigint, boolean, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { Priority, TicketKind } from '../../../shared/contracts/enums.js';
import { createdAt, tenantId, tenantPolicy, updatedAt } from './_tenancy.js';
import { businessHours } from './business-hours.js';
import { companies } from './companies.js';
import { tickets } from './tickets.js';

const tenantRef = () => tenantId().references(() => companies.id, { onDelete: 'cascade' });

export interface SlaMatch {
  priorities?: Priority[];
  categoryIds?: string[];
  kinds?: TicketKind[];
}
export type SlaTargets = Partial<Record<Priority, { firstResponseMinutes: number; resolutionMinutes: number }>>;

export const slaPolicies = pgTable(
  'sla_policies',
  {
    tenantId: tenantRef(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    position: integer('position').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    businessHoursId: bigint('business_hours_id', { mode: 'number' }).notNull(),
    match: jsonb('match').$type<SlaMatch>().notNull().default({}),
    targets: jsonb('targets').$type<SlaTargets>().notNull(),
    warnBeforeMinutes: integer('warn_before_minutes').notNull().default(60),
    /** Who else hears of a breach (besides the assignee and the team). */
    escalationRoleId: bigint('escalation_role_id', { mode: 'number' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('sla_policies_tenant_name_key').on(t.tenantId, sql`lower(${t.name})`),
    index('sla_policies_tenant_position_idx').on(t.tenantId, t.position),
    foreignKey({
      name: 'sla_policies_business_hours_fk',
      columns: [t.tenantId, t.businessHoursId],
      foreignColumns: [businessHours.tenantId, businessHours.id],
    }),
    tenantPolicy(),
  ],
);

export const ticketSla = pgTable(
  'ticket_sla',
  {
    tenantId: tenantRef(),
    ticketId: bigint('ticket_id', { mode: 'number' }).notNull(),
    policyId: bigint('policy_id', { mode: 'number' }).notNull(),
    businessHoursId: bigint('business_hours_id', { mode: 'number' }).notNull(),
    firstResponseMinutes: integer('first_response_minutes').notNull(),
    resolutionMinutes: integer('resolution_minutes').notNull(),
    warnBeforeMinutes: integer('warn_before_minutes').notNull(),
    /** When the clock started (the ticket's creation). */
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    firstResponseDueAt: timestamp('first_response_due_at', { withTimezone: true }).notNull(),
    resolutionDueAt: timestamp('resolution_due_at', { withTimezone: true }).notNull(),
    firstResponseWarnAt: timestamp('first_response_warn_at', { withTimezone: true }),
    resolutionWarnAt: timestamp('resolution_warn_at', { withTimezone: true }),
    firstRespondedAt: timestamp('first_responded_at', { withTimezone: true }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    /** Set while on hold (or resolved): the clock stands still; the business minutes are added on resume. */
    pausedSince: timestamp('paused_since', { withTimezone: true }),
    pausedMinutes: integer('paused_minutes').notNull().default(0),
    firstResponseWarned: boolean('first_response_warned').notNull().default(false),
    resolutionWarned: boolean('resolution_warned').notNull().default(false),
    firstResponseBreached: boolean('first_response_breached').notNull().default(false),
    resolutionBreached: boolean('resolution_breached').notNull().default(false),
    /** The earliest unmet due while running (list sort `slaDue`), its warning moment (at risk), and the next timer moment (sweep). */
    nextDueAt: timestamp('next_due_at', { withTimezone: true }),
    nextWarnAt: timestamp('next_warn_at', { withTimezone: true }),
    nextEventAt: timestamp('next_event_at', { withTimezone: true }),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.ticketId] }),
    foreignKey({
      name: 'ticket_sla_ticket_fk',
      columns: [t.tenantId, t.ticketId],
      foreignColumns: [tickets.tenantId, tickets.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'ticket_sla_policy_fk',
      columns: [t.tenantId, t.policyId],
      foreignColumns: [slaPolicies.tenantId, slaPolicies.id],
    }).onDelete('cascade'),
    index('ticket_sla_tenant_next_due_idx').on(t.tenantId, t.nextDueAt, t.ticketId).where(sql`${t.nextDueAt} is not null`),
    index('ticket_sla_tenant_next_event_idx').on(t.tenantId, t.nextEventAt).where(sql`${t.nextEventAt} is not null`),
    index('ticket_sla_tenant_policy_idx').on(t.tenantId, t.policyId),
    tenantPolicy(),
  ],
);
