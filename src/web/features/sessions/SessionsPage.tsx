// My sign-ins on every device; any of them can be ended (ending the current one signs out).
import { Badge, Group, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { CrudTable, DeleteButton } from '../../components/crud';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { del, setCsrfToken } from '../../lib/api';
import { useFormatDate } from '../../lib/format';
import { useKeysetList } from '../../lib/lists';
import type { Session } from '../../../shared/contracts/me';
import { meKey } from '../../lib/useMe';

export function SessionsPage() {
  const { t } = useTranslation();
  const fmt = useFormatDate();
  const queryClient = useQueryClient();
  const sessions = useKeysetList<Session>(['me', 'sessions'], '/api/v1/me/sessions');
  const end = useMutation({
    mutationFn: (session: Session) => del(`/api/v1/me/sessions/${session.id}`),
    onSuccess: (_d, session) => {
      if (session.current) {
        setCsrfToken(null);
        queryClient.clear();
        queryClient.setQueryData(meKey, null);
        return;
      }
      notifications.show({ color: 'green', message: t('sessions.ended') });
      void queryClient.invalidateQueries({ queryKey: ['me', 'sessions'] });
    },
  });

  return (
    <>
      <PageHeader title={t('sessions.title')} description={t('sessions.subtitle')} />
      <ErrorAlert error={end.error} />
      <CrudTable
        list={sessions}
        testId="sessions-table"
        rowTestId="session-row"
        rowProps={(s) => ({ 'data-current': s.current || undefined })}
        minWidth={700}
        empty={t('sessions.none')}
        columns={[
          {
            key: 'device',
            header: t('sessions.device'),
            cell: (s) => (
              <Group gap="xs" wrap="nowrap">
                <Text size="sm" lineClamp={2}>
                  {s.userAgent ?? t('sessions.unknownDevice')}
                </Text>
                {s.current ? (
                  <Badge size="sm" variant="light" color="green" style={{ flexShrink: 0 }}>
                    {t('sessions.current')}
                  </Badge>
                ) : null}
              </Group>
            ),
          },
          { key: 'ip', header: t('sessions.ip'), cell: (s) => s.ip ?? '—' },
          { key: 'started', header: t('sessions.started'), cell: (s) => fmt(s.createdAt) },
          { key: 'lastSeen', header: t('sessions.lastSeen'), cell: (s) => fmt(s.lastSeenAt) },
          { key: 'expires', header: t('sessions.expires'), cell: (s) => fmt(s.expiresAt) },
        ]}
        actions={(s) => (
          <DeleteButton
            title={t('sessions.endTitle')}
            message={s.current ? t('sessions.endCurrentConfirm') : t('sessions.endConfirm')}
            confirmLabel={t('sessions.end')}
            onConfirm={() => end.mutate(s)}
            loading={end.isPending && end.variables?.id === s.id}
            label={t('sessions.endOne', { device: s.userAgent ?? s.ip ?? s.id })}
          >
            {t('sessions.end')}
          </DeleteButton>
        )}
      />
    </>
  );
}
