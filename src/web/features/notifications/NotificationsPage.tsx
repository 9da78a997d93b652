// All notifications, newest first, with "load more", unread filter and marking read.
import { Anchor, Badge, Button, Group, Paper, SegmentedControl, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { PageLoader } from '../../components/PageLoader';
import { post } from '../../lib/api';
import { useFormatDate } from '../../lib/format';
import { useKeysetList } from '../../lib/lists';
import { type Notification, notificationsKey, useBell } from './api';

export function NotificationsPage() {
  const { t } = useTranslation();
  const fmt = useFormatDate();
  const queryClient = useQueryClient();
  const [show, setShow] = useState<'all' | 'unread'>('all');
  const bell = useBell();
  const list = useKeysetList<Notification>([...notificationsKey, 'list'], '/api/v1/notifications', {
    unread: show === 'unread' ? 'true' : undefined,
    limit: 50,
  });
  const markRead = useMutation({
    mutationFn: (body: { ids: string[] } | { all: true }) => post('/api/v1/notifications/read', body),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: notificationsKey }),
  });
  const unread = bell.data?.unreadCount ?? 0;

  return (
    <>
      <PageHeader
        title={t('notifications.title')}
        description={t('notifications.unreadCount', { count: unread })}
        actions={
          <Button variant="default" disabled={!unread} loading={markRead.isPending} onClick={() => markRead.mutate({ all: true })} data-testid="mark-all-read">
            {t('notifications.markAllRead')}
          </Button>
        }
      />
      <SegmentedControl
        mb="md"
        aria-label={t('notifications.show')}
        data={[
          { value: 'all', label: t('notifications.all') },
          { value: 'unread', label: t('notifications.unread') },
        ]}
        value={show}
        onChange={(v) => setShow(v as 'all' | 'unread')}
      />
      {list.isPending ? (
        <PageLoader />
      ) : list.isError ? (
        <ErrorAlert error={list.error} onRetry={() => list.refetch()} />
      ) : list.items.length === 0 ? (
        <EmptyState message={t('notifications.none')} />
      ) : (
        <Stack gap="xs" data-testid="notifications">
          {list.items.map((n) => (
            <Paper key={n.id} withBorder p="sm" data-testid="notification" style={n.read ? undefined : { borderLeft: '4px solid var(--mantine-color-blue-6)' }}>
              <Group justify="space-between" wrap="wrap" gap="xs">
                <Stack gap={2} style={{ minWidth: 0, flex: '1 1 240px' }}>
                  <Group gap="xs">
                    {n.ticketNumber ? (
                      <Anchor component={Link} to={`/tickets/${n.ticketNumber}`} fw={n.read ? 400 : 600} onClick={() => !n.read && markRead.mutate({ ids: [n.id] })}>
                        {n.title}
                      </Anchor>
                    ) : (
                      <Text fw={n.read ? 400 : 600}>{n.title}</Text>
                    )}
                    {!n.read ? (
                      <Badge size="xs" color="blue">
                        {t('notifications.new')}
                      </Badge>
                    ) : null}
                  </Group>
                  {n.body ? (
                    <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                      {n.body}
                    </Text>
                  ) : null}
                  <Text size="xs" c="dimmed">
                    {fmt(n.createdAt)}
                  </Text>
                </Stack>
                {!n.read ? (
                  <Button size="xs" variant="subtle" onClick={() => markRead.mutate({ ids: [n.id] })} aria-label={t('notifications.markReadOne', { title: n.title })}>
                    {t('notifications.markRead')}
                  </Button>
                ) : null}
              </Group>
            </Paper>
          ))}
        </Stack>
      )}
      <LoadMore hasNextPage={list.hasNextPage} isFetchingNextPage={list.isFetchingNextPage} fetchNextPage={list.fetchNextPage} />
    </>
  );
}
