// Rows → API shapes (src/shared/contracts/schedule.ts), and the conflict list of a 422 `overlap`.
import type { Conflict, Entry, TimeOff } from '../../../shared/contracts/schedule.js';
import { describeInZone } from '../../../shared/time/zones.js';
import type { UserActor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import type { ConflictRow, EntryWithNames, TimeOffWithNames } from './schedule.repo.js';

const idOrNull = (v: number | null) => (v === null ? null : String(v));

export function entryDto(r: EntryWithNames): Entry {
  return {
    id: String(r.e.id),
    technicianId: String(r.e.technicianId),
    technicianName: r.technicianName,
    technicianColor: r.technicianColor,
    kind: r.e.kind,
    startsAt: r.e.startsAt.toISOString(),
    endsAt: r.e.endsAt.toISOString(),
    timezone: r.e.timezone,
    locationId: idOrNull(r.e.locationId),
    locationName: r.locationName,
    ticketNumber: r.ticketNumber,
    ticketTitle: r.ticketTitle,
    note: r.e.note,
    flagged: r.e.flagged,
    version: r.e.version,
    createdAt: r.e.createdAt.toISOString(),
    updatedAt: r.e.updatedAt.toISOString(),
  };
}

export function timeOffDto(r: TimeOffWithNames, actor: UserActor): TimeOff {
  return {
    id: String(r.t.id),
    userId: String(r.t.userId),
    userName: r.userName,
    userColor: r.userColor,
    kind: r.t.kind,
    startsAt: r.t.startsAt.toISOString(),
    endsAt: r.t.endsAt.toISOString(),
    status: r.t.status,
    note: r.t.note,
    decidedById: idOrNull(r.t.decidedById),
    decidedAt: r.t.decidedAt ? r.t.decidedAt.toISOString() : null,
    createdById: idOrNull(r.t.createdById),
    createdAt: r.t.createdAt.toISOString(),
    can: { decide: actor.permissions.has('schedule.manage') && r.t.userId !== actor.userId },
  };
}

const KIND_WORDS: Record<string, string> = {
  shift: 'shift',
  job: 'job',
  on_call: 'on-call duty',
  vacation: 'vacation',
  sick: 'sick leave',
  other: 'time off',
};

/** `Tue 3 Mar 09:00–17:00` in `zone` (the end's date too when it is another day). */
export function spanIn(start: Date, end: Date, zone: string): string {
  const a = describeInZone(start, zone);
  const b = describeInZone(end, zone);
  const day = (d: string) =>
    new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }).format(
      new Date(`${d}T12:00:00Z`),
    );
  return `${day(a.date)} ${a.time}–${a.date === b.date ? '' : `${day(b.date)} `}${b.time} (${zone})`;
}

/** 422 `overlap` naming the first conflict in words and listing them all in `details.conflicts`. */
export function overlapError(
  person: string,
  entries: ConflictRow[],
  timeOff: ConflictRow[],
  zone: string,
  what = 'This booking',
): AppError {
  const conflicts: Conflict[] = [
    ...timeOff.map((c) => ({
      type: 'time_off' as const,
      id: String(c.id),
      kind: c.kind,
      startsAt: c.startsAt.toISOString(),
      endsAt: c.endsAt.toISOString(),
    })),
    ...entries.map((c) => ({
      type: 'entry' as const,
      id: String(c.id),
      kind: c.kind,
      startsAt: c.startsAt.toISOString(),
      endsAt: c.endsAt.toISOString(),
    })),
  ];
  const first = timeOff[0] ?? entries[0];
  const how = timeOff[0] ? 'has approved' : 'is already booked for a';
  const more = conflicts.length > 1 ? ` and ${conflicts.length - 1} more` : '';
  const message = first
    ? `${what} overlaps: ${person} ${how} ${KIND_WORDS[first.kind] ?? first.kind} (#${first.id}) ${spanIn(first.startsAt, first.endsAt, zone)}${more}`
    : `${what} overlaps another booking of ${person}`;
  return new AppError('overlap', message, { conflicts });
}
