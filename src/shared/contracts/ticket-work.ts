// A ticket's work: its checklist (tasks), reusable checklists (processes) and time entries.
import { z } from 'zod';
import { idString, name, page, ref, wrapped } from './common.js';
import { ticketNumberParam } from './tickets.js';

const taskTitle = z.string().trim().min(1, 'is required').max(500);

export const task = z.object({
  id: z.string(),
  title: z.string(),
  position: z.number(),
  done: z.boolean(),
  doneBy: ref.nullable(),
  doneAt: z.string().nullable(),
  createdAt: z.string(),
});
export type Task = z.infer<typeof task>;
/** A page of the checklist in order; `done` and `total` count the whole checklist. */
export const taskList = page(task).extend({ done: z.number(), total: z.number() });
export type TaskList = z.infer<typeof taskList>;
export const taskAnswer = wrapped('task', task);
export const addTaskBody = z.object({ title: taskTitle });
export const updateTaskBody = z.object({
  title: taskTitle.optional(),
  done: z.boolean().optional(),
  position: z.number().int().min(0).max(100_000).optional(),
});

export const process = z.object({ id: z.string(), name: z.string(), tasks: z.array(z.string()), can: z.object({ update: z.boolean() }) });
export type Process = z.infer<typeof process>;
export const processList = page(process);
export const processAnswer = wrapped('process', process);
export const createProcessBody = z.object({ name, tasks: z.array(taskTitle).max(200).default([]) });
export const updateProcessBody = z.object({ name: name.optional(), tasks: z.array(taskTitle).max(200).optional() });
export const applyProcessParams = ticketNumberParam.extend({ id: idString });

export const timeEntry = z.object({
  id: z.string(),
  user: ref,
  minutes: z.number(),
  billable: z.boolean(),
  rate: z.string().nullable(),
  note: z.string().nullable(),
  spentOn: z.string(),
  createdAt: z.string(),
});
export type TimeEntry = z.infer<typeof timeEntry>;
export const timeTotals = z.object({ minutes: z.number(), billableMinutes: z.number(), billableAmount: z.string() });
export type TimeTotals = z.infer<typeof timeTotals>;
/** A page of the entries (by day spent, oldest first); `totals` sum every entry of the ticket. */
export const timeEntryList = page(timeEntry).extend({ totals: timeTotals });
export type TimeEntryList = z.infer<typeof timeEntryList>;
const rate = z
  .union([z.number(), z.string().regex(/^\d{1,10}(\.\d{1,2})?$/, 'must be an amount like 45.50')])
  .transform((v) => Number(v))
  .pipe(z.number().min(0).max(9_999_999_999.99))
  .transform((v) => v.toFixed(2));
const day = z.union([
  z.iso.datetime({ offset: true }).transform((s) => new Date(s)),
  z.iso.date().transform((s) => new Date(`${s}T12:00:00Z`)),
]);
export const logTimeBody = z.object({
  minutes: z.number().int().min(1).max(1440),
  billable: z.boolean().default(false),
  rate: rate.nullish(),
  note: z.string().trim().max(2000).nullish(),
  spentOn: day.optional(),
});
export type LogTimeInput = z.input<typeof logTimeBody>;
/** The new entry, the first page of the entries and the new totals. */
export const loggedTime = timeEntryList.extend({ entry: timeEntry });
