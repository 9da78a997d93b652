// Departments with their heads; create, rename, change head, delete.
import {
  Button,
  Group,
  Modal,
  Select,
  Stack,
  Table,
  TextInput,
  VisuallyHidden,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmButton } from '../../components/ConfirmButton';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { PageLoader } from '../../components/PageLoader';
import { del, get, type Page, patch, post } from '../../lib/api';
import { applyFieldErrors } from '../../lib/forms';
import type { Department } from '../../../shared/contracts/departments';
import type { User } from '../../../shared/contracts/users';

const departmentsKey = ['departments'];

function DepartmentModal({ department, onClose }: { department: Department | null; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const people = useQuery({
    queryKey: ['users', 'options'],
    queryFn: () => get<Page<User>>('/api/v1/users', { status: 'active', limit: 200 }),
  });
  const form = useForm({
    initialValues: { name: department?.name ?? '', headUserId: department?.head?.id ?? '' },
    validate: { name: (v) => (v.trim() ? null : t('validation.required')) },
  });
  const save = useMutation({
    mutationFn: (v: typeof form.values) => {
      const body = { name: v.name.trim(), headUserId: v.headUserId || null };
      return department
        ? patch(`/api/v1/departments/${department.id}`, body)
        : post('/api/v1/departments', v.headUserId ? body : { name: body.name });
    },
    onSuccess: () => {
      notifications.show({ color: 'green', message: t('departments.saved') });
      void queryClient.invalidateQueries({ queryKey: departmentsKey });
      onClose();
    },
    onError: (error) => applyFieldErrors(form, error),
  });
  const options = (people.data?.items ?? []).map((u) => ({ value: u.id, label: u.name }));
  if (department?.head && !options.some((o) => o.value === department.head?.id)) {
    options.push({ value: department.head.id, label: department.head.name });
  }

  return (
    <Modal
      opened
      onClose={onClose}
      title={department ? t('departments.editTitle', { name: department.name }) : t('departments.createTitle')}
    >
      <form data-testid="department-form" noValidate onSubmit={form.onSubmit((v) => save.mutate(v))}>
        <Stack>
          <ErrorAlert error={save.error} skipFieldErrors />
          <TextInput label={t('fields.name')} required data-autofocus {...form.getInputProps('name')} />
          <Select
            label={t('departments.head')}
            data={options}
            searchable
            clearable
            nothingFoundMessage={t('common.nothingFound')}
            {...form.getInputProps('headUserId')}
            onChange={(value) => form.setFieldValue('headUserId', value ?? '')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function DepartmentsPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<Department | 'new' | null>(null);
  const departments = useQuery({
    queryKey: departmentsKey,
    queryFn: () => get<Page<Department>>('/api/v1/departments', { limit: 200 }),
  });
  const remove = useMutation({
    mutationFn: (d: Department) => del(`/api/v1/departments/${d.id}`),
    onSuccess: () => {
      notifications.show({ color: 'green', message: t('departments.deleted') });
      void queryClient.invalidateQueries({ queryKey: departmentsKey });
    },
  });

  return (
    <>
      <PageHeader
        title={t('departments.title')}
        actions={
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setEditing('new')}>
            {t('departments.new')}
          </Button>
        }
      />
      <ErrorAlert error={remove.error} />
      {departments.isPending ? (
        <PageLoader />
      ) : departments.isError ? (
        <ErrorAlert error={departments.error} onRetry={() => departments.refetch()} />
      ) : departments.data.items.length === 0 ? (
        <EmptyState message={t('departments.none')} />
      ) : (
        <Table.ScrollContainer minWidth={520}>
          <Table striped highlightOnHover data-testid="departments-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('fields.name')}</Table.Th>
                <Table.Th>{t('departments.head')}</Table.Th>
                <Table.Th>{t('departments.users')}</Table.Th>
                <Table.Th>
                  <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {departments.data.items.map((d) => (
                <Table.Tr key={d.id}>
                  <Table.Td>{d.name}</Table.Td>
                  <Table.Td>{d.head?.name ?? '—'}</Table.Td>
                  <Table.Td>{d.userCount}</Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap" justify="flex-end">
                      <Button
                        size="xs"
                        variant="default"
                        onClick={() => setEditing(d)}
                        aria-label={t('departments.editOne', { name: d.name })}
                      >
                        {t('common.edit')}
                      </Button>
                      <ConfirmButton
                        size="xs"
                        variant="light"
                        color="red"
                        title={t('departments.deleteTitle')}
                        message={t('departments.deleteConfirm', { name: d.name })}
                        confirmLabel={t('common.delete')}
                        onConfirm={() => remove.mutate(d)}
                        aria-label={t('departments.deleteOne', { name: d.name })}
                      >
                        {t('common.delete')}
                      </ConfirmButton>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {editing ? (
        <DepartmentModal
          key={editing === 'new' ? 'new' : editing.id}
          department={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
        />
      ) : null}
    </>
  );
}
