// Scheduling queries (Drizzle only): entries with their names, conflicts, the per-technician lock,
// time off, technicians and teams, unscheduled work orders, and feed tokens. Every query names the
// company; ranges are half-open [starts_at, ends_at).
import { and, asc, eq, gt, inArray, isNull, lt, ne, notExists, type SQL, sql } from 'drizzle-orm';
import {
  calendarFeeds,
  companies,
  locations,
  roles,
  scheduleEntries,
  teamMembers,
  tickets,
  timeOff,
  users,
} from '../../db/schema/index.js';
import { qualified } from '../../db/qualified.js';
import type { Tx } from '../../platform/db.js';
import type { ScheduleKind } from '../../../shared/contracts/schedule.js';

export type EntryRow = typeof scheduleEntries.$inferSelect;

/** The longest entry (check schedule_entries_length_ok): bounds the start-time scan from below. */
export const MAX_ENTRY_MS = 31 * 86_400_000;
const earliestStart = (from: Date) => new Date(from.getTime() - MAX_ENTRY_MS);
export type TimeOffRow = typeof timeOff.$inferSelect;
export type NewEntry = Omit<typeof scheduleEntries.$inferInsert, 'id' | 'range' | 'createdAt' | 'updatedAt' | 'version'>;

/**
 * Serialises every write that could conflict for one technician (entries and approved time off) until
 * the transaction ends: the time-off rule spans two tables, which no exclusion constraint covers.
 */
