// The company's mailboxes with their status: kind, address, last successful fetch, last error,
// messages waiting, active. Test the connection, re-authorise a Graph mailbox that lost its
// authorisation, add, edit, remove.
import { Anchor, Badge, Button, Group, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { type Column, CrudTable, DeleteButton, NewButton } from '../../components/crud';
import { PageHeader } from '../../components/PageHeader';
import { del } from '../../lib/api';
import { useCrudDelete, useCrudList, useEditing } from '../../lib/crud';
import { useFormatDate } from '../../lib/format';
import { type Mailbox, mailboxesKey, needsReauthorization, reauthorizeMailbox, type TestResult, testMailbox } from './api';
import { MailboxForm } from './MailboxForm';
import { MailboxMessages } from './MailboxMessages';

function StatusBadge({ m }: { m: Mailbox }) {
  const { t } = useTranslation();
  if (!m.active)
    return (
      <Badge color="gray" variant="light">
        {t('mail.status.inactive')}
      </Badge>
    );
  if (needsReauthorization(m))
    return (
      <Badge color="red" variant="light">
        {t('mail.status.authError')}
      </Badge>
    );
  if (m.lastError)
    return (
      <Badge color="orange" variant="light">
        {t('mail.status.error')}
      </Badge>
    );
  if (m.type !== 'webhook' && !m.lastFetchAt)
    return (
      <Badge color="gray" variant="light">
        {t('mail.status.pending')}
      </Badge>
    );
  return (
    <Badge color="green" variant="light">
      {t('mail.status.ok')}
    </Badge>
  );
}

export function MailboxesPage() {
  const { t } = useTranslation();
  const fmt = useFormatDate();
  const queryClient = useQueryClient();
  const edit = useEditing<Mailbox>();
  const [messagesOf, setMessagesOf] = useState<Mailbox | null>(null);
  const list = useCrudList<Mailbox>({ key: mailboxesKey, path: '/api/v1/mailboxes' });
  const [results, setResults] = useState<Record<string, TestResult>>({});
  const show = (id: string, r: TestResult, okText: string) => {
    setResults((all) => ({ ...all, [id]: r }));
    notifications.show({
      color: r.ok ? 'green' : 'red',
      autoClose: r.ok ? 4000 : 10000,
      message: r.ok ? okText : (r.error ?? t('mail.mailboxes.testFailed')),
    });
  };
  const test = useMutation({
    mutationFn: (m: Mailbox) => testMailbox(m.id),
    onSuccess: (r, m) => show(m.id, r, t('mail.mailboxes.testOk')),
  });
  const reauth = useMutation({
    mutationFn: (m: Mailbox) => reauthorizeMailbox(m.id),
    onSuccess: (r, m) => {
      show(m.id, r, t('mail.mailboxes.reauthorized'));
      void queryClient.invalidateQueries({ queryKey: mailboxesKey });
    },
  });
  const remove = useCrudDelete<Mailbox>({
    remove: (m) => del(`/api/v1/mailboxes/${m.id}`),
    invalidate: mailboxesKey,
    message: t('mail.mailboxes.removed'),
  });

  const columns: Column<Mailbox>[] = [
    {
      key: 'name',
      header: t('mail.mailboxes.name'),
      bare: true,
      cell: (m) => (
        <Stack gap={2}>
          <Anchor component="button" type="button" fw={500} onClick={() => edit.open(m)} ta="left">
            {m.name}
          </Anchor>
          <Text size="sm" c="dimmed" style={{ wordBreak: 'break-all' }}>
            {m.address}
          </Text>
        </Stack>
      ),
    },
    { key: 'type', header: t('mail.mailboxes.type'), cell: (m) => <Badge variant="light">{t(`mail.types.${m.type}`)}</Badge> },
    { key: 'status', header: t('mail.mailboxes.status'), cell: (m) => <StatusBadge m={m} /> },
    { key: 'lastFetch', header: t('mail.mailboxes.lastFetch'), cell: (m) => (m.type === 'webhook' ? '—' : fmt(m.lastFetchAt)) },
    {
      key: 'lastError',
      header: t('mail.mailboxes.lastError'),
      cell: (m) =>
        m.lastError ? (
          <Text size="sm" c="red.9" lineClamp={3} title={m.lastError} data-testid="mailbox-last-error">
            {m.lastError.replace(/^auth_error: /, '')}{' '}
            {m.lastErrorAt ? (
              <Text span size="xs" c="dimmed">
                ({fmt(m.lastErrorAt)})
              </Text>
            ) : null}
          </Text>
        ) : (
          '—'
        ),
    },
    {
      key: 'waiting',
      header: t('mail.mailboxes.waiting'),
      cell: (m) => (
        <Group gap={6}>
          <Text size="sm" data-testid="mailbox-waiting">
            {m.waitingCount}
          </Text>
          {m.refusedCount > 0 ? (
            <Badge color="orange" variant="light" title={t('mail.mailboxes.refusedHelp')} data-testid="mailbox-refused">
              {t('mail.mailboxes.refused', { count: m.refusedCount })}
            </Badge>
          ) : null}
          <Anchor
            component="button"
            type="button"
            size="sm"
            onClick={() => setMessagesOf(m)}
            data-testid="mailbox-messages-open"
            aria-label={t('mail.mailboxes.messagesNamed', { name: m.name })}
          >
            {t('mail.mailboxes.messages')}
          </Anchor>
        </Group>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('mail.mailboxes.title')}
        description={t('mail.mailboxes.subtitle')}
        actions={
          <Group gap="xs">
            <Button component={Link} to="/settings/mail" variant="default">
              {t('nav.mailSettings')}
            </Button>
            <NewButton onClick={() => edit.open('new')} testId="new-mailbox">
              {t('mail.mailboxes.new')}
            </NewButton>
          </Group>
        }
      />
      <CrudTable
        list={list}
        testId="mailboxes-table"
        rowTestId="mailbox-row"
        minWidth={860}
        empty={t('mail.mailboxes.none')}
        columns={columns}
        actions={(m) => (
          <Stack gap={4} align="flex-end">
            <Group gap="xs" justify="flex-end" wrap="wrap">
              {m.type !== 'webhook' ? (
                <Button
                  size="xs"
                  variant="default"
                  loading={test.isPending && test.variables?.id === m.id}
                  onClick={() => test.mutate(m)}
                  data-testid="mailbox-test"
                  aria-label={t('mail.mailboxes.testNamed', { name: m.name })}
                >
                  {t('mail.mailboxes.test')}
                </Button>
              ) : null}
              {needsReauthorization(m) ? (
                <Button
                  size="xs"
                  color="red"
                  loading={reauth.isPending && reauth.variables?.id === m.id}
                  onClick={() => reauth.mutate(m)}
                  data-testid="mailbox-reauthorize"
                >
                  {t('mail.mailboxes.reauthorize')}
                </Button>
              ) : null}
              <DeleteButton
                onConfirm={() => remove.mutate(m)}
                label={t('mail.mailboxes.removeNamed', { name: m.name })}
                title={t('mail.mailboxes.removeTitle')}
                message={t('mail.mailboxes.removeMessage', { name: m.name })}
                loading={remove.isPending && remove.variables?.id === m.id}
              />
            </Group>
            {results[m.id] ? (
              <Text size="xs" c={results[m.id].ok ? 'green.9' : 'red.9'} data-testid="mailbox-test-result" maw={320} ta="right">
                {results[m.id].ok ? t('mail.mailboxes.testOk') : results[m.id].error}
              </Text>
            ) : null}
          </Stack>
        )}
      />
      {messagesOf ? <MailboxMessages mailbox={messagesOf} onClose={() => setMessagesOf(null)} /> : null}
      {edit.editing ? <MailboxForm key={edit.current?.id ?? 'new'} mailbox={edit.current} onClose={edit.close} /> : null}
    </>
  );
}
