// Roles of the company: built-in ones and custom ones, with level and number of users.
import { Anchor, Badge, Button, Group, Table, Text, VisuallyHidden } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { PageLoader } from '../../components/PageLoader';
import { canOn } from '../../lib/useCan';
import { useRoles } from './api';

export function RolesPage() {
  const { t } = useTranslation();
  const roles = useRoles();

  return (
    <>
      <PageHeader
        title={t('roles.title')}
        description={t('roles.subtitle')}
        actions={
          <Button component={Link} to="/roles/new" leftSection={<IconPlus size={16} aria-hidden />}>
            {t('roles.new')}
          </Button>
        }
      />
      {roles.isPending ? (
        <PageLoader />
      ) : roles.isError ? (
        <ErrorAlert error={roles.error} onRetry={() => roles.refetch()} />
      ) : roles.data.items.length === 0 ? (
        <EmptyState message={t('roles.none')} />
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table striped highlightOnHover data-testid="roles-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('fields.name')}</Table.Th>
                <Table.Th>{t('roles.level')}</Table.Th>
                <Table.Th>{t('roles.permissions')}</Table.Th>
                <Table.Th>{t('roles.users')}</Table.Th>
                <Table.Th>
                  <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {roles.data.items.map((role) => (
                <Table.Tr key={role.id} data-testid="role-row">
                  <Table.Td>
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
                  </Table.Td>
                  <Table.Td>{role.level}</Table.Td>
                  <Table.Td>{role.permissions.length}</Table.Td>
                  <Table.Td>{role.userCount}</Table.Td>
                  <Table.Td>
                    <Button
                      component={Link}
                      to={`/roles/${role.id}`}
                      size="xs"
                      variant="default"
                      aria-label={t(canOn(role, 'update') ? 'roles.editOne' : 'roles.viewOne', {
                        name: role.name,
                      })}
                    >
                      {canOn(role, 'update') ? t('common.edit') : t('common.view')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Text size="xs" c="dimmed" mt="md">
        {t('roles.levelHelp')}
      </Text>
    </>
  );
}
