// One outgoing mail: headers and its plain text, with links clickable.
import { Anchor, Badge, Group, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { PageLoader } from '../../components/PageLoader';
import { get } from '../../lib/api';
import { useFormatDate } from '../../lib/format';
import type { OutboxMessage } from '../../../shared/contracts/outbox';
import { Linkified } from './Linkified';
import { outboxStatusColor } from './status';

/** When a mail has only HTML, show its text content (parsed inertly, never rendered as HTML). */
function textOf(message: OutboxMessage): string {
  if (message.text) return message.text;
  if (!message.html) return '';
  const doc = new DOMParser().parseFromString(message.html, 'text/html');
  const links = [...doc.querySelectorAll('a[href]')].map((a) => a.getAttribute('href') ?? '');
  const body = doc.body.textContent ?? '';
  return links.length ? `${body}\n\n${links.join('\n')}` : body;
}

export function OutboxMessagePage() {
  const { t } = useTranslation();
  const fmt = useFormatDate();
  const { id } = useParams();
  const message = useQuery({
    queryKey: ['outbox', 'message', id],
    queryFn: () => get<{ message: OutboxMessage }>(`/api/v1/outbox/${id}`),
  });

  const back = (
    <Anchor component={Link} to="/outbox" size="sm">
      <Group gap={4} component="span">
        <IconArrowLeft size={14} aria-hidden />
        {t('outbox.back')}
      </Group>
    </Anchor>
  );

  if (message.isPending) return <PageLoader />;
  if (message.isError)
    return (
      <>
        {back}
        <ErrorAlert error={message.error} onRetry={() => message.refetch()} />
      </>
    );
  const m = message.data.message;

  return (
    <>
      {back}
      <PageHeader title={m.subject || t('outbox.noSubject')} />
      <Stack gap="md" maw={900}>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
          <Text size="sm">
            <strong>{t('outbox.to')}:</strong> {m.to.join(', ')}
          </Text>
          <Group gap="xs">
            <Text size="sm" fw={700}>
              {t('outbox.status')}:
            </Text>
            <Badge variant="light" color={outboxStatusColor[m.status] ?? 'gray'}>
              {t(`outbox.statuses.${m.status}`, { defaultValue: m.status })}
            </Badge>
          </Group>
          <Text size="sm">
            <strong>{t('outbox.created')}:</strong> {fmt(m.createdAt)}
          </Text>
          <Text size="sm">
            <strong>{t('outbox.sent')}:</strong> {fmt(m.sentAt)}
          </Text>
          <Text size="sm">
            <strong>{t('outbox.attempts')}:</strong> {m.attempts}
          </Text>
        </SimpleGrid>
        {m.lastError ? <ErrorAlert error={new Error(m.lastError)} title={t('outbox.lastError')} /> : null}
        <Paper withBorder p="md" data-testid="outbox-message">
          <div className="steward-mail-text">
            <Linkified text={textOf(m)} />
          </div>
        </Paper>
      </Stack>
    </>
  );
}
