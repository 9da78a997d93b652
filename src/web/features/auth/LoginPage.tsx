// Login by e-mail or username; asks for a TOTP code when the account has a second factor.
import { Alert, Anchor, Button, Checkbox, Group, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { IconAlertTriangle, IconLock } from '@tabler/icons-react';
import type { TFunction } from 'i18next';
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

/** A lock's end in the browser's own zone (the person is not signed in, so no profile zone), with the zone named. */
function lockEnd(iso: string, language: string): string {
  const end = new Date(iso);
  const sameDay = end.toDateString() === new Date().toDateString();
  // timeZoneName cannot be combined with dateStyle/timeStyle: spell the fields out.
  const day: Intl.DateTimeFormatOptions = sameDay ? {} : { day: 'numeric', month: 'short' };
  return new Intl.DateTimeFormat(language, { ...day, hour: 'numeric', minute: '2-digit', timeZoneName: 'short' }).format(end);
}

/**
 * What a refused login says: that the password (or code) was wrong, how close a lockout is, and
 * until when a lockout runs. Other errors keep the generic alert.
 */
function LoginRefused({ error, t, language }: { error: ApiError; t: TFunction; language: string }) {
  const d = error.details ?? {};
  const left = typeof d.attemptsLeft === 'number' ? d.attemptsLeft : null;
  const lockedUntil = typeof d.lockedUntil === 'string' ? d.lockedUntil : null;
  const minutes = typeof d.lockMinutes === 'number' ? d.lockMinutes : null;
  if (lockedUntil && (error.code === 'rate_limited' || left === 0)) {
    return (
      <Alert color="red" variant="light" icon={<IconLock size={18} aria-hidden />} title={t('login.lockedTitle')} role="alert" data-testid="login-locked">
        {t('login.lockedUntil', { time: lockEnd(lockedUntil, language) })}
      </Alert>
    );
  }
  const wrong = error.code === 'totp_invalid' ? t('login.wrongCode') : t('login.wrongPassword');
  return (
    // The heading sits in the body: as the Alert's title it would name the alert, and "password"
    // in that name would make the alert a second match for the Password field's label.
    <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} aria-hidden />} role="alert" data-testid="login-refused">
      <Text size="sm" fw={700}>
        {wrong}
      </Text>
      {left === 1 ? (
        <Text size="sm" fw={600} data-testid="login-last-attempt">
          {minutes ? t('login.lastAttempt', { count: minutes }) : t('login.lastAttemptShort')}
        </Text>
      ) : (
        <Text size="sm">{t('login.wrongHelp')}</Text>
      )}
    </Alert>
  );
}

const REFUSALS = new Set(['invalid_credentials', 'totp_invalid', 'rate_limited']);

export function LoginPage() {
  const { t, i18n } = useTranslation();
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
          {totpPrompt ? null : login.error instanceof ApiError && REFUSALS.has(login.error.code) ? (
            <LoginRefused error={login.error} t={t} language={i18n.language} />
          ) : (
            <ErrorAlert error={login.error} skipFieldErrors />
          )}
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
