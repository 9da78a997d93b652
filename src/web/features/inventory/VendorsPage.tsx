// Vendors of parts: search, list, add and edit.
import { Anchor, Modal, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { type Column, CrudFormModal, CrudTable, NewButton, SearchInput } from '../../components/crud';
import { PageHeader } from '../../components/PageHeader';
import { patch, post } from '../../lib/api';
import { useCrudList, useCrudSave, useEditing } from '../../lib/crud';
import { EMAIL_RE } from '../../lib/forms';
import { useCan } from '../../lib/useCan';
import { type Vendor, vendorsKey } from './api';
import { InventoryFiles } from './InventoryFiles';

function VendorModal({ vendor, onClose }: { vendor: Vendor | null; onClose: () => void }) {
  const { t } = useTranslation();
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
  const save = useCrudSave({
    form,
    save: (v: typeof form.values) => {
      const body = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, x.trim() || (k === 'name' ? '' : null)]));
      return vendor ? patch(`/api/v1/vendors/${vendor.id}`, body) : post('/api/v1/vendors', body);
    },
    invalidate: vendorsKey,
    message: t('vendors.saved'),
    onDone: onClose,
  });
  return (
    <CrudFormModal
      title={vendor ? t('vendors.editTitle', { name: vendor.name }) : t('vendors.new')}
      onClose={onClose}
      onSubmit={form.onSubmit((v) => save.mutate(v))}
      saving={save.isPending}
      error={save.error}
      testId="vendor-form"
      submitTestId="save-vendor"
    >
      <TextInput label={t('vendors.fields.name')} required {...form.getInputProps('name')} data-testid="vendor-name" />
      <TextInput label={t('vendors.fields.email')} type="email" {...form.getInputProps('email')} />
      <TextInput label={t('vendors.fields.phone')} type="tel" {...form.getInputProps('phone')} />
      <TextInput label={t('vendors.fields.website')} {...form.getInputProps('website')} />
      <TextInput label={t('vendors.fields.contactName')} {...form.getInputProps('contactName')} />
      <Textarea label={t('vendors.fields.address')} autosize minRows={2} {...form.getInputProps('address')} />
      <TextInput label={t('vendors.fields.paymentTerms')} {...form.getInputProps('paymentTerms')} />
      <TextInput label={t('vendors.fields.currency')} maxLength={3} {...form.getInputProps('currency')} />
      <Textarea label={t('vendors.fields.notes')} autosize minRows={2} {...form.getInputProps('notes')} />
    </CrudFormModal>
  );
}

export function VendorsPage() {
  const { t } = useTranslation();
  const canManage = useCan('inventory.manage');
  const canOrder = useCan('purchasing.manage');
  const edit = useEditing<Vendor>();
  const [filesOf, setFilesOf] = useState<Vendor | null>(null);
  // The server searches vendor names (`q`).
  const list = useCrudList<Vendor>({ key: vendorsKey, path: '/api/v1/vendors' });
  const columns: Column<Vendor>[] = [
    {
      key: 'name',
      header: t('vendors.fields.name'),
      cell: (v) =>
        canManage ? (
          <Anchor component="button" type="button" onClick={() => edit.open(v)}>
            {v.name}
          </Anchor>
        ) : (
          v.name
        ),
    },
    { key: 'email', header: t('vendors.fields.email'), cell: (v) => v.email ?? '—' },
    { key: 'phone', header: t('vendors.fields.phone'), cell: (v) => v.phone ?? '—' },
  ];
  if (canOrder) {
    columns.push({
      key: 'orders',
      header: t('vendors.orders'),
      bare: true,
      cell: (v) => (
        <Anchor component={Link} to={`/purchase-orders?vendorId=${v.id}`}>
          {t('vendors.orders')}
        </Anchor>
      ),
    });
  }
  columns.push({
    key: 'files',
    header: t('inventoryFiles.open'),
    bare: true,
    cell: (v) => (
      <Anchor component="button" type="button" onClick={() => setFilesOf(v)} aria-label={t('inventoryFiles.openNamed', { name: v.name })} data-testid="vendor-files">
        {t('inventoryFiles.open')}
      </Anchor>
    ),
  });
  return (
    <>
      <PageHeader
        title={t('vendors.title')}
        actions={
          <NewButton allowed={canManage} onClick={() => edit.open('new')} testId="new-vendor">
            {t('vendors.new')}
          </NewButton>
        }
      />
      <SearchInput {...list.search} />
      <CrudTable list={list} testId="vendors-table" rowTestId="vendor-row" minWidth={320} empty={t('vendors.none')} columns={columns} />
      {filesOf ? (
        <Modal opened onClose={() => setFilesOf(null)} title={t('inventoryFiles.openNamed', { name: filesOf.name })} size="lg">
          <InventoryFiles owner="vendors" id={filesOf.id} />
        </Modal>
      ) : null}
      {edit.editing ? <VendorModal key={edit.current?.id ?? 'new'} vendor={edit.current} onClose={edit.close} /> : null}
    </>
  );
}
