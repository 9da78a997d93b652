// What a saved report runs and shows: its API path and query (a relative period resolved to days in
// the company's zone), the labels of its columns, and its rows as label + the chosen figures.
import type { ReportKind, ReportParams, SavedReport } from '../../../shared/contracts/reports';
import { REPORT_FIELDS } from '../../../shared/contracts/reports';
import { relativePeriod } from '../../../shared/time/relative-periods';
import type { Query } from '../../lib/api';
import type { CostReport, ReliabilityReport, TicketReport } from './api';

export const REPORT_PATH: Record<ReportKind, string> = {
  costs: '/api/v1/reports/costs',
  tickets: '/api/v1/reports/tickets',
  reliability: '/api/v1/reports/assets/reliability',
};

/** The i18n key of each column's heading (the same as the report tabs use). */
export const FIELD_LABEL: Record<string, string> = {
  labour: 'reports.labour',
  parts: 'reports.parts',
  purchases: 'reports.purchases',
  total: 'reports.total',
  count: 'reports.created',
  open: 'reports.open',
  backlogAgeDaysAvg: 'reports.backlogAge',
  firstResponseMinutesAvg: 'reports.firstResponse',
  resolutionMinutesAvg: 'reports.resolution',
  slaMet: 'reports.slaMet',
  slaBreached: 'reports.slaBreached',
  downtimeMinutes: 'reports.downtime',
  failures: 'reports.failures',
  mtbfHours: 'reports.mtbf',
  mttrHours: 'reports.mttr',
};

export const fieldsOf = (s: Pick<SavedReport, 'report' | 'fields'>): string[] =>
  s.fields.length > 0 ? s.fields : [...REPORT_FIELDS[s.report]];

/** The report's query for today: the relative period as from/to in `zone`, the rest as saved. */
export function queryOf(params: ReportParams, zone: string, now = new Date()): Query {
  const { period, ...rest } = params;
  return { ...rest, ...(period ? relativePeriod(period, zone, now) : {}) };
}

export interface SavedRow {
  key: string;
  label: string;
  values: Record<string, number | null>;
}

type AnyReport = CostReport | TicketReport | ReliabilityReport;

/** A report's rows as label + figures, whatever its kind. */
export function rowsOf(kind: ReportKind, data: AnyReport): SavedRow[] {
  const pick = (r: Record<string, unknown>): Record<string, number | null> =>
    Object.fromEntries(REPORT_FIELDS[kind].map((f) => [f, (r[f] as number | null | undefined) ?? null]));
  if (kind === 'reliability') {
    return (data as ReliabilityReport).rows.map((r) => ({ key: r.assetId, label: `${r.tag} ${r.name}`, values: pick(r) }));
  }
  return (data as CostReport | TicketReport).rows.map((r) => ({ key: r.key, label: r.label, values: pick(r) }));
}
