// Costs and reports (API.md "Costs and reports"): the cost report and the lines behind each total,
// the service-desk report and the reliability report. Money is a decimal number in the company
// currency (each line rounded half-up to cents, totals summed exactly in the database); `from` and
// `to` are days in the company's zone, `to` inclusive.
import { z } from 'zod';
import { isDateOnly } from '../time/index.js';
import { idString, listQuery, page } from './common.js';

export const COST_GROUPS = ['department', 'costCode', 'asset', 'location', 'technician', 'category', 'month'] as const;
export type CostGroup = (typeof COST_GROUPS)[number];
export const TICKET_REPORT_GROUPS = ['status', 'priority', 'category', 'technician', 'week'] as const;
export type TicketReportGroup = (typeof TICKET_REPORT_GROUPS)[number];
export const COST_SOURCES = ['labour', 'parts', 'purchases'] as const;
export type CostSource = (typeof COST_SOURCES)[number];
export const REPORT_FORMATS = ['json', 'csv', 'xlsx'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The key of the row that collects what has no value for the grouping (no department, no asset …). */
export const NONE_KEY = 'none';

const day = z.string().refine(isDateOnly, 'must be a date like 2026-03-31');
const period = {
  from: day.optional().describe('First day, in the company zone (default: 1 January of this year)'),
  to: day.optional().describe('Last day, inclusive (default: today)'),
  format: z.enum(REPORT_FORMATS).default('json').describe('json, or the report as a csv or xlsx file'),
};

export const costReportQuery = z.object({
  ...period,
  groupBy: z.enum(COST_GROUPS).default('month'),
  purchases: z.enum(['received', 'ordered']).default('received').describe('Count purchases by received (default) or by ordered quantities'),
  parentId: idString.optional().describe('groupBy=location: the location whose sub-locations are the rows (default: the top level)'),
});
export type CostReportQuery = z.infer<typeof costReportQuery>;

const money = z.number().describe('In the company currency');
const costAmounts = { labour: money, parts: money, purchases: money, total: money };
export const costRow = z.object({
  key: z.string().describe(`The group's id, cost code or month (YYYY-MM); "${NONE_KEY}" for what has none`),
  label: z.string(),
  ...costAmounts,
  hasChildren: z.boolean().optional().describe('groupBy=location: the row has sub-locations to drill into'),
});
export type CostRow = z.infer<typeof costRow>;
export const costReport = z.object({
  rows: z.array(costRow),
  totals: z.object(costAmounts),
  currency: z.string(),
  from: z.string(),
  to: z.string(),
  groupBy: z.enum(COST_GROUPS),
  purchases: z.enum(['received', 'ordered']),
  parent: z
    .object({ id: z.string(), name: z.string(), parentId: z.string().nullable() })
    .nullable()
    .describe('groupBy=location with parentId'),
});
export type CostReport = z.infer<typeof costReport>;

export const costLinesQuery = costReportQuery.omit({ format: true }).extend({
  ...listQuery.shape,
  key: z.string().max(60).optional().describe('One row of the report (its `key`); without it, every line of the period'),
  format: z.enum(REPORT_FORMATS).default('json').describe('json (a page), or every line as a csv or xlsx file'),
});
export type CostLinesQuery = z.infer<typeof costLinesQuery>;
export const costLine = z.object({
  source: z.enum(COST_SOURCES),
  id: z.string().describe('The time entry, stock movement, receipt or order line'),
  at: z.string(),
  amount: money.describe("The line's cost (for groupBy=asset: this asset's share)"),
  description: z.string(),
  quantity: z.number().nullable().describe('Minutes of labour, units of parts or purchases'),
  ticketNumber: z.number().nullable(),
  purchaseOrder: z.object({ id: z.string(), number: z.string().nullable() }).nullable(),
  person: z.string().nullable().describe('Who worked, or who took the parts'),
});
export type CostLine = z.infer<typeof costLine>;
export const costLinePage = page(costLine);

export const ticketReportQuery = z.object({
  ...period,
  groupBy: z.enum(TICKET_REPORT_GROUPS).default('status'),
});
export type TicketReportQuery = z.infer<typeof ticketReportQuery>;
export const ticketReportRow = z.object({
  key: z.string().describe(`Status, priority, category or technician id, or the week's Monday (YYYY-MM-DD); "${NONE_KEY}" for none`),
  label: z.string(),
  count: z.number().describe('Tickets created in the period'),
  open: z.number().describe('Of those, not resolved, closed or rejected now'),
  backlogAgeDaysAvg: z.number().nullable().describe('Average age in days of the open ones'),
  firstResponseMinutesAvg: z.number().nullable().describe("Average minutes to staff's first public reply"),
  resolutionMinutesAvg: z.number().nullable().describe('Average minutes from creation to resolution'),
  slaMet: z.number().describe('Tickets under an SLA that met every target'),
  slaBreached: z.number().describe('Tickets under an SLA that breached a target'),
});
export type TicketReportRow = z.infer<typeof ticketReportRow>;
export const ticketReport = z.object({
  rows: z.array(ticketReportRow),
  totals: ticketReportRow.omit({ key: true, label: true }),
  from: z.string(),
  to: z.string(),
  groupBy: z.enum(TICKET_REPORT_GROUPS),
});
export type TicketReport = z.infer<typeof ticketReport>;

export const reliabilityQuery = z.object({ ...period, categoryId: idString.optional().describe('Only assets of this asset category') });
export type ReliabilityQuery = z.infer<typeof reliabilityQuery>;
const reliabilityFigures = {
  downtimeMinutes: z.number().describe('Minutes down within the period'),
  failures: z.number().describe('Failure work orders that started in the period'),
  mtbfHours: z.number().nullable().describe('Mean time between failures: hours in service / failures'),
  mttrHours: z.number().nullable().describe('Mean time to repair: hours down / failures'),
};
export const reliabilityRow = z.object({
  assetId: z.string(),
  tag: z.string(),
  name: z.string(),
  category: z.object({ id: z.string(), name: z.string() }).nullable(),
  ...reliabilityFigures,
});
export type ReliabilityRow = z.infer<typeof reliabilityRow>;
export const reliabilityReport = z.object({
  rows: z.array(reliabilityRow).describe('Per asset with a failure or downtime in the period, most downtime first'),
  categories: z.array(z.object({ categoryId: z.string(), label: z.string(), assets: z.number(), ...reliabilityFigures })),
  from: z.string(),
  to: z.string(),
});
export type ReliabilityReport = z.infer<typeof reliabilityReport>;

export const reportFile = z.string().describe('text/csv or the XLSX workbook, when `format` asks for a file');

// Saved reports and schedules -------------------------------------------------------------------

export const REPORT_KINDS = ['costs', 'tickets', 'reliability'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];
/** Periods a saved or scheduled report reads, relative to the day it runs (in the company zone). */
export const RELATIVE_PERIODS = [
  'today',
  'yesterday',
  'thisWeek',
  'lastWeek',
  'last7Days',
  'last30Days',
  'thisMonth',
  'lastMonth',
  'thisQuarter',
  'lastQuarter',
  'thisYear',
  'lastYear',
] as const;
export type RelativePeriod = (typeof RELATIVE_PERIODS)[number];

export const reportParams = z
  .object({
    period: z.enum(RELATIVE_PERIODS).optional().describe('Relative to the day the report runs; or fixed `from`/`to`'),
    from: day.optional(),
    to: day.optional(),
    groupBy: z.string().max(20).optional(),
    purchases: z.enum(['received', 'ordered']).optional(),
    parentId: idString.optional(),
    categoryId: idString.optional(),
  })
  .strict()
  .describe("The report's query (groupBy etc.) and its period");
export type ReportParams = z.infer<typeof reportParams>;

const recipient = z.string().trim().toLowerCase().email('must be an e-mail address').max(254);
export const reportScheduleBody = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  report: z.enum(REPORT_KINDS),
  params: reportParams.default({}),
  rrule: z.string().trim().min(1).max(500).describe('RFC 5545 RRULE, e.g. FREQ=MONTHLY;BYMONTHDAY=1'),
  startsOn: day.optional(),
  timezone: z.string().trim().min(1).max(64).optional().describe("IANA zone; default the company's"),
  time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time like 07:30'),
  format: z.enum(['xlsx', 'csv']),
  recipients: z.array(recipient).min(1).max(50),
  active: z.boolean().default(true),
});
export type ReportScheduleInput = z.infer<typeof reportScheduleBody>;
export const reportSchedulePatch = reportScheduleBody.partial();
export type ReportSchedulePatch = z.infer<typeof reportSchedulePatch>;

