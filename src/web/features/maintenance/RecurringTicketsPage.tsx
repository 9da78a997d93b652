// Recurring tickets: every rule with its schedule, next run and state; a row opens the editor.
import { Anchor, Badge, Button, Table, Text } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { PageLoader } from '../../components/PageLoader';
import { useFormatDate } from '../../lib/format';
import { useKeysetList } from '../../lib/lists';
import { presetOf, type RecurringTicket, recurringKey } from './api';

export function RecurringTicketsPage() {
  const { t } = useTranslation();
  const fmt = useFormatDate();
  const list = useKeysetList<RecurringTicket>(recurringKey, '/api/v1/recurring-tickets', { limit: 50 });
  return (
    <>
      <PageHeader
        title={t('maintenance.recurring.title')}
        description={t('maintenance.recurring.description')}
        actions={
          <Button component={Link} to="/recurring-tickets/new" leftSection={<IconPlus size={16} aria-hidden />} data-testid="new-recurring">
            {t('maintenance.recurring.new')}
          </Button>
        }
      />
      {list.isPending ? (
        <PageLoader />
      ) : list.isError ? (
        <ErrorAlert error={list.error} onRetry={() => list.refetch()} />
      ) : list.items.length === 0 ? (
        <EmptyState message={t('maintenance.recurring.empty')} />
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table striped highlightOnHover data-testid="recurring-list">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('maintenance.fields.title')}</Table.Th>
                <Table.Th>{t('maintenance.fields.schedule')}</Table.Th>
                <Table.Th>{t('maintenance.fields.nextRun')}</Table.Th>
                <Table.Th>{t('maintenance.fields.state')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.items.map((r) => {
                const preset = presetOf(r.rrule);
                return (
                  <Table.Tr key={r.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/recurring-tickets/${r.id}`}>
                        {r.title}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">
                        {preset === 'custom' ? r.rrule : t(`maintenance.presets.${preset}`)} · {r.time} · {r.timezone}
                      </Text>
                    </Table.Td>
                    <Table.Td>{fmt(r.nextRunAt)}</Table.Td>
                    <Table.Td>
                      <Badge color={r.active ? 'green' : 'gray'} variant="light">
                        {r.active ? t('maintenance.active') : t('maintenance.paused')}
                      </Badge>
                      {r.lastError ? (
                        <Badge color="red" variant="light" ml={4} title={r.lastError}>
                          {t('maintenance.failing')}
                        </Badge>
                      ) : null}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <LoadMore hasNextPage={!!list.hasNextPage} isFetchingNextPage={list.isFetchingNextPage} fetchNextPage={list.fetchNextPage} />
    </>
  );
}
