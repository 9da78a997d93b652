// Scheduling's value lists, zod-free so the web client may import them.
export const SCHEDULE_KINDS = ['shift', 'job', 'on_call'] as const;
export type ScheduleKind = (typeof SCHEDULE_KINDS)[number];
export const TIME_OFF_KINDS = ['vacation', 'sick', 'other'] as const;
export type TimeOffKind = (typeof TIME_OFF_KINDS)[number];
export const TIME_OFF_STATUSES = ['requested', 'approved', 'rejected'] as const;
export type TimeOffStatus = (typeof TIME_OFF_STATUSES)[number];
