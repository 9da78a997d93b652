// The audit log of security and admin events, filtered by action, actor and date range.
import { Code, Group, Select, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { PageLoader } from '../../components/PageLoader';
import { get, type Page } from '../../lib/api';
import { useFormatDate } from '../../lib/format';
import { useKeysetList } from '../../lib/lists';
import type { AuditEntry } from '../../../shared/contracts/audit';
import type { User } from '../../../shared/contracts/users';
import { useCanAny } from '../../lib/useCan';
import { useMe, preferencesOf } from '../../lib/useMe';

/** A yyyy-mm-dd from a date input as the start (or end) of that day in local time, in ISO. */
function dayBoundary(day: string, end: boolean): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const [y, m, d] = day.split('-').map(Number);
  const date = end ? new Date(y, m - 1, d, 23, 59, 59, 999) : new Date(y, m - 1, d, 0, 0, 0, 0);
  return date.toISOString();
}

function detailsText(details: unknown): string {
  if (details === null || details === undefined) return '';
  if (typeof details === 'string') return details;
  try {
    return JSON.stringify(details);
  } catch {
    return String(details);
  }
}

export function AuditPage() {
  const { t } = useTranslation();
  const fmt = useFormatDate();
  const me = useMe();
  const canListUsers = useCanAny('users.view', 'users.manage');
  const [action, setAction] = useState('');
  const [debouncedAction] = useDebouncedValue(action.trim(), 300);
  const [actorId, setActorId] = useState<string | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');

  const people = useQuery({
    queryKey: ['users', 'options', 'all'],
    queryFn: () => get<Page<User>>('/api/v1/users', { limit: 200 }),
    enabled: canListUsers,
  });

  const list = useKeysetList<AuditEntry>(['audit'], '/api/v1/audit', {
    action: debouncedAction,
    actorId: actorId ?? undefined,
    from: dayBoundary(from, false),
    to: dayBoundary(to, true),
    limit: preferencesOf(me.user).pageSize ?? 50,
  });

  return (
    <>
      <PageHeader title={t('audit.title')} description={t('audit.subtitle')} />
      <Group mb="md" gap="sm" wrap="wrap" align="flex-end">
        <TextInput
          label={t('audit.action')}
          placeholder={t('audit.actionPlaceholder')}
          value={action}
          onChange={(e) => setAction(e.currentTarget.value)}
          style={{ flex: '1 1 180px' }}
        />
        <Select
          label={t('audit.actor')}
          placeholder={t('audit.anyone')}
          data={(people.data?.items ?? []).map((u) => ({ value: u.id, label: u.name }))}
          value={actorId}
          onChange={setActorId}
          searchable
          clearable
          disabled={!canListUsers}
          nothingFoundMessage={t('common.nothingFound')}
          style={{ flex: '1 1 180px' }}
        />
        <TextInput
          type="date"
          label={t('audit.from')}
          value={from}
          onChange={(e) => setFrom(e.currentTarget.value)}
          style={{ flex: '0 1 160px' }}
        />
        <TextInput
          type="date"
          label={t('audit.to')}
          value={to}
          onChange={(e) => setTo(e.currentTarget.value)}
          style={{ flex: '0 1 160px' }}
        />
      </Group>
      {list.isPending ? (
        <PageLoader />
      ) : list.isError ? (
        <ErrorAlert error={list.error} onRetry={() => list.refetch()} />
      ) : list.items.length === 0 ? (
        <EmptyState message={t('audit.none')} />
      ) : (
        <Table.ScrollContainer minWidth={820}>
          <Table striped data-testid="audit-table" verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('audit.when')}</Table.Th>
                <Table.Th>{t('audit.action')}</Table.Th>
                <Table.Th>{t('audit.actor')}</Table.Th>
                <Table.Th>{t('audit.target')}</Table.Th>
                <Table.Th>{t('audit.ip')}</Table.Th>
                <Table.Th>{t('audit.details')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.items.map((entry) => (
                <Table.Tr key={entry.id}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{fmt(entry.createdAt)}</Table.Td>
                  <Table.Td>
                    <Code>{entry.action}</Code>
                  </Table.Td>
                  <Table.Td>{entry.actor?.name ?? t('audit.system')}</Table.Td>
                  <Table.Td>
                    {entry.targetType ? `${entry.targetType}${entry.targetId ? ` #${entry.targetId}` : ''}` : '—'}
                  </Table.Td>
                  <Table.Td>{entry.ip ?? '—'}</Table.Td>
                  <Table.Td>
                    <Text size="xs" lineClamp={2} style={{ wordBreak: 'break-all' }}>
                      {detailsText(entry.details)}
                    </Text>
                  </Table.Td>
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
