// Create or edit a user. Creating without a password sends an invitation mail instead.
import { Button, Group, Modal, PasswordInput, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { patch, post } from '../../lib/api';
import { applyFieldErrors, EMAIL_RE, MIN_PASSWORD } from '../../lib/forms';
import type { User } from '../../../shared/contracts/users';
import { type UserInput, useDepartmentOptions, useRoleOptions, usersKey } from './api';

export function UserFormModal({
  opened,
  onClose,
  user,
}: {
  opened: boolean;
  onClose: () => void;
  /** The user to edit; none to create one. */
  user?: User | null;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const roles = useRoleOptions(opened);
  const departments = useDepartmentOptions(opened);
  const editing = !!user;

  const form = useForm({
    initialValues: {
      name: user?.name ?? '',
      email: user?.email ?? '',
      username: user?.username ?? '',
      password: '',
      roleId: user?.role?.id ?? '',
      departmentId: user?.department?.id ?? '',
    },
    validate: {
      name: (v) => (v.trim() ? null : t('validation.required')),
      email: (v) => (EMAIL_RE.test(v.trim()) ? null : t('validation.email')),
      roleId: (v) => (v ? null : t('validation.required')),
      password: (v) =>
        !v || v.length >= MIN_PASSWORD ? null : t('validation.passwordLength', { count: MIN_PASSWORD }),
    },
  });

  const save = useMutation({
    mutationFn: (v: typeof form.values) => {
      const body: UserInput = {
        name: v.name.trim(),
        email: v.email.trim(),
        roleId: v.roleId,
      };
      if (v.username.trim()) body.username = v.username.trim();
      if (editing) {
        return patch(`/api/v1/users/${user.id}`, { ...body, departmentId: v.departmentId || null });
      }
      if (v.departmentId) body.departmentId = v.departmentId;
      if (v.password) body.password = v.password;
      return post('/api/v1/users', body);
    },
    onSuccess: (_d, v) => {
      notifications.show({
        color: 'green',
        message: editing ? t('users.saved') : v.password ? t('users.created') : t('users.invited'),
      });
      void queryClient.invalidateQueries({ queryKey: usersKey });
      onClose();
    },
    onError: (error) => applyFieldErrors(form, error),
  });

  const roleData = (roles.data?.items ?? []).map((r) => ({
    value: r.id,
    label: `${r.name} (${t('roles.levelShort', { level: r.level })})`,
  }));
  // Keep the current role selectable even if the list omits it (e.g. a role above mine).
  if (user?.role && !roleData.some((r) => r.value === user.role?.id)) {
    roleData.push({ value: user.role.id, label: user.role.name });
  }
  const departmentData = (departments.data?.items ?? []).map((d) => ({ value: d.id, label: d.name }));

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={editing ? t('users.editTitle', { name: user.name }) : t('users.createTitle')}
      size="lg"
    >
      <form data-testid="user-form" noValidate onSubmit={form.onSubmit((v) => save.mutate(v))}>
        <Stack>
          <ErrorAlert error={save.error} skipFieldErrors />
          <ErrorAlert error={roles.error} title={t('users.rolesUnavailable')} />
          <TextInput label={t('fields.name')} required data-autofocus {...form.getInputProps('name')} />
          <TextInput label={t('fields.email')} type="email" required {...form.getInputProps('email')} />
          <TextInput label={t('fields.username')} {...form.getInputProps('username')} />
          <Select
            label={t('fields.role')}
            required
            data={roleData}
            searchable
            nothingFoundMessage={t('common.nothingFound')}
            {...form.getInputProps('roleId')}
          />
          <Select
            label={t('fields.department')}
            data={departmentData}
            clearable
            searchable
            nothingFoundMessage={t('common.nothingFound')}
            {...form.getInputProps('departmentId')}
            onChange={(value) => form.setFieldValue('departmentId', value ?? '')}
          />
          {editing ? null : (
            <>
              <PasswordInput
                label={t('fields.password')}
                description={t('users.passwordHelp')}
                autoComplete="new-password"
                {...form.getInputProps('password')}
              />
              <Text size="xs" c="dimmed">
                {form.values.password ? t('users.willCreateActive') : t('users.willInvite')}
              </Text>
            </>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {editing ? t('common.save') : form.values.password ? t('users.create') : t('users.invite')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