export async function lockTechnician(tx: Tx, tenantId: number, userId: number): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`schedule:${tenantId}:${userId}`}, 0))`);
}

const entryColumns = {
  e: {
    id: scheduleEntries.id,
    technicianId: scheduleEntries.technicianId,
    kind: scheduleEntries.kind,
    startsAt: scheduleEntries.startsAt,
    endsAt: scheduleEntries.endsAt,
    timezone: scheduleEntries.timezone,
    locationId: scheduleEntries.locationId,
    ticketId: scheduleEntries.ticketId,
    note: scheduleEntries.note,
    flagged: scheduleEntries.flagged,
    version: scheduleEntries.version,
    createdById: scheduleEntries.createdById,
    createdAt: scheduleEntries.createdAt,
    updatedAt: scheduleEntries.updatedAt,
  },
  technicianName: users.name,
  technicianColor: users.color,
  locationName: locations.name,
  ticketNumber: tickets.number,
  ticketTitle: tickets.title,
};
export type EntryWithNames = {
  e: Omit<EntryRow, 'tenantId' | 'range'>;
  technicianName: string;
  technicianColor: string;
  locationName: string | null;
  ticketNumber: number | null;
  ticketTitle: string | null;
};

/**
 * `ticketVisible` (the tickets module's visibility rule for the caller) leaves the ticket's number
 * and title out of entries whose ticket the caller may not see.
 */
function entriesWithNames(tx: Tx, tenantId: number, where: SQL | undefined, ticketVisible?: SQL) {
  const columns = ticketVisible
    ? {
        ...entryColumns,
        ticketNumber: sql<number | null>`case when ${ticketVisible} then ${tickets.number} end`,
        ticketTitle: sql<string | null>`case when ${ticketVisible} then ${tickets.title} end`,
      }
    : entryColumns;
  return tx
    .select(columns)
    .from(scheduleEntries)
    .innerJoin(users, and(eq(users.tenantId, scheduleEntries.tenantId), eq(users.id, scheduleEntries.technicianId)))
    .leftJoin(locations, and(eq(locations.tenantId, scheduleEntries.tenantId), eq(locations.id, scheduleEntries.locationId)))
    .leftJoin(tickets, and(eq(tickets.tenantId, scheduleEntries.tenantId), eq(tickets.id, scheduleEntries.ticketId)))
    .where(and(eq(scheduleEntries.tenantId, tenantId), where))
    .orderBy(asc(scheduleEntries.startsAt), asc(scheduleEntries.id));
}

export async function findEntry(tx: Tx, tenantId: number, id: number, ticketVisible?: SQL): Promise<EntryWithNames | null> {
  const [row] = await entriesWithNames(tx, tenantId, eq(scheduleEntries.id, id), ticketVisible);
  return (row as EntryWithNames | undefined) ?? null;
}

export interface EntryFilter {
  from: Date;
  to: Date;
  technicianIds?: number[];
  locationId?: number;
  ticketVisible?: SQL;
}

/** Entries that intersect [from, to), by start. */
export async function listEntries(tx: Tx, tenantId: number, f: EntryFilter): Promise<EntryWithNames[]> {
  return (await entriesWithNames(
    tx,
    tenantId,
    and(
      lt(scheduleEntries.startsAt, f.to),
      gt(scheduleEntries.startsAt, earliestStart(f.from)),
      gt(scheduleEntries.endsAt, f.from),
      f.technicianIds ? inArray(scheduleEntries.technicianId, f.technicianIds) : undefined,
      f.locationId ? eq(scheduleEntries.locationId, f.locationId) : undefined,
    ),
    f.ticketVisible,
  )) as EntryWithNames[];
}

export interface ConflictRow {
  id: number;
  kind: string;
  startsAt: Date;
  endsAt: Date;
}

/** Entries of this technician that intersect [start, end): of one kind, or (kind null) of any kind. */
export async function entryConflicts(
  tx: Tx,
  tenantId: number,
  technicianId: number,
  kind: ScheduleKind | null,
  start: Date,
  end: Date,
  exceptId: number | null,
): Promise<ConflictRow[]> {
  return tx
    .select({ id: scheduleEntries.id, kind: scheduleEntries.kind, startsAt: scheduleEntries.startsAt, endsAt: scheduleEntries.endsAt })
    .from(scheduleEntries)
    .where(
      and(
        eq(scheduleEntries.tenantId, tenantId),
        eq(scheduleEntries.technicianId, technicianId),
        kind ? eq(scheduleEntries.kind, kind) : undefined,
        lt(scheduleEntries.startsAt, end),
        gt(scheduleEntries.startsAt, earliestStart(start)),
        gt(scheduleEntries.endsAt, start),
        exceptId ? ne(scheduleEntries.id, exceptId) : undefined,
      ),
    )
    .orderBy(asc(scheduleEntries.startsAt))
    .limit(50);
}

/** Approved time off of this user that intersects [start, end). */
export async function timeOffConflicts(
  tx: Tx,
  tenantId: number,
  userId: number,
  start: Date,
  end: Date,
  exceptId: number | null = null,
): Promise<ConflictRow[]> {
  return tx
    .select({ id: timeOff.id, kind: timeOff.kind, startsAt: timeOff.startsAt, endsAt: timeOff.endsAt })
    .from(timeOff)
    .where(
      and(
        eq(timeOff.tenantId, tenantId),
        eq(timeOff.userId, userId),
        eq(timeOff.status, 'approved'),
        lt(timeOff.startsAt, end),
        gt(timeOff.endsAt, start),
        exceptId ? ne(timeOff.id, exceptId) : undefined,
      ),
    )
    .orderBy(asc(timeOff.startsAt))
    .limit(50);
}

/** True for the exclusion constraint's violation (two same-kind entries of one technician intersect). */
const isOverlap = (e: unknown): boolean => {
  const err = e as { code?: string; cause?: { code?: string } };
  return err?.code === '23P01' || err?.cause?.code === '23P01';
};

/**
 * Inserts in a savepoint: when the exclusion constraint refuses the row (someone booked the slot
 * between our check and the insert) the transaction stays usable to read the conflict. 'overlap' then.
 */
export async function insertEntry(tx: Tx, values: NewEntry): Promise<number | 'overlap'> {
  try {
    return await tx.transaction(async (sp) => {
      const [row] = await sp.insert(scheduleEntries).values(values).returning({ id: scheduleEntries.id });
      return row.id;
    });
  } catch (e) {
    if (isOverlap(e)) return 'overlap';
    throw e;
  }
}

/** Applies a change when the version still matches: 'stale' when someone changed it first, 'overlap' as for insertEntry. */
export async function updateEntry(
  tx: Tx,
  tenantId: number,
  id: number,
  version: number,
  set: Partial<NewEntry>,
): Promise<'ok' | 'stale' | 'overlap'> {
  try {
    return await tx.transaction(async (sp) => {
      const rows = await sp
        .update(scheduleEntries)
        .set({ ...set, version: sql`${scheduleEntries.version} + 1`, updatedAt: sql`now()` })
        .where(and(eq(scheduleEntries.tenantId, tenantId), eq(scheduleEntries.id, id), eq(scheduleEntries.version, version)))
        .returning({ id: scheduleEntries.id });
      return rows.length > 0 ? 'ok' : 'stale';
    });
  } catch (e) {
    if (isOverlap(e)) return 'overlap';
    throw e;
  }
}

export async function deleteEntry(tx: Tx, tenantId: number, id: number): Promise<void> {
  await tx.delete(scheduleEntries).where(and(eq(scheduleEntries.tenantId, tenantId), eq(scheduleEntries.id, id)));
}

export async function flagEntries(tx: Tx, tenantId: number, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await tx
    .update(scheduleEntries)
    .set({ flagged: true, version: sql`${scheduleEntries.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(scheduleEntries.tenantId, tenantId), inArray(scheduleEntries.id, ids)));
}

