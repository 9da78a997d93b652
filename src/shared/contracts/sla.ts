// Business-hours calendars and SLA policies (API.md "SLA"), and the `sla` object a ticket answer carries.
import { z } from 'zod';
import { calendarProblems } from '../time/business-hours.js';
import { idString, name, page } from './common.js';
import { PRIORITIES, TICKET_KINDS } from './enums.js';

const hhmm = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'is HH:MM (24:00 allowed as an end)');
const zone = z.string().min(1).max(64);
const dateOnly = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'is a date YYYY-MM-DD');

export const businessRange = z.object({ day: z.number().int().min(1).max(7), start: hhmm, end: hhmm });

const calendarFields = z.object({
  name,
  timezone: zone,
  week: z.array(businessRange).max(70),
  holidays: z.array(dateOnly).max(1000).default([]),
});

/** Adds the calendar's own checks (zone, no open hours, real dates) as field errors. */
const checked = <T extends z.ZodType<{ timezone?: string; week?: z.infer<typeof businessRange>[]; holidays?: string[] }>>(schema: T) =>
  schema.superRefine((v, ctx) => {
    if (v.timezone === undefined || v.week === undefined) return;
    for (const p of calendarProblems({ timezone: v.timezone, week: v.week, holidays: v.holidays ?? [] })) {
      ctx.addIssue({ code: 'custom', message: p.message, path: p.field.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s)) });
    }
  });

export const businessHoursBody = checked(calendarFields);
/** A PATCH sends any fields; a new week or zone is checked against the stored rest by the service. */
export const businessHoursPatch = calendarFields.partial();
export type BusinessHoursInput = z.infer<typeof businessHoursBody>;
export type BusinessHoursPatch = z.infer<typeof businessHoursPatch>;

export const businessHoursItem = z.object({
  id: z.string(),
  name: z.string(),
  timezone: z.string(),
  week: z.array(businessRange),
  holidays: z.array(z.string()),
  isDefault: z.boolean(),
  /** Policies counting on this calendar (it cannot be deleted while any does). */
  policyCount: z.number(),
});
export type BusinessHours = z.infer<typeof businessHoursItem>;
export const businessHoursList = page(businessHoursItem);
export const businessHoursAnswer = businessHoursItem.extend({ businessHours: businessHoursItem });

const minutes = z
  .number()
  .int()
  .min(1)
  .max(60 * 24 * 365);
export const slaTarget = z.object({ firstResponseMinutes: minutes, resolutionMinutes: minutes });
export const slaTargets = z.partialRecord(z.enum(PRIORITIES), slaTarget);
export const slaMatch = z.object({
  priorities: z.array(z.enum(PRIORITIES)).max(4).optional(),
  categoryIds: z.array(idString).max(200).optional(),
  kinds: z.array(z.enum(TICKET_KINDS)).max(4).optional(),
});

const policyFields = z.object({
  name,
  businessHoursId: idString,
  match: slaMatch.default({}),
  targets: slaTargets.refine((t) => Object.keys(t).length > 0, 'name a target for at least one priority'),
  warnBeforeMinutes: z
    .number()
    .int()
    .min(0)
    .max(60 * 24 * 30)
    .default(60),
  enabled: z.boolean().default(true),
  /** 1 is checked first; omitted on create: after the last. */
  position: z.number().int().min(1).max(10_000).optional(),
  escalationRoleId: idString.nullish(),
});
export const slaPolicyBody = policyFields;
export const slaPolicyPatch = policyFields.partial();
export type SlaPolicyInput = z.infer<typeof slaPolicyBody>;
export type SlaPolicyPatch = z.infer<typeof slaPolicyPatch>;

export const slaPolicyItem = z.object({
  id: z.string(),
  name: z.string(),
  position: z.number(),
  enabled: z.boolean(),
  businessHoursId: z.string(),
  match: z.object({
    priorities: z.array(z.enum(PRIORITIES)).optional(),
    categoryIds: z.array(z.string()).optional(),
    kinds: z.array(z.enum(TICKET_KINDS)).optional(),
  }),
  targets: slaTargets,
  warnBeforeMinutes: z.number(),
  escalationRoleId: z.string().nullable(),
});
export type SlaPolicy = z.infer<typeof slaPolicyItem>;
export const slaPolicyList = page(slaPolicyItem);
export const slaPolicyAnswer = slaPolicyItem.extend({ policy: slaPolicyItem });

/** The SLA state on a ticket answer (API.md), plus what the screens show beside it. */
export const ticketSla = z.object({
  policyId: z.string(),
  firstResponseDueAt: z.string(),
  resolutionDueAt: z.string(),
  firstRespondedAt: z.string().nullable(),
  paused: z.boolean(),
  breached: z.object({ firstResponse: z.boolean(), resolution: z.boolean() }),
  resolvedAt: z.string().nullable(),
  pausedMinutes: z.number(),
  /** True while a target is unmet, not yet due and inside its warning window. */
  atRisk: z.boolean(),
});
export type TicketSla = z.infer<typeof ticketSla>;

/** "Add N business minutes" / "business minutes between" on a stored calendar. */
export const businessHoursComputeBody = z.object({
  from: z.iso.datetime({ offset: true }),
  minutes: z
    .number()
    .int()
    .min(0)
    .max(60 * 24 * 365)
    .optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});
export const businessHoursComputeAnswer = z.object({
  dueAt: z.string().nullable(),
  minutes: z.number().nullable(),
  openNow: z.boolean(),
  nextOpenAt: z.string(),
});
