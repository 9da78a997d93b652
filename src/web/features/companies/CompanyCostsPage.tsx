// Super admin: costs by client company (GET /api/v1/admin/reports/costs): every company's labour,
// parts and purchases over a period, each in its own currency (amounts are never added across them).
import { Button, Group, ScrollArea, Select, Skeleton, Table, Text } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { CompanyCosts } from '../../../shared/contracts/company-costs';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { PeriodInputs } from '../../components/PeriodInputs';
import { get, withQuery } from '../../lib/api';
import { useAddressParams } from '../../lib/useAddressParams';

const today = () => new Date().toISOString().slice(0, 10);

export function CompanyCostsPage() {
  const { t, i18n } = useTranslation();
  const [params, set] = useAddressParams();
  const to = params.get('to') ?? today();
  const from = params.get('from') ?? `${to.slice(0, 4)}-01-01`;
  const purchases = params.get('purchases') === 'ordered' ? 'ordered' : 'received';
  const query = { from, to, purchases };
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to) && from <= to;
  const report = useQuery({
    queryKey: ['admin', 'company-costs', query],
    queryFn: ({ signal }) => get<CompanyCosts>('/api/v1/admin/reports/costs', query, signal),
    enabled: valid,
    placeholderData: keepPreviousData,
  });
  const money = (value: number, currency: string) => {
    try {
      return new Intl.NumberFormat(i18n.language, { style: 'currency', currency }).format(value);
    } catch {
      return `${value.toFixed(2)} ${currency}`;
    }
  };
  const rows = report.data?.rows ?? [];
  return (
    <>
      <PageHeader title={t('companyCosts.title')} description={t('companyCosts.subtitle')} />
      <Group mb="md" gap="sm" align="flex-end" wrap="wrap">
        <PeriodInputs from={from} to={to} onChange={set} testId="company-costs" />
        <Select
          label={t('reports.purchasesBy')}
          value={purchases}
          allowDeselect={false}
          onChange={(v) => set({ purchases: v === 'ordered' ? v : null })}
          data={[
            { value: 'received', label: t('reports.purchasesReceived') },
            { value: 'ordered', label: t('reports.purchasesOrdered') },
          ]}
          w={200}
          data-testid="company-costs-purchases"
        />
        <Button component="a" variant="subtle" href={withQuery('/api/v1/admin/reports/costs', { ...query, format: 'csv' })} download>
          {t('reports.csv')}
        </Button>
      </Group>
      {!valid && <Text c="red">{t('companyCosts.badPeriod')}</Text>}
      <ErrorAlert error={report.error} onRetry={() => report.refetch()} />
      {report.isLoading ? (
        <Skeleton h={120} />
      ) : rows.length === 0 ? (
        <EmptyState message={t('companies.none')} />
      ) : (
        <ScrollArea type="auto">
          <Table striped highlightOnHover miw={560} data-testid="company-costs-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('companyCosts.company')}</Table.Th>
                <Table.Th ta="right">{t('reports.labour')}</Table.Th>
                <Table.Th ta="right">{t('reports.parts')}</Table.Th>
                <Table.Th ta="right">{t('reports.purchases')}</Table.Th>
                <Table.Th ta="right">{t('reports.total')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={r.companyId} data-testid={`company-costs-row-${r.slug}`}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {r.name}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {r.slug} · {r.currency}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right">{money(r.labour, r.currency)}</Table.Td>
                  <Table.Td ta="right">{money(r.parts, r.currency)}</Table.Td>
                  <Table.Td ta="right">{money(r.purchases, r.currency)}</Table.Td>
                  <Table.Td ta="right" fw={600}>
                    {money(r.total, r.currency)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      )}
    </>
  );
}
