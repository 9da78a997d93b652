// Create or edit a role: name, level and permissions (a checklist grouped by area).
import {
  Alert,
  Button,
  Checkbox,
  Fieldset,
  Group,
  NumberInput,
  SimpleGrid,
  Stack,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { PageLoader } from '../../components/PageLoader';
import { del, patch, post } from '../../lib/api';
import { applyFieldErrors } from '../../lib/forms';
import { canOn } from '../../lib/useCan';
import { groupByArea, rolesKey, usePermissionCatalogue, useRole } from './api';

interface RoleValues {
  name: string;
  level: number | string;
  permissions: string[];
}

export function RoleEditPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const creating = !id;
  const role = useRole(id);
  const catalogue = usePermissionCatalogue();
  const editable = creating || canOn(role.data, 'update');

  const form = useForm<RoleValues>({
    initialValues: { name: '', level: 10, permissions: [] },
    validate: {
      name: (v) => (v.trim() ? null : t('validation.required')),
      level: (v) =>
        v !== '' && Number.isInteger(Number(v)) && Number(v) >= 0 ? null : t('validation.level'),
    },
  });

  // biome-ignore lint/correctness/useExhaustiveDependencies: load the role once it arrives
  useEffect(() => {
    if (role.data) {
      form.setValues({
        name: role.data.name,
        level: role.data.level,
        permissions: role.data.permissions,
      });
      form.resetDirty();
    }
  }, [role.data]);

  const save = useMutation({
    mutationFn: (v: RoleValues) => {
      const body = { name: v.name.trim(), level: Number(v.level), permissions: v.permissions };
      return creating ? post('/api/v1/roles', body) : patch(`/api/v1/roles/${id}`, body);
    },
    onSuccess: async () => {
      notifications.show({ color: 'green', message: creating ? t('roles.created') : t('roles.saved') });
      await queryClient.invalidateQueries({ queryKey: rolesKey });
      navigate('/roles');
    },
    onError: (error) => applyFieldErrors(form, error),
  });
  const remove = useMutation({
    mutationFn: () => del(`/api/v1/roles/${id}`),
    onSuccess: async () => {
      notifications.show({ color: 'green', message: t('roles.deleted') });
      await queryClient.invalidateQueries({ queryKey: rolesKey });
      navigate('/roles');
    },
  });

  if ((!creating && role.isPending) || catalogue.isPending) return <PageLoader />;
  if (role.isError) return <ErrorAlert error={role.error} onRetry={() => role.refetch()} />;
  if (catalogue.isError) return <ErrorAlert error={catalogue.error} onRetry={() => catalogue.refetch()} />;

  const groups = groupByArea(catalogue.data.items);
  const selected = new Set(form.values.permissions);
  const toggleArea = (keys: string[], on: boolean) => {
    const next = new Set(form.values.permissions);
    for (const key of keys) {
      if (on) next.add(key);
      else next.delete(key);
    }
    form.setFieldValue('permissions', [...next]);
  };

  return (
    <>
      <PageHeader
        title={creating ? t('roles.createTitle') : t('roles.editTitle', { name: role.data?.name })}
        actions={
          !creating && canOn(role.data, 'delete') ? (
            <ConfirmButton
              color="red"
              variant="light"
              title={t('roles.deleteTitle')}
              message={t('roles.deleteConfirm', { name: role.data?.name })}
              confirmLabel={t('common.delete')}
              onConfirm={() => remove.mutate()}
              loading={remove.isPending}
            >
              {t('common.delete')}
            </ConfirmButton>
          ) : null
        }
      />
      {!editable ? (
        <Alert color="gray" mb="md">
          {t('roles.readOnly')}
        </Alert>
      ) : null}
      <ErrorAlert error={remove.error} />
      <form data-testid="role-form" noValidate onSubmit={form.onSubmit((v) => save.mutate(v))}>
        <Stack maw={900}>
          <ErrorAlert error={save.error} skipFieldErrors />
          <Group align="flex-start" grow preventGrowOverflow={false} wrap="wrap">
            <TextInput
              label={t('fields.name')}
              required
              disabled={!editable}
              style={{ flex: '2 1 240px' }}
              {...form.getInputProps('name')}
            />
            <NumberInput
              label={t('roles.level')}
              description={t('roles.levelHelpShort')}
              required
              min={0}
              max={1000}
              allowDecimal={false}
              disabled={!editable}
              style={{ flex: '1 1 140px' }}
              {...form.getInputProps('level')}
            />
          </Group>
          {form.errors.permissions ? (
            <Alert color="red" role="alert">
              {form.errors.permissions}
            </Alert>
          ) : null}
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            {groups.map(([area, permissions]) => {
              const keys = permissions.map((p) => p.key);
              const count = keys.filter((k) => selected.has(k)).length;
              return (
                <Fieldset key={area} legend={t(`areas.${area}`, { defaultValue: area })} disabled={!editable}>
                  <Stack gap="xs">
                    <Checkbox
                      label={t('roles.allInArea')}
                      checked={count === keys.length}
                      indeterminate={count > 0 && count < keys.length}
                      onChange={(e) => toggleArea(keys, e.currentTarget.checked)}
                      fw={600}
                    />
                    {permissions.map((p) => (
                      <Checkbox
                        key={p.key}
                        label={t(`permissions.${p.key}`, { defaultValue: p.label })}
                        description={p.key}
                        checked={selected.has(p.key)}
                        onChange={(e) => toggleArea([p.key], e.currentTarget.checked)}
                        ml="md"
                      />
                    ))}
                  </Stack>
                </Fieldset>
              );
            })}
          </SimpleGrid>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => navigate('/roles')}>
              {t('common.cancel')}
            </Button>
            {editable ? (
              <Button type="submit" loading={save.isPending}>
                {creating ? t('roles.create') : t('common.save')}
              </Button>
            ) : null}
          </Group>
        </Stack>
      </form>
    </>
  );
}
