// The company's mail settings (API.md): allowed sender domains, denied senders, the size limit of a
// message and the reopen period of a reply.
import { Button, Group, NumberInput, Paper, Stack, TagsInput, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { PageLoader } from '../../components/PageLoader';
import { useCrudSave } from '../../lib/crud';
import { getMailSettings, type MailSettings, mailSettingsKey, saveMailSettings } from './api';

function SettingsForm({ settings }: { settings: MailSettings }) {
  const { t } = useTranslation();
  const form = useForm({
    initialValues: {
      allowedDomains: settings.allowedDomains,
      denySenders: settings.denySenders,
      maxMessageMb: settings.maxMessageMb,
      reopenDays: settings.reopenDays,
    },
    validate: {
      maxMessageMb: (v) =>
        Number.isInteger(Number(v)) && Number(v) >= 1 && Number(v) <= 100 ? null : t('mail.settings.maxMessageMbRange'),
      reopenDays: (v) => (Number.isInteger(Number(v)) && Number(v) >= 0 && Number(v) <= 3650 ? null : t('mail.settings.reopenDaysRange')),
    },
  });
  const save = useCrudSave({
    form,
    save: (v: typeof form.values) => saveMailSettings({ ...v, maxMessageMb: Number(v.maxMessageMb), reopenDays: Number(v.reopenDays) }),
    invalidate: mailSettingsKey,
    message: t('mail.settings.saved'),
    onDone: (answer) => form.resetDirty(answer.settings),
  });
  return (
    <Paper withBorder p="md" maw={720}>
      <form noValidate data-testid="mail-settings-form" onSubmit={form.onSubmit((v) => save.mutate(v))}>
        <Stack>
          <ErrorAlert error={save.error} skipFieldErrors />
          <TagsInput
            label={t('mail.settings.allowedDomains')}
            description={t('mail.settings.allowedDomainsHelp')}
            placeholder="example.com"
            clearable
            splitChars={[',', ' ', ';']}
            {...form.getInputProps('allowedDomains')}
            data-testid="mail-allowed-domains"
          />
          <TagsInput
            label={t('mail.settings.denySenders')}
            description={t('mail.settings.denySendersHelp')}
            placeholder="spam@example.com, @bad.example, *.promo.example"
            clearable
            splitChars={[',', ' ', ';']}
            {...form.getInputProps('denySenders')}
            data-testid="mail-deny-senders"
          />
          <NumberInput
            label={t('mail.settings.maxMessageMb')}
            description={t('mail.settings.maxMessageMbHelp')}
            min={1}
            max={100}
            {...form.getInputProps('maxMessageMb')}
          />
          <NumberInput
            label={t('mail.settings.reopenDays')}
            description={t('mail.settings.reopenDaysHelp')}
            min={0}
            max={3650}
            {...form.getInputProps('reopenDays')}
            data-testid="mail-reopen-days"
          />
          {Number(form.values.reopenDays) === 0 ? (
            <Text size="sm" c="dimmed">
              {t('mail.settings.neverReopen')}
            </Text>
          ) : null}
          <Group justify="flex-end">
            <Button type="submit" loading={save.isPending} data-testid="save-mail-settings">
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

export function MailSettingsPage() {
  const { t } = useTranslation();
  const query = useQuery({ queryKey: mailSettingsKey, queryFn: getMailSettings });
  return (
    <>
      <PageHeader title={t('mail.settings.title')} description={t('mail.settings.subtitle')} />
      {query.isPending ? (
        <PageLoader />
      ) : query.isError ? (
        <ErrorAlert error={query.error} onRetry={() => query.refetch()} />
      ) : (
        <SettingsForm settings={query.data} />
      )}
    </>
  );
}
