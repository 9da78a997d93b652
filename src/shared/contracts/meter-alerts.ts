// Thresholds and meter alerts (API.md "IoT meters"): what the routes take and answer. Pure zod, shared by server and web.
import { z } from 'zod';
import { idString as id, listQuery, page, queryBool } from './common.js';
import { PRIORITIES, TICKET_TITLE_MAX } from './enums.js';

export const thresholdTemplate = z.object({
  title: z.string().trim().min(1, 'is required').max(TICKET_TITLE_MAX),
  priority: z.enum(PRIORITIES).default('medium'),
  assigneeId: id.nullish(),
  teamId: id.nullish(),
  tasks: z
    .array(z.object({ title: z.string().trim().min(1, 'is required').max(500) }))
    .max(200)
    .optional(),
});

export const thresholdBody = z
  .object({
    op: z.enum(['>', '<']),
    value: z.number().min(-1e12).max(1e12),
    forSeconds: z
      .number()
      .int()
      .min(0)
      .max(30 * 86_400)
      .default(0),
    action: z.enum(['alert', 'work_order']).default('alert'),
    template: thresholdTemplate.optional(),
  })
  .refine((b) => b.action !== 'work_order' || !!b.template, {
    message: 'a work-order threshold needs a template',
    path: ['template'],
  });
export type ThresholdBody = z.infer<typeof thresholdBody>;

export const threshold = z.object({
  id: z.string(),
  meterId: z.string(),
  op: z.enum(['>', '<']),
  value: z.number(),
  forSeconds: z.number().int(),
  action: z.enum(['alert', 'work_order']),
  template: z
    .object({
      title: z.string(),
      priority: z.enum(PRIORITIES),
      assigneeId: z.string().nullable(),
      teamId: z.string().nullable(),
      tasks: z.array(z.object({ title: z.string() })),
    })
    .nullable(),
  /** within: the value is within limits; pending: past it, not for forSeconds yet; alerting: the excursion fired. */
  state: z.enum(['within', 'pending', 'alerting']),
  excursionStartedAt: z.string().nullable(),
  /** The open alert of the current excursion. */
  alertId: z.string().nullable(),
  /** The ticket number of the last work order it opened. */
  lastWorkOrder: z.number().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
});
export type Threshold = z.infer<typeof threshold>;
export const thresholdList = z.object({ items: z.array(threshold) });

export const METER_ALERT_KINDS = ['offline', 'threshold'] as const;
export const meterAlert = z.object({
  id: z.string(),
  kind: z.enum(METER_ALERT_KINDS),
  deviceId: z.string(),
  deviceName: z.string(),
  meterId: z.string().nullable(),
  meterName: z.string().nullable(),
  unit: z.string().nullable(),
  thresholdId: z.string().nullable(),
  message: z.string(),
  value: z.number().nullable(),
  /** The work order it opened: its ticket number. */
  ticket: z.number().nullable(),
  openedAt: z.string(),
  closedAt: z.string().nullable(),
  closedValue: z.number().nullable(),
  open: z.boolean(),
  /** Someone has seen it and is on it: when, who (their name at the time) and what they noted. */
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.object({ id: z.string().nullable(), name: z.string() }).nullable(),
  acknowledgeNote: z.string().nullable(),
  /** Whether the caller may acknowledge it now (meters.manage, or the assignee of its asset; not yet acknowledged). */
  canAcknowledge: z.boolean(),
});
export type MeterAlert = z.infer<typeof meterAlert>;
export const meterAlertList = page(meterAlert).extend({
  openCount: z.number().int(),
  /** Open alerts nobody has acknowledged yet (the navigation badge). */
  unacknowledgedCount: z.number().int(),
});
export type MeterAlertList = z.infer<typeof meterAlertList>;
export const meterAlertQuery = listQuery.extend({
  status: z.enum(['open', 'closed', 'all']).default('all'),
  kind: z.enum(METER_ALERT_KINDS).optional(),
  meterId: id.optional(),
  deviceId: id.optional(),
  /** true: only acknowledged alerts; false: only those nobody acknowledged. */
  acknowledged: queryBool.optional(),
});
export type MeterAlertQuery = z.infer<typeof meterAlertQuery>;

export const ACKNOWLEDGE_NOTE_MAX = 2000;
export const acknowledgeBody = z
  .object({ note: z.string().trim().max(ACKNOWLEDGE_NOTE_MAX).optional() })
  .strict()
  .default({});
export type AcknowledgeBody = z.infer<typeof acknowledgeBody>;
