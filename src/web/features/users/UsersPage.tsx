// Users of the company: search, filter by status, "load more", create/invite, edit, (de)activate,
// and lift a lockout after failed logins.
import { ActionIcon, Anchor, Badge, Group, Indicator, Menu, Select, Text, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDots } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { CrudTable, NewButton, SearchInput } from '../../components/crud';
import { PageHeader } from '../../components/PageHeader';
import { patch, post } from '../../lib/api';
import { useCrudList } from '../../lib/crud';
import { useFormatDate } from '../../lib/format';
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

/** When a lockout after failed logins ends; the list may be older than the lock, so an ended one is none. */
const lockEnd = (user: User) => (user.lockedUntil && Date.parse(user.lockedUntil) > Date.now() ? user.lockedUntil : null);

export function UsersPage() {
  const { t } = useTranslation();
  const fmt = useFormatDate();
  const me = useMe();
  const queryClient = useQueryClient();
  const canManage = useCan('users.manage');
  const [status, setStatus] = useState<string | null>(null);
  const [editing, setEditing] = useState<User | 'new' | null>(null);
  const pageSize = preferencesOf(me.user).pageSize ?? 50;

  // The server searches name, e-mail and username.
  const list = useCrudList<User>({
    key: usersKey,
    path: '/api/v1/users',
    query: { status: status ?? undefined },
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
          <NewButton allowed={canManage} onClick={() => setEditing('new')}>
            {t('users.new')}
          </NewButton>
        }
      />
      <OnlineNow />
      <SearchInput {...list.search} label={t('users.search')} placeholder={t('users.searchPlaceholder')}>
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
      </SearchInput>
      <CrudTable
        list={list}
        testId="users-table"
        rowTestId="user-row"
        minWidth={760}
        compact={compact}
        stickyActions
        empty={t('users.none')}
        columns={[
          {
            key: 'name',
            header: t('fields.name'),
            cell: (user) => (
              <>
                <Group gap="xs" wrap="nowrap">
                  <Indicator
                    color="green"
                    size={8}
                    disabled={!user.online}
                    position="middle-start"
                    offset={-8}
                    ml={user.online ? 10 : 0}
                  >
                    <Anchor component={Link} to={`/users/${user.id}`} size="sm" fw={500} data-testid="user-link">
                      {user.name}
                    </Anchor>
                  </Indicator>
                  {user.online ? <VisuallyHidden>{t('users.online')}</VisuallyHidden> : null}
                </Group>
                {user.username ? (
                  <Text size="xs" c="dimmed">
                    @{user.username}
                  </Text>
                ) : null}
              </>
            ),
          },
          { key: 'email', header: t('fields.email'), cell: (user) => user.email },
          { key: 'role', header: t('fields.role'), cell: (user) => user.role?.name ?? '—' },
          { key: 'department', header: t('fields.department'), cell: (user) => user.department?.name ?? '—' },
          {
            key: 'status',
            header: t('users.status'),
            cell: (user) => {
              const lockedUntil = lockEnd(user);
              return (
                <Group gap={4} wrap="wrap" component="span">
                  <Badge variant="light" color={statusColor[user.status] ?? 'gray'}>
                    {t(`users.statuses.${user.status}`)}
                  </Badge>
                  {lockedUntil ? (
                    <Badge variant="light" color="red" data-testid="user-locked">
                      {t('users.lockedUntil', { time: fmt(lockedUntil) })}
                    </Badge>
                  ) : null}
                </Group>
              );
            },
          },
          { key: 'lastLogin', header: t('users.lastLogin'), cell: (user) => fmt(user.lastLoginAt) },
        ]}
        actions={(user) => {
          if (!canOn(user, 'update')) return null;
          const lockedUntil = lockEnd(user);
          return (
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <ActionIcon variant="subtle" aria-label={t('users.actionsFor', { name: user.name })}>
                  <IconDots size={18} aria-hidden />
                </ActionIcon>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Item onClick={() => setEditing(user)}>{t('common.edit')}</Menu.Item>
                {lockedUntil ? <Menu.Item onClick={() => unlock.mutate(user)}>{t('users.unlock')}</Menu.Item> : null}
                {user.status === 'invited' ? (
                  <Menu.Item onClick={() => resend.mutate(user)}>{t('users.resendInvitation')}</Menu.Item>
                ) : null}
                {user.status === 'deactivated' ? (
                  <Menu.Item onClick={() => setActive.mutate({ user, active: true })}>{t('users.reactivate')}</Menu.Item>
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
          );
        }}
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
