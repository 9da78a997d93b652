// The company backup (administrators): one archive of all the company's data and files. Secrets are
// left out and listed in the archive "to re-enter", or included encrypted with a passphrase.
import { Alert, Button, Checkbox, List, PasswordInput, Stack, Text } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { downloadPost } from '../../lib/api';

export function BackupPage() {
  const { t } = useTranslation();
  const [withSecrets, setWithSecrets] = useState(false);
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const tooShort = withSecrets && passphrase.length < 10;
  const mismatch = withSecrets && repeat !== passphrase;

  async function download() {
    setBusy(true);
    setError(null);
    setDone(false);
    try {
      await downloadPost('/api/v1/company/backup', withSecrets ? { passphrase } : {}, 'steward-backup.tar.gz');
      setDone(true);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <PageHeader title={t('backup.title')} description={t('backup.subtitle')} />
      <Stack maw={640} gap="md">
        <Text size="sm">{t('backup.contents')}</Text>
        <List size="sm" spacing={4}>
          <List.Item>{t('backup.secretsLeftOut')}</List.Item>
          <List.Item>{t('backup.secretsEncrypted')}</List.Item>
          <List.Item>{t('backup.credentials')}</List.Item>
        </List>
        <Checkbox
          label={t('backup.includeSecrets')}
          checked={withSecrets}
          onChange={(e) => setWithSecrets(e.currentTarget.checked)}
          data-testid="backup-include-secrets"
        />
        {withSecrets ? (
          <>
            <PasswordInput
              label={t('backup.passphrase')}
              description={t('backup.passphraseHint')}
              value={passphrase}
              onChange={(e) => setPassphrase(e.currentTarget.value)}
              error={passphrase && tooShort ? t('backup.passphraseTooShort') : undefined}
              autoComplete="new-password"
              data-testid="backup-passphrase"
            />
            <PasswordInput
              label={t('backup.passphraseRepeat')}
              value={repeat}
              onChange={(e) => setRepeat(e.currentTarget.value)}
              error={repeat && mismatch ? t('backup.passphraseMismatch') : undefined}
              autoComplete="new-password"
              data-testid="backup-passphrase-repeat"
            />
          </>
        ) : null}
        {error ? <ErrorAlert error={error} /> : null}
        {done ? (
          <Alert color="green" data-testid="backup-done">
            {t('backup.done')}
          </Alert>
        ) : null}
        <div>
          <Button leftSection={<IconDownload size={16} aria-hidden />} onClick={download} loading={busy} disabled={tooShort || mismatch} data-testid="backup-download">
            {t('backup.download')}
          </Button>
        </div>
      </Stack>
    </>
  );
}
