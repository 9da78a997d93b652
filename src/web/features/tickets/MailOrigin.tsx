// The e-mail channel on the ticket page: a comment (or the ticket itself) that came by mail shows
// who sent it to whom, with a link to the original message (the quoted history stripped from the
// comment is kept there); a ticket from an external contact names them; related tickets link.
import { Alert, Anchor, Group, Stack, Text } from '@mantine/core';
import { IconMail, IconPaperclip } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { CommentEmail } from '../../../shared/contracts/mail';
import type { Ticket } from '../../../shared/contracts/tickets';

/** From, to, cc and "view original" of one message. */
export function MailHeaders({ email }: { email: CommentEmail }) {
  const { t } = useTranslation();
  const line = (label: string, value: string, testId: string) => (
    <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }} data-testid={testId}>
      <Text span fw={600} size="xs">
        {label}
      </Text>{' '}
      {value}
    </Text>
  );
  return (
    <Stack gap={0} mb={4} data-testid="mail-headers">
      <Group gap={4} wrap="nowrap">
        <IconMail size={14} aria-label={t('mailOrigin.byEmail')} />
        {line(t('mailOrigin.from'), email.from, 'mail-from')}
      </Group>
      {email.to.length ? line(t('mailOrigin.to'), email.to.join(', '), 'mail-to') : null}
      {email.cc.length ? line(t('mailOrigin.cc'), email.cc.join(', '), 'mail-cc') : null}
      <Anchor href={email.rawUrl} size="xs" download c="var(--mantine-color-text)" underline="always" data-testid="mail-original">
        <IconPaperclip size={12} aria-hidden /> {t('mailOrigin.original')}
      </Anchor>
    </Stack>
  );
}

/** Above the ticket: it came by e-mail, from whom; and the tickets linked to it. */
export function MailOrigin({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const related = ticket.relatedTickets ?? [];
  if (ticket.source !== 'email' && related.length === 0) return null;
  return (
    <Alert
      color="blue"
      variant="light"
      mb="md"
      icon={<IconMail size={18} aria-hidden />}
      title={ticket.source === 'email' ? t('mailOrigin.title') : t('mailOrigin.related')}
      data-testid="ticket-origin-mail"
    >
      {ticket.source === 'email' && !ticket.requester && ticket.contact ? (
        <Text size="sm" style={{ overflowWrap: 'anywhere' }} data-testid="mail-contact">
          {t('mailOrigin.contact', { name: ticket.contact.name, email: ticket.contact.email ?? '' })}
        </Text>
      ) : null}
      {ticket.email ? <MailHeaders email={ticket.email} /> : null}
      {related.length ? (
        <Text size="sm" data-testid="related-tickets">
          {t('mailOrigin.relatedList')}{' '}
          {related.map((r, i) => (
            <span key={r.number}>
              {i > 0 ? ', ' : ''}
              <Anchor component={Link} to={`/tickets/${r.number}`} c="var(--mantine-color-text)" underline="always">
                #{r.number} {r.title}
              </Anchor>
            </span>
          ))}
        </Text>
      ) : null}
    </Alert>
  );
}
