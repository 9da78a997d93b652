// On a ticket's comment (or the ticket) that came by mail: from, to, cc and a link to the original message.
import { Anchor, Badge, Group, Text } from '@mantine/core';
import { IconMail } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { CommentEmail } from '../../../shared/contracts/mail';

export function EmailMeta({ email }: { email: CommentEmail }) {
  const { t } = useTranslation();
  const line = (label: string, value: string, testId: string) => (
    <Text size="xs" c="dimmed" style={{ wordBreak: 'break-word' }} data-testid={testId}>
      <Text span fw={600} size="xs">
        {label}:
      </Text>{' '}
      {value}
    </Text>
  );
  return (
    <Group gap={6} mb={6} align="flex-start" wrap="wrap" data-testid="comment-email">
      <Badge size="sm" variant="light" leftSection={<IconMail size={12} aria-hidden />}>
        {t('mail.comment.byEmail')}
      </Badge>
      <div style={{ flex: 1, minWidth: 0 }}>
        {line(t('mail.comment.from'), email.from, 'comment-email-from')}
        {email.to.length ? line(t('mail.comment.to'), email.to.join(', '), 'comment-email-to') : null}
        {email.cc.length ? line(t('mail.comment.cc'), email.cc.join(', '), 'comment-email-cc') : null}
        <Anchor href={email.rawUrl} size="xs" target="_blank" rel="noopener" data-testid="comment-email-raw">
          {t('mail.comment.original')}
        </Anchor>
      </div>
    </Group>
  );
}
