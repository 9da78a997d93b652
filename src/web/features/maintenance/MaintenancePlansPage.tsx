// Maintenance plans across assets: what is due this week (and overdue), only what is overdue, or all.
import { Anchor, Badge, SegmentedControl, Table } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { PageLoader } from '../../components/PageLoader';
import { useFormatDate } from '../../lib/format';
import { useKeysetList } from '../../lib/lists';
import { type Plan, plansKey } from './api';
import { PlanDue } from './PlanDue';

export function MaintenancePlansPage() {
  const { t } = useTranslation();
  const fmt = useFormatDate();
  const [due, setDue] = useState<'week' | 'overdue' | 'all'>('week');
  const list = useKeysetList<Plan>(plansKey, '/api/v1/maintenance-plans', { due, limit: 50 });
  return (
    <>
      <PageHeader title={t('maintenance.plans.title')} description={t('maintenance.plans.description')} />
      <SegmentedControl
        mb="md"
        value={due}
        onChange={(v) => setDue(v as typeof due)}
        data={[
          { value: 'week', label: t('maintenance.plans.week') },
          { value: 'overdue', label: t('maintenance.plans.overdue') },
          { value: 'all', label: t('maintenance.plans.all') },
        ]}
        data-testid="plans-due"
      />
      {list.isPending ? (
        <PageLoader />
      ) : list.isError ? (
        <ErrorAlert error={list.error} onRetry={() => list.refetch()} />
      ) : list.items.length === 0 ? (
        <EmptyState message={t('maintenance.plans.empty')} />
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table striped data-testid="plans-list">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('maintenance.fields.plan')}</Table.Th>
                <Table.Th>{t('maintenance.fields.asset')}</Table.Th>
                <Table.Th>{t('maintenance.fields.nextDue')}</Table.Th>
                <Table.Th>{t('maintenance.fields.workOrder')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.items.map((p) => (
                <Table.Tr key={p.id}>
                  <Table.Td>{p.title}</Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/assets/${p.asset.id}`}>
                      {p.asset.tag} · {p.asset.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <PlanDue plan={p} />
                    {p.overdue ? (
                      <Badge ml={6} color="red" variant="light">
                        {t('maintenance.overdue')}
                      </Badge>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    {p.openWorkOrder ? (
                      <Anchor component={Link} to={`/tickets/${p.openWorkOrder}`}>
                        #{p.openWorkOrder}
                      </Anchor>
                    ) : (
                      fmt(null)
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <LoadMore hasNextPage={!!list.hasNextPage} isFetchingNextPage={list.isFetchingNextPage} fetchNextPage={list.fetchNextPage} />
    </>
  );
}
