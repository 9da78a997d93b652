// Profile section: which events reach the user in the app and by e-mail.
import { Button, Checkbox, Group, Paper, Table, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageLoader } from '../../components/PageLoader';
import { api, get } from '../../lib/api';
import { eventKey, NOTIFICATION_EVENTS } from './api';

type Prefs = Record<string, { inApp: boolean; email: boolean }>;
const prefsKey = ['notifications', 'preferences'] as const;

export function NotificationPreferences() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const prefs = useQuery({
    queryKey: prefsKey,
    queryFn: () => get<{ preferences: Prefs }>('/api/v1/notifications/preferences'),
  });
  const [values, setValues] = useState<Prefs>({});
  useEffect(() => {
    if (prefs.data) setValues(prefs.data.preferences);
  }, [prefs.data]);
  const save = useMutation({
    mutationFn: () => api<{ preferences: Prefs }>('/api/v1/notifications/preferences', { method: 'PUT', body: { preferences: values } }),
    onSuccess: (answer) => {
      queryClient.setQueryData(prefsKey, answer);
      notifications.show({ color: 'green', message: t('notifications.prefsSaved') });
    },
  });
  const events = NOTIFICATION_EVENTS.filter((e) => !prefs.data || e in prefs.data.preferences);
  const set = (event: string, channel: 'inApp' | 'email', on: boolean) =>
    setValues((v) => ({ ...v, [event]: { ...(v[event] ?? { inApp: true, email: false }), [channel]: on } }));

  return (
    <Paper withBorder p={{ base: 'sm', xs: 'lg' }} data-testid="notification-preferences">
      <Title order={2} size="h4" mb="md">
        {t('notifications.prefsTitle')}
      </Title>
      {prefs.isPending ? (
        <PageLoader />
      ) : prefs.isError ? (
        <ErrorAlert error={prefs.error} onRetry={() => prefs.refetch()} />
      ) : (
        <>
          <ErrorAlert error={save.error} />
          <Table.ScrollContainer minWidth={320}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('notifications.event')}</Table.Th>
                  <Table.Th ta="center">{t('notifications.inApp')}</Table.Th>
                  <Table.Th ta="center">{t('notifications.email')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {events.map((event) => {
                  const label = t(`notifications.events.${eventKey(event)}`, { defaultValue: event });
                  return (
                    <Table.Tr key={event}>
                      <Table.Td>{label}</Table.Td>
                      <Table.Td>
                        <Group justify="center">
                          <Checkbox
                            aria-label={t('notifications.inAppFor', { event: label })}
                            checked={values[event]?.inApp ?? false}
                            onChange={(e) => set(event, 'inApp', e.currentTarget.checked)}
                          />
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <Group justify="center">
                          <Checkbox
                            aria-label={t('notifications.emailFor', { event: label })}
                            checked={values[event]?.email ?? false}
                            onChange={(e) => set(event, 'email', e.currentTarget.checked)}
                          />
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Group justify="flex-end" mt="md">
            <Button onClick={() => save.mutate()} loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </>
      )}
    </Paper>
  );
}
