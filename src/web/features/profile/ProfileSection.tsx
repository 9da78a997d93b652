// Name, colour, time zone, theme and list preferences. The theme applies as soon as it is picked.
import {
  Button,
  ColorInput,
  Group,
  Paper,
  Select,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useThemeChoice } from '../../app/ThemeChoice';
import { THEME_NAMES } from '../../app/themes';
import { ErrorAlert } from '../../components/ErrorAlert';
import { applyFieldErrors } from '../../lib/forms';
import type { ThemeName } from '../../../shared/contracts/enums';
import { useMe, preferencesOf } from '../../lib/useMe';
import { useUpdateMe } from './useUpdateMe';

const PAGE_SIZES = ['10', '25', '50', '100', '200'];

function timeZones(): string[] {
  try {
    const zones = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.(
      'timeZone',
    );
    if (zones?.length) return zones.includes('UTC') ? zones : ['UTC', ...zones];
  } catch {
    /* older browsers */
  }
  return ['UTC', Intl.DateTimeFormat().resolvedOptions().timeZone];
}

export function ProfileSection() {
  const { t } = useTranslation();
  const me = useMe();
  const { choice, setChoice } = useThemeChoice();
  const update = useUpdateMe();
  const themeUpdate = useUpdateMe();
  const zones = useMemo(timeZones, []);

  const form = useForm({
    initialValues: {
      name: me.user.name,
      color: me.user.color ?? '#1971c2',
      timezone: me.user.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
      density: preferencesOf(me.user).density ?? 'comfortable',
      pageSize: String(preferencesOf(me.user).pageSize ?? 50),
    },
    validate: {
      name: (v) => (v.trim() ? null : t('validation.required')),
      color: (v) => (!v || /^#[0-9a-f]{6}$/i.test(v) ? null : t('validation.color')),
    },
  });

  const onTheme = (value: string | null) => {
    if (!value) return;
    const theme = value as ThemeName;
    setChoice(theme);
    themeUpdate.mutate(
      { theme },
      { onError: () => notifications.show({ color: 'red', message: t('profile.themeNotSaved') }) },
    );
  };

  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="md">
        {t('profile.details')}
      </Title>
      <form
        noValidate
        onSubmit={form.onSubmit((v) =>
          update.mutate(
            {
              name: v.name.trim(),
              color: v.color || undefined,
              timezone: v.timezone,
              preferences: {
                ...me.user.preferences,
                density: v.density as 'comfortable' | 'compact',
                pageSize: Number(v.pageSize),
              },
            },
            {
              onSuccess: () => notifications.show({ color: 'green', message: t('profile.saved') }),
              onError: (error) => applyFieldErrors(form, error),
            },
          ),
        )}
      >
        <Stack>
          <ErrorAlert error={update.error} skipFieldErrors />
          <TextInput label={t('fields.name')} required {...form.getInputProps('name')} />
          <Text size="sm">
            {t('fields.email')}: <strong>{me.user.email}</strong>
            {me.user.username ? ` · ${t('fields.username')}: ${me.user.username}` : ''}
          </Text>
          <ColorInput
            label={t('profile.color')}
            description={t('profile.colorHelp')}
            format="hex"
            swatches={['#1971c2', '#0ca678', '#f08c00', '#e03131', '#7048e8', '#c2255c', '#495057']}
            {...form.getInputProps('color')}
          />
          <Select
            label={t('profile.timezone')}
            data={zones}
            searchable
            allowDeselect={false}
            {...form.getInputProps('timezone')}
          />
          <Select
            label={t('profile.theme')}
            description={t('profile.themeHelp')}
            data-testid="theme-select"
            data={THEME_NAMES.map((name) => ({ value: name, label: t(`themes.${name}`) }))}
            value={choice}
            onChange={onTheme}
            allowDeselect={false}
          />
          <Stack gap={4}>
            <Text size="sm" fw={500} id="density-label">
              {t('profile.density')}
            </Text>
            <SegmentedControl
              aria-labelledby="density-label"
              data={[
                { value: 'comfortable', label: t('profile.comfortable') },
                { value: 'compact', label: t('profile.compact') },
              ]}
              {...form.getInputProps('density')}
            />
          </Stack>
          <Select
            label={t('profile.pageSize')}
            data={PAGE_SIZES}
            allowDeselect={false}
            {...form.getInputProps('pageSize')}
          />
          <Group justify="flex-end">
            <Button type="submit" loading={update.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
