// The bell in the header: unread count (pushed live), the latest few, "mark all read", a toast
// for each new notification.
import { ActionIcon, Anchor, Divider, Group, Indicator, Popover, ScrollArea, Stack, Text, UnstyledButton } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconBell } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { post } from '../../lib/api';
import { useFormatDate } from '../../lib/format';
import { useLive } from '../../lib/live';
import { bellKey, type Notification, type NotificationPage, notificationsKey, useBell } from './api';

export function NotificationBell() {
  const { t } = useTranslation();
  const fmt = useFormatDate();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [opened, setOpened] = useState(false);
  const bell = useBell();
  const unread = bell.data?.unreadCount ?? 0;

  useLive('notification', (n) => {
    queryClient.setQueryData<NotificationPage>(bellKey, (old) =>
      old
        ? {
            ...old,
            unreadCount: old.unreadCount + (n.read ? 0 : 1),
            items: [n, ...old.items.filter((i) => i.id !== n.id)].slice(0, 8),
          }
        : old,
    );
    void queryClient.invalidateQueries({ queryKey: notificationsKey, refetchType: 'none' });
    notifications.show({
      title: n.title,
      message: n.body || (n.ticketNumber ? `#${n.ticketNumber}` : ''),
      color: 'blue',
      autoClose: 6000,
    });
  });

  const markRead = useMutation({
    mutationFn: (body: { ids: string[] } | { all: true }) => post('/api/v1/notifications/read', body),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: notificationsKey }),
  });

  const open = (n: Notification) => {
    setOpened(false);
    if (!n.read) markRead.mutate({ ids: [n.id] });
    if (n.ticketNumber) navigate(`/tickets/${n.ticketNumber}`);
    else navigate('/notifications');
  };

  const label = unread ? t('notifications.bellUnread', { count: unread }) : t('notifications.bell');
  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-end" width={340} withinPortal shadow="md">
      <Popover.Target>
        <ActionIcon variant="subtle" size="lg" aria-label={label} onClick={() => setOpened((o) => !o)} data-testid="bell">
          <Indicator label={unread > 99 ? '99+' : unread} size={16} disabled={!unread} offset={2} color="red" data-testid="bell-count" data-count={unread}>
            <IconBell size={20} aria-hidden />
          </Indicator>
        </ActionIcon>
      </Popover.Target>
      <Popover.Dropdown p="xs" data-testid="bell-dropdown" aria-label={t('notifications.title')} role="dialog">
        <Group justify="space-between" mb="xs" px={4}>
          <Text fw={600} size="sm">
            {t('notifications.title')}
          </Text>
          {unread ? (
            <Anchor component="button" type="button" size="sm" onClick={() => markRead.mutate({ all: true })}>
              {t('notifications.markAllRead')}
            </Anchor>
          ) : null}
        </Group>
        <ScrollArea.Autosize mah={360}>
          {(bell.data?.items ?? []).length === 0 ? (
            <Text size="sm" c="dimmed" p="sm">
              {t('notifications.none')}
            </Text>
          ) : (
            <Stack gap={2}>
              {bell.data?.items.map((n) => (
                <UnstyledButton
                  key={n.id}
                  onClick={() => open(n)}
                  p={6}
                  style={{ borderRadius: 4, background: n.read ? undefined : 'var(--mantine-color-blue-light)' }}
                  data-testid="bell-item"
                >
                  <Text size="sm" fw={n.read ? 400 : 600} lineClamp={2}>
                    {n.title}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {fmt(n.createdAt)}
                  </Text>
                </UnstyledButton>
              ))}
            </Stack>
          )}
        </ScrollArea.Autosize>
        <Divider my="xs" />
        <Anchor component={Link} to="/notifications" size="sm" onClick={() => setOpened(false)} px={4}>
          {t('notifications.seeAll')}
        </Anchor>
      </Popover.Dropdown>
    </Popover>
  );
}
