// A new company's first administrator signs up with the contact e-mail and the one-time key.
import { Anchor, Button, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { AuthCard } from '../../components/AuthCard';
import { ErrorAlert } from '../../components/ErrorAlert';
import { post } from '../../lib/api';
import { applyFieldErrors, EMAIL_RE } from '../../lib/forms';
import { NewPasswordFields, passwordRules } from './NewPasswordFields';

export function SignupPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const form = useForm({
    initialValues: {
      email: params.get('email') ?? '',
      key: params.get('key') ?? '',
      name: '',
      username: '',
      password: '',
      confirm: '',
    },
    validate: {
      email: (v) => (EMAIL_RE.test(v.trim()) ? null : t('validation.email')),
      key: (v) => (v.trim() ? null : t('validation.required')),
      name: (v) => (v.trim() ? null : t('validation.required')),
      username: (v) => (v.trim() ? null : t('validation.required')),
      ...passwordRules(t),
    },
  });
  const signup = useMutation({
    mutationFn: (v: typeof form.values) =>
      post('/api/v1/signup', {
        email: v.email.trim(),
        key: v.key.trim(),
        name: v.name.trim(),
        username: v.username.trim(),
        password: v.password,
      }),
    onSuccess: (_data, v) => {
      notifications.show({ color: 'green', message: t('signup.done') });
      navigate(`/login?email=${encodeURIComponent(v.email.trim())}`, { replace: true });
    },
    onError: (error) => applyFieldErrors(form, error),
  });

  return (
    <AuthCard
      title={t('signup.title')}
      subtitle={t('signup.subtitle')}
      footer={
        <Anchor component={Link} to="/login" size="sm">
          {t('reset.backToLogin')}
        </Anchor>
      }
    >
      <form noValidate onSubmit={form.onSubmit((v) => signup.mutate(v))}>
        <Stack>
          <ErrorAlert error={signup.error} skipFieldErrors />
          <TextInput label={t('fields.email')} type="email" required autoComplete="email" {...form.getInputProps('email')} />
          <TextInput label={t('signup.key')} required autoComplete="off" {...form.getInputProps('key')} />
          <TextInput label={t('fields.name')} required autoComplete="name" {...form.getInputProps('name')} />
          <TextInput label={t('fields.username')} required autoComplete="username" {...form.getInputProps('username')} />
          <NewPasswordFields getInputProps={(path) => form.getInputProps(path)} />
          <Button type="submit" loading={signup.isPending} fullWidth>
            {t('signup.submit')}
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
