// Asset reliability: downtime, failures, MTBF and MTTR per asset category and per asset, from work
// orders marked as failures (the ticket's "failure" and downtime window).
import { Anchor, ScrollArea, Skeleton, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import type { Query } from '../../lib/api';
import { useReliabilityReport } from './api';
import { DownloadMenu } from './DownloadMenu';
import { duration } from './TicketsReport';

const h = (v: number | null) => (v === null ? '—' : v.toLocaleString(undefined, { maximumFractionDigits: 1 }));

export function ReliabilityReportView({ period }: { period: Query }) {
  const { t } = useTranslation();
  const report = useReliabilityReport(period);
  const data = report.data;
  return (
    <>
      <Text size="sm" c="dimmed" mb="sm">
        {t('reports.reliabilityHint')}
      </Text>
      <DownloadMenu path="/api/v1/reports/assets/reliability" query={period} testId="reliability-download" />
      {report.error && <ErrorAlert error={report.error} />}
      {report.isPending && <Skeleton h={200} mt="md" />}
      {data && data.rows.length === 0 && <EmptyState message={t('reports.noFailures')} />}
      {data && data.rows.length > 0 && (
        <>
          <Title order={3} size="h4" mt="md" mb="xs">
            {t('reports.byCategory')}
          </Title>
          <ScrollArea type="auto">
            <Table striped miw={560} data-testid="reliability-categories">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('reports.category')}</Table.Th>
                  <Table.Th ta="right">{t('reports.failures')}</Table.Th>
                  <Table.Th ta="right">{t('reports.downtime')}</Table.Th>
                  <Table.Th ta="right">{t('reports.mtbf')}</Table.Th>
                  <Table.Th ta="right">{t('reports.mttr')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.categories.map((c) => (
                  <Table.Tr key={c.categoryId}>
                    <Table.Td>{t('reports.categoryAssets', { name: c.label, count: c.assets })}</Table.Td>
                    <Table.Td ta="right">{c.failures}</Table.Td>
                    <Table.Td ta="right">{duration(c.downtimeMinutes)}</Table.Td>
                    <Table.Td ta="right">{h(c.mtbfHours)}</Table.Td>
                    <Table.Td ta="right">{h(c.mttrHours)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea>
          <Title order={3} size="h4" mt="md" mb="xs">
            {t('reports.byAsset')}
          </Title>
          <ScrollArea type="auto">
            <Table striped miw={640} data-testid="reliability-assets">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('reports.asset')}</Table.Th>
                  <Table.Th>{t('reports.category')}</Table.Th>
                  <Table.Th ta="right">{t('reports.failures')}</Table.Th>
                  <Table.Th ta="right">{t('reports.downtime')}</Table.Th>
                  <Table.Th ta="right">{t('reports.mtbf')}</Table.Th>
                  <Table.Th ta="right">{t('reports.mttr')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.rows.map((r) => (
                  <Table.Tr key={r.assetId}>
                    <Table.Td>
                      <Anchor component={Link} to={`/assets/${r.assetId}`}>
                        {r.tag} {r.name}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{r.category?.name ?? '—'}</Table.Td>
                    <Table.Td ta="right">{r.failures}</Table.Td>
                    <Table.Td ta="right">{duration(r.downtimeMinutes)}</Table.Td>
                    <Table.Td ta="right">{h(r.mtbfHours)}</Table.Td>
                    <Table.Td ta="right">{h(r.mttrHours)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea>
        </>
      )}
    </>
  );
}
