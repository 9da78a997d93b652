// Who is online now: loaded once, then kept current by `presence` pushes on the live socket.
import { Avatar, Group, Paper, Text, Tooltip } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { UserAvatar } from '../../components/UserAvatar';
import type { Page } from '../../lib/api';
import { useLive } from '../../lib/live';
import type { OnlineUser } from '../../../shared/contracts/users';
import { onlineKey, useOnlineUsers } from './api';

export function OnlineNow() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const online = useOnlineUsers();
  useLive('presence', (data) => {
    if (Array.isArray(data?.online)) {
      queryClient.setQueryData<Page<OnlineUser>>(onlineKey, { items: data.online, nextCursor: null });
    }
  });
  const people = online.data?.items ?? [];

  return (
    <Paper withBorder p="sm" mb="md" data-testid="online-now" aria-live="polite">
      <Group gap="sm" wrap="wrap">
        <Text size="sm" fw={600}>
          {t('users.onlineNow', { count: people.length })}
        </Text>
        {online.isError ? (
          <Text size="sm" c="dimmed">
            {t('users.onlineUnavailable')}
          </Text>
        ) : (
          <Avatar.Group spacing="xs">
            {people.slice(0, 12).map((person) => (
              <Tooltip key={person.id} label={person.name} withArrow>
                <UserAvatar name={person.name} color={person.color} aria-label={person.name} role="img" />
              </Tooltip>
            ))}
            {people.length > 12 ? <Avatar radius="xl">+{people.length - 12}</Avatar> : null}
          </Avatar.Group>
        )}
      </Group>
    </Paper>
  );
}
