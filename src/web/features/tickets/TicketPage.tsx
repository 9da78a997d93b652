// One ticket: header, actions from `can`, details (editable with a version check), and the
// conversation, history, files, tasks and time. Live changes refetch it, unless the user is
// editing: then they are told instead of losing their input.
import { Alert, Anchor, Button, Grid, Group, Paper, Stack, Tabs, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { IconArrowLeft, IconEdit } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { RichText } from '../../components/RichText';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageLoader } from '../../components/PageLoader';
import { useLive } from '../../lib/live';
import { ticketApprovalKey, ticketAssetsKey, ticketKey, useTicket } from './api';
import { ApprovalPanel } from './ApprovalPanel';
import { LinkedAssets } from './LinkedAssets';
import { OverdueBadge } from './pickers';
import { MailOrigin } from './MailOrigin';
import { QrOrigin } from './QrOrigin';
import { Attachments, attachmentsKey } from './Attachments';
import { LinkedDocuments } from '../documents/LinkedDocuments';
import { Conversation, commentsKey } from './Conversation';
import { HistoryTimeline, historyKey } from './HistoryTimeline';
import { PriorityBadge, StatusBadge } from './parts';
import { TicketActions } from './TicketActions';
import { Facts, TicketEditor } from './TicketDetails';
import { Tasks, tasksKey } from './Tasks';
import { TimeEntries, timeKey } from './TimeEntries';
import { PartsUsed, SupplyTab } from '../inventory/TicketInventory';
import { SlaBadge, SlaPanel } from '../sla/SlaBadge';

