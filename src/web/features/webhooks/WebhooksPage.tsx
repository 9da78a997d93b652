// Admin → Webhooks: the company's endpoints with the events they take; add one (its signing
// secret is shown once, with a copy button), edit, (de)activate, rotate the secret, delete; the
// delivery log of each with status, attempts, the receiver's answer and a retry button.
import { Badge, Button, Checkbox, Group, Modal, SimpleGrid, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { PageLoader } from '../../components/PageLoader';
import { SecretValue } from '../../components/SecretValue';
import { useFormatDate } from '../../lib/format';
import { useKeysetList } from '../../lib/lists';
import {
  deliveriesKey,
  useDeleteWebhook,
  useRetryDelivery,
  useRotateWebhook,
  useSaveWebhook,
  useToggleWebhook,
  WEBHOOK_EVENTS,
  type Webhook,
  type WebhookDelivery,
  type WebhookWithSecret,
  webhooksKey,
} from './api';

const STATUS_COLORS: Record<string, string> = { pending: 'blue', delivered: 'green', retrying: 'yellow', failed: 'red' };

function SecretShown({ made, onClose }: { made: WebhookWithSecret | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={!!made} onClose={onClose} title={t('webhooks.secret.title')} size="lg">
      {made ? (
        <Stack gap="sm">
          <Text size="sm">{t('webhooks.secret.once')}</Text>
          <SecretValue value={made.secret} testId="webhook-secret" />
          <Text size="sm" c="dimmed">
            {t('webhooks.secret.verify')}
          </Text>
          <Group justify="flex-end">
            <Button onClick={onClose} data-testid="webhook-secret-done">
              {t('common.done')}
            </Button>
          </Group>
        </Stack>
      ) : null}
    </Modal>
  );
}

function WebhookForm({
  editing,
  onClose,
  onMade,
}: {
  editing: Webhook | 'new' | null;
  onClose: () => void;
  onMade: (m: WebhookWithSecret) => void;
}) {
  const { t } = useTranslation();
  const current = editing && editing !== 'new' ? editing : null;
  const [url, setUrl] = useState(current?.url ?? '');
  const [events, setEvents] = useState<string[]>(current?.events ?? ['ticket.created']);
  const [active, setActive] = useState(current?.active ?? true);
  const save = useSaveWebhook();
  return (
    <Modal opened={!!editing} onClose={onClose} title={current ? t('webhooks.edit') : t('webhooks.new')} size="lg">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(
            { id: current?.id ?? null, body: { url: url.trim(), events, active } },
            {
              onSuccess: (made) => {
                if (made) onMade(made);
                else onClose();
              },
            },
          );
        }}
      >
        <Stack>
          {save.error ? <ErrorAlert error={save.error} /> : null}
          <TextInput
            label={t('webhooks.fields.url')}
            description={t('webhooks.fields.urlHelp')}
            placeholder="https://example.com/steward-hook"
            value={url}
            onChange={(e) => setUrl(e.currentTarget.value)}
            required
            data-testid="webhook-url"
          />
          <Checkbox.Group label={t('webhooks.fields.events')} value={events} onChange={setEvents} required>
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs" mt="xs">
              {WEBHOOK_EVENTS.map((ev) => (
                <Checkbox key={ev} value={ev} label={t(`webhooks.events.${ev}`)} data-testid={`webhook-event-${ev}`} />
              ))}
            </SimpleGrid>
          </Checkbox.Group>
          <Switch label={t('webhooks.fields.active')} checked={active} onChange={(e) => setActive(e.currentTarget.checked)} />
          <Group justify="flex-end">
            <Button type="submit" loading={save.isPending} disabled={events.length === 0} data-testid="webhook-save">
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function Deliveries({ hook, onClose }: { hook: Webhook | null; onClose: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormatDate();
  const phone = useMediaQuery('(max-width: 36em)');
  const id = hook?.id ?? '';
  const list = useKeysetList<WebhookDelivery>(deliveriesKey(id), `/api/v1/webhooks/${id}/deliveries`, { limit: 50 }, !!hook);
  const retry = useRetryDelivery(id);
  return (
    <Modal opened={!!hook} onClose={onClose} title={t('webhooks.deliveries.title', { url: hook?.url ?? '' })} size="xl" fullScreen={phone}>
      {list.isPending ? (
        <PageLoader />
      ) : list.isError ? (
        <ErrorAlert error={list.error} onRetry={() => list.refetch()} />
      ) : list.items.length === 0 ? (
        <EmptyState message={t('webhooks.deliveries.empty')} />
      ) : (
        <Stack gap="xs" data-testid="webhook-deliveries">
          <Group justify="flex-end">
            <Button size="xs" variant="default" onClick={() => list.refetch()} data-testid="webhook-deliveries-refresh">
              {t('webhooks.deliveries.refresh')}
            </Button>
          </Group>
          <Table.ScrollContainer minWidth={300}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('webhooks.deliveries.event')}</Table.Th>
                  <Table.Th>{t('webhooks.deliveries.status')}</Table.Th>
                  <Table.Th>{t('webhooks.deliveries.response')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.items.map((d) => (
                  <Table.Tr key={d.id} data-testid={`delivery-${d.id}`}>
                    <Table.Td>
                      <Text size="sm" fw={600}>
                        {t(`webhooks.events.${d.event}`, { defaultValue: d.event })}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {fmt(d.at)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Badge color={STATUS_COLORS[d.status]} variant="light" data-testid="delivery-status">
                        {t(`webhooks.status.${d.status}`)}
                      </Badge>
                      <Text size="xs" c="dimmed">
                        {t('webhooks.deliveries.attempts', { count: d.attempts })}
                      </Text>
                      {d.nextAttemptAt ? (
                        <Text size="xs" c="dimmed">
                          {t('webhooks.deliveries.next', { at: fmt(d.nextAttemptAt) })}
                        </Text>
                      ) : null}
                    </Table.Td>
                    <Table.Td style={{ maxWidth: 280 }}>
                      <Text size="sm">{d.responseStatus ?? '—'}</Text>
                      {d.error || d.responseBody ? (
                        <Text size="xs" c="dimmed" lineClamp={3} style={{ wordBreak: 'break-all' }}>
                          {d.error ?? d.responseBody}
                        </Text>
                      ) : null}
                    </Table.Td>
                    <Table.Td>
                      <Button
                        size="xs"
                        variant="light"
                        loading={retry.isPending && retry.variables === d.id}
                        onClick={() => retry.mutate(d.id)}
                        data-testid="delivery-retry"
                      >
                        {t('webhooks.deliveries.retry')}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <LoadMore hasNextPage={!!list.hasNextPage} isFetchingNextPage={list.isFetchingNextPage} fetchNextPage={list.fetchNextPage} />
        </Stack>
      )}
    </Modal>
  );
}

export function WebhooksPage() {
  const { t } = useTranslation();
  const fmt = useFormatDate();
  const hooks = useKeysetList<Webhook>(webhooksKey, '/api/v1/webhooks', { limit: 50 });
  const [editing, setEditing] = useState<Webhook | 'new' | null>(null);
  const [made, setMade] = useState<WebhookWithSecret | null>(null);
  const [log, setLog] = useState<Webhook | null>(null);
  const toggle = useToggleWebhook();
  const rotate = useRotateWebhook();
  const remove = useDeleteWebhook();
  return (
    <>
      <PageHeader
        title={t('webhooks.title')}
        description={t('webhooks.description')}
        actions={
          <Button onClick={() => setEditing('new')} data-testid="webhook-new">
            {t('webhooks.new')}
          </Button>
        }
      />
      {hooks.isPending ? (
        <PageLoader />
      ) : hooks.isError ? (
        <ErrorAlert error={hooks.error} onRetry={() => hooks.refetch()} />
      ) : hooks.items.length === 0 ? (
        <EmptyState message={t('webhooks.empty')} />
      ) : (
        <Table.ScrollContainer minWidth={300}>
          <Table striped data-testid="webhooks-list">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('webhooks.fields.url')}</Table.Th>
                <Table.Th>{t('webhooks.fields.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {hooks.items.map((w) => (
                <Table.Tr key={w.id} data-testid={`webhook-${w.id}`}>
                  <Table.Td style={{ maxWidth: 420 }}>
                    <Text fw={600} style={{ wordBreak: 'break-all' }}>
                      {w.url}
                    </Text>
                    <Group gap={4} mt={4}>
                      <Badge color={w.active ? 'green' : 'gray'} variant="light">
                        {w.active ? t('webhooks.active') : t('webhooks.inactive')}
                      </Badge>
                      {w.lastDelivery ? (
                        <Badge color={STATUS_COLORS[w.lastDelivery.status]} variant="outline" data-testid="webhook-last-status">
                          {t(`webhooks.status.${w.lastDelivery.status}`)}
                        </Badge>
                      ) : null}
                    </Group>
                    <Text size="xs" c="dimmed" mt={4}>
                      {w.events.map((ev) => t(`webhooks.events.${ev}`, { defaultValue: ev })).join(', ')}
                    </Text>
                    {w.previousSecretUntil ? (
                      <Text size="xs" c="dimmed">
                        {t('webhooks.rotating', { at: fmt(w.previousSecretUntil) })}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs">
                      <Button size="xs" variant="light" onClick={() => setLog(w)} data-testid="webhook-log">
                        {t('webhooks.deliveries.open')}
                      </Button>
                      <Button size="xs" variant="default" onClick={() => setEditing(w)} data-testid="webhook-edit">
                        {t('common.edit')}
                      </Button>
                      <Button
                        size="xs"
                        variant="default"
                        onClick={() => toggle.mutate({ id: w.id, active: !w.active })}
                        data-testid="webhook-toggle"
                      >
                        {w.active ? t('webhooks.deactivate') : t('webhooks.activate')}
                      </Button>
                      <Button
                        size="xs"
                        variant="default"
                        onClick={() => {
                          if (window.confirm(t('webhooks.confirmRotate'))) rotate.mutate(w.id, { onSuccess: setMade });
                        }}
                        data-testid="webhook-rotate"
                      >
                        {t('webhooks.rotate')}
                      </Button>
                      <Button
                        size="xs"
                        variant="subtle"
                        color="red"
                        onClick={() => {
                          if (window.confirm(t('webhooks.confirmDelete'))) remove.mutate(w.id);
                        }}
                        data-testid="webhook-delete"
                      >
                        {t('common.delete')}
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <LoadMore hasNextPage={!!hooks.hasNextPage} isFetchingNextPage={hooks.isFetchingNextPage} fetchNextPage={hooks.fetchNextPage} />
      {editing ? (
        <WebhookForm
          key={editing === 'new' ? 'new' : editing.id}
          editing={editing}
          onClose={() => setEditing(null)}
          onMade={(m) => {
            setEditing(null);
            setMade(m);
          }}
        />
      ) : null}
      <SecretShown made={made} onClose={() => setMade(null)} />
      <Deliveries hook={log} onClose={() => setLog(null)} />
    </>
  );
}
