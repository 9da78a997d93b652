// The operator restores a company archive: as a new company (identical to the archived one, users
// included) or in place of an existing one. A refused archive says what is wrong; nothing is written.
import { Alert, Button, FileInput, List, PasswordInput, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { IconUpload } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RestoreAnswer } from '../../../shared/contracts/backup';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { ApiError, upload } from '../../lib/api';

export function RestorePage() {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<'new' | 'replace'>('new');
  const [slug, setSlug] = useState('');
  const [name, setName] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<RestoreAnswer | null>(null);

  async function submit() {
    if (!file) return;
    setBusy(true);
    setError(null);
    setResult(null);
    const form = new FormData();
    form.append('mode', mode);
    form.append('slug', slug.trim());
    if (mode === 'new' && name.trim()) form.append('name', name.trim());
    if (passphrase) form.append('passphrase', passphrase);
    form.append('file', file);
    try {
      setResult(await upload<RestoreAnswer>('/api/v1/admin/companies/restore', form));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const details = error instanceof ApiError ? error.details : null;
  return (
    <>
      <PageHeader title={t('restore.title')} description={t('restore.subtitle')} />
      <Stack maw={640} gap="md">
        <FileInput
          label={t('restore.file')}
          accept=".gz,application/gzip"
          value={file}
          onChange={setFile}
          clearable
          clearButtonProps={{ 'aria-label': t('restore.clearFile') }}
          data-testid="restore-file"
        />
        <SegmentedControl
          value={mode}
          onChange={(v) => setMode(v as 'new' | 'replace')}
          data={[
            { value: 'new', label: t('restore.modeNew') },
            { value: 'replace', label: t('restore.modeReplace') },
          ]}
          data-testid="restore-mode"
        />
        <Text size="sm" c="dimmed">
          {mode === 'new' ? t('restore.modeNewHint') : t('restore.modeReplaceHint')}
        </Text>
        <TextInput label={t('restore.slug')} value={slug} onChange={(e) => setSlug(e.currentTarget.value)} required data-testid="restore-slug" />
        {mode === 'new' ? <TextInput label={t('restore.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} data-testid="restore-name" /> : null}
        <PasswordInput label={t('restore.passphrase')} description={t('restore.passphraseHint')} value={passphrase} onChange={(e) => setPassphrase(e.currentTarget.value)} data-testid="restore-passphrase" />
        {error instanceof ApiError && error.code === 'bad_archive' ? (
          <Alert color="red" title={t('restore.badArchive')} data-testid="restore-error">
            {error.message}
          </Alert>
        ) : error instanceof ApiError && error.code === 'users_exist' ? (
          <Alert color="red" title={t('restore.usersExist')} data-testid="restore-error">
            {[...((details?.emails as string[]) ?? []), ...((details?.usernames as string[]) ?? [])].join(', ')}
          </Alert>
        ) : error ? (
          <ErrorAlert error={error} />
        ) : null}
        {result ? (
          <Alert color="green" title={t('restore.done', { name: result.company.name, slug: result.company.slug })} data-testid="restore-done">
            {result.notes.length > 0 ? (
              <List size="sm">
                {result.notes.map((n) => (
                  <List.Item key={n}>{n}</List.Item>
                ))}
              </List>
            ) : null}
          </Alert>
        ) : null}
        <div>
          <Button leftSection={<IconUpload size={16} aria-hidden />} onClick={submit} loading={busy} disabled={!file || !slug.trim()} data-testid="restore-submit">
            {mode === 'new' ? t('restore.submitNew') : t('restore.submitReplace')}
          </Button>
        </div>
      </Stack>
    </>
  );
}
