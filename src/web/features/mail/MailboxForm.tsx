// Add or edit a mailbox: IMAP (host, port, TLS, login, folders), Microsoft Graph (directory, app,
// secret, shared mailbox) or webhook (its secret URL is shown after saving). Secrets are write-only:
// an empty field on edit keeps the stored one.
import {
  Alert,
  Button,
  Group,
  Modal,
  NumberInput,
  PasswordInput,
  SegmentedControl,
  Select,
  Stack,
  Switch,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CrudFormModal } from '../../components/crud';
import { SecretValue } from '../../components/SecretValue';
import { patch, post } from '../../lib/api';
import { useCrudSave } from '../../lib/crud';
import { EMAIL_RE } from '../../lib/forms';
import { useCategories } from '../tickets/api';
import { MAILBOX_TYPES, type Mailbox, type MailboxType, mailboxesKey } from './api';

interface Values {
  type: MailboxType;
  name: string;
  address: string;
  active: boolean;
  host: string;
  port: number | string;
  secure: boolean;
  username: string;
  password: string;
  folder: string;
  processedFolder: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  mailbox: string;
  rotateToken: boolean;
  categoryId: string | null;
}

const trimmed = (v: string) => v.trim();
const orNull = (v: string) => v.trim() || null;

function bodyOf(v: Values, existing: Mailbox | null): Record<string, unknown> {
  const body: Record<string, unknown> = {
    name: trimmed(v.name),
    address: trimmed(v.address),
    active: v.active,
    categoryId: v.categoryId || null,
  };
  if (!existing) body.type = v.type;
  if (v.type === 'imap') {
    Object.assign(body, {
      host: trimmed(v.host),
      port: Number(v.port),
      secure: v.secure,
      username: trimmed(v.username),
      folder: orNull(v.folder),
      processedFolder: orNull(v.processedFolder),
    });
    if (v.password || !existing) body.password = v.password;
  }
  if (v.type === 'graph') {
    Object.assign(body, { tenantId: trimmed(v.tenantId), clientId: trimmed(v.clientId), mailbox: trimmed(v.mailbox) });
    if (existing) body.processedFolder = orNull(v.processedFolder);
    if (v.clientSecret || !existing) body.clientSecret = v.clientSecret;
  }
  if (v.type === 'webhook' && existing && v.rotateToken) body.rotateToken = true;
  return body;
}

