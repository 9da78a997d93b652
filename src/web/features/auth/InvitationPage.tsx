// Accepting an invitation from /invitation?token=...: choose a password (and optionally a username).
import { Alert, Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { AuthCard } from '../../components/AuthCard';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageLoader } from '../../components/PageLoader';
import { ApiError, get, post } from '../../lib/api';
import { applyFieldErrors } from '../../lib/forms';
import { NewPasswordFields, passwordRules } from './NewPasswordFields';

import type { Invitation } from '../../../shared/contracts/auth';

export function InvitationPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const invitation = useQuery({
    queryKey: ['invitation', token],
    queryFn: () => get<Invitation>(`/api/v1/auth/invitations/${encodeURIComponent(token)}`),
    enabled: !!token,
    retry: false,
  });
  const form = useForm({
    initialValues: { username: '', password: '', confirm: '' },
    validate: passwordRules(t),
  });
  const accept = useMutation({
    mutationFn: (values: { username: string; password: string }) =>
      post('/api/v1/auth/invitations/accept', {
        token,
        password: values.password,
        ...(values.username.trim() ? { username: values.username.trim() } : {}),
      }),
    onSuccess: () => {
      notifications.show({ color: 'green', message: t('invitation.done') });
      const email = invitation.data?.email ?? '';
      navigate(`/login?email=${encodeURIComponent(email)}`, { replace: true });
    },
    onError: (error) => applyFieldErrors(form, error),
  });

  const footer = (
    <Anchor component={Link} to="/login" size="sm">
      {t('reset.backToLogin')}
    </Anchor>
  );

  if (!token || (invitation.error instanceof ApiError && invitation.error.status === 404)) {
    return (
      <AuthCard title={t('invitation.title')} footer={footer}>
        <Alert color="red" role="alert">
          {t('invitation.invalid')}
        </Alert>
      </AuthCard>
    );
  }
  if (invitation.isPending) return <PageLoader />;
  if (invitation.isError) {
    return (
      <AuthCard title={t('invitation.title')} footer={footer}>
        <ErrorAlert error={invitation.error} onRetry={() => invitation.refetch()} />
      </AuthCard>
    );
  }

  const { data } = invitation;
  return (
    <AuthCard
      title={t('invitation.title')}
      subtitle={t('invitation.subtitle', { company: data.companyName })}
      footer={footer}
    >
      <form noValidate onSubmit={form.onSubmit((v) => accept.mutate(v))}>
        <Stack>
          <ErrorAlert error={accept.error} skipFieldErrors />
          <Text size="sm">
            {t('invitation.for', { name: data.name, email: data.email })}
          </Text>
          <TextInput
            label={t('fields.username')}
            description={t('invitation.usernameHelp')}
            autoComplete="username"
            {...form.getInputProps('username')}
          />
          <NewPasswordFields getInputProps={(path) => form.getInputProps(path)} />
          <Button type="submit" loading={accept.isPending} fullWidth>
            {t('invitation.submit')}
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