/** The window a ticket's job entries cover (earliest start, latest end), or nulls when none is left. */
export async function ticketJobWindow(tx: Tx, tenantId: number, ticketId: number): Promise<{ start: Date | null; end: Date | null }> {
  const [row] = await tx
    .select({ start: sql<string | null>`min(${scheduleEntries.startsAt})`, end: sql<string | null>`max(${scheduleEntries.endsAt})` })
    .from(scheduleEntries)
    .where(and(eq(scheduleEntries.tenantId, tenantId), eq(scheduleEntries.ticketId, ticketId), eq(scheduleEntries.kind, 'job')));
  return { start: row?.start ? new Date(row.start) : null, end: row?.end ? new Date(row.end) : null };
}

// People ------------------------------------------------------------------------------------------

export interface Person {
  id: number;
  name: string;
  email: string;
  color: string;
  timezone: string;
  status: string;
  mayWork: boolean;
}

export async function findPerson(tx: Tx, tenantId: number, id: number): Promise<Person | null> {
  const [row] = await tx
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      color: users.color,
      timezone: users.timezone,
      status: users.status,
      mayWork: sql<boolean>`'tickets.update' = any(${roles.permissions})`,
    })
    .from(users)
    .innerJoin(roles, and(eq(roles.tenantId, users.tenantId), eq(roles.id, users.roleId)))
    .where(and(eq(users.tenantId, tenantId), eq(users.id, id)));
  return row ?? null;
}

/** Active people who may work tickets (the calendar's technicians), by name, with their teams. */
export async function technicians(tx: Tx, tenantId: number) {
  return tx
    .select({
      id: users.id,
      name: users.name,
      color: users.color,
      timezone: users.timezone,
      teamIds: sql<
        string[]
      >`coalesce((select array_agg(${teamMembers.teamId}::text) from ${teamMembers} where ${teamMembers.tenantId} = ${qualified(users.tenantId)} and ${teamMembers.userId} = ${qualified(users.id)}), '{}')`,
    })
    .from(users)
    .innerJoin(roles, and(eq(roles.tenantId, users.tenantId), eq(roles.id, users.roleId)))
    .where(and(eq(users.tenantId, tenantId), eq(users.status, 'active'), sql`'tickets.update' = any(${roles.permissions})`))
    .orderBy(asc(sql`lower(${users.name})`), asc(users.id))
    .limit(1000);
}

export async function teamMemberIds(tx: Tx, tenantId: number, teamId: number): Promise<number[]> {
  const rows = await tx
    .select({ id: teamMembers.userId })
    .from(teamMembers)
    .where(and(eq(teamMembers.tenantId, tenantId), eq(teamMembers.teamId, teamId)));
  return rows.map((r) => r.id);
}

export async function locationExists(tx: Tx, tenantId: number, id: number): Promise<boolean> {
  const [row] = await tx
    .select({ id: locations.id })
    .from(locations)
    .where(and(eq(locations.tenantId, tenantId), eq(locations.id, id)));
  return !!row;
}

/** Open work orders without a job entry, newest first. */
export async function unscheduledWorkOrders(tx: Tx, tenantId: number, limit: number) {
  return tx
    .select({
      number: tickets.number,
      title: tickets.title,
      priority: tickets.priority,
      locationId: tickets.locationId,
      assigneeId: tickets.assigneeId,
    })
    .from(tickets)
    .where(
      and(
        eq(tickets.tenantId, tenantId),
        eq(tickets.kind, 'work_order'),
        inArray(tickets.status, ['new', 'open', 'in_progress', 'on_hold']),
        isNull(tickets.archivedAt),
        notExists(
          tx
            .select({ one: sql`1` })
            .from(scheduleEntries)
            .where(
              and(
                eq(scheduleEntries.tenantId, tickets.tenantId),
                eq(scheduleEntries.ticketId, tickets.id),
                eq(scheduleEntries.kind, 'job'),
              ),
            ),
        ),
      ),
    )
    .orderBy(sql`${tickets.id} desc`)
    .limit(limit);
}

// Time off ----------------------------------------------------------------------------------------

const timeOffColumns = { t: timeOff, userName: users.name, userColor: users.color };
export type TimeOffWithNames = { t: TimeOffRow; userName: string; userColor: string };

