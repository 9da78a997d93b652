// Reports' calls and query keys; the shapes are the server's contracts (src/shared/contracts/reports.ts).
import { useQuery } from '@tanstack/react-query';
import type { CostLine, CostReport, ReliabilityReport, TicketReport } from '../../../shared/contracts/reports';
import { get, type Query, withQuery } from '../../lib/api';
import { useKeysetList } from '../../lib/lists';

export type { CostLine, CostReport, ReliabilityReport, TicketReport };
export { COST_GROUPS, TICKET_REPORT_GROUPS, NONE_KEY } from '../../../shared/contracts/reports';

export const useCostReport = (q: Query) =>
  useQuery({ queryKey: ['reports', 'costs', q], queryFn: ({ signal }) => get<CostReport>('/api/v1/reports/costs', q, signal) });
export const useTicketReport = (q: Query) =>
  useQuery({ queryKey: ['reports', 'tickets', q], queryFn: ({ signal }) => get<TicketReport>('/api/v1/reports/tickets', q, signal) });
export const useReliabilityReport = (q: Query) =>
  useQuery({
    queryKey: ['reports', 'reliability', q],
    queryFn: ({ signal }) => get<ReliabilityReport>('/api/v1/reports/assets/reliability', q, signal),
  });
export const useCostLines = (q: Query, enabled: boolean) =>
  useKeysetList<CostLine>(['reports', 'cost-lines'], '/api/v1/reports/costs/lines', q, enabled);

/** The address of a report's file (the browser downloads it with the session cookie). */
export const fileUrl = (path: string, q: Query, format: 'csv' | 'xlsx') => withQuery(path, { ...q, format });
