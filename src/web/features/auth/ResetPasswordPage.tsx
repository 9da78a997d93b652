// Completes a password reset from the e-mailed link /reset-password?token=...
import { Alert, Anchor, Button, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { AuthCard } from '../../components/AuthCard';
import { ErrorAlert } from '../../components/ErrorAlert';
import { post } from '../../lib/api';
import { applyFieldErrors } from '../../lib/forms';
import { NewPasswordFields, passwordRules } from './NewPasswordFields';

export function ResetPasswordPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const form = useForm({
    initialValues: { password: '', confirm: '' },
    validate: passwordRules(t),
  });
  const complete = useMutation({
    mutationFn: (password: string) =>
      post('/api/v1/auth/password-reset/complete', { token, password }),
    onSuccess: () => {
      notifications.show({ color: 'green', message: t('reset.done') });
      navigate('/login', { replace: true });
    },
    onError: (error) => applyFieldErrors(form, error),
  });

  return (
    <AuthCard
      title={t('reset.completeTitle')}
      footer={
        <Anchor component={Link} to="/login" size="sm">
          {t('reset.backToLogin')}
        </Anchor>
      }
    >
      {token ? (
        <form noValidate onSubmit={form.onSubmit((v) => complete.mutate(v.password))}>
          <Stack>
            <ErrorAlert error={complete.error} skipFieldErrors />
            <NewPasswordFields getInputProps={(path) => form.getInputProps(path)} />
            <Button type="submit" loading={complete.isPending} fullWidth>
              {t('reset.completeSubmit')}
            </Button>
          </Stack>
        </form>
      ) : (
        <Alert color="red" role="alert">
          {t('reset.missingToken')}
        </Alert>
      )}
    </AuthCard>
  );
}
