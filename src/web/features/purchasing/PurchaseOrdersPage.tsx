// Purchase orders, newest first, filtered by status (and by vendor when opened from a vendor).
import { Anchor, Badge, Group, SegmentedControl, Table, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { PageLoader } from '../../components/PageLoader';
import { useKeysetList } from '../../lib/lists';
import { useFormatDate } from '../../lib/format';
import { useAddressParams } from '../../lib/useAddressParams';
import type { PurchaseOrderSummary } from '../../../shared/contracts/purchasing';
import { money, ordersKey, STATUSES, type PurchaseOrderStatus } from './api';

export const STATUS_COLOR: Record<PurchaseOrderStatus, string> = {
  draft: 'gray',
  sent: 'blue',
  partly_received: 'yellow',
  received: 'green',
  closed: 'dark',
  cancelled: 'red',
};

export function StatusBadge({ status }: { status: PurchaseOrderStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLOR[status]} variant="light" data-testid="po-status">
      {t(`purchasing.status.${status}`)}
    </Badge>
  );
}

export function PurchaseOrdersPage() {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const [params, setParams] = useAddressParams();
  const status = (params.get('status') ?? '') as PurchaseOrderStatus | '';
  const vendorId = params.get('vendorId');
  const [q, setQ] = useState('');
  const list = useKeysetList<PurchaseOrderSummary>(ordersKey, '/api/v1/purchase-orders', { status, vendorId, q, limit: 50 });
  const vendorName = vendorId ? list.items[0]?.vendor.name : null;
  const setStatus = (s: string) => setParams({ status: s }, { push: true });
  return (
    <>
      <PageHeader title={vendorName ? t('purchasing.ordersOf', { name: vendorName }) : t('purchasing.ordersTitle')} />
      <Group mb="md" gap="sm" wrap="wrap">
        <SegmentedControl
          value={status}
          onChange={setStatus}
          data={[
            { value: '', label: t('purchasing.allStatuses') },
            ...STATUSES.map((s) => ({ value: s, label: t(`purchasing.status.${s}`) })),
          ]}
          data-testid="po-status-filter"
          style={{ maxWidth: '100%', overflowX: 'auto' }}
        />
        <TextInput
          placeholder={t('purchasing.searchOrders')}
          aria-label={t('purchasing.searchOrders')}
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          w={220}
        />
      </Group>
      {list.isPending ? (
        <PageLoader />
      ) : list.isError ? (
        <ErrorAlert error={list.error} onRetry={() => list.refetch()} />
      ) : list.items.length === 0 ? (
        <EmptyState message={t('purchasing.noOrders')} />
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table striped data-testid="po-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('purchasing.fields.number')}</Table.Th>
                <Table.Th>{t('purchasing.fields.vendor')}</Table.Th>
                <Table.Th>{t('purchasing.fields.status')}</Table.Th>
                <Table.Th ta="right">{t('purchasing.fields.total')}</Table.Th>
                <Table.Th>{t('purchasing.fields.date')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.items.map((o) => (
                <Table.Tr key={o.id} data-testid="po-row">
                  <Table.Td>
                    <Anchor component={Link} to={`/purchase-orders/${o.id}`}>
                      {o.number ?? t('purchasing.draftNumber', { id: o.id })}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{o.vendor.name}</Table.Td>
                  <Table.Td>
                    <StatusBadge status={o.status} />
                  </Table.Td>
                  <Table.Td ta="right">{money(o.total, o.currency)}</Table.Td>
                  <Table.Td>{formatDate(o.finalizedAt ?? o.createdAt, false)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <LoadMore hasNextPage={list.hasNextPage} isFetchingNextPage={list.isFetchingNextPage} fetchNextPage={list.fetchNextPage} />
    </>
  );
}
