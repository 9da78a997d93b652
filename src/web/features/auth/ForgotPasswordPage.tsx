// Asks for a password-reset mail; the answer is the same whether the address exists or not.
import { Alert, Anchor, Button, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { AuthCard } from '../../components/AuthCard';
import { ErrorAlert } from '../../components/ErrorAlert';
import { post } from '../../lib/api';
import { applyFieldErrors, EMAIL_RE } from '../../lib/forms';

export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const form = useForm({
    initialValues: { email: '' },
    validate: { email: (v) => (EMAIL_RE.test(v.trim()) ? null : t('validation.email')) },
  });
  const request = useMutation({
    mutationFn: (email: string) => post('/api/v1/auth/password-reset', { email }),
    onError: (error) => applyFieldErrors(form, error),
  });

  return (
    <AuthCard
      title={t('reset.requestTitle')}
      subtitle={t('reset.requestSubtitle')}
      footer={
        <Anchor component={Link} to="/login" size="sm">
          {t('reset.backToLogin')}
        </Anchor>
      }
    >
      {request.isSuccess ? (
        <Alert color="green" role="status">
          {t('reset.requestSent')}
        </Alert>
      ) : (
        <form noValidate onSubmit={form.onSubmit((v) => request.mutate(v.email.trim()))}>
          <Stack>
            <ErrorAlert error={request.error} skipFieldErrors />
            <TextInput
              label={t('fields.email')}
              type="email"
              required
              autoComplete="email"
              {...form.getInputProps('email')}
            />
            <Button type="submit" loading={request.isPending} fullWidth>
              {t('reset.requestSubmit')}
            </Button>
          </Stack>
        </form>
      )}
    </AuthCard>
  );
}
