// Login by e-mail or username; asks for a TOTP code when the account has a second factor.
import { Anchor, Button, Checkbox, Group, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { AuthCard } from '../../components/AuthCard';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageLoader } from '../../components/PageLoader';
import { ApiError, post } from '../../lib/api';
import { applyFieldErrors } from '../../lib/forms';
import { useMeQuery } from '../../lib/useMe';
import { useSignedIn } from './useSignedIn';

interface LoginValues {
  login: string;
  password: string;
  remember: boolean;
  totp: string;
}

/** Only same-site paths, so a crafted ?next= cannot send people elsewhere. */
function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function LoginPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const prefilled = params.get('email') ?? '';
  const next = safeNext(params.get('next'));
  const me = useMeQuery();
  const signedIn = useSignedIn();
  const [needTotp, setNeedTotp] = useState(false);
  const totpRef = useRef<HTMLInputElement>(null);

  const form = useForm<LoginValues>({
    initialValues: { login: prefilled, password: '', remember: false, totp: '' },
    validate: {
      login: (v) => (v.trim() ? null : t('validation.required')),
      password: (v) => (v ? null : t('validation.required')),
      totp: (v) => (!needTotp || /^\d{6,8}$/.test(v.trim()) ? null : t('validation.totp')),
    },
  });

  // The same page may be reached again with another ?email= (after setup or an invitation).
  // biome-ignore lint/correctness/useExhaustiveDependencies: only when the parameter changes
  useEffect(() => {
    if (prefilled) form.setFieldValue('login', prefilled);
  }, [prefilled]);

  const login = useMutation({
    mutationFn: (values: LoginValues) =>
      post<{ csrfToken: string }>('/api/v1/auth/login', {
        login: values.login.trim(),
        password: values.password,
        remember: values.remember,
        ...(needTotp ? { totp: values.totp.trim() } : {}),
      }),
    onSuccess: async (answer) => {
      await signedIn(answer.csrfToken);
      navigate(next, { replace: true });
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'totp_required') {
        setNeedTotp(true);
        setTimeout(() => totpRef.current?.focus(), 0);
        return;
      }
      applyFieldErrors(form, error);
    },
  });

  if (me.isPending) return <PageLoader />;
  // Already signed in: go on, unless we came here to sign in as someone else (?email=).
  if (me.data && !prefilled && !login.isPending) return <Navigate to={next} replace />;

  const totpPrompt = login.error instanceof ApiError && login.error.code === 'totp_required';

  return (
    <AuthCard
      title={t('login.title')}
      footer={
        <>
          <Anchor component={Link} to="/forgot-password" size="sm">
            {t('login.forgot')}
          </Anchor>
          <Anchor component={Link} to="/signup" size="sm">
            {t('login.signup')}
          </Anchor>
        </>
      }
    >
      <form data-testid="login-form" noValidate onSubmit={form.onSubmit((v) => login.mutate(v))}>
        <Stack>
          {totpPrompt ? null : <ErrorAlert error={login.error} skipFieldErrors />}
          <TextInput
            label={t('login.login')}
            required
            autoComplete="username"
            autoFocus={!prefilled}
            {...form.getInputProps('login')}
          />
          <PasswordInput
            label={t('fields.password')}
            required
            autoComplete="current-password"
            autoFocus={!!prefilled}
            {...form.getInputProps('password')}
          />
          {needTotp ? (
            <TextInput
              ref={totpRef}
              label={t('login.totp')}
              description={t('login.totpHelp')}
              inputMode="numeric"
              autoComplete="one-time-code"
              required
              {...form.getInputProps('totp')}
            />
          ) : null}
          <Group justify="space-between">
            <Checkbox label={t('login.remember')} {...form.getInputProps('remember', { type: 'checkbox' })} />
          </Group>
          <Button type="submit" loading={login.isPending} fullWidth>
            {t('login.submit')}
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
