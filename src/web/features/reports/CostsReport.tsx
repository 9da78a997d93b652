// The cost report: labour, parts and purchases by a grouping, as a stacked chart and a table with
// totals; a row opens the lines behind it; locations roll up the tree and open into their children.
import { Anchor, Badge, Breadcrumbs, Button, Drawer, Group, ScrollArea, Select, Skeleton, Table, Text } from '@mantine/core';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LoadMore } from '../../components/LoadMore';
import type { Query } from '../../lib/api';
import { useFormatMoney } from '../../lib/company';
import { COST_GROUPS, type CostReport, useCostLines, useCostReport } from './api';
import { DownloadMenu } from './DownloadMenu';
import { SaveAsReportButton } from './SaveAsReportButton';

const CostChart = lazy(() => import('./CostChart').then((m) => ({ default: m.CostChart })));

type Row = CostReport['rows'][number];

export function CostsReport({
  period,
  params,
  set,
}: {
  period: Query;
  params: URLSearchParams;
  set: (c: Record<string, string | null>) => void;
}) {
  const { t } = useTranslation();
  const money = useFormatMoney();
  const groupBy = (params.get('groupBy') ?? 'month') as (typeof COST_GROUPS)[number];
  const purchases = params.get('purchases') ?? 'received';
  const parentId = groupBy === 'location' ? params.get('parentId') : null;
  const query: Query = { ...period, groupBy, purchases, parentId };
  const report = useCostReport(query);
  const [open, setOpen] = useState<Row | null>(null);
  const data = report.data;
  return (
    <>
      <Group mb="md" gap="sm" align="flex-end" wrap="wrap">
        <Select
          label={t('reports.groupBy')}
          value={groupBy}
          allowDeselect={false}
          onChange={(v) => set({ groupBy: v, parentId: null })}
          data={COST_GROUPS.map((g) => ({ value: g, label: t(`reports.costGroups.${g}`) }))}
          data-testid="cost-group"
          w={200}
        />
        <Select
          label={t('reports.purchasesBy')}
          value={purchases}
          allowDeselect={false}
          onChange={(v) => set({ purchases: v === 'received' ? null : v })}
          data={[
            { value: 'received', label: t('reports.purchasesReceived') },
            { value: 'ordered', label: t('reports.purchasesOrdered') },
          ]}
          w={200}
        />
        <Group gap="xs" ml="auto">
          <DownloadMenu path="/api/v1/reports/costs" query={query} testId="cost-download" />
          <SaveAsReportButton query={query} />
          <Button
            component="a"
            variant="subtle"
            href={`/api/v1/reports/costs/lines?${new URLSearchParams({ ...(period as Record<string, string>), purchases, format: 'xlsx' })}`}
            download
          >
            {t('reports.allLines')}
          </Button>
        </Group>
      </Group>
      {data?.parent && (
        <Breadcrumbs mb="sm" data-testid="cost-breadcrumbs">
          <Anchor component="button" type="button" onClick={() => set({ parentId: null })}>
            {t('reports.topLevel')}
          </Anchor>
          {data.parent.parentId && (
            <Anchor component="button" type="button" onClick={() => set({ parentId: data.parent?.parentId ?? null })}>
              …
            </Anchor>
          )}
          <Text size="sm">{data.parent.name}</Text>
        </Breadcrumbs>
      )}
      {report.error && <ErrorAlert error={report.error} />}
      {report.isPending && <Skeleton h={240} />}
      {data && data.totals.total === 0 && data.rows.every((r) => r.total === 0) && <EmptyState message={t('reports.noCosts')} />}
      {data?.rows.some((r) => r.total !== 0) && (
        <Suspense fallback={<Skeleton h={240} />}>
          <CostChart report={data} />
        </Suspense>
      )}
      {data && (
        <ScrollArea type="auto" mt="md">
          <Table striped highlightOnHover miw={560} data-testid="cost-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t(`reports.costGroups.${groupBy}`)}</Table.Th>
                <Table.Th ta="right">{t('reports.labour')}</Table.Th>
                <Table.Th ta="right">{t('reports.parts')}</Table.Th>
                <Table.Th ta="right">{t('reports.purchases')}</Table.Th>
                <Table.Th ta="right">{t('reports.total')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.rows.map((r) => (
                <Table.Tr key={r.key}>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Anchor component="button" type="button" onClick={() => setOpen(r)} disabled={r.total === 0 && groupBy === 'month'}>
                        {r.label}
                      </Anchor>
                      {r.hasChildren && (
                        <Button
                          size="compact-xs"
                          variant="light"
                          onClick={() => set({ parentId: r.key })}
                          aria-label={t('reports.openLocation', { name: r.label })}
                        >
                          {t('reports.subLocations')}
                        </Button>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td ta="right">{money(r.labour)}</Table.Td>
                  <Table.Td ta="right">{money(r.parts)}</Table.Td>
                  <Table.Td ta="right">{money(r.purchases)}</Table.Td>
                  <Table.Td ta="right" fw={600}>
                    {money(r.total)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
            <Table.Tfoot>
              <Table.Tr data-testid="cost-totals">
                <Table.Th>{t('reports.total')}</Table.Th>
                <Table.Th ta="right">{money(data.totals.labour)}</Table.Th>
                <Table.Th ta="right">{money(data.totals.parts)}</Table.Th>
                <Table.Th ta="right">{money(data.totals.purchases)}</Table.Th>
                <Table.Th ta="right">{money(data.totals.total)}</Table.Th>
              </Table.Tr>
            </Table.Tfoot>
          </Table>
        </ScrollArea>
      )}
      <Drawer
        opened={!!open}
        onClose={() => setOpen(null)}
        position="right"
        size="xl"
        title={open ? t('reports.linesOf', { name: open.label }) : ''}
      >
        {open && <CostLines query={{ ...query, key: open.key }} total={open.total} />}
      </Drawer>
    </>
  );
}

function CostLines({ query, total }: { query: Query; total: number }) {
  const { t } = useTranslation();
  const money = useFormatMoney();
  const lines = useCostLines({ ...query, limit: 100 }, true);
  return (
    <>
      <Group justify="space-between" mb="sm">
        <Text size="sm">{t('reports.linesTotal', { total: money(total) })}</Text>
        <DownloadMenu path="/api/v1/reports/costs/lines" query={query} testId="lines-download" />
      </Group>
      {lines.error && <ErrorAlert error={lines.error} />}
      <ScrollArea type="auto">
        <Table miw={640} data-testid="cost-lines">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('reports.when')}</Table.Th>
              <Table.Th>{t('reports.source')}</Table.Th>
              <Table.Th>{t('reports.what')}</Table.Th>
              <Table.Th>{t('reports.reference')}</Table.Th>
              <Table.Th ta="right">{t('reports.amount')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {lines.items.map((l) => (
              <Table.Tr key={`${l.source}-${l.id}`}>
                <Table.Td>{new Date(l.at).toLocaleString()}</Table.Td>
                <Table.Td>
                  <Badge variant="light" color={l.source === 'labour' ? 'blue' : l.source === 'parts' ? 'teal' : 'grape'}>
                    {t(`reports.${l.source}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {l.description}
                  {l.person ? ` · ${l.person}` : ''}
                  {l.quantity !== null ? ` · ${l.source === 'labour' ? t('reports.minutes', { count: l.quantity }) : l.quantity}` : ''}
                </Table.Td>
                <Table.Td>
                  {l.ticketNumber !== null && (
                    <Anchor component={Link} to={`/tickets/${l.ticketNumber}`}>
                      #{l.ticketNumber}
                    </Anchor>
                  )}
                  {l.purchaseOrder && (
                    <Anchor component={Link} to={`/purchase-orders/${l.purchaseOrder.id}`}>
                      {l.purchaseOrder.number ?? t('reports.draft')}
                    </Anchor>
                  )}
                </Table.Td>
                <Table.Td ta="right">{money(l.amount)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea>
      <LoadMore hasNextPage={lines.hasNextPage} isFetchingNextPage={lines.isFetchingNextPage} fetchNextPage={lines.fetchNextPage} />
    </>
  );
}
