// Technician scheduling: entries (shift, job, on call) per technician, time off with its approval,
// and each user's private calendar-feed token. Entries are instants (timestamptz) plus the IANA zone
// they were made in; `range` is the half-open [starts_at, ends_at) that the exclusion constraint
// (custom migration: EXCLUDE USING gist (tenant_id =, technician_id =, kind =, range &&)) checks.
import { type SQL, sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  customType,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { ScheduleKind, TimeOffKind, TimeOffStatus } from '../../../shared/contracts/schedule.js';
import { createdAt, tenantId, tenantPolicy, updatedAt } from './_tenancy.js';
import { locations } from './assets.js';
import { companies } from './companies.js';
import { tickets } from './tickets.js';
import { users } from './users.js';

const tstzrange = customType<{ data: string }>({ dataType: () => 'tstzrange' });
const tenantRef = () => tenantId().references(() => companies.id, { onDelete: 'cascade' });
const userFk = (name: string, t: { tenantId: unknown }, col: unknown) =>
  foreignKey({ name, columns: [t.tenantId as never, col as never], foreignColumns: [users.tenantId, users.id] });

export const scheduleEntries = pgTable(
  'schedule_entries',
  {
    tenantId: tenantRef(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    technicianId: bigint('technician_id', { mode: 'number' }).notNull(),
    kind: text('kind').$type<ScheduleKind>().notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    range: tstzrange('range').generatedAlwaysAs((): SQL => sql`tstzrange(starts_at, ends_at, '[)')`),
    /** The IANA zone the entry was made in (shown beside the viewer's own when they differ). */
    timezone: text('timezone').notNull(),
    locationId: bigint('location_id', { mode: 'number' }),
    ticketId: bigint('ticket_id', { mode: 'number' }),
    note: text('note'),
    /** Kept when approved time off was forced over it. */
    flagged: boolean('flagged').notNull().default(false),
    version: integer('version').notNull().default(1),
    createdById: bigint('created_by_id', { mode: 'number' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    userFk('schedule_entries_technician_fk', t, t.technicianId).onDelete('cascade'),
    foreignKey({
      name: 'schedule_entries_location_fk',
      columns: [t.tenantId, t.locationId],
      foreignColumns: [locations.tenantId, locations.id],
    }),
    foreignKey({ name: 'schedule_entries_ticket_fk', columns: [t.tenantId, t.ticketId], foreignColumns: [tickets.tenantId, tickets.id] }),
    check('schedule_entries_range_ok', sql`${t.endsAt} > ${t.startsAt}`),
    // Bounds the range scan of the calendar's query: an entry starting before `from - 31 days` cannot reach `from`.
    check('schedule_entries_length_ok', sql`${t.endsAt} - ${t.startsAt} <= interval '31 days'`),
    check('schedule_entries_kind_ok', sql`${t.kind} in ('shift', 'job', 'on_call')`),
    index('schedule_entries_tenant_starts_idx').on(t.tenantId, t.startsAt),
    index('schedule_entries_tenant_technician_starts_idx').on(t.tenantId, t.technicianId, t.startsAt),
    index('schedule_entries_tenant_ticket_idx').on(t.tenantId, t.ticketId),
    tenantPolicy(),
  ],
);

export const timeOff = pgTable(
  'time_off',
  {
    tenantId: tenantRef(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    userId: bigint('user_id', { mode: 'number' }).notNull(),
    kind: text('kind').$type<TimeOffKind>().notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    status: text('status').$type<TimeOffStatus>().notNull().default('requested'),
    note: text('note'),
    decidedById: bigint('decided_by_id', { mode: 'number' }),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdById: bigint('created_by_id', { mode: 'number' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    userFk('time_off_user_fk', t, t.userId).onDelete('cascade'),
    check('time_off_range_ok', sql`${t.endsAt} > ${t.startsAt}`),
    check('time_off_length_ok', sql`${t.endsAt} - ${t.startsAt} <= interval '366 days'`),
    check('time_off_kind_ok', sql`${t.kind} in ('vacation', 'sick', 'other')`),
    check('time_off_status_ok', sql`${t.status} in ('requested', 'approved', 'rejected')`),
    index('time_off_tenant_user_starts_idx').on(t.tenantId, t.userId, t.startsAt),
    index('time_off_tenant_starts_idx').on(t.tenantId, t.startsAt),
    tenantPolicy(),
  ],
);

/**
 * One private feed per user. The token is HMAC(session secret, tenant:user:nonce), so the URL can be
 * shown again without storing it; lookups go by its SHA-256. Rotating draws a new nonce.
 */
export const calendarFeeds = pgTable(
  'calendar_feeds',
  {
    tenantId: tenantRef(),
    userId: bigint('user_id', { mode: 'number' }).notNull(),
    nonce: text('nonce').notNull(),
    tokenHash: text('token_hash').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.userId] }),
    userFk('calendar_feeds_user_fk', t, t.userId).onDelete('cascade'),
    uniqueIndex('calendar_feeds_token_key').on(t.tokenHash),
    tenantPolicy(),
  ],
);
