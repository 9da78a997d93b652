// Meter alerts → reminders (for those who manage the company's settings): every how many hours an
// open alert nobody acknowledged is notified again (meterAlertReminderHours, PATCH /api/v1/settings;
// 0 is off). Others see what is set, read-only, when reminders are on.
import { Button, Group, NumberInput, Paper, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import type { CompanySettings } from '../../../shared/contracts/settings';
import { ErrorAlert } from '../../components/ErrorAlert';
import { patch } from '../../lib/api';
import { settingsKey, useCompanySettings } from '../../lib/company';
import { useCrudSave } from '../../lib/crud';

const MAX_HOURS = 168;

function RemindersForm({ settings }: { settings: CompanySettings }) {
  const { t } = useTranslation();
  const form = useForm<{ hours: number | string }>({
    initialValues: { hours: settings.meterAlertReminderHours },
    validate: {
      hours: (v) => (Number.isInteger(Number(v)) && Number(v) >= 0 && Number(v) <= MAX_HOURS ? null : t('meters.reminders.range')),
    },
  });
  const save = useCrudSave({
    form,
    save: (v: { hours: number | string }) =>
      patch<{ settings: CompanySettings }>('/api/v1/settings', { meterAlertReminderHours: Number(v.hours) }),
    invalidate: settingsKey,
    message: t('meters.reminders.saved'),
    onDone: (answer) => form.resetDirty({ hours: answer.settings.meterAlertReminderHours }),
  });
  const hours = Number(form.values.hours);
  return (
    <Paper withBorder p="sm" mb="md" data-testid="meter-alert-reminders">
      <form noValidate onSubmit={form.onSubmit((v) => save.mutate(v))}>
        <Stack gap="xs">
          <ErrorAlert error={save.error} skipFieldErrors />
          <Group align="flex-end" gap="sm" wrap="wrap">
            <NumberInput
              label={t('meters.reminders.field')}
              suffix={` ${t('meters.reminders.hours')}`}
              min={0}
              max={MAX_HOURS}
              allowDecimal={false}
              clampBehavior="none"
              w={320}
              maw="100%"
              disabled={!settings.can.update}
              {...form.getInputProps('hours')}
              data-testid="meter-alert-reminder-hours"
            />
            {settings.can.update ? (
              <Button type="submit" variant="light" loading={save.isPending} data-testid="meter-alert-reminder-save">
                {t('common.save')}
              </Button>
            ) : null}
          </Group>
          <Text size="sm" c="dimmed" data-testid="meter-alert-reminder-meaning">
            {Number.isInteger(hours) && hours >= 1 && hours <= MAX_HOURS
              ? t('meters.reminders.on', { hours })
              : hours === 0
                ? t('meters.reminders.off')
                : null}
          </Text>
        </Stack>
      </form>
    </Paper>
  );
}

/** Shown once the company settings are loaded; to those who cannot change it, only when reminders are on. */
export function MeterAlertReminders() {
  const query = useCompanySettings();
  if (!query.data || (!query.data.can.update && query.data.meterAlertReminderHours === 0)) return null;
  return <RemindersForm settings={query.data} />;
}
