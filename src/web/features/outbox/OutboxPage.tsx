// Outgoing mail (admin): what was sent or is waiting, with delivery status. Open one to read it.
import { Anchor, Badge, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { PageLoader } from '../../components/PageLoader';
import { useFormatDate } from '../../lib/format';
import { useKeysetList } from '../../lib/lists';
import type { OutboxItem } from '../../../shared/contracts/outbox';
import { useMe, preferencesOf } from '../../lib/useMe';
import { outboxStatusColor } from './status';

export function OutboxPage() {
  const { t } = useTranslation();
  const fmt = useFormatDate();
  const me = useMe();
  const list = useKeysetList<OutboxItem>(['outbox'], '/api/v1/outbox', {
    limit: preferencesOf(me.user).pageSize ?? 50,
  });

  return (
    <>
      <PageHeader title={t('outbox.title')} description={t('outbox.subtitle')} />
      {list.isPending ? (
        <PageLoader />
      ) : list.isError ? (
        <ErrorAlert error={list.error} onRetry={() => list.refetch()} />
      ) : list.items.length === 0 ? (
        <EmptyState message={t('outbox.none')} />
      ) : (
        <Table.ScrollContainer minWidth={680}>
          <Table striped highlightOnHover data-testid="outbox-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('outbox.subject')}</Table.Th>
                <Table.Th>{t('outbox.to')}</Table.Th>
                <Table.Th>{t('outbox.status')}</Table.Th>
                <Table.Th>{t('outbox.attempts')}</Table.Th>
                <Table.Th>{t('outbox.created')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.items.map((m) => (
                <Table.Tr key={m.id} data-testid="outbox-row">
                  <Table.Td>
                    <Anchor component={Link} to={`/outbox/${m.id}`} fw={500}>
                      {m.subject || t('outbox.noSubject')}
                    </Anchor>
                    {m.lastError ? (
                      <Text size="xs" c="red.9" lineClamp={1}>
                        {m.lastError}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>{m.to}</Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={outboxStatusColor[m.status] ?? 'gray'}>
                      {t(`outbox.statuses.${m.status}`, { defaultValue: m.status })}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{m.attempts}</Table.Td>
                  <Table.Td>{fmt(m.createdAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <LoadMore
        hasNextPage={list.hasNextPage}
        isFetchingNextPage={list.isFetchingNextPage}
        fetchNextPage={list.fetchNextPage}
      />
    </>
  );
}
