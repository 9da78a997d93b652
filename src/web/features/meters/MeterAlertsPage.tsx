// Meter alerts: devices gone silent and thresholds crossed, newest first, open / closed / all
// (?meterId= narrows to one meter), each with its device, meter, value and the work order it opened.
import { Anchor, Badge, Group, Paper, SegmentedControl, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { PageLoader } from '../../components/PageLoader';
import { useFormatDate } from '../../lib/format';
import { type MeterAlert, useMeterAlerts } from './alertsApi';

const STATUSES = ['open', 'closed', 'all'] as const;
type Status = (typeof STATUSES)[number];

function AlertRow({ a }: { a: MeterAlert }) {
  const { t } = useTranslation();
  const fmt = useFormatDate();
  return (
    <Paper withBorder p="sm" data-testid={`meter-alert-${a.id}`}>
      <Group justify="space-between" align="flex-start" gap="xs" wrap="wrap">
        <Stack gap={2} style={{ minWidth: 0 }}>
          <Group gap="xs">
            <Badge color={a.kind === 'offline' ? 'gray' : 'orange'} variant="light">
              {t(`meters.alerts.kind.${a.kind}`)}
            </Badge>
            <Text fw={600} style={{ overflowWrap: 'anywhere' }}>
              {a.message}
            </Text>
          </Group>
          <Text size="sm" c="dimmed">
            {a.deviceName}
            {a.meterId && a.meterName ? (
              <>
                {' · '}
                <Anchor component={Link} to={`/meters/${a.meterId}`} size="sm" underline="always">
                  {a.meterName}
                </Anchor>
              </>
            ) : null}
            {a.value !== null ? ` · ${a.value} ${a.unit ?? ''}` : ''}
          </Text>
          <Text size="xs" c="dimmed">
            {t('meters.alerts.opened', { at: fmt(a.openedAt) })}
            {a.closedAt ? ` · ${t('meters.alerts.closed', { at: fmt(a.closedAt) })}` : ''}
          </Text>
        </Stack>
        <Group gap="xs">
          {a.ticket ? (
            <Anchor component={Link} to={`/tickets/${a.ticket}`} size="sm" underline="always">
              #{a.ticket}
            </Anchor>
          ) : null}
          <Badge color={a.open ? 'red' : 'green'} variant={a.open ? 'filled' : 'light'} data-testid={`meter-alert-state-${a.id}`}>
            {a.open ? t('meters.alerts.open') : t('meters.alerts.resolved')}
          </Badge>
        </Group>
      </Group>
    </Paper>
  );
}

export function MeterAlertsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const status = (STATUSES as readonly string[]).includes(params.get('status') ?? '') ? (params.get('status') as Status) : 'open';
  const meterId = params.get('meterId') ?? undefined;
  const list = useMeterAlerts({ status, meterId });
  const setStatus = (s: string) => {
    const next = new URLSearchParams(params);
    next.set('status', s);
    setParams(next, { replace: true });
  };
  return (
    <>
      <PageHeader title={t('meters.alerts.title')} description={t('meters.alerts.description')} />
      <SegmentedControl
        mb="md"
        value={status}
        onChange={setStatus}
        data={STATUSES.map((s) => ({ value: s, label: t(`meters.alerts.status.${s}`) }))}
        data-testid="meter-alerts-status"
      />
      {list.isPending ? (
        <PageLoader />
      ) : list.isError ? (
        <ErrorAlert error={list.error} onRetry={() => list.refetch()} />
      ) : list.items.length === 0 ? (
        <EmptyState message={t('meters.alerts.none')} />
      ) : (
        <Stack gap="xs" data-testid="meter-alerts">
          {list.items.map((a) => (
            <AlertRow key={a.id} a={a} />
          ))}
        </Stack>
      )}
      <LoadMore hasNextPage={!!list.hasNextPage} isFetchingNextPage={list.isFetchingNextPage} fetchNextPage={list.fetchNextPage} />
    </>
  );
}
