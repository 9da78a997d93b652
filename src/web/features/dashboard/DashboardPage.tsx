// The start page: who you are, the sections of your role (tickets to act on), and where to go next.
import { Anchor, Card, SimpleGrid, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PageHeader } from '../../components/PageHeader';
import { useMe } from '../../lib/useMe';
import { RoleSections } from './sections';
import type { Permission } from '../../../shared/permissions/catalogue';

interface Shortcut {
  key: string;
  to: string;
  show: boolean;
}

export function DashboardPage() {
  const { t } = useTranslation();
  const me = useMe();
  const has = (...p: Permission[]) => p.some((x) => me.permissions.includes(x));
  const seesTickets = has('tickets.create', 'tickets.view_all', 'tickets.view_department', 'tickets.view_assigned', 'tickets.approve');
  const shortcuts: Shortcut[] = [
    { key: 'tickets', to: '/tickets', show: seesTickets },
    { key: 'newTicket', to: '/tickets/new', show: has('tickets.create') },
    { key: 'notifications', to: '/notifications', show: !!me.company },
    { key: 'categories', to: '/categories', show: has('categories.manage') },
    { key: 'teams', to: '/teams', show: has('categories.manage') },
    { key: 'projects', to: '/projects', show: has('projects.manage', 'tickets.view_all') },
    { key: 'users', to: '/users', show: has('users.view', 'users.manage') },
    { key: 'roles', to: '/roles', show: has('roles.manage') },
    { key: 'departments', to: '/departments', show: has('departments.manage') },
    { key: 'outbox', to: '/outbox', show: has('settings.manage') },
    { key: 'audit', to: '/audit', show: has('audit.view') },
    { key: 'companies', to: '/companies', show: me.superAdmin },
    { key: 'profile', to: '/profile', show: true },
    { key: 'sessions', to: '/sessions', show: true },
  ];

  return (
    <>
      <PageHeader
        title={t('dashboard.welcome', { name: me.user.name })}
        description={
          me.company
            ? t('dashboard.companyRole', { company: me.company.name, role: me.role?.name ?? '—' })
            : me.superAdmin
              ? t('dashboard.superAdmin')
              : undefined
        }
      />
      {me.company ? <RoleSections /> : null}
      <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="md">
        {shortcuts
          .filter((s) => s.show)
          .map((s) => (
            <Card key={s.key} withBorder padding="lg">
              <Stack gap={4}>
                <Anchor component={Link} to={s.to} fw={600}>
                  {t(`nav.${s.key}`)}
                </Anchor>
                <Text size="sm" c="dimmed">
                  {t(`dashboard.hint.${s.key}`)}
                </Text>
              </Stack>
            </Card>
          ))}
        <Card withBorder padding="lg">
          <Stack gap={4}>
            <Anchor href="/api/docs" fw={600}>
              {t('nav.apiDocs')}
            </Anchor>
            <Text size="sm" c="dimmed">
              {t('dashboard.hint.apiDocs')}
            </Text>
          </Stack>
        </Card>
      </SimpleGrid>
    </>
  );
}