export function TicketPage() {
  const { t } = useTranslation();
  const { number } = useParams();
  const queryClient = useQueryClient();
  const ticket = useTicket(number);
  const [editing, setEditing] = useState(false);
  const [dirty, setDirty] = useState(false);
  const [changedElsewhere, setChangedElsewhere] = useState(false);
  const [tab, setTab] = useState<string | null>('conversation');

  const refetchAll = () => {
    if (!number) return;
    for (const key of [ticketKey(number), commentsKey(number), historyKey(number), attachmentsKey(number), tasksKey(number), timeKey(number), ticketAssetsKey(number), ticketApprovalKey(number)]) {
      void queryClient.invalidateQueries({ queryKey: key });
    }
  };

  useLive('ticket.updated', (data) => {
    if (!number || String(data?.number) !== number) return;
    if (ticket.data && data.version === ticket.data.ticket.version && data.what !== 'commented') return;
    if (editing && dirty) {
      setChangedElsewhere(true);
      return;
    }
    refetchAll();
  });

  if (ticket.isPending) return <PageLoader />;
  if (ticket.isError) return <ErrorAlert error={ticket.error} onRetry={() => ticket.refetch()} />;
  const answer = ticket.data;
  const { ticket: tk, can } = answer;

  return (
    <>
      <Anchor component={Link} to="/tickets" size="sm" mb="xs" display="inline-flex" style={{ alignItems: 'center', gap: 4 }}>
        <IconArrowLeft size={14} aria-hidden />
        {t('tickets.backToList')}
      </Anchor>
      <Group justify="space-between" align="flex-start" mb="sm" gap="sm" wrap="wrap">
        <Stack gap={6} style={{ minWidth: 0, flex: '1 1 300px' }}>
          <Title order={1} size="h2" style={{ overflowWrap: 'anywhere' }} data-testid="ticket-title">
            <Text span inherit c="dimmed" data-testid="ticket-number">
              #{tk.number}
            </Text>{' '}
            {tk.title}
          </Title>
          <Group gap="xs">
            <StatusBadge status={tk.status} size="lg" />
            <PriorityBadge priority={tk.priority} size="lg" />
            <OverdueBadge ticket={tk} size="lg" withDate />
            <SlaBadge sla={tk.sla} size="lg" />
            <Text size="sm" c="dimmed">
              {t(`tickets.kinds.${tk.kind}`)}
              {tk.category ? ` · ${tk.category.name}` : ''}
            </Text>
          </Group>
        </Stack>
        {can.update && !editing ? (
          <Button variant="default" leftSection={<IconEdit size={16} aria-hidden />} onClick={() => setEditing(true)} data-testid="edit-ticket">
            {t('common.edit')}
          </Button>
        ) : null}
      </Group>

      <ApprovalPanel answer={answer} />
      {tk.source === 'qr' ? <QrOrigin ticket={tk} /> : null}
      <MailOrigin ticket={tk} />
      {tk.archived ? (
        <Alert color="gray" mb="md">
          {t('tickets.archivedNotice')}
        </Alert>
      ) : null}
      {changedElsewhere ? (
        <Alert color="orange" mb="md" role="alert" data-testid="changed-elsewhere" title={t('tickets.changedElsewhereTitle')}>
          <Group gap="sm" justify="space-between">
            <Text size="sm">{t('tickets.changedElsewhere')}</Text>
            <Button
              size="xs"
              variant="light"
              color="orange"
              onClick={() => {
                setChangedElsewhere(false);
                setEditing(false);
                setDirty(false);
                refetchAll();
              }}
            >
              {t('tickets.reloadDiscard')}
            </Button>
          </Group>
        </Alert>
      ) : null}

      <TicketActions answer={answer} />

      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 8 }}>
          {editing ? (
            <TicketEditor
              key={tk.version}
              answer={answer}
              onCancel={() => {
                setEditing(false);
                setDirty(false);
                if (changedElsewhere) {
                  setChangedElsewhere(false);
                  refetchAll();
                }
              }}
              onDirtyChange={setDirty}
            />
          ) : (
            <Paper withBorder p="sm" mb="md">
              <Title order={2} size="h5" mb="xs">
                {t('tickets.fields.description')}
              </Title>
              {tk.descriptionHtml ? (
                <RichText html={tk.descriptionHtml} testId="ticket-description" />
              ) : (
                <Text size="sm" c="dimmed" data-testid="ticket-description">
                  {t('tickets.noDescription')}
                </Text>
              )}
            </Paper>
          )}
          <Tabs value={tab} onChange={setTab} keepMounted={false}>
            <Tabs.List mb="sm" style={{ flexWrap: 'wrap' }}>
              <Tabs.Tab value="conversation" data-testid="tab-conversation">
                {t('tickets.tabs.conversation')}
              </Tabs.Tab>
              <Tabs.Tab value="history" data-testid="tab-history">
                {t('tickets.tabs.history')}
              </Tabs.Tab>
              <Tabs.Tab value="attachments" data-testid="tab-attachments">
                {t('tickets.tabs.attachments')}
              </Tabs.Tab>
              <Tabs.Tab value="tasks" data-testid="tab-tasks">
                {t('tickets.tabs.tasks')}
              </Tabs.Tab>
              {tk.kind === 'supply' ? (
                <Tabs.Tab value="supply" data-testid="tab-supply">
                  {t('supply.tab')}
                </Tabs.Tab>
              ) : null}
              {can.logTime ? (
                <Tabs.Tab value="time" data-testid="tab-time">
                  {t('tickets.tabs.time')}
                </Tabs.Tab>
              ) : null}
            </Tabs.List>
            <Tabs.Panel value="conversation">
              <Conversation answer={answer} />
            </Tabs.Panel>
            <Tabs.Panel value="history">
              <HistoryTimeline number={tk.number} />
            </Tabs.Panel>
            <Tabs.Panel value="attachments">
              <Attachments answer={answer} />
            </Tabs.Panel>
            <Tabs.Panel value="tasks">
              <Tasks answer={answer} />
            </Tabs.Panel>
            {tk.kind === 'supply' ? (
              <Tabs.Panel value="supply">
                <SupplyTab number={tk.number} />
              </Tabs.Panel>
            ) : null}
            {can.logTime ? (
              <Tabs.Panel value="time">
                <TimeEntries answer={answer} />
              </Tabs.Panel>
            ) : null}
          </Tabs>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <SlaPanel sla={tk.sla} />
          <LinkedAssets answer={answer} />
          <LinkedDocuments ticketNumber={tk.number} />
          <Facts ticket={tk} />
          <PartsUsed number={tk.number} />
        </Grid.Col>
      </Grid>
    </>
  );
}
