// Recurring tickets and preventive maintenance plans (API.md "Recurring tickets and preventive
// maintenance"): what the routes take and answer. Pure zod, shared by server and web.
import { z } from 'zod';
import { idString as id, listQuery, page, ref, timezone } from './common.js';
import { PRIORITIES, TICKET_KINDS, TICKET_STATUSES, TICKET_TITLE_MAX } from './enums.js';

const text = (max: number) => z.string().trim().max(max);
const required = (max: number) => text(max).min(1, 'is required');
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date (YYYY-MM-DD)');
const wallTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day (HH:MM)');

export const idParams = z.object({ id });
export const task = z.object({ title: required(500) });
export type TaskTemplate = z.infer<typeof task>;
const tasks = z.array(task).max(200, 'at most 200 tasks');

// Recurring tickets ------------------------------------------------------------------------------

export const recurringTicketBody = z.object({
  title: required(TICKET_TITLE_MAX),
  kind: z.enum(TICKET_KINDS).default('work_order'),
  priority: z.enum(PRIORITIES).default('medium'),
  categoryId: id.nullish(),
  assigneeId: id.nullish(),
  teamId: id.nullish(),
  assetIds: z.array(id).max(50).optional(),
  description: text(20_000).optional(),
  tasks: tasks.default([]),
  rrule: required(500),
  startsOn: day.optional(),
  timezone: timezone.optional(),
  time: wallTime,
  active: z.boolean().default(true),
});
export type RecurringTicketBody = z.infer<typeof recurringTicketBody>;
export const recurringTicketPatch = z.object({
  title: required(TICKET_TITLE_MAX).optional(),
  kind: z.enum(TICKET_KINDS).optional(),
  priority: z.enum(PRIORITIES).optional(),
  categoryId: id.nullish(),
  assigneeId: id.nullish(),
  teamId: id.nullish(),
  assetIds: z.array(id).max(50).optional(),
  description: text(20_000).optional(),
  tasks: tasks.optional(),
  rrule: required(500).optional(),
  startsOn: day.optional(),
  timezone: timezone.optional(),
  time: wallTime.optional(),
  active: z.boolean().optional(),
  /** The version read; a stale one is 409. */
  version: z.number().int().min(1).optional(),
});
export type RecurringTicketPatch = z.infer<typeof recurringTicketPatch>;

