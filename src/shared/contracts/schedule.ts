// Scheduling (API.md "Scheduling"): entries per technician, time off with approval, the calendar
// feed. Times are ISO 8601 with an offset; each entry keeps the IANA zone it was made in.
import { z } from 'zod';
import { idString, listQuery, timezone, wrapped } from './common.js';
import { SCHEDULE_KINDS, TIME_OFF_KINDS, TIME_OFF_STATUSES } from './schedule-enums.js';

export * from './schedule-enums.js';

const when = z.iso.datetime({ offset: true }).transform((s) => new Date(s));
const dayOrWhen = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);
const note = z.string().trim().max(2000);

export const scheduleQuery = z.object({
  /** A day (in the company's zone, `to` inclusive) or an instant with offset. Default: this week. */
  from: dayOrWhen.optional(),
  to: dayOrWhen.optional(),
  technicianId: idString.optional(),
  teamId: idString.optional(),
  locationId: idString.optional(),
});
export type ScheduleQuery = z.infer<typeof scheduleQuery>;

export const entryBody = z.object({
  technicianId: idString,
  kind: z.enum(SCHEDULE_KINDS),
  startsAt: when,
  endsAt: when,
  timezone,
  locationId: idString.nullish(),
  ticketNumber: z.number().int().positive().max(2_147_483_647).nullish(),
  note: note.nullish(),
});
export type EntryBody = z.infer<typeof entryBody>;

export const entryPatch = entryBody.partial().extend({
  /** The version you edited: a stale one answers 409 `stale_version`. */
  version: z.number().int().positive().max(2_147_483_647).optional(),
});
export type EntryPatch = z.infer<typeof entryPatch>;

export const conflict = z.object({
  type: z.enum(['entry', 'time_off']),
  id: z.string(),
  kind: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
});
export type Conflict = z.infer<typeof conflict>;

export const entry = z.object({
  id: z.string(),
  technicianId: z.string(),
  technicianName: z.string(),
  technicianColor: z.string(),
  kind: z.enum(SCHEDULE_KINDS),
  startsAt: z.string(),
  endsAt: z.string(),
  timezone: z.string(),
  locationId: z.string().nullable(),
  locationName: z.string().nullable(),
  ticketNumber: z.number().nullable(),
  ticketTitle: z.string().nullable(),
  note: z.string().nullable(),
  flagged: z.boolean(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Entry = z.infer<typeof entry>;
export const entryAnswer = wrapped('entry', entry);

export const timeOffBody = z.object({
  userId: idString.optional(),
  kind: z.enum(TIME_OFF_KINDS),
  startsAt: when,
  endsAt: when,
  note: note.nullish(),
  /** A planner entering approved time off over existing entries: keep them, flagged. */
  force: z.boolean().optional(),
});
export type TimeOffBody = z.infer<typeof timeOffBody>;
export const decisionBody = z.object({ force: z.boolean().optional(), note: note.nullish() }).nullish();
export const timeOffQuery = listQuery.extend({
  status: z.enum(TIME_OFF_STATUSES).optional(),
  userId: idString.optional(),
  from: dayOrWhen.optional(),
  to: dayOrWhen.optional(),
});

export const timeOff = z.object({
  id: z.string(),
  userId: z.string(),
  userName: z.string(),
  userColor: z.string(),
  kind: z.enum(TIME_OFF_KINDS),
  startsAt: z.string(),
  endsAt: z.string(),
  status: z.enum(TIME_OFF_STATUSES),
  note: z.string().nullable(),
  decidedById: z.string().nullable(),
  decidedAt: z.string().nullable(),
  createdById: z.string().nullable(),
  createdAt: z.string(),
  /** What the caller may do with it. */
  can: z.object({ decide: z.boolean() }),
});
export type TimeOff = z.infer<typeof timeOff>;
export const timeOffAnswer = wrapped('timeOff', timeOff);
export const timeOffList = z.object({ items: z.array(timeOff), nextCursor: z.string().nullable() });

export const scheduleAnswer = z.object({
  from: z.string(),
  to: z.string(),
  entries: z.array(entry),
  timeOff: z.array(timeOff),
});
export type ScheduleAnswer = z.infer<typeof scheduleAnswer>;

/** Open work orders without a job entry, for the side list of the calendar. */
export const unscheduledItem = z.object({
  number: z.number(),
  title: z.string(),
  priority: z.string(),
  locationId: z.string().nullable(),
  assigneeId: z.string().nullable(),
});
export type UnscheduledItem = z.infer<typeof unscheduledItem>;
export const unscheduledAnswer = z.object({ items: z.array(unscheduledItem) });

export const technician = z.object({
  id: z.string(),
  name: z.string(),
  color: z.string(),
  timezone: z.string(),
  teamIds: z.array(z.string()),
});
export type Technician = z.infer<typeof technician>;
export const techniciansAnswer = z.object({ items: z.array(technician) });

/** Copy a week's shifts and on-call duty to another week, wall clock kept in each entry's zone. */
export const copyWeekBody = z.object({
  /** Mondays (days in the company's zone). */
  fromWeek: z.iso.date(),
  toWeek: z.iso.date(),
  technicianId: idString.optional(),
  teamId: idString.optional(),
});
export type CopyWeekBody = z.infer<typeof copyWeekBody>;
export const copyWeekAnswer = z.object({
  created: z.array(entry),
  /** Entries not copied because their copy would overlap: the conflicts, as a 422 `overlap` lists them. */
  skipped: z.array(z.object({ entryId: z.string(), message: z.string(), conflicts: z.array(conflict) })),
});
export type CopyWeekAnswer = z.infer<typeof copyWeekAnswer>;

export const feedAnswer = z.object({ url: z.string() });
export const feedParams = z.object({ token: z.string().min(1).max(200) });
