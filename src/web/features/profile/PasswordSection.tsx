import { Button, Group, Paper, PasswordInput, Stack, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { post } from '../../lib/api';
import { applyFieldErrors, MIN_PASSWORD } from '../../lib/forms';

export function PasswordSection() {
  const { t } = useTranslation();
  const form = useForm({
    initialValues: { currentPassword: '', newPassword: '', confirm: '' },
    validate: {
      currentPassword: (v) => (v ? null : t('validation.required')),
      newPassword: (v) =>
        v.length >= MIN_PASSWORD ? null : t('validation.passwordLength', { count: MIN_PASSWORD }),
      confirm: (v, values) => (v === values.newPassword ? null : t('validation.passwordMismatch')),
    },
  });
  const change = useMutation({
    mutationFn: (v: { currentPassword: string; newPassword: string }) =>
      post('/api/v1/me/password', v),
    onSuccess: () => {
      form.reset();
      notifications.show({ color: 'green', message: t('profile.passwordChanged') });
    },
    onError: (error) => applyFieldErrors(form, error),
  });

  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="md">
        {t('profile.changePassword')}
      </Title>
      <form
        noValidate
        onSubmit={form.onSubmit((v) =>
          change.mutate({ currentPassword: v.currentPassword, newPassword: v.newPassword }),
        )}
      >
        <Stack>
          <ErrorAlert error={change.error} skipFieldErrors />
          <PasswordInput
            label={t('fields.currentPassword')}
            required
            autoComplete="current-password"
            {...form.getInputProps('currentPassword')}
          />
          <PasswordInput
            label={t('fields.newPassword')}
            description={t('validation.passwordLength', { count: MIN_PASSWORD })}
            required
            autoComplete="new-password"
            {...form.getInputProps('newPassword')}
          />
          <PasswordInput
            label={t('fields.confirmPassword')}
            required
            autoComplete="new-password"
            {...form.getInputProps('confirm')}
          />
          <Group justify="flex-end">
            <Button type="submit" loading={change.isPending}>
              {t('profile.changePassword')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
