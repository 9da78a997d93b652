// Roles of the company: built-in ones and custom ones, with level and number of users.
import { Anchor, Badge, Button, Group, Text } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { CrudTable, SearchInput } from '../../components/crud';
import { PageHeader } from '../../components/PageHeader';
import { textMatches, useCrudList } from '../../lib/crud';
import { canOn, useCan } from '../../lib/useCan';
import type { Role } from '../../../shared/contracts/roles';
import { rolesKey } from './api';

export function RolesPage() {
  const { t } = useTranslation();
  const canManage = useCan('roles.manage');
  const list = useCrudList<Role>({ key: rolesKey, path: '/api/v1/roles', matches: (r, q) => textMatches(q, r.name) });

  return (
    <>
      <PageHeader
        title={t('roles.title')}
        description={t('roles.subtitle')}
        actions={
          canManage ? (
            <Button component={Link} to="/roles/new" leftSection={<IconPlus size={16} aria-hidden />}>
              {t('roles.new')}
            </Button>
          ) : null
        }
      />
      <SearchInput {...list.search} />
      <CrudTable
        list={list}
        testId="roles-table"
        rowTestId="role-row"
        minWidth={560}
        empty={t('roles.none')}
        columns={[
          {
            key: 'name',
            header: t('fields.name'),
            cell: (role) => (
              <Group gap="xs" wrap="nowrap">
                <Anchor component={Link} to={`/roles/${role.id}`} fw={500}>
                  {role.name}
                </Anchor>
                {role.builtin ? (
                  <Badge size="sm" variant="light" color="gray">
                    {t('roles.builtin')}
                  </Badge>
                ) : null}
              </Group>
            ),
          },
          { key: 'level', header: t('roles.level'), cell: (role) => role.level },
          { key: 'permissions', header: t('roles.permissions'), cell: (role) => role.permissions.length },
          { key: 'users', header: t('roles.users'), cell: (role) => role.userCount },
        ]}
        actions={(role) => (
          <Button
            component={Link}
            to={`/roles/${role.id}`}
            size="xs"
            variant="default"
            aria-label={t(canOn(role, 'update') ? 'roles.editOne' : 'roles.viewOne', { name: role.name })}
          >
            {canOn(role, 'update') ? t('common.edit') : t('common.view')}
          </Button>
        )}
      />
      <Text size="xs" c="dimmed" mt="md">
        {t('roles.levelHelp')}
      </Text>
    </>
  );
}