export const recurringTicket = z.object({
  id: z.string(),
  title: z.string(),
  kind: z.enum(TICKET_KINDS),
  priority: z.enum(PRIORITIES),
  categoryId: z.string().nullable(),
  assigneeId: z.string().nullable(),
  teamId: z.string().nullable(),
  assetIds: z.array(z.string()),
  description: z.string(),
  tasks: z.array(task),
  rrule: z.string(),
  startsOn: z.string(),
  timezone: z.string(),
  time: z.string(),
  active: z.boolean(),
  nextRunAt: z.string().nullable(),
  lastError: z.string().nullable(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type RecurringTicket = z.infer<typeof recurringTicket>;
export const recurringTicketAnswer = z.object({ recurringTicket }).extend(recurringTicket.shape);
export const recurringTicketListQuery = listQuery.extend({ q: text(200).optional(), active: z.enum(['true', 'false']).optional() });
export const recurringTicketList = page(recurringTicket);

export const occurrencesQuery = z.object({
  count: z.coerce.number().int().min(1).max(100).default(10),
  /** Preview an unsaved rule: the editor sends its fields (all four, or none to use the saved rule). */
  rrule: text(500).optional(),
  startsOn: day.optional(),
  time: wallTime.optional(),
  timezone: timezone.optional(),
});
export const occurrences = z.object({ items: z.array(z.string()), timezone: z.string() });
export const previewQuery = occurrencesQuery.extend({ rrule: required(500), time: wallTime });

export const run = z.object({
  occurrence: z.string(),
  ticketNumber: z.number().nullable(),
  ticketStatus: z.enum(TICKET_STATUSES).nullable(),
  createdAt: z.string(),
  late: z.boolean(),
});
export type RecurringRun = z.infer<typeof run>;
export const runListQuery = listQuery;
export const runList = page(run);

// Maintenance plans ------------------------------------------------------------------------------

export const PLAN_UNITS = ['day', 'week', 'month'] as const;
export type PlanUnit = (typeof PLAN_UNITS)[number];
export const intervalTrigger = z.object({
  type: z.literal('interval'),
  every: z.number({ error: 'is required: a plan needs an interval' }).int().min(1, 'must be at least 1').max(1000),
  unit: z.enum(PLAN_UNITS),
  from: z.enum(['schedule', 'completion']).default('schedule'),
  startsOn: day.optional(),
});
export const meterTrigger = z.object({ type: z.literal('meter'), meterId: id, everyUnits: z.number().positive().max(1e12) });
export const thresholdTrigger = z.object({
  type: z.literal('threshold'),
  meterId: id,
  op: z.enum(['>', '<']),
  value: z.number().min(-1e12).max(1e12),
  forSeconds: z
    .number()
    .int()
    .min(0)
    .max(30 * 86_400),
});
export const trigger = z.discriminatedUnion('type', [intervalTrigger, meterTrigger, thresholdTrigger]);
export type PlanTriggerInput = z.infer<typeof trigger>;

export const planPart = z.object({ partId: id, quantity: z.number().positive().max(1e9) });
export const planTemplate = z.object({
  priority: z.enum(PRIORITIES).default('medium'),
  assigneeId: id.nullish(),
  teamId: id.nullish(),
  description: text(20_000).optional(),
  tasks: tasks.default([]),
  parts: z.array(planPart).max(100).default([]),
});
export const planBody = z.object({
  title: required(TICKET_TITLE_MAX),
  trigger,
  leadDays: z.number().int().min(0).max(365).default(0),
  template: planTemplate,
  active: z.boolean().default(true),
});
export type PlanBody = z.infer<typeof planBody>;
export const planPatch = z.object({
  title: required(TICKET_TITLE_MAX).optional(),
  trigger: trigger.optional(),
  leadDays: z.number().int().min(0).max(365).optional(),
  template: planTemplate.optional(),
  active: z.boolean().optional(),
  version: z.number().int().min(1).optional(),
});
export type PlanPatch = z.infer<typeof planPatch>;

export const plan = z.object({
  id: z.string(),
  asset: z.object({ id: z.string(), tag: z.string(), name: z.string() }),
  title: z.string(),
  trigger: z.union([
    intervalTrigger.extend({ from: z.enum(['schedule', 'completion']), startsOn: z.string() }),
    meterTrigger,
    thresholdTrigger,
  ]),
  leadDays: z.number(),
  template: z.object({
    priority: z.enum(PRIORITIES),
    assigneeId: z.string().nullable(),
    teamId: z.string().nullable(),
    description: z.string(),
    tasks: z.array(task),
    parts: z.array(z.object({ partId: z.string(), quantity: z.number(), name: z.string().nullable() })),
  }),
  /** Interval plans: the due day (its start in the company's zone); null while a completion-mode work order is open. */
  nextDueAt: z.string().nullable(),
  nextDueOn: z.string().nullable(),
  /** Meter plans: the counter reading at which the next work order opens (null until the meter has a reading). */
  nextDueValue: z.number().nullable(),
  /** The open work order's ticket number. */
  openWorkOrder: z.number().nullable(),
  lastCompletedAt: z.string().nullable(),
  /** Every trigger fires (interval by the scheduler, meter and threshold from the readings); kept for older clients. */
  fires: z.boolean(),
  overdue: z.boolean(),
  active: z.boolean(),
  lastError: z.string().nullable(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Plan = z.infer<typeof plan>;
export const planAnswer = z.object({ plan }).extend(plan.shape);
export const planList = page(plan);
export const planListQuery = listQuery.extend({ due: z.enum(['week', 'overdue', 'all']).default('all') });
export const assetParams = z.object({ id });

export const workOrder = z.object({
  dueAt: z.string(),
  ticketNumber: z.number().nullable(),
  title: z.string().nullable(),
  status: z.enum(TICKET_STATUSES).nullable(),
  resolvedAt: z.string().nullable(),
  late: z.boolean(),
  manual: z.boolean(),
  createdAt: z.string(),
});
export type WorkOrderRun = z.infer<typeof workOrder>;
export const workOrderList = page(workOrder);
export const generatedAnswer = z.object({
  ticket: z.object({
    id: z.string(),
    number: z.number(),
    title: z.string(),
    status: z.enum(TICKET_STATUSES),
    dueAt: z.string().nullable(),
  }),
  plan,
});

export { ref };
