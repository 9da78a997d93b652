// Acts on the selected tickets at once: assign or change status; failures are listed per ticket.
import { Alert, Button, Group, List, Paper, Select, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../components/ErrorAlert';
import { post } from '../../lib/api';
import { useCan } from '../../lib/useCan';
import { ticketsKey } from './api';
import { UserSelect } from './parts';
import { TICKET_STATUSES as STATUSES } from '../../../shared/contracts/enums';

interface BulkResult {
  results: { number: number; ok: boolean; error?: string | { code?: string; message?: string } }[];
}

export function BulkBar({ numbers, onDone }: { numbers: number[]; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const canAssign = useCan('tickets.assign');
  const canUpdate = useCan('tickets.update');
  const [assignee, setAssignee] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [failures, setFailures] = useState<BulkResult['results']>([]);

  const bulk = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      post<BulkResult>('/api/v1/tickets/bulk', { numbers, ...body }),
    onSuccess: (answer) => {
      const failed = answer.results.filter((r) => !r.ok);
      const done = answer.results.length - failed.length;
      setFailures(failed);
      notifications.show({
        color: failed.length ? 'yellow' : 'green',
        message: t('tickets.bulk.result', { done, failed: failed.length }),
      });
      void queryClient.invalidateQueries({ queryKey: ticketsKey });
      if (!failed.length) onDone();
    },
  });

  const reason = (e: BulkResult['results'][number]['error']) =>
    typeof e === 'string' ? t(`errors.${e}`, { defaultValue: e }) : e?.code ? t(`errors.${e.code}`, { defaultValue: e.message ?? e.code }) : (e?.message ?? t('errors.unknown'));

  return (
    <Paper withBorder p="sm" mb="md" data-testid="bulk-bar">
      <Group gap="sm" align="flex-end" wrap="wrap">
        <Text fw={600} size="sm" style={{ alignSelf: 'center' }}>
          {t('tickets.bulk.selected', { count: numbers.length })}
        </Text>
        {canAssign ? (
          <Group gap="xs" align="flex-end" wrap="nowrap">
            <UserSelect
              label={t('tickets.bulk.assignTo')}
              value={assignee}
              onChange={setAssignee}
              style={{ width: 200 }}
            />
            <Button
              variant="default"
              disabled={!assignee}
              loading={bulk.isPending}
              onClick={() => bulk.mutate({ action: 'assign', assigneeId: assignee })}
            >
              {t('tickets.bulk.assign')}
            </Button>
          </Group>
        ) : null}
        {canUpdate ? (
          <Group gap="xs" align="flex-end" wrap="nowrap">
            <Select
              label={t('tickets.bulk.setStatus')}
              data={STATUSES.map((s) => ({ value: s, label: t(`tickets.statuses.${s}`) }))}
              value={status}
              onChange={setStatus}
              style={{ width: 180 }}
            />
            <Button
              variant="default"
              disabled={!status}
              loading={bulk.isPending}
              onClick={() => bulk.mutate({ action: 'status', status })}
            >
              {t('tickets.bulk.apply')}
            </Button>
          </Group>
        ) : null}
        <Button variant="subtle" onClick={onDone}>
          {t('tickets.bulk.clear')}
        </Button>
      </Group>
      {bulk.error ? <Text size="sm" c="red" mt="xs" role="alert">{errorMessage(t, bulk.error)}</Text> : null}
      {failures.length ? (
        <Alert color="yellow" mt="sm" title={t('tickets.bulk.failures')} data-testid="bulk-failures">
          <List size="sm">
            {failures.map((f) => (
              <List.Item key={f.number}>
                #{f.number}: {reason(f.error)}
              </List.Item>
            ))}
          </List>
        </Alert>
      ) : null}
    </Paper>
  );
}