export const reportRun = z.object({
  id: z.string(),
  occurrence: z.string(),
  status: z.enum(['sent', 'failed']),
  error: z.string().nullable(),
  skipped: z.number().describe('Earlier occurrences missed while no worker ran (the report ran once, for this one)'),
  rows: z.number().nullable(),
  file: z.object({ name: z.string(), size: z.number(), attached: z.boolean(), linkExpiresAt: z.string().nullable() }).nullable(),
  createdAt: z.string(),
});
export type ReportRun = z.infer<typeof reportRun>;

export const reportSchedule = z.object({
  id: z.string(),
  name: z.string(),
  report: z.enum(REPORT_KINDS),
  params: reportParams,
  rrule: z.string(),
  startsOn: z.string(),
  timezone: z.string(),
  time: z.string(),
  format: z.enum(['xlsx', 'csv']),
  recipients: z.array(z.string()),
  active: z.boolean(),
  nextRunAt: z.string().nullable(),
  createdBy: z.object({ id: z.string(), name: z.string() }),
  lastRun: reportRun.nullable(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ReportSchedule = z.infer<typeof reportSchedule>;
export const reportScheduleAnswer = reportSchedule.extend({ reportSchedule });
export const reportSchedulePage = page(reportSchedule);
export const reportRunPage = page(reportRun);
export const reportScheduleOccurrences = z.object({ items: z.array(z.string()) });

/** The columns (measures) each report returns, which a saved report may choose to show. */
export const REPORT_FIELDS = {
  costs: ['labour', 'parts', 'purchases', 'total'],
  tickets: ['count', 'open', 'backlogAgeDaysAvg', 'firstResponseMinutesAvg', 'resolutionMinutesAvg', 'slaMet', 'slaBreached'],
  reliability: ['downtimeMinutes', 'failures', 'mtbfHours', 'mttrHours'],
} as const satisfies Record<ReportKind, readonly string[]>;
export const SAVED_CHARTS = ['bar', 'line', 'pie', 'table'] as const;
export type SavedChart = (typeof SAVED_CHARTS)[number];

export const savedReportBody = z.object({
  name: z.string().trim().min(1).max(200),
  report: z.enum(REPORT_KINDS),
  params: reportParams.default({}),
  fields: z
    .array(z.string().max(40))
    .max(20)
    .default([])
    .describe("The report's columns the table and chart show (REPORT_FIELDS of the report); empty: all of them"),
  chart: z.enum(SAVED_CHARTS).default('bar'),
  shared: z.boolean().default(false),
});
export type SavedReportInput = z.infer<typeof savedReportBody>;
export const savedReportPatch = savedReportBody.partial();
export const savedReport = z.object({
  id: z.string(),
  name: z.string(),
  report: z.enum(REPORT_KINDS),
  params: reportParams,
  fields: z.array(z.string()),
  chart: z.enum(SAVED_CHARTS),
  shared: z.boolean(),
  owner: z.object({ id: z.string(), name: z.string() }),
  mine: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SavedReport = z.infer<typeof savedReport>;
export const savedReportAnswer = savedReport.extend({ savedReport });
export const savedReportPage = page(savedReport);
