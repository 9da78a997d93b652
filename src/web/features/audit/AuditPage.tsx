// The audit log of security and admin events, filtered by action, actor and date range.
import { Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { AUDIT_ACTIONS, AUDIT_AREAS } from '../../../shared/audit';
import { RawDetails } from '../../components/RawDetails';
import { CrudTable } from '../../components/crud';
import { PageHeader } from '../../components/PageHeader';
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

/** The short, scalar facts of an entry's details in words ("Login: ada@acme.test · Reason: wrong password"); the rest stays in the raw view. */
function detailsSummary(t: TFunction, fmt: (v: string) => string, details: unknown): string {
  if (!details || typeof details !== 'object') return '';
  return Object.entries(details)
    .filter(([, v]) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
    .slice(0, 4)
    .map(([k, v]) => {
      const label = t(`audit.detailKeys.${k}`, { defaultValue: k.replace(/([A-Z])/g, ' $1').toLowerCase() });
      const text = typeof v === 'boolean' ? (v ? t('common.yes') : t('common.no')) : typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v) ? fmt(v) : String(v);
      return `${label}: ${text}`;
    })
    .join(' · ');
}

const actionLabel = (t: TFunction, action: string) => t(`audit.actions.${action}`, { defaultValue: t('audit.unknownAction', { action }) });

export function AuditPage() {
  const { t } = useTranslation();
  const fmt = useFormatDate();
  const me = useMe();
  const canListUsers = useCanAny('users.view', 'users.manage');
  // An area ("user.") or one action; the server filters by prefix when the value ends with a dot.
  const [action, setAction] = useState<string | null>(null);
  const actionOptions = AUDIT_AREAS.map((area) => ({
    group: t(`audit.areas.${area}`, { defaultValue: area }),
    items: [
      { value: `${area}.`, label: t('audit.allOfArea', { area: t(`audit.areas.${area}`, { defaultValue: area }) }) },
      ...AUDIT_ACTIONS.filter((a) => a.startsWith(`${area}.`)).map((a) => ({ value: a, label: actionLabel(t, a) })),
    ],
  }));
  const [actorId, setActorId] = useState<string | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');

  const people = useQuery({
    queryKey: ['users', 'options', 'all'],
    queryFn: () => get<Page<User>>('/api/v1/users', { limit: 200 }),
    enabled: canListUsers,
  });

  const list = useKeysetList<AuditEntry>(['audit'], '/api/v1/audit', {
    action: action ?? undefined,
    actorId: actorId ?? undefined,
    from: dayBoundary(from, false),
    to: dayBoundary(to, true),
    limit: preferencesOf(me.user).pageSize ?? 50,
  });

  return (
    <>
      <PageHeader title={t('audit.title')} description={t('audit.subtitle')} />
      <Group mb="md" gap="sm" wrap="wrap" align="flex-end">
        <Select
          label={t('audit.action')}
          placeholder={t('audit.anyAction')}
          data={actionOptions}
          value={action}
          onChange={setAction}
          searchable
          clearable
          nothingFoundMessage={t('common.nothingFound')}
          style={{ flex: '1 1 220px' }}
          data-testid="audit-action-filter"
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
      <CrudTable
        list={list}
        testId="audit-table"
        rowTestId="audit-row"
        minWidth={820}
        empty={t('audit.none')}
        columns={[
          { key: 'when', header: t('audit.when'), cell: (entry) => <span style={{ whiteSpace: 'nowrap' }}>{fmt(entry.createdAt)}</span> },
          {
            key: 'action',
            header: t('audit.action'),
            cell: (entry) => (
              <Text size="sm" span data-testid="audit-action">
                {actionLabel(t, entry.action)}
              </Text>
            ),
          },
          { key: 'actor', header: t('audit.actor'), cell: (entry) => entry.actor?.name ?? t('audit.system') },
          {
            key: 'target',
            header: t('audit.target'),
            cell: (entry) =>
              entry.targetType
                ? `${t(`audit.targets.${entry.targetType}`, { defaultValue: entry.targetType.replace(/_/g, ' ') })}${entry.targetId ? ` #${entry.targetId}` : ''}`
                : '—',
          },
          { key: 'ip', header: t('audit.ip'), cell: (entry) => entry.ip ?? '—' },
          {
            key: 'details',
            header: t('audit.details'),
            bare: true,
            cell: (entry) => (
              <Stack gap={2} align="flex-start">
                <Text size="xs" lineClamp={2} style={{ overflowWrap: 'anywhere' }}>
                  {detailsSummary(t, fmt, entry.details)}
                </Text>
                <RawDetails value={{ action: entry.action, details: entry.details }} />
              </Stack>
            ),
          },
        ]}
      />
    </>
  );
}
