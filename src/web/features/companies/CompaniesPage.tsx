// Super admin: client companies, their seats and signup keys; suspend and unsuspend.
import { ActionIcon, Badge, Button, Group, Menu, Modal, NumberInput, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconDots } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CrudFormModal, CrudTable, NewButton } from '../../components/crud';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { LicensePanel } from '../license/LicensePanel';
import { SecretValue } from '../../components/SecretValue';
import { downloadPost, patch, post } from '../../lib/api';
import { useCrudSave } from '../../lib/crud';
import { useFormatDate } from '../../lib/format';
import { EMAIL_RE } from '../../lib/forms';
import { useKeysetList } from '../../lib/lists';
import { slugify } from '../../lib/slug';
import type { Company } from '../../../shared/contracts/companies';


const companiesKey = ['admin', 'companies'];

interface CompanyValues {
  name: string;
  slug: string;
  contactEmail: string;
  seats: number | string;
}

function CompanyModal({
  company,
  onClose,
  onCreated,
}: {
  company: Company | null;
  onClose: () => void;
  onCreated: (company: Company, key: string) => void;
}) {
  const { t } = useTranslation();
  const [slugTouched, setSlugTouched] = useState(!!company);
  const form = useForm<CompanyValues>({
    initialValues: {
      name: company?.name ?? '',
      slug: company?.slug ?? '',
      contactEmail: company?.contactEmail ?? '',
      seats: company?.seats ?? 25,
    },
    validate: {
      name: (v) => (v.trim() ? null : t('validation.required')),
      slug: (v) => (company || /^[a-z0-9][a-z0-9-]*$/.test(v) ? null : t('validation.slug')),
      contactEmail: (v) => (EMAIL_RE.test(v.trim()) ? null : t('validation.email')),
      seats: (v) => (Number.isInteger(Number(v)) && Number(v) > 0 ? null : t('validation.positive')),
    },
  });
  const save = useCrudSave({
    form,
    save: async (v: CompanyValues) => {
      if (company) {
        await patch(`/api/v1/admin/companies/${company.id}`, {
          name: v.name.trim(),
          contactEmail: v.contactEmail.trim(),
          seats: Number(v.seats),
        });
        return null;
      }
      return post<{ company: Company; signupKey: string }>('/api/v1/admin/companies', {
        name: v.name.trim(),
        slug: v.slug,
        contactEmail: v.contactEmail.trim(),
        seats: Number(v.seats),
      });
    },
    invalidate: companiesKey,
    message: (answer) => (answer ? null : t('companies.saved')),
    onDone: (answer) => {
      if (answer) onCreated(answer.company, answer.signupKey);
      onClose();
    },
  });

  return (
    <CrudFormModal
      title={company ? t('companies.editTitle', { name: company.name }) : t('companies.createTitle')}
      onClose={onClose}
      onSubmit={form.onSubmit((v) => save.mutate(v))}
      saving={save.isPending}
      error={save.error}
      testId="company-form"
      submitLabel={company ? t('common.save') : t('companies.create')}
    >
          <TextInput
            label={t('fields.name')}
            required
            data-autofocus
            {...form.getInputProps('name')}
            onChange={(e) => {
              const name = e.currentTarget.value;
              form.setFieldValue('name', name);
              if (!slugTouched) form.setFieldValue('slug', slugify(name));
            }}
          />
          <TextInput
            label={t('setup.companySlug')}
            required
            disabled={!!company}
            {...form.getInputProps('slug')}
            onChange={(e) => {
              setSlugTouched(true);
              form.setFieldValue('slug', e.currentTarget.value);
            }}
          />
          <TextInput
            label={t('companies.contactEmail')}
            description={t('companies.contactEmailHelp')}
            type="email"
            required
            {...form.getInputProps('contactEmail')}
          />
          <NumberInput
            label={t('companies.seats')}
            min={1}
            allowDecimal={false}
            required
            {...form.getInputProps('seats')}
          />
    </CrudFormModal>
  );
}

