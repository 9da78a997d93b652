// The service-desk report: tickets created in the period by a grouping, with the open backlog and
// its age, first-response and resolution times, and SLA results.
import { Group, ScrollArea, Select, Skeleton, Table } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import type { Query } from '../../lib/api';
import { TICKET_REPORT_GROUPS, type TicketReport, useTicketReport } from './api';
import { DownloadMenu } from './DownloadMenu';

type Figures = TicketReport['totals'];

/** Minutes as "2 h 05 min" or "3 d 4 h". */
export function duration(minutes: number | null): string {
  if (minutes === null) return '—';
  const m = Math.round(minutes);
  if (m < 60) return `${m} min`;
  if (m < 24 * 60) return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
  return `${Math.floor(m / 1440)} d ${Math.floor((m % 1440) / 60)} h`;
}

function Cells({ f }: { f: Figures }) {
  return (
    <>
      <Table.Td ta="right">{f.count}</Table.Td>
      <Table.Td ta="right">{f.open}</Table.Td>
      <Table.Td ta="right">{f.backlogAgeDaysAvg ?? '—'}</Table.Td>
      <Table.Td ta="right">{duration(f.firstResponseMinutesAvg)}</Table.Td>
      <Table.Td ta="right">{duration(f.resolutionMinutesAvg)}</Table.Td>
      <Table.Td ta="right">{f.slaMet}</Table.Td>
      <Table.Td ta="right">{f.slaBreached}</Table.Td>
    </>
  );
}

export function TicketsReport({
  period,
  params,
  set,
}: {
  period: Query;
  params: URLSearchParams;
  set: (c: Record<string, string | null>) => void;
}) {
  const { t } = useTranslation();
  const groupBy = params.get('groupBy') ?? 'status';
  const query: Query = { ...period, groupBy };
  const report = useTicketReport(query);
  const data = report.data;
  return (
    <>
      <Group mb="md" gap="sm" align="flex-end" wrap="wrap">
        <Select
          label={t('reports.groupBy')}
          value={groupBy}
          allowDeselect={false}
          onChange={(v) => set({ groupBy: v })}
          data={TICKET_REPORT_GROUPS.map((g) => ({ value: g, label: t(`reports.ticketGroups.${g}`) }))}
          data-testid="ticket-group"
          w={200}
        />
        <Group ml="auto">
          <DownloadMenu path="/api/v1/reports/tickets" query={query} testId="tickets-download" />
        </Group>
      </Group>
      {report.error && <ErrorAlert error={report.error} />}
      {report.isPending && <Skeleton h={200} />}
      {data && data.rows.length === 0 && <EmptyState message={t('reports.noTickets')} />}
      {data && data.rows.length > 0 && (
        <ScrollArea type="auto">
          <Table striped miw={760} data-testid="ticket-report">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t(`reports.ticketGroups.${groupBy}`)}</Table.Th>
                <Table.Th ta="right">{t('reports.created')}</Table.Th>
                <Table.Th ta="right">{t('reports.open')}</Table.Th>
                <Table.Th ta="right">{t('reports.backlogAge')}</Table.Th>
                <Table.Th ta="right">{t('reports.firstResponse')}</Table.Th>
                <Table.Th ta="right">{t('reports.resolution')}</Table.Th>
                <Table.Th ta="right">{t('reports.slaMet')}</Table.Th>
                <Table.Th ta="right">{t('reports.slaBreached')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.rows.map((r) => (
                <Table.Tr key={r.key}>
                  <Table.Td>{r.label}</Table.Td>
                  <Cells f={r} />
                </Table.Tr>
              ))}
            </Table.Tbody>
            <Table.Tfoot>
              <Table.Tr>
                <Table.Th>{t('reports.total')}</Table.Th>
                <Cells f={data.totals} />
              </Table.Tr>
            </Table.Tfoot>
          </Table>
        </ScrollArea>
      )}
    </>
  );
}
