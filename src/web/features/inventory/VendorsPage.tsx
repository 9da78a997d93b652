// Vendors of parts: list, add and edit.
import { Anchor, Button, Modal, Stack, Table, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { PageLoader } from '../../components/PageLoader';
import { EMAIL_RE, applyFieldErrors } from '../../lib/forms';
import { patch, post } from '../../lib/api';
import { useCan } from '../../lib/useCan';
import { type Vendor, useVendors, vendorsKey } from './api';
import { InventoryFiles } from './InventoryFiles';

function VendorModal({ vendor, onClose }: { vendor: Vendor | null; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const form = useForm({
    initialValues: {
      name: vendor?.name ?? '',
      email: vendor?.email ?? '',
      phone: vendor?.phone ?? '',
      website: vendor?.website ?? '',
      notes: vendor?.notes ?? '',
      contactName: vendor?.contactName ?? '',
      address: vendor?.address ?? '',
      paymentTerms: vendor?.paymentTerms ?? '',
      currency: vendor?.currency ?? '',
    },
    validate: {
      name: (v) => (v.trim() ? null : t('validation.required')),
      email: (v) => (!v.trim() || EMAIL_RE.test(v.trim()) ? null : t('validation.email')),
    },
  });
  const save = useMutation({
    mutationFn: (v: typeof form.values) => {
      const body = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, x.trim() || (k === 'name' ? '' : null)]));
      return vendor ? patch(`/api/v1/vendors/${vendor.id}`, body) : post('/api/v1/vendors', body);
    },
    onSuccess: () => {
      notifications.show({ color: 'green', message: t('vendors.saved') });
      void queryClient.invalidateQueries({ queryKey: vendorsKey });
      onClose();
    },
    onError: (error) => applyFieldErrors(form, error),
  });
  return (
    <Modal opened onClose={onClose} title={vendor ? t('vendors.editTitle', { name: vendor.name }) : t('vendors.new')}>
      <form onSubmit={form.onSubmit((v) => save.mutate(v))} noValidate data-testid="vendor-form">
        <Stack>
          <ErrorAlert error={save.error} skipFieldErrors />
          <TextInput label={t('vendors.fields.name')} required {...form.getInputProps('name')} data-testid="vendor-name" />
          <TextInput label={t('vendors.fields.email')} type="email" {...form.getInputProps('email')} />
          <TextInput label={t('vendors.fields.phone')} type="tel" {...form.getInputProps('phone')} />
          <TextInput label={t('vendors.fields.website')} {...form.getInputProps('website')} />
          <TextInput label={t('vendors.fields.contactName')} {...form.getInputProps('contactName')} />
          <Textarea label={t('vendors.fields.address')} autosize minRows={2} {...form.getInputProps('address')} />
          <TextInput label={t('vendors.fields.paymentTerms')} {...form.getInputProps('paymentTerms')} />
          <TextInput label={t('vendors.fields.currency')} maxLength={3} {...form.getInputProps('currency')} />
          <Textarea label={t('vendors.fields.notes')} autosize minRows={2} {...form.getInputProps('notes')} />
          <Button type="submit" loading={save.isPending} data-testid="save-vendor">
            {t('common.save')}
          </Button>
        </Stack>
      </form>
    </Modal>
  );
}

export function VendorsPage() {
  const { t } = useTranslation();
  const canManage = useCan('inventory.manage');
  const canOrder = useCan('purchasing.manage');
  const vendors = useVendors();
  const [editing, setEditing] = useState<Vendor | 'new' | null>(null);
  const [filesOf, setFilesOf] = useState<Vendor | null>(null);
  return (
    <>
      <PageHeader
        title={t('vendors.title')}
        actions={
          canManage ? (
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setEditing('new')} data-testid="new-vendor">
              {t('vendors.new')}
            </Button>
          ) : null
        }
      />
      {vendors.isPending ? (
        <PageLoader />
      ) : vendors.isError ? (
        <ErrorAlert error={vendors.error} onRetry={() => vendors.refetch()} />
      ) : vendors.data.items.length === 0 ? (
        <EmptyState message={t('vendors.none')} />
      ) : (
        <Table.ScrollContainer minWidth={320}>
          <Table striped data-testid="vendors-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('vendors.fields.name')}</Table.Th>
                <Table.Th>{t('vendors.fields.email')}</Table.Th>
                <Table.Th>{t('vendors.fields.phone')}</Table.Th>
                {canOrder ? <Table.Th>{t('vendors.orders')}</Table.Th> : null}
                <Table.Th>{t('inventoryFiles.open')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {vendors.data.items.map((v) => (
                <Table.Tr key={v.id} data-testid="vendor-row">
                  <Table.Td>
                    {canManage ? (
                      <Anchor component="button" type="button" onClick={() => setEditing(v)}>
                        {v.name}
                      </Anchor>
                    ) : (
                      v.name
                    )}
                  </Table.Td>
                  <Table.Td>{v.email ?? '—'}</Table.Td>
                  <Table.Td>{v.phone ?? '—'}</Table.Td>
                  {canOrder ? (
                    <Table.Td>
                      <Anchor component={Link} to={`/purchase-orders?vendorId=${v.id}`}>
                        {t('vendors.orders')}
                      </Anchor>
                    </Table.Td>
                  ) : null}
                  <Table.Td>
                    <Anchor component="button" type="button" onClick={() => setFilesOf(v)} aria-label={t('inventoryFiles.openNamed', { name: v.name })} data-testid="vendor-files">
                      {t('inventoryFiles.open')}
                    </Anchor>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {filesOf ? (
        <Modal opened onClose={() => setFilesOf(null)} title={t('inventoryFiles.openNamed', { name: filesOf.name })} size="lg">
          <InventoryFiles owner="vendors" id={filesOf.id} />
        </Modal>
      ) : null}
      {editing ? <VendorModal vendor={editing === 'new' ? null : editing} onClose={() => setEditing(null)} /> : null}
    </>
  );
}
