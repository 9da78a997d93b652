// My sign-ins on every device; any of them can be ended (ending the current one signs out).
import { Badge, Button, Card, Group, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { PageLoader } from '../../components/PageLoader';
import { del, get, type Page, setCsrfToken } from '../../lib/api';
import { useFormatDate } from '../../lib/format';
import type { Session } from '../../../shared/contracts/me';
import { meKey } from '../../lib/useMe';

export function SessionsPage() {
  const { t } = useTranslation();
  const fmt = useFormatDate();
  const queryClient = useQueryClient();
  const sessions = useQuery({
    queryKey: ['me', 'sessions'],
    queryFn: () => get<Page<Session>>('/api/v1/me/sessions'),
  });
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

  const endButton = (s: Session) => (
    <ConfirmButton
      size="xs"
      variant="light"
      color="red"
      title={t('sessions.endTitle')}
      message={s.current ? t('sessions.endCurrentConfirm') : t('sessions.endConfirm')}
      confirmLabel={t('sessions.end')}
      onConfirm={() => end.mutate(s)}
      loading={end.isPending && end.variables?.id === s.id}
      aria-label={t('sessions.endOne', { device: s.userAgent ?? s.ip ?? s.id })}
      style={{ flexShrink: 0 }}
    >
      {t('sessions.end')}
    </ConfirmButton>
  );

  return (
    <>
      <PageHeader title={t('sessions.title')} description={t('sessions.subtitle')} />
      <ErrorAlert error={end.error} />
      {sessions.isPending ? (
        <PageLoader />
      ) : sessions.isError ? (
        <ErrorAlert error={sessions.error} onRetry={() => sessions.refetch()} />
      ) : (
        <>
          <Stack hiddenFrom="sm" gap="sm">
            {sessions.data.items.map((s) => (
              <Card key={s.id} withBorder data-testid="session-row">
                <Group justify="space-between" wrap="nowrap" align="flex-start">
                  <Stack gap={2} style={{ minWidth: 0 }}>
                    <Text size="sm" fw={600} lineClamp={2}>
                      {s.userAgent ?? t('sessions.unknownDevice')}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {s.ip ?? '—'} · {t('sessions.lastSeen')}: {fmt(s.lastSeenAt)}
                    </Text>
                    {s.current ? (
                      <Badge size="sm" variant="light" color="green">
                        {t('sessions.current')}
                      </Badge>
                    ) : null}
                  </Stack>
                  {endButton(s)}
                </Group>
              </Card>
            ))}
          </Stack>
          <Table.ScrollContainer minWidth={700} visibleFrom="sm">
            <Table striped highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('sessions.device')}</Table.Th>
                  <Table.Th>{t('sessions.ip')}</Table.Th>
                  <Table.Th>{t('sessions.started')}</Table.Th>
                  <Table.Th>{t('sessions.lastSeen')}</Table.Th>
                  <Table.Th>{t('sessions.expires')}</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {sessions.data.items.map((s) => (
                  <Table.Tr key={s.id} data-testid="session-row" data-current={s.current || undefined}>
                    <Table.Td>
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
                    </Table.Td>
                    <Table.Td>{s.ip ?? '—'}</Table.Td>
                    <Table.Td>{fmt(s.createdAt)}</Table.Td>
                    <Table.Td>{fmt(s.lastSeenAt)}</Table.Td>
                    <Table.Td>{fmt(s.expiresAt)}</Table.Td>
                    <Table.Td>{endButton(s)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {sessions.data.items.length === 0 ? (
            <Button variant="default" onClick={() => sessions.refetch()}>
              {t('common.retry')}
            </Button>
          ) : null}
        </>
      )}
    </>
  );
}
