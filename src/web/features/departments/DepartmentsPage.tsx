// Departments with their heads; search, create, rename, change head, delete.
import { Select, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { CrudFormModal, CrudTable, DeleteButton, EditButton, NewButton, SearchInput } from '../../components/crud';
import { PageHeader } from '../../components/PageHeader';
import { del, get, type Page, patch, post } from '../../lib/api';
import { textMatches, useCrudDelete, useCrudList, useCrudSave, useEditing } from '../../lib/crud';
import { canOn, useCan } from '../../lib/useCan';
import type { Department } from '../../../shared/contracts/departments';
import type { User } from '../../../shared/contracts/users';

const departmentsKey = ['departments'];

function DepartmentModal({ department, onClose }: { department: Department | null; onClose: () => void }) {
  const { t } = useTranslation();
  const people = useQuery({
    queryKey: ['users', 'options'],
    queryFn: () => get<Page<User>>('/api/v1/users', { status: 'active', limit: 200 }),
  });
  const form = useForm({
    initialValues: { name: department?.name ?? '', headUserId: department?.head?.id ?? '' },
    validate: { name: (v) => (v.trim() ? null : t('validation.required')) },
  });
  const save = useCrudSave({
    form,
    save: (v: typeof form.values) => {
      const body = { name: v.name.trim(), headUserId: v.headUserId || null };
      return department
        ? patch(`/api/v1/departments/${department.id}`, body)
        : post('/api/v1/departments', v.headUserId ? body : { name: body.name });
    },
    invalidate: departmentsKey,
    message: t('departments.saved'),
    onDone: onClose,
  });
  const options = (people.data?.items ?? []).map((u) => ({ value: u.id, label: u.name }));
  if (department?.head && !options.some((o) => o.value === department.head?.id)) {
    options.push({ value: department.head.id, label: department.head.name });
  }

  return (
    <CrudFormModal
      title={department ? t('departments.editTitle', { name: department.name }) : t('departments.createTitle')}
      onClose={onClose}
      onSubmit={form.onSubmit((v) => save.mutate(v))}
      saving={save.isPending}
      error={save.error}
      testId="department-form"
    >
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
    </CrudFormModal>
  );
}

export function DepartmentsPage() {
  const { t } = useTranslation();
  const canManage = useCan('departments.manage');
  const edit = useEditing<Department>();
  const list = useCrudList<Department>({
    key: departmentsKey,
    path: '/api/v1/departments',
    matches: (d, q) => textMatches(q, d.name),
  });
  const remove = useCrudDelete({
    remove: (d: Department) => del(`/api/v1/departments/${d.id}`),
    invalidate: departmentsKey,
    message: t('departments.deleted'),
  });

  return (
    <>
      <PageHeader
        title={t('departments.title')}
        actions={
          <NewButton allowed={canManage} onClick={() => edit.open('new')} testId="new-department">
            {t('departments.new')}
          </NewButton>
        }
      />
      <SearchInput {...list.search} />
      <CrudTable
        list={list}
        testId="departments-table"
        rowTestId="department-row"
        empty={t('departments.none')}
        columns={[
          { key: 'name', header: t('fields.name'), cell: (d) => d.name },
          { key: 'head', header: t('departments.head'), cell: (d) => d.head?.name ?? '—' },
          { key: 'users', header: t('departments.users'), cell: (d) => d.userCount },
        ]}
        actions={(d) => (
          <>
            <EditButton
              allowed={canOn(d, 'update')}
              onClick={() => edit.open(d)}
              label={t('departments.editOne', { name: d.name })}
            />
            <DeleteButton
              allowed={canOn(d, 'delete')}
              title={t('departments.deleteTitle')}
              message={t('departments.deleteConfirm', { name: d.name })}
              onConfirm={() => remove.mutate(d)}
              loading={remove.isPending && remove.variables?.id === d.id}
              label={t('departments.deleteOne', { name: d.name })}
            />
          </>
        )}
      />
      {edit.editing ? (
        <DepartmentModal key={edit.current?.id ?? 'new'} department={edit.current} onClose={edit.close} />
      ) : null}
    </>
  );
}