export async function listTimeOff(
  tx: Tx,
  tenantId: number,
  f: { from?: Date; to?: Date; userIds?: number[]; status?: string; limit: number; after?: [Date, number] | null },
): Promise<TimeOffWithNames[]> {
  return tx
    .select(timeOffColumns)
    .from(timeOff)
    .innerJoin(users, and(eq(users.tenantId, timeOff.tenantId), eq(users.id, timeOff.userId)))
    .where(
      and(
        eq(timeOff.tenantId, tenantId),
        f.from ? gt(timeOff.endsAt, f.from) : undefined,
        f.to ? lt(timeOff.startsAt, f.to) : undefined,
        f.userIds ? inArray(timeOff.userId, f.userIds) : undefined,
        f.status ? eq(timeOff.status, f.status as TimeOffRow['status']) : undefined,
        f.after ? sql`(${timeOff.startsAt}, ${timeOff.id}) > (${f.after[0].toISOString()}::timestamptz, ${f.after[1]})` : undefined,
      ),
    )
    .orderBy(asc(timeOff.startsAt), asc(timeOff.id))
    .limit(f.limit);
}

export async function findTimeOff(tx: Tx, tenantId: number, id: number, lock = false): Promise<TimeOffWithNames | null> {
  const q = tx
    .select(timeOffColumns)
    .from(timeOff)
    .innerJoin(users, and(eq(users.tenantId, timeOff.tenantId), eq(users.id, timeOff.userId)))
    .where(and(eq(timeOff.tenantId, tenantId), eq(timeOff.id, id)));
  const [row] = lock ? await q.for('update', { of: timeOff }) : await q;
  return row ?? null;
}

export async function insertTimeOff(tx: Tx, values: Omit<typeof timeOff.$inferInsert, 'id'>): Promise<number> {
  const [row] = await tx.insert(timeOff).values(values).returning({ id: timeOff.id });
  return row.id;
}

export async function decideTimeOff(
  tx: Tx,
  tenantId: number,
  id: number,
  set: { status: 'approved' | 'rejected'; decidedById: number; note?: string | null },
) {
  await tx
    .update(timeOff)
    .set({
      status: set.status,
      decidedById: set.decidedById,
      decidedAt: sql`now()`,
      updatedAt: sql`now()`,
      ...(set.note ? { note: set.note } : {}),
    })
    .where(and(eq(timeOff.tenantId, tenantId), eq(timeOff.id, id)));
}

/** Holders of schedule.manage (who hear about a new request). */
export async function plannerIds(tx: Tx, tenantId: number): Promise<number[]> {
  const rows = await tx
    .select({ id: users.id })
    .from(users)
    .innerJoin(roles, and(eq(roles.tenantId, users.tenantId), eq(roles.id, users.roleId)))
    .where(and(eq(users.tenantId, tenantId), eq(users.status, 'active'), sql`'schedule.manage' = any(${roles.permissions})`))
    .limit(200);
  return rows.map((r) => r.id);
}

// Feeds -------------------------------------------------------------------------------------------

export async function saveFeedToken(tx: Tx, tenantId: number, userId: number, nonce: string, tokenHash: string): Promise<void> {
  await tx
    .insert(calendarFeeds)
    .values({ tenantId, userId, nonce, tokenHash })
    .onConflictDoUpdate({ target: [calendarFeeds.tenantId, calendarFeeds.userId], set: { nonce, tokenHash, createdAt: sql`now()` } });
}

export async function feedNonce(tx: Tx, tenantId: number, userId: number): Promise<string | null> {
  const [row] = await tx
    .select({ nonce: calendarFeeds.nonce })
    .from(calendarFeeds)
    .where(and(eq(calendarFeeds.tenantId, tenantId), eq(calendarFeeds.userId, userId)));
  return row?.nonce ?? null;
}

/**
 * Instance-wide lookup of a feed token (no company yet: runs outside row-level security). A
 * suspended company's feeds keep serving: suspension makes a company read-only, and a feed only reads.
 */
export async function feedOwner(tx: Tx, tokenHash: string): Promise<{ tenantId: number; userId: number } | null> {
  const [row] = await tx
    .select({ tenantId: calendarFeeds.tenantId, userId: calendarFeeds.userId })
    .from(calendarFeeds)
    .innerJoin(users, and(eq(users.tenantId, calendarFeeds.tenantId), eq(users.id, calendarFeeds.userId)))
    .innerJoin(companies, eq(companies.id, calendarFeeds.tenantId))
    .where(and(eq(calendarFeeds.tokenHash, tokenHash), eq(users.status, 'active')));
  return row ?? null;
}
