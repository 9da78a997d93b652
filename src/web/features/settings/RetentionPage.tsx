// Admin → Log retention: how long the company's logs are kept (PATCH /api/v1/settings) before the
// daily clean-up (and `steward cleanup-logs`) purges them; ticket archiving and rejected-ticket
// retention beside them.
import { Button, Group, NumberInput, Paper, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import type { CompanySettings } from '../../../shared/contracts/settings';
import { ErrorAlert } from '../../components/ErrorAlert';
import { MeterRetentionCard } from '../meters/MeterRetentionCard';
import { PageHeader } from '../../components/PageHeader';
import { PageLoader } from '../../components/PageLoader';
import { patch } from '../../lib/api';
import { settingsKey, useCompanySettings } from '../../lib/company';
import { useCrudSave } from '../../lib/crud';

const FIELDS = [
  'auditRetentionDays',
  'notificationRetentionDays',
  'mailRetentionDays',
  'webhookRetentionDays',
  'sensitiveRetentionDays',
  'archiveAfterDays',
  'rejectedRetentionDays',
] as const;
type Field = (typeof FIELDS)[number];
type Values = Record<Field, number | string>;

function RetentionForm({ settings }: { settings: CompanySettings }) {
  const { t } = useTranslation();
  const valid = (v: number | string) =>
    Number.isInteger(Number(v)) && Number(v) >= 1 && Number(v) <= 36_500 ? null : t('retention.range');
  const form = useForm<Values>({
    initialValues: Object.fromEntries(FIELDS.map((f) => [f, settings[f]])) as Values,
    validate: Object.fromEntries(FIELDS.map((f) => [f, valid])) as Record<Field, typeof valid>,
  });
  const save = useCrudSave({
    form,
    save: (v: Values) => patch<{ settings: CompanySettings }>('/api/v1/settings', Object.fromEntries(FIELDS.map((f) => [f, Number(v[f])]))),
    invalidate: settingsKey,
    message: t('retention.saved'),
    onDone: (answer) => form.resetDirty(Object.fromEntries(FIELDS.map((f) => [f, answer.settings[f]])) as Values),
  });
  return (
    <Paper withBorder p="md" maw={720}>
      <form noValidate data-testid="retention-form" onSubmit={form.onSubmit((v) => save.mutate(v))}>
        <Stack>
          <ErrorAlert error={save.error} skipFieldErrors />
          {FIELDS.map((f) => (
            <NumberInput
              key={f}
              label={t(`retention.fields.${f}`)}
              suffix={` ${t('retention.days')}`}
              min={1}
              max={36_500}
              allowDecimal={false}
              disabled={!settings.can.update}
              {...form.getInputProps(f)}
              data-testid={`retention-${f}`}
            />
          ))}
          {settings.can.update ? (
            <Group justify="flex-end">
              <Button type="submit" loading={save.isPending} data-testid="save-retention">
                {t('common.save')}
              </Button>
            </Group>
          ) : null}
        </Stack>
      </form>
    </Paper>
  );
}

export function RetentionPage() {
  const { t } = useTranslation();
  const query = useCompanySettings();
  return (
    <>
      <PageHeader title={t('retention.title')} description={t('retention.description')} />
      {query.isPending ? (
        <PageLoader />
      ) : query.isError ? (
        <ErrorAlert error={query.error} onRetry={() => query.refetch()} />
      ) : (
        <RetentionForm settings={query.data} />
      )}
      <MeterRetentionCard />
    </>
  );
}
