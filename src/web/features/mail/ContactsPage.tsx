// External contacts: people who wrote in by mail without being users. Search them, and turn one
// into a user (their tickets then belong to that user).
import { Anchor, Badge, Button, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { type Column, CrudTable, SearchInput } from '../../components/crud';
import { PageHeader } from '../../components/PageHeader';
import { post } from '../../lib/api';
import { textMatches, useCrudList, useCrudSave } from '../../lib/crud';
import { useFormatDate } from '../../lib/format';
import { useCan } from '../../lib/useCan';
import { type Contact, contactsKey } from './api';

export function ContactsPage() {
  const { t } = useTranslation();
  const fmt = useFormatDate();
  const canManageUsers = useCan('users.manage');
  const list = useCrudList<Contact>({ key: contactsKey, path: '/api/v1/contacts', matches: (c, q) => textMatches(q, c.name, c.email) });
  const convert = useCrudSave({
    save: (c: Contact) => post<{ contact: Contact; user: { id: string; name: string } }>(`/api/v1/contacts/${c.id}/convert`, {}),
    invalidate: contactsKey,
    message: (r) => t('mail.contacts.converted', { name: r.user.name }),
  });
  const columns: Column<Contact>[] = [
    { key: 'name', header: t('mail.contacts.name'), bare: true, cell: (c) => <Text fw={500}>{c.name}</Text> },
    {
      key: 'email',
      header: t('mail.contacts.email'),
      cell: (c) => (
        <Text size="sm" style={{ wordBreak: 'break-all' }}>
          {c.email}
        </Text>
      ),
    },
    { key: 'since', header: t('mail.contacts.since'), cell: (c) => fmt(c.createdAt, false) },
    {
      key: 'user',
      header: t('mail.contacts.user'),
      cell: (c) =>
        c.user ? (
          <Anchor component={Link} to={`/users/${c.user.id}`}>
            {c.user.name}
          </Anchor>
        ) : (
          <Badge color="gray" variant="light">
            {t('mail.contacts.external')}
          </Badge>
        ),
    },
  ];
  return (
    <>
      <PageHeader title={t('mail.contacts.title')} description={t('mail.contacts.subtitle')} />
      <SearchInput {...list.search} placeholder={t('mail.contacts.search')} />
      <CrudTable
        list={list}
        testId="contacts-table"
        rowTestId="contact-row"
        minWidth={560}
        empty={t('mail.contacts.none')}
        columns={columns}
        actions={(c) =>
          !c.user && canManageUsers ? (
            <Button
              size="xs"
              variant="default"
              loading={convert.isPending && convert.variables?.id === c.id}
              onClick={() => convert.mutate(c)}
              aria-label={t('mail.contacts.convertNamed', { name: c.name })}
            >
              {t('mail.contacts.convert')}
            </Button>
          ) : null
        }
      />
      {convert.error ? <Text c="red.9">{(convert.error as Error).message}</Text> : null}
    </>
  );
}
