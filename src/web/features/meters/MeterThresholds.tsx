// The meter page's thresholds: each with its state (within limits, past the value but not for long
// enough yet, alerting) and the last work order it opened; add one (above/below a value for a
// duration, raising an alert or opening a work order) and delete one.
import { Anchor, Badge, Button, Card, Group, NumberInput, Paper, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PRIORITIES } from '../../../shared/contracts/enums';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useMe } from '../../lib/useMe';
import { type Threshold, useCreateThreshold, useDeleteThreshold, useThresholds } from './alertsApi';

const STATE_COLOR = { within: 'green', pending: 'yellow', alerting: 'red' } as const;

function ThresholdRow({ th, unit, canManage }: { th: Threshold; unit: string; canManage: boolean }) {
  const { t } = useTranslation();
  const remove = useDeleteThreshold();
  return (
    <Paper withBorder p="xs" data-testid={`threshold-${th.id}`}>
      <Group justify="space-between" gap="xs" wrap="wrap">
        <Stack gap={2}>
          <Text fw={600}>
            {t(`meters.thresholds.op.${th.op === '>' ? 'above' : 'below'}`)} {th.value} {unit}
            {th.forSeconds ? ` · ${t('meters.thresholds.forSeconds', { count: th.forSeconds })}` : ''}
          </Text>
          <Text size="sm" c="dimmed">
            {th.action === 'work_order'
              ? t('meters.thresholds.opensWorkOrder', { title: th.template?.title ?? '' })
              : t('meters.thresholds.raisesAlert')}
            {th.lastWorkOrder ? (
              <>
                {' · '}
                <Anchor component={Link} to={`/tickets/${th.lastWorkOrder}`} size="sm" underline="always">
                  #{th.lastWorkOrder}
                </Anchor>
              </>
            ) : null}
          </Text>
          {th.lastError ? (
            <Text size="xs" c="red">
              {th.lastError}
            </Text>
          ) : null}
        </Stack>
        <Group gap="xs">
          <Badge color={STATE_COLOR[th.state]} variant="light" data-testid={`threshold-state-${th.id}`}>
            {t(`meters.thresholds.state.${th.state}`)}
          </Badge>
          {canManage ? (
            <ConfirmButton
              size="xs"
              variant="subtle"
              title={t('meters.thresholds.deleteTitle')}
              message={t('meters.thresholds.deleteMessage')}
              onConfirm={() => remove.mutate(th.id)}
              data-testid={`threshold-delete-${th.id}`}
            >
              {t('common.delete')}
            </ConfirmButton>
          ) : null}
        </Group>
      </Group>
    </Paper>
  );
}

function ThresholdForm({ meterId, onDone }: { meterId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const create = useCreateThreshold(meterId);
  const [op, setOp] = useState<'>' | '<'>('>');
  const [value, setValue] = useState<number | string>('');
  const [forSeconds, setForSeconds] = useState<number | string>(60);
  const [action, setAction] = useState<'alert' | 'work_order'>('alert');
  const [title, setTitle] = useState('');
  const [priority, setPriority] = useState('high');
  const submit = () =>
    create.mutate(
      {
        op,
        value: Number(value),
        forSeconds: Number(forSeconds) || 0,
        action,
        ...(action === 'work_order' ? { template: { title, priority } } : {}),
      },
      { onSuccess: onDone },
    );
  return (
    <Paper withBorder p="sm" data-testid="threshold-form">
      <Stack gap="xs">
        {create.isError ? <ErrorAlert error={create.error} /> : null}
        <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="xs">
          <Select
            label={t('meters.thresholds.when')}
            data={[
              { value: '>', label: t('meters.thresholds.op.above') },
              { value: '<', label: t('meters.thresholds.op.below') },
            ]}
            value={op}
            onChange={(v) => v && setOp(v as '>' | '<')}
            allowDeselect={false}
            data-testid="threshold-op"
          />
          <NumberInput label={t('meters.thresholds.value')} required value={value} onChange={setValue} data-testid="threshold-value" />
          <NumberInput
            label={t('meters.thresholds.forSecondsLabel')}
            min={0}
            max={30 * 86_400}
            value={forSeconds}
            onChange={setForSeconds}
            data-testid="threshold-for"
          />
        </SimpleGrid>
        <Select
          label={t('meters.thresholds.action')}
          data={[
            { value: 'alert', label: t('meters.thresholds.raisesAlert') },
            { value: 'work_order', label: t('meters.thresholds.alertAndWorkOrder') },
          ]}
          value={action}
          onChange={(v) => v && setAction(v as 'alert' | 'work_order')}
          allowDeselect={false}
          data-testid="threshold-action"
        />
        {action === 'work_order' ? (
          <Group grow align="flex-start" wrap="wrap">
            <TextInput
              label={t('meters.thresholds.workOrderTitle')}
              required
              value={title}
              onChange={(e) => setTitle(e.currentTarget.value)}
              data-testid="threshold-wo-title"
            />
            <Select
              label={t('maintenance.fields.priority')}
              data={PRIORITIES.map((p) => ({ value: p, label: t(`tickets.priorities.${p}`, { defaultValue: p }) }))}
              value={priority}
              onChange={(v) => v && setPriority(v)}
              allowDeselect={false}
            />
          </Group>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button onClick={submit} loading={create.isPending} disabled={value === ''} data-testid="threshold-save">
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

export function MeterThresholds({ meterId, unit }: { meterId: string; unit: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const canManage = me.permissions.includes('meters.manage');
  const list = useThresholds(meterId);
  const [adding, setAdding] = useState(false);
  return (
    <Card withBorder mt="md" data-testid="meter-thresholds">
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h4">
          {t('meters.thresholds.title')}
        </Title>
        <Anchor component={Link} to={`/meter-alerts?meterId=${meterId}`} size="sm">
          {t('meters.alerts.title')}
        </Anchor>
      </Group>
      {list.isError ? <ErrorAlert error={list.error} onRetry={() => list.refetch()} /> : null}
      <Stack gap="xs">
        {list.data?.length === 0 && !adding ? (
          <Text size="sm" c="dimmed">
            {t('meters.thresholds.none')}
          </Text>
        ) : null}
        {(list.data ?? []).map((th) => (
          <ThresholdRow key={th.id} th={th} unit={unit} canManage={canManage} />
        ))}
        {canManage ? (
          adding ? (
            <ThresholdForm meterId={meterId} onDone={() => setAdding(false)} />
          ) : (
            <Button
              variant="light"
              leftSection={<IconPlus size={16} aria-hidden />}
              onClick={() => setAdding(true)}
              w="fit-content"
              data-testid="threshold-add"
            >
              {t('meters.thresholds.add')}
            </Button>
          )
        ) : null}
      </Stack>
    </Card>
  );
}
