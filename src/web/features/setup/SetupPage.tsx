// First-run screen: creates the first company and its administrator, optionally with demo data.
import { Button, Checkbox, Divider, Group, PasswordInput, Select, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate } from 'react-router';
import { setupKey } from '../../app/guards';
import { AuthCard } from '../../components/AuthCard';
import { ErrorAlert } from '../../components/ErrorAlert';
import { get, post } from '../../lib/api';
import { applyFieldErrors, EMAIL_RE, MIN_PASSWORD } from '../../lib/forms';
import { slugify } from '../../lib/slug';
import { isCurrency, isLocale, localeDefaults, normalisePublicUrl } from '../../../shared/locale';


const LOCALES = ['en', 'en-US', 'en-GB', 'en-AU', 'en-CA', 'de-DE', 'de-AT', 'de-CH', 'fr-FR', 'fr-CH', 'es-ES', 'it-IT', 'nl-NL', 'sv-SE', 'pl-PL', 'pt-BR', 'ja-JP'];
const supported = (key: string, fallback: string[]) => (Intl as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.(key) ?? fallback;

interface SetupValues {
  company: { name: string; slug: string; locale: string; currency: string; timezone: string; publicUrl: string };
  admin: { name: string; email: string; password: string };
  demoData: boolean;
}

/** How money looks in a locale, so the choice is concrete ("1.234,50 €"). */
function example(locale: string, currency: string): string {
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(1234.5);
  } catch {
    return '';
  }
}

export function SetupPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [slugTouched, setSlugTouched] = useState(false);
  const finished = useRef(false);
  const status = useQuery({
    queryKey: setupKey,
    queryFn: () => get<{ needed: boolean }>('/api/v1/setup'),
    staleTime: Number.POSITIVE_INFINITY,
  });

  const form = useForm<SetupValues>({
    initialValues: {
      // The browser's language, zone and address are the best first guess; the admin can change them.
      company: {
        name: '',
        slug: '',
        ...localeDefaults(navigator.language),
        timezone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
        publicUrl: window.location.origin,
      },
      admin: { name: '', email: '', password: '' },
      demoData: false,
    },
    validate: {
      company: {
        name: (v) => (v.trim() ? null : t('validation.required')),
        slug: (v) => (/^[a-z0-9][a-z0-9-]*$/.test(v) ? null : t('validation.slug')),
        locale: (v) => (isLocale(v) ? null : t('validation.required')),
        currency: (v) => (isCurrency(v) ? null : t('validation.required')),
        publicUrl: (v) => (normalisePublicUrl(v) ? null : t('setup.publicUrlInvalid')),
      },
      admin: {
        name: (v) => (v.trim() ? null : t('validation.required')),
        email: (v) => (EMAIL_RE.test(v.trim()) ? null : t('validation.email')),
        password: (v) =>
          v.length >= MIN_PASSWORD ? null : t('validation.passwordLength', { count: MIN_PASSWORD }),
      },
    },
  });

  const setup = useMutation({
    mutationFn: (values: SetupValues) => post('/api/v1/setup', values),
    onSuccess: (_data, values) => {
      finished.current = true;
      queryClient.setQueryData(setupKey, { needed: false });
      navigate(`/login?email=${encodeURIComponent(values.admin.email.trim())}`, { replace: true });
    },
    onError: (error) => applyFieldErrors(form, error),
  });

  // Already set up (and not by us just now): nothing to do here.
  if (status.data && !status.data.needed && !finished.current) return <Navigate to="/login" replace />;

  return (
    <AuthCard title={t('setup.title')} subtitle={t('setup.subtitle')} width={520}>
      <form
        data-testid="setup-form"
        noValidate
        onSubmit={form.onSubmit((values) =>
          setup.mutate({
            ...values,
            company: { ...values.company, publicUrl: normalisePublicUrl(values.company.publicUrl) ?? values.company.publicUrl },
            admin: { ...values.admin, email: values.admin.email.trim() },
          }),
        )}
      >
        <Stack>
          <ErrorAlert error={setup.error} skipFieldErrors />
          <Divider label={t('setup.companySection')} labelPosition="left" />
          <TextInput
            label={t('setup.companyName')}
            required
            autoComplete="organization"
            {...form.getInputProps('company.name')}
            onChange={(event) => {
              const name = event.currentTarget.value;
              form.setFieldValue('company.name', name);
              if (!slugTouched) form.setFieldValue('company.slug', slugify(name));
            }}
          />
          <TextInput
            label={t('setup.companySlug')}
            description={t('setup.companySlugHelp')}
            required
            {...form.getInputProps('company.slug')}
            onChange={(event) => {
              setSlugTouched(true);
              form.setFieldValue('company.slug', event.currentTarget.value);
            }}
          />
          <TextInput
            label={t('setup.publicUrl')}
            description={t('setup.publicUrlHelp')}
            required
            inputMode="url"
            {...form.getInputProps('company.publicUrl')}
          />
          <Group grow align="flex-start" wrap="wrap">
            <Select
              label={t('setup.locale')}
              description={t('setup.localeExample', { example: example(form.values.company.locale, form.values.company.currency) })}
              data={[...new Set([form.values.company.locale, ...LOCALES])].filter(isLocale)}
              searchable
              placeholder={t('search.typeToFind')}
              allowDeselect={false}
              {...form.getInputProps('company.locale')}
            />
            <Select
              label={t('setup.currency')}
              data={supported('currency', ['USD', 'EUR', 'GBP'])}
              searchable
              placeholder={t('search.typeToFind')}
              allowDeselect={false}
              {...form.getInputProps('company.currency')}
            />
          </Group>
          <Select
            label={t('setup.timezone')}
            data={supported('timeZone', ['UTC'])}
            searchable
            placeholder={t('search.typeToFind')}
            allowDeselect={false}
            {...form.getInputProps('company.timezone')}
          />
          <Divider label={t('setup.adminSection')} labelPosition="left" />
          <TextInput
            label={t('fields.name')}
            required
            autoComplete="name"
            {...form.getInputProps('admin.name')}
          />
          <TextInput
            label={t('fields.email')}
            type="email"
            required
            autoComplete="email"
            {...form.getInputProps('admin.email')}
          />
          <PasswordInput
            label={t('fields.password')}
            description={t('validation.passwordLength', { count: MIN_PASSWORD })}
            required
            autoComplete="new-password"
            {...form.getInputProps('admin.password')}
          />
          <Checkbox
            label={t('setup.demoData')}
            description={t('setup.demoDataHelp')}
            {...form.getInputProps('demoData', { type: 'checkbox' })}
          />
          <Button type="submit" loading={setup.isPending} fullWidth>
            {t('setup.submit')}
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
