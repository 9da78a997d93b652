// Meter alerts: devices gone silent and thresholds crossed, newest first, open / closed / all
// (?meterId= narrows to one meter), each with its device, meter, value and the work order it opened;
// acknowledged (who, when, a note) by those told of it, and filtered to those nobody acknowledged.
import { Anchor, Badge, Button, Checkbox, Group, Modal, Paper, SegmentedControl, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { PageLoader } from '../../components/PageLoader';
import { useFormatDate } from '../../lib/format';
import { useAddressParams } from '../../lib/useAddressParams';
import { ACKNOWLEDGE_NOTE_MAX } from '../../../shared/contracts/meter-alerts';
import { type MeterAlert, useAcknowledgeAlert, useMeterAlerts } from './alertsApi';
import { MeterAlertReminders } from './MeterAlertReminders';

const STATUSES = ['open', 'closed', 'all'] as const;
type Status = (typeof STATUSES)[number];

function AcknowledgeModal({ alert, onClose }: { alert: MeterAlert | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [note, setNote] = useState('');
  const ack = useAcknowledgeAlert();
  const close = () => {
    setNote('');
    ack.reset();
    onClose();
  };
  return (
    <Modal opened={!!alert} onClose={close} title={t('meters.alerts.acknowledgeTitle')}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!alert) return;
          ack.mutate(
            { id: alert.id, note },
            {
              onSuccess: () => {
                notifications.show({ color: 'green', message: t('meters.alerts.acknowledgedToast') });
                close();
              },
            },
          );
        }}
      >
        <Stack>
          {alert ? (
            <Text fw={600} style={{ overflowWrap: 'anywhere' }}>
              {alert.message}
            </Text>
          ) : null}
          <Text size="sm" c="dimmed">
            {t('meters.alerts.acknowledgeHelp')}
          </Text>
          {ack.error ? <ErrorAlert error={ack.error} /> : null}
          <Textarea
            label={t('meters.alerts.note')}
            placeholder={t('meters.alerts.notePlaceholder')}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            maxLength={ACKNOWLEDGE_NOTE_MAX}
            autosize
            minRows={2}
            data-testid="meter-alert-note"
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={ack.isPending} data-testid="meter-alert-ack-save">
              {t('meters.alerts.acknowledge')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function AlertRow({ a, onAcknowledge }: { a: MeterAlert; onAcknowledge: (a: MeterAlert) => void }) {
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
          {a.acknowledgedAt && a.acknowledgedBy ? (
            <Text size="xs" data-testid={`meter-alert-ack-${a.id}`} style={{ overflowWrap: 'anywhere' }}>
              {t('meters.alerts.acknowledged', { name: a.acknowledgedBy.name, at: fmt(a.acknowledgedAt) })}
              {a.acknowledgeNote ? `: ${a.acknowledgeNote}` : ''}
            </Text>
          ) : null}
        </Stack>
        <Group gap="xs">
          {a.canAcknowledge ? (
            <Button size="xs" variant="light" onClick={() => onAcknowledge(a)} data-testid={`meter-alert-acknowledge-${a.id}`}>
              {t('meters.alerts.acknowledge')}
            </Button>
          ) : a.acknowledgedAt && a.open ? (
            <Badge color="blue" variant="light">
              {t('meters.alerts.acknowledgedBadge')}
            </Badge>
          ) : null}
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
  const [params, setParams] = useAddressParams();
  const status = (STATUSES as readonly string[]).includes(params.get('status') ?? '') ? (params.get('status') as Status) : 'open';
  const meterId = params.get('meterId') ?? undefined;
  const unacknowledged = params.get('acknowledged') === 'false';
  const list = useMeterAlerts({ status, meterId, acknowledged: unacknowledged ? false : undefined });
  const [acknowledging, setAcknowledging] = useState<MeterAlert | null>(null);
  const setUnacknowledged = (on: boolean) => setParams({ acknowledged: on ? 'false' : null });
  const setStatus = (s: string) => setParams({ status: s });
  return (
    <>
      <PageHeader title={t('meters.alerts.title')} description={t('meters.alerts.description')} />
      <MeterAlertReminders />
      <Group mb="md" gap="md" wrap="wrap">
        <SegmentedControl
          value={status}
          onChange={setStatus}
          data={STATUSES.map((s) => ({ value: s, label: t(`meters.alerts.status.${s}`) }))}
          data-testid="meter-alerts-status"
        />
        <Checkbox
          label={t('meters.alerts.unacknowledgedOnly')}
          checked={unacknowledged}
          onChange={(e) => setUnacknowledged(e.currentTarget.checked)}
          data-testid="meter-alerts-unacknowledged"
        />
      </Group>
      {list.isPending ? (
        <PageLoader />
      ) : list.isError ? (
        <ErrorAlert error={list.error} onRetry={() => list.refetch()} />
      ) : list.items.length === 0 ? (
        <EmptyState message={t('meters.alerts.none')} />
      ) : (
        <Stack gap="xs" data-testid="meter-alerts">
          {list.items.map((a) => (
            <AlertRow key={a.id} a={a} onAcknowledge={setAcknowledging} />
          ))}
        </Stack>
      )}
      <LoadMore hasNextPage={!!list.hasNextPage} isFetchingNextPage={list.isFetchingNextPage} fetchNextPage={list.fetchNextPage} />
      <AcknowledgeModal alert={acknowledging} onClose={() => setAcknowledging(null)} />
    </>
  );
}