function SignupKeyModal({ company, signupKey, onClose }: { company: Company; signupKey: string; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened onClose={onClose} title={t('companies.keyTitle', { name: company.name })} size="lg">
      <Stack>
        <Text size="sm">{t('companies.keyHelp', { email: company.contactEmail })}</Text>
        <SecretValue value={signupKey} testId="signup-key" />
        <Text size="sm" c="dimmed">
          {t('companies.keyOnce')}
        </Text>
        <Group justify="flex-end">
          <Button onClick={onClose}>{t('common.done')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

export function CompaniesPage() {
  const { t } = useTranslation();
  const fmt = useFormatDate();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<Company | 'new' | null>(null);
  const [shownKey, setShownKey] = useState<{ company: Company; key: string } | null>(null);
  const list = useKeysetList<Company>(companiesKey, '/api/v1/admin/companies', { limit: 50 });

  const suspend = useMutation({
    mutationFn: ({ company, suspended }: { company: Company; suspended: boolean }) =>
      patch(`/api/v1/admin/companies/${company.id}`, { suspended }),
    onSuccess: (_d, { suspended }) => {
      notifications.show({
        color: 'green',
        message: suspended ? t('companies.suspendedDone') : t('companies.unsuspendedDone'),
      });
      void queryClient.invalidateQueries({ queryKey: companiesKey });
    },
  });
  const regenerate = useMutation({
    mutationFn: (company: Company) =>
      post<{ signupKey: string }>(`/api/v1/admin/companies/${company.id}/signup-key`),
    onSuccess: (answer, company) => setShownKey({ company, key: answer.signupKey }),
  });

  return (
    <>
      <PageHeader
        title={t('companies.title')}
        description={t('companies.subtitle')}
        actions={
          <NewButton onClick={() => setEditing('new')}>{t('companies.new')}</NewButton>
        }
      />
      <ErrorAlert error={suspend.error ?? regenerate.error} />
      <LicensePanel />
      <CrudTable
        list={list}
        testId="companies-table"
        rowTestId="company-row"
        minWidth={760}
        empty={t('companies.none')}
        columns={[
          {
            key: 'name',
            header: t('fields.name'),
            cell: (c) => (
              <>
                <Text size="sm" fw={500}>
                  {c.name}
                </Text>
                <Text size="xs" c="dimmed">
                  {c.slug}
                </Text>
              </>
            ),
          },
          { key: 'contact', header: t('companies.contactEmail'), cell: (c) => c.contactEmail },
          { key: 'seats', header: t('companies.seats'), cell: (c) => `${c.usedSeats} / ${c.seats}` },
          {
            key: 'status',
            header: t('companies.status'),
            cell: (c) => (
              <Group gap={4} component="span">
                {c.suspended ? (
                  <Badge color="red" variant="light">
                    {t('companies.suspended')}
                  </Badge>
                ) : (
                  <Badge color="green" variant="light">
                    {t('companies.active')}
                  </Badge>
                )}
                {c.signedUp ? null : (
                  <Badge color="yellow" variant="light">
                    {t('companies.awaitingSignup')}
                  </Badge>
                )}
              </Group>
            ),
          },
          { key: 'created', header: t('companies.created'), cell: (c) => fmt(c.createdAt, false) },
        ]}
        actions={(c) => (
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <ActionIcon variant="subtle" aria-label={t('companies.actionsFor', { name: c.name })}>
                <IconDots size={18} aria-hidden />
              </ActionIcon>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item onClick={() => setEditing(c)}>{t('common.edit')}</Menu.Item>
              {c.signedUp ? null : (
                <Menu.Item onClick={() => regenerate.mutate(c)}>{t('companies.regenerateKey')}</Menu.Item>
              )}
              <Menu.Item
                onClick={() =>
                  downloadPost(`/api/v1/admin/companies/${c.id}/backup`, {}, `steward-${c.slug}.tar.gz`).catch((e) =>
                    notifications.show({ color: 'red', message: e instanceof Error ? e.message : String(e) }),
                  )
                }
              >
                {t('companies.downloadBackup')}
              </Menu.Item>
              <Menu.Item
                color={c.suspended ? undefined : 'red'}
                onClick={() => suspend.mutate({ company: c, suspended: !c.suspended })}
              >
                {c.suspended ? t('companies.unsuspend') : t('companies.suspend')}
              </Menu.Item>
            </Menu.Dropdown>
          </Menu>
        )}
      />
      {editing ? (
        <CompanyModal
          key={editing === 'new' ? 'new' : editing.id}
          company={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onCreated={(company, key) => setShownKey({ company, key })}
        />
      ) : null}
      {shownKey ? (
        <SignupKeyModal
          company={shownKey.company}
          signupKey={shownKey.key}
          onClose={() => setShownKey(null)}
        />
      ) : null}
    </>
  );
}
