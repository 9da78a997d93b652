// Users of the company: search, filter by status, "load more", create/invite, edit, (de)activate,
// and lift a lockout after failed logins.
import {
  Badge,
  Button,
  Group,
  Indicator,
  Menu,
  ActionIcon,
  Select,
  Table,
  Text,
  TextInput,
  VisuallyHidden,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconDots, IconPlus, IconSearch } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { PageLoader } from '../../components/PageLoader';
import { patch, post } from '../../lib/api';
import { useFormatDate } from '../../lib/format';
import { useKeysetList } from '../../lib/lists';
import type { User } from '../../../shared/contracts/users';
import type { UserStatus } from '../../../shared/contracts/enums';
import { canOn, useCan } from '../../lib/useCan';
import { useMe, preferencesOf } from '../../lib/useMe';
import { usersKey } from './api';
import { OnlineNow } from './OnlineNow';
import { UserFormModal } from './UserFormModal';

const statusColor: Record<UserStatus, string> = {
  active: 'green',
  invited: 'blue',
  deactivated: 'gray',
};

// The actions column stays in view while a narrow screen scrolls the table sideways.
const stickyEnd = { position: 'sticky', right: 0, background: 'var(--mantine-color-body)' } as const;

export function UsersPage() {
  const { t } = useTranslation();
  const fmt = useFormatDate();
  const me = useMe();
  const queryClient = useQueryClient();
  const canManage = useCan('users.manage');
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [status, setStatus] = useState<string | null>(null);
  const [editing, setEditing] = useState<User | 'new' | null>(null);
  const pageSize = preferencesOf(me.user).pageSize ?? 50;

  const list = useKeysetList<User>(usersKey, '/api/v1/users', {
    q,
    status: status ?? undefined,
    limit: pageSize,
  });

  const refresh = () => queryClient.invalidateQueries({ queryKey: usersKey });
  const setActive = useMutation({
    mutationFn: ({ user, active }: { user: User; active: boolean }) =>
      patch(`/api/v1/users/${user.id}`, { active }),
    onSuccess: (_d, { active }) => {
      notifications.show({
        color: 'green',
        message: active ? t('users.reactivated') : t('users.deactivated'),
      });
      void refresh();
    },
    onError: (error) => notifications.show({ color: 'red', message: (error as Error).message }),
  });
  const unlock = useMutation({
    mutationFn: (user: User) => post(`/api/v1/users/${user.id}/unlock`),
    onSuccess: () => {
      notifications.show({ color: 'green', message: t('users.unlocked') });
      void refresh();
    },
    onError: (error) => notifications.show({ color: 'red', message: (error as Error).message }),
  });
  const resend = useMutation({
    mutationFn: (user: User) => post(`/api/v1/users/${user.id}/invitation`),
    onSuccess: () => notifications.show({ color: 'green', message: t('users.invitationResent') }),
    onError: (error) => notifications.show({ color: 'red', message: (error as Error).message }),
  });
  const compact = preferencesOf(me.user).density === 'compact';

  return (
    <>
      <PageHeader
        title={t('users.title')}
        actions={
          canManage ? (
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setEditing('new')}>
              {t('users.new')}
            </Button>
          ) : null
        }
      />
      <OnlineNow />
      <Group mb="md" gap="sm" wrap="wrap" align="flex-end">
        <TextInput
          label={t('users.search')}
          placeholder={t('users.searchPlaceholder')}
          leftSection={<IconSearch size={16} aria-hidden />}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          style={{ flex: '1 1 220px' }}
          type="search"
        />
        <Select
          label={t('users.status')}
          placeholder={t('users.allStatuses')}
          data={(['active', 'invited', 'deactivated'] as const).map((s) => ({
            value: s,
            label: t(`users.statuses.${s}`),
          }))}
          value={status}
          onChange={setStatus}
          clearable
          style={{ flex: '0 1 200px' }}
        />
      </Group>
      {list.isPending ? (
        <PageLoader />
      ) : list.isError ? (
        <ErrorAlert error={list.error} onRetry={() => list.refetch()} />
      ) : list.items.length === 0 ? (
        <EmptyState message={t('users.none')} />
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table striped highlightOnHover verticalSpacing={compact ? 4 : 'sm'} data-testid="users-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('fields.name')}</Table.Th>
                <Table.Th>{t('fields.email')}</Table.Th>
                <Table.Th>{t('fields.role')}</Table.Th>
                <Table.Th>{t('fields.department')}</Table.Th>
                <Table.Th>{t('users.status')}</Table.Th>
                <Table.Th>{t('users.lastLogin')}</Table.Th>
                <Table.Th style={stickyEnd}>
                  <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.items.map((user) => {
                const canUpdate = canOn(user, 'update');
                // The list may be older than the lock: one that has ended is not shown.
                const lockedUntil = user.lockedUntil && Date.parse(user.lockedUntil) > Date.now() ? user.lockedUntil : null;
                return (
                  <Table.Tr key={user.id} data-testid="user-row">
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        <Indicator
                          color="green"
                          size={8}
                          disabled={!user.online}
                          position="middle-start"
                          offset={-8}
                          ml={user.online ? 10 : 0}
                        >
                          <Text size="sm" fw={500}>
                            {user.name}
                          </Text>
                        </Indicator>
                        {user.online ? <VisuallyHidden>{t('users.online')}</VisuallyHidden> : null}
                      </Group>
                      {user.username ? (
                        <Text size="xs" c="dimmed">
                          @{user.username}
                        </Text>
                      ) : null}
                    </Table.Td>
                    <Table.Td>{user.email}</Table.Td>
                    <Table.Td>{user.role?.name ?? '—'}</Table.Td>
                    <Table.Td>{user.department?.name ?? '—'}</Table.Td>
                    <Table.Td>
                      <Group gap={4} wrap="wrap">
                        <Badge variant="light" color={statusColor[user.status] ?? 'gray'}>
                          {t(`users.statuses.${user.status}`)}
                        </Badge>
                        {lockedUntil ? (
                          <Badge variant="light" color="red" data-testid="user-locked">
                            {t('users.lockedUntil', { time: fmt(lockedUntil) })}
                          </Badge>
                        ) : null}
                      </Group>
                    </Table.Td>
                    <Table.Td>{fmt(user.lastLoginAt)}</Table.Td>
                    <Table.Td style={stickyEnd}>
                      {canUpdate ? (
                        <Menu position="bottom-end" withinPortal>
                          <Menu.Target>
                            <ActionIcon variant="subtle" aria-label={t('users.actionsFor', { name: user.name })}>
                              <IconDots size={18} aria-hidden />
                            </ActionIcon>
                          </Menu.Target>
                          <Menu.Dropdown>
                            <Menu.Item onClick={() => setEditing(user)}>{t('common.edit')}</Menu.Item>
                            {lockedUntil ? (
                              <Menu.Item onClick={() => unlock.mutate(user)}>{t('users.unlock')}</Menu.Item>
                            ) : null}
                            {user.status === 'invited' ? (
                              <Menu.Item onClick={() => resend.mutate(user)}>
                                {t('users.resendInvitation')}
                              </Menu.Item>
                            ) : null}
                            {user.status === 'deactivated' ? (
                              <Menu.Item onClick={() => setActive.mutate({ user, active: true })}>
                                {t('users.reactivate')}
                              </Menu.Item>
                            ) : (
                              <Menu.Item
                                color="red"
                                disabled={user.id === me.user.id}
                                onClick={() => setActive.mutate({ user, active: false })}
                              >
                                {t('users.deactivate')}
                              </Menu.Item>
                            )}
                          </Menu.Dropdown>
                        </Menu>
                      ) : null}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <LoadMore
        hasNextPage={list.hasNextPage}
        isFetchingNextPage={list.isFetchingNextPage}
        fetchNextPage={list.fetchNextPage}
      />
      {editing ? (
        <UserFormModal
          key={editing === 'new' ? 'new' : editing.id}
          opened
          user={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
        />
      ) : null}
    </>
  );
}
