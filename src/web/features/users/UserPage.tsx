// One person (where an @mention links to): who they are, how to reach them, and their work — the
// open tickets assigned to them and those they asked for — with edit for those who manage users.
import { Anchor, Badge, Button, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { OPEN_TICKET_STATUSES } from '../../../shared/contracts/enums';
import type { User } from '../../../shared/contracts/users';
import { ErrorAlert } from '../../components/ErrorAlert';
import { UserAvatar } from '../../components/UserAvatar';
import { PageHeader } from '../../components/PageHeader';
import { PageLoader } from '../../components/PageLoader';
import { get } from '../../lib/api';
import { useCan } from '../../lib/useCan';
import { TicketMiniList } from '../tickets/TicketMiniList';
import { usersKey } from './api';
import { UserFormModal } from './UserFormModal';

export function UserPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const canManage = useCan('users.manage');
  const canSeeTickets = useCan('tickets.view_all');
  const [editing, setEditing] = useState(false);
  const user = useQuery({
    queryKey: [...usersKey, id],
    queryFn: async () => (await get<{ user: User }>(`/api/v1/users/${id}`)).user,
  });
  if (user.isPending) return <PageLoader />;
  if (user.isError) return <ErrorAlert error={user.error} onRetry={() => user.refetch()} />;
  const u = user.data;
  const open = OPEN_TICKET_STATUSES.join(',');
  return (
    <>
      <Anchor component={Link} to="/users" size="sm">
        {t('userPage.back')}
      </Anchor>
      <PageHeader
        title={u.name}
        actions={
          canManage && u.can.update ? (
            <Button variant="default" onClick={() => setEditing(true)} data-testid="edit-user">
              {t('common.edit')}
            </Button>
          ) : null
        }
      />
      <Stack gap="md" data-testid="user-page">
        <Paper withBorder p="md">
          <Group gap="md" wrap="nowrap" align="flex-start">
            <UserAvatar name={u.name} color={u.color} size="lg" aria-hidden />
            <Stack gap={4} style={{ minWidth: 0 }}>
              <Group gap="xs">
                <Badge variant="light">{u.role.name}</Badge>
                <Badge variant="light" color={u.status === 'active' ? 'green' : 'gray'}>
                  {t(`users.statuses.${u.status}`)}
                </Badge>
                {u.online ? (
                  <Badge variant="dot" color="green">
                    {t('users.online')}
                  </Badge>
                ) : null}
              </Group>
              <Anchor href={`mailto:${u.email}`} style={{ overflowWrap: 'anywhere' }}>
                {u.email}
              </Anchor>
              {u.username ? <Text size="sm">@{u.username}</Text> : null}
              <Text size="sm">{u.department ? t('userPage.department', { name: u.department.name }) : t('userPage.noDepartment')}</Text>
            </Stack>
          </Group>
        </Paper>
        {canSeeTickets ? (
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Stack gap="xs">
              <Title order={2} size="h4">
                {t('userPage.assigned')}
              </Title>
              <TicketMiniList query={{ assigneeId: u.id, status: open }} empty={t('userPage.noneAssigned')} testId="user-assigned" />
            </Stack>
            <Stack gap="xs">
              <Title order={2} size="h4">
                {t('userPage.requested')}
              </Title>
              <TicketMiniList query={{ requesterId: u.id, status: open }} empty={t('userPage.noneRequested')} testId="user-requested" />
            </Stack>
          </SimpleGrid>
        ) : null}
      </Stack>
      {editing ? <UserFormModal opened onClose={() => setEditing(false)} user={u} /> : null}
    </>
  );
}
