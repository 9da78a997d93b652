// What one mailbox received, newest first: each message's result (a ticket, a comment, a reopen, or
// why it was ignored or refused), with its ticket and the original message one click away. Refused
// messages (too large, unreadable) are never lost silently: they are listed here.
import { Anchor, Badge, Group, Modal, SegmentedControl, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { CrudTable } from '../../components/crud';
import { useFormatDate } from '../../lib/format';
import { useKeysetList } from '../../lib/lists';
import type { InboundMessageItem } from '../../../shared/contracts/mail';
import type { Mailbox } from './api';

const COLORS: Record<InboundMessageItem['result'], string> = {
  created: 'green',
  appended: 'blue',
  reopened: 'violet',
  ignored: 'orange',
  duplicate: 'gray',
};
const FILTERS = ['all', 'created', 'appended', 'reopened', 'ignored', 'duplicate'] as const;

export function MailboxMessages({ mailbox, onClose }: { mailbox: Mailbox; onClose: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormatDate();
  const [filter, setFilter] = useState<(typeof FILTERS)[number]>(mailbox.refusedCount > 0 ? 'ignored' : 'all');
  const list = useKeysetList<InboundMessageItem>(['mailboxes', mailbox.id, 'messages'], `/api/v1/mailboxes/${mailbox.id}/messages`, {
    result: filter === 'all' ? undefined : filter,
  });
  return (
    <Modal opened onClose={onClose} title={t('mail.messages.title', { name: mailbox.name })} size="xl">
      <SegmentedControl
        mb="sm"
        fullWidth
        size="xs"
        value={filter}
        onChange={(v) => setFilter(v as (typeof FILTERS)[number])}
        data={FILTERS.map((f) => ({ value: f, label: t(`mail.messages.filter.${f}`) }))}
        data-testid="mailbox-messages-filter"
      />
      <CrudTable
        list={list}
        testId="mailbox-messages"
        rowTestId="mailbox-message"
        minWidth={560}
        empty={t('mail.messages.none')}
        columns={[
          {
            key: 'subject',
            header: t('mail.messages.subject'),
            bare: true,
            cell: (m) => (
              <>
                <Text size="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>
                  {m.subject || t('mail.messages.noSubject')}
                </Text>
                <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                  {m.from ?? '—'} · {fmt(m.receivedAt)}
                </Text>
              </>
            ),
          },
          {
            key: 'result',
            header: t('mail.messages.result'),
            cell: (m) => (
              <Group gap={4}>
                <Badge variant="light" color={COLORS[m.result] ?? 'gray'}>
                  {t(`mail.messages.filter.${m.result}`)}
                </Badge>
                {m.reason ? (
                  <Text size="xs" c="dimmed" data-testid="mailbox-message-reason">
                    {t(`mail.reasons.${m.reason}`, { defaultValue: m.reason })}
                  </Text>
                ) : null}
              </Group>
            ),
          },
          {
            key: 'ticket',
            header: t('mail.messages.ticket'),
            cell: (m) =>
              m.ticketNumber ? (
                <Anchor component={Link} to={`/tickets/${m.ticketNumber}`} onClick={onClose}>
                  #{m.ticketNumber}
                </Anchor>
              ) : (
                '—'
              ),
          },
          {
            key: 'raw',
            header: t('mail.messages.original'),
            cell: (m) =>
              m.rawUrl ? (
                <Anchor href={m.rawUrl} download size="sm">
                  {t('mail.messages.download', { size: Math.max(1, Math.round(m.size / 1024)) })}
                </Anchor>
              ) : (
                '—'
              ),
          },
        ]}
      />
    </Modal>
  );
}