export function MailboxForm({ mailbox, onClose }: { mailbox: Mailbox | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [saved, setSaved] = useState<Mailbox | null>(null);
  const categories = useCategories();
  const required = (v: string) => (v.trim() ? null : t('validation.required'));
  const form = useForm<Values>({
    initialValues: {
      type: mailbox?.type ?? 'imap',
      name: mailbox?.name ?? '',
      address: mailbox?.address ?? '',
      active: mailbox?.active ?? true,
      host: mailbox?.host ?? '',
      port: mailbox?.port ?? 993,
      secure: mailbox?.secure ?? true,
      username: mailbox?.username ?? '',
      password: '',
      folder: mailbox?.folder ?? '',
      processedFolder: mailbox?.processedFolder ?? '',
      tenantId: mailbox?.tenantId ?? '',
      clientId: mailbox?.clientId ?? '',
      clientSecret: '',
      mailbox: mailbox?.mailbox ?? '',
      rotateToken: false,
      categoryId: mailbox?.categoryId ?? null,
    },
    validate: {
      name: required,
      address: (v) => (EMAIL_RE.test(v.trim()) ? null : t('validation.email')),
      host: (v, all) => (all.type === 'imap' ? required(v) : null),
      username: (v, all) => (all.type === 'imap' ? required(v) : null),
      password: (v, all) => (all.type === 'imap' && !mailbox && !v ? t('validation.required') : null),
      port: (v, all) => (all.type !== 'imap' || (Number(v) >= 1 && Number(v) <= 65535) ? null : t('mail.mailboxes.portRange')),
      tenantId: (v, all) => (all.type === 'graph' ? required(v) : null),
      clientId: (v, all) => (all.type === 'graph' ? required(v) : null),
      clientSecret: (v, all) => (all.type === 'graph' && !mailbox && !v ? t('validation.required') : null),
      mailbox: (v, all) => (all.type === 'graph' ? required(v) : null),
    },
  });
  const save = useCrudSave({
    form,
    save: (v: Values) => {
      const body = bodyOf(v, mailbox);
      return mailbox
        ? patch<{ mailbox: Mailbox }>(`/api/v1/mailboxes/${mailbox.id}`, body)
        : post<{ mailbox: Mailbox }>('/api/v1/mailboxes', body);
    },
    invalidate: mailboxesKey,
    message: t('mail.mailboxes.saved'),
    onDone: (answer) => {
      // A new webhook mailbox: show its secret URL before closing.
      if (!mailbox && answer.mailbox.webhookUrl) setSaved(answer.mailbox);
      else onClose();
    },
  });
  const type = form.values.type;

  if (saved?.webhookUrl) {
    return (
      <Modal opened onClose={onClose} title={t('mail.mailboxes.webhookReady')} size="lg">
        <Stack data-testid="mailbox-webhook-ready">
          <Text size="sm">{t('mail.mailboxes.webhookHelp')}</Text>
          <SecretValue value={saved.webhookUrl} testId="mailbox-webhook-url" />
          <Group justify="flex-end">
            <Button onClick={onClose} data-testid="mailbox-webhook-done">
              {t('common.close')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    );
  }

  return (
    <CrudFormModal
      title={mailbox ? t('mail.mailboxes.editTitle', { name: mailbox.name }) : t('mail.mailboxes.new')}
      onClose={onClose}
      onSubmit={form.onSubmit((v) => save.mutate(v))}
      saving={save.isPending}
      error={save.error}
      testId="mailbox-form"
      submitTestId="save-mailbox"
      size="lg"
    >
      {mailbox ? null : (
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            {t('mail.mailboxes.type')}
          </Text>
          <SegmentedControl
            fullWidth
            data={MAILBOX_TYPES.map((k) => ({ value: k, label: t(`mail.types.${k}`) }))}
            {...form.getInputProps('type')}
            data-testid="mailbox-type"
          />
        </Stack>
      )}
      <TextInput label={t('mail.mailboxes.name')} required {...form.getInputProps('name')} data-testid="mailbox-name" />
      <TextInput
        label={t('mail.mailboxes.address')}
        description={t('mail.mailboxes.addressHelp')}
        type="email"
        required
        {...form.getInputProps('address')}
        data-testid="mailbox-address"
      />
      <Select
        label={t('mail.mailboxes.category')}
        description={t('mail.mailboxes.categoryHelp')}
        clearable
        searchable
        data={(categories.data?.items ?? [])
          .filter((c) => c.active || c.id === mailbox?.categoryId)
          .map((c) => ({ value: c.id, label: c.name }))}
        {...form.getInputProps('categoryId')}
      />
      {type === 'imap' ? (
        <>
          <TextInput
            label={t('mail.mailboxes.host')}
            required
            placeholder="imap.example.com"
            {...form.getInputProps('host')}
            data-testid="mailbox-host"
          />
          <NumberInput label={t('mail.mailboxes.port')} required min={1} max={65535} {...form.getInputProps('port')} />
          <Switch
            label={t('mail.mailboxes.secure')}
            description={t('mail.mailboxes.secureHelp')}
            {...form.getInputProps('secure', { type: 'checkbox' })}
          />
          <TextInput
            label={t('mail.mailboxes.username')}
            required
            autoComplete="off"
            {...form.getInputProps('username')}
            data-testid="mailbox-username"
          />
          <PasswordInput
            label={t('mail.mailboxes.password')}
            required={!mailbox}
            autoComplete="new-password"
            description={mailbox?.hasSecret ? t('mail.mailboxes.secretKept') : undefined}
            {...form.getInputProps('password')}
            data-testid="mailbox-password"
          />
          <TextInput label={t('mail.mailboxes.folder')} placeholder="INBOX" {...form.getInputProps('folder')} />
          <TextInput
            label={t('mail.mailboxes.processedFolder')}
            description={t('mail.mailboxes.processedFolderHelp')}
            {...form.getInputProps('processedFolder')}
          />
        </>
      ) : null}
      {type === 'graph' ? (
        <>
          <TextInput
            label={t('mail.mailboxes.tenantId')}
            description={t('mail.mailboxes.tenantIdHelp')}
            required
            {...form.getInputProps('tenantId')}
          />
          <TextInput label={t('mail.mailboxes.clientId')} required {...form.getInputProps('clientId')} />
          <PasswordInput
            label={t('mail.mailboxes.clientSecret')}
            required={!mailbox}
            autoComplete="new-password"
            description={mailbox?.hasSecret ? t('mail.mailboxes.secretKept') : t('mail.mailboxes.clientSecretHelp')}
            {...form.getInputProps('clientSecret')}
          />
          <TextInput
            label={t('mail.mailboxes.graphMailbox')}
            description={t('mail.mailboxes.graphMailboxHelp')}
            required
            {...form.getInputProps('mailbox')}
          />
          {mailbox ? (
            <TextInput
              label={t('mail.mailboxes.processedFolder')}
              description={t('mail.mailboxes.processedFolderHelpGraph')}
              {...form.getInputProps('processedFolder')}
            />
          ) : null}
        </>
      ) : null}
      {type === 'webhook' && !mailbox ? <Alert color="blue">{t('mail.mailboxes.webhookNew')}</Alert> : null}
      {type === 'webhook' && mailbox?.webhookUrl ? <SecretValue value={mailbox.webhookUrl} testId="mailbox-webhook-url" /> : null}
      {type === 'webhook' && mailbox ? (
        <Switch
          label={t('mail.mailboxes.rotateToken')}
          description={t('mail.mailboxes.rotateTokenHelp')}
          {...form.getInputProps('rotateToken', { type: 'checkbox' })}
        />
      ) : null}
      <Switch label={t('mail.mailboxes.active')} {...form.getInputProps('active', { type: 'checkbox' })} />
    </CrudFormModal>
  );
}
