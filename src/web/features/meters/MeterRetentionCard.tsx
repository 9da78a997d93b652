// Admin → Retention, the meter readings' part (issue 16): how many days the company keeps its meter
// readings and their rollups (meterRetentionDays, PATCH /api/v1/settings), with what the nightly
// job does with it (docs/decisions/0006-meter-retention.md): rows past it are deleted, and whole
// monthly partitions are dropped once they are past every company's retention.
import { Button, Group, NumberInput, Paper, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import type { CompanySettings } from '../../../shared/contracts/settings';
import { ErrorAlert } from '../../components/ErrorAlert';
import { patch } from '../../lib/api';
import { settingsKey, useCompanySettings } from '../../lib/company';
import { useCrudSave } from '../../lib/crud';

const MAX_DAYS = 36_500;
const DAY_MS = 86_400_000;

function MeterRetentionForm({ settings }: { settings: CompanySettings }) {
  const { t, i18n } = useTranslation();
  const form = useForm<{ days: number | string }>({
    initialValues: { days: settings.meterRetentionDays },
    validate: {
      days: (v) => (Number.isInteger(Number(v)) && Number(v) >= 1 && Number(v) <= MAX_DAYS ? null : t('retention.range')),
    },
  });
  const save = useCrudSave({
    form,
    save: (v: { days: number | string }) =>
      patch<{ settings: CompanySettings }>('/api/v1/settings', { meterRetentionDays: Number(v.days) }),
    invalidate: settingsKey,
    message: t('meterRetention.saved'),
    onDone: (answer) => form.resetDirty({ days: answer.settings.meterRetentionDays }),
  });
  const days = Number(form.values.days);
  const valid = Number.isInteger(days) && days >= 1 && days <= MAX_DAYS;
  const cutoff = valid ? new Date(Date.now() - days * DAY_MS).toLocaleDateString(i18n.language, { dateStyle: 'long' }) : null;
  return (
    <Paper withBorder p="md" maw={720} mt="lg" data-testid="meter-retention">
      <form noValidate data-testid="meter-retention-form" onSubmit={form.onSubmit((v) => save.mutate(v))}>
        <Stack>
          <Title order={3} size="h4">
            {t('meterRetention.title')}
          </Title>
          <ErrorAlert error={save.error} skipFieldErrors />
          <NumberInput
            label={t('meterRetention.field')}
            description={valid ? t('meterRetention.months', { months: (days / 30.44).toFixed(days < 305 ? 1 : 0) }) : undefined}
            suffix={` ${t('retention.days')}`}
            min={1}
            max={MAX_DAYS}
            allowDecimal={false}
            clampBehavior="none"
            disabled={!settings.can.update}
            {...form.getInputProps('days')}
            data-testid="meter-retention-days"
          />
          <Text size="sm" data-testid="meter-retention-meaning">
            {cutoff ? t('meterRetention.meaning', { date: cutoff }) : null}
          </Text>
          <Text size="sm" c="dimmed">
            {t('meterRetention.partitions')}
          </Text>
          {settings.can.update ? (
            <Group justify="flex-end">
              <Button type="submit" loading={save.isPending} data-testid="meter-retention-save">
                {t('common.save')}
              </Button>
            </Group>
          ) : null}
        </Stack>
      </form>
    </Paper>
  );
}

/** The card under the other retention periods; shown once the settings are loaded (the page shows their loader and error). */
export function MeterRetentionCard() {
  const query = useCompanySettings();
  return query.data ? <MeterRetentionForm settings={query.data} /> : null;
}
