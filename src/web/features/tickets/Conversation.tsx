// Replies and internal notes, oldest first, and the composer. Bodies are plain text: no HTML.
import { Alert, Badge, Button, Checkbox, Group, Paper, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconBellOff, IconLock } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageLoader } from '../../components/PageLoader';
import { RichText } from '../../components/RichText';
import { UserAvatar } from '../../components/UserAvatar';
import { post } from '../../lib/api';
import { getAll } from '../../lib/lists';
import { useFormatDate } from '../../lib/format';
import type { Comment, CommentAnswer, TicketAnswer } from '../../../shared/contracts/tickets';
import { MailHeaders } from './MailOrigin';

export const commentsKey = (number: number | string) => ['ticket-comments', String(number)] as const;

export function Conversation({ answer }: { answer: TicketAnswer }) {
  const { t } = useTranslation();
  const fmt = useFormatDate();
  const queryClient = useQueryClient();
  const { ticket, can } = answer;
  const comments = useQuery({
    queryKey: commentsKey(ticket.number),
    queryFn: () => getAll<Comment>(`/api/v1/tickets/${ticket.number}/comments`),
  });
  const [body, setBody] = useState('');
  const [internal, setInternal] = useState(false);
  // People the last message mentioned who were not told: they may not see this ticket (or its notes).
  const [unnotified, setUnnotified] = useState<string[]>([]);
  const send = useMutation({
    mutationFn: () =>
      post<CommentAnswer>(`/api/v1/tickets/${ticket.number}/comments`, {
        body: body.trim(),
        internal: can.internalNotes && internal,
      }),
    onSuccess: (answer) => {
      setBody('');
      setUnnotified(answer.unnotifiedMentions.map((m) => m.name));
      notifications.show({ color: 'green', message: internal ? t('tickets.noteAdded') : t('tickets.commentAdded') });
      void queryClient.invalidateQueries({ queryKey: commentsKey(ticket.number) });
    },
  });

  return (
    <Stack gap="sm">
      {comments.isPending ? (
        <PageLoader />
      ) : comments.isError ? (
        <ErrorAlert error={comments.error} onRetry={() => comments.refetch()} />
      ) : comments.data.items.length === 0 ? (
        <EmptyState message={t('tickets.noComments')} />
      ) : (
        <Stack gap="sm" data-testid="comments">
          {comments.data.items.map((c) => (
            <Paper
              key={c.id}
              withBorder
              p="sm"
              data-testid="comment"
              data-internal={c.internal || undefined}
              style={
                c.internal
                  ? {
                      borderLeft: '4px solid var(--mantine-color-yellow-6)',
                      background: 'var(--mantine-color-yellow-light)',
                    }
                  : undefined
              }
            >
              <Group gap="xs" mb={4} wrap="wrap">
                <UserAvatar size={24} name={c.author.name} />
                <Text size="sm" fw={600}>
                  {c.author.name}
                </Text>
                <Text size="xs" c="dimmed">
                  {fmt(c.createdAt)}
                </Text>
                {c.internal ? (
                  <Badge color="yellow" variant="filled" size="sm" leftSection={<IconLock size={12} aria-hidden />}>
                    {t('tickets.internalNote')}
                  </Badge>
                ) : null}
              </Group>
              {c.email ? <MailHeaders email={c.email} /> : null}
              <RichText html={c.bodyHtml} testId="comment-body-html" />
            </Paper>
          ))}
        </Stack>
      )}
      {can.comment ? (
        <form
          data-testid="comment-form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (body.trim()) send.mutate();
          }}
        >
          <Stack gap="xs">
            <ErrorAlert error={send.error} />
            {unnotified.length > 0 ? (
              <Alert
                color="yellow"
                icon={<IconBellOff size={16} aria-hidden />}
                withCloseButton
                closeButtonLabel={t('common.close')}
                onClose={() => setUnnotified([])}
                data-testid="unnotified-mentions"
              >
                {t('tickets.unnotifiedMentions', { names: unnotified.join(', '), count: unnotified.length })}
              </Alert>
            ) : null}
            <Textarea
              label={internal ? t('tickets.writeNote') : t('tickets.writeReply')}
              description={t('tickets.mentionHint')}
              autosize
              minRows={3}
              maxRows={12}
              value={body}
              onChange={(e) => setBody(e.currentTarget.value)}
              data-testid="comment-body"
            />
            <Group justify="space-between" wrap="wrap">
              {can.internalNotes ? (
                <Checkbox
                  label={t('tickets.internalToggle')}
                  checked={internal}
                  onChange={(e) => setInternal(e.currentTarget.checked)}
                  data-testid="comment-internal"
                />
              ) : (
                <span />
              )}
              <Button type="submit" loading={send.isPending} disabled={!body.trim()} data-testid="comment-send">
                {internal ? t('tickets.addNote') : t('tickets.send')}
              </Button>
            </Group>
          </Stack>
        </form>
      ) : null}
    </Stack>
  );
}
