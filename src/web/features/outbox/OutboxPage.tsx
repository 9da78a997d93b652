// Outgoing mail (admin): what was sent or is waiting, with delivery status. Open one to read it.
import { Anchor, Badge, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { CrudTable } from '../../components/crud';
import { PageHeader } from '../../components/PageHeader';
import { useFormatDate } from '../../lib/format';
import { useKeysetList } from '../../lib/lists';
import type { OutboxItem } from '../../../shared/contracts/outbox';
import { useMe, preferencesOf } from '../../lib/useMe';
import { outboxStatusColor } from './status';

export function OutboxPage() {
  const { t } = useTranslation();
  const fmt = useFormatDate();
  const me = useMe();
  const list = useKeysetList<OutboxItem>(['outbox'], '/api/v1/outbox', {
    limit: preferencesOf(me.user).pageSize ?? 50,
  });

  return (
    <>
      <PageHeader title={t('outbox.title')} description={t('outbox.subtitle')} />
      <CrudTable
        list={list}
        testId="outbox-table"
        rowTestId="outbox-row"
        minWidth={680}
        empty={t('outbox.none')}
        columns={[
          {
            key: 'subject',
            header: t('outbox.subject'),
            cell: (m) => (
              <>
                <Anchor component={Link} to={`/outbox/${m.id}`} fw={500}>
                  {m.subject || t('outbox.noSubject')}
                </Anchor>
                {m.lastError ? (
                  <Text size="xs" c="red.9" lineClamp={1}>
                    {m.lastError}
                  </Text>
                ) : null}
              </>
            ),
          },
          { key: 'to', header: t('outbox.to'), cell: (m) => m.to.join(', ') },
          {
            key: 'status',
            header: t('outbox.status'),
            cell: (m) => (
              <Badge variant="light" color={outboxStatusColor[m.status] ?? 'gray'}>
                {t(`outbox.statuses.${m.status}`, { defaultValue: m.status })}
              </Badge>
            ),
          },
          { key: 'attempts', header: t('outbox.attempts'), cell: (m) => m.attempts },
          { key: 'created', header: t('outbox.created'), cell: (m) => fmt(m.createdAt) },
        ]}
      />
    </>
  );
}
