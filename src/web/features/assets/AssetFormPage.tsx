// New and edit asset: the registry fields plus the custom fields its category defines.
import { Alert, Button, Group, NumberInput, Paper, Select, SimpleGrid, Stack, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { PageLoader } from '../../components/PageLoader';
import { ApiError, api, get, type Page, post } from '../../lib/api';
import { getAll } from '../../lib/lists';
import { applyFieldErrors } from '../../lib/forms';
import {
  ASSET_STATUSES,
  type Asset,
  type AssetDetail,
  assetKey,
  assetsKey,
  type CustomFieldDef,
  useAsset,
  usePicklist,
} from './api';
import { LocationSelect, PicklistSelect } from './parts';

interface Values {
  tag: string;
  name: string;
  categoryId: string | null;
  manufacturerId: string | null;
  model: string;
  serial: string;
  status: string;
  conditionId: string | null;
  locationId: string | null;
  parentId: string | null;
  departmentId: string | null;
  purchaseDate: string;
  purchaseCost: number | string;
  warrantyEnd: string;
  customFields: Record<string, string | number>;
}

const day = (v: string | null | undefined) => (v ? String(v).slice(0, 10) : '');

function toValues(a?: Asset): Values {
  const custom: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(a?.customFields ?? {})) custom[k] = v === null || v === undefined ? '' : (v as string | number);
  return {
    tag: a?.tag ?? '',
    name: a?.name ?? '',
    categoryId: a?.categoryId ?? null,
    manufacturerId: a?.manufacturerId ?? null,
    model: a?.model ?? '',
    serial: a?.serial ?? '',
    status: a?.status ?? 'in_stock',
    conditionId: a?.conditionId ?? null,
    locationId: a?.locationId ?? null,
    parentId: a?.parentId ?? null,
    departmentId: a?.departmentId ?? null,
    purchaseDate: day(a?.purchaseDate),
    purchaseCost: a?.purchaseCost === null || a?.purchaseCost === undefined ? '' : Number(a.purchaseCost),
    warrantyEnd: day(a?.warrantyEnd),
    customFields: custom,
  };
}

function ParentSelect({
  value,
  onChange,
  current,
  self,
}: {
  value: string | null;
  onChange: (v: string | null) => void;
  current?: Asset['parent'];
  self?: string;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const assets = useQuery({
    queryKey: ['assets', 'options', q],
    queryFn: () => get<Page<Asset>>('/api/v1/assets', { q: q || undefined, limit: 30 }),
  });
  const data = (assets.data?.items ?? []).filter((a) => a.id !== self).map((a) => ({ value: a.id, label: `${a.tag} · ${a.name}` }));
  if (current && value === current.id && !data.some((d) => d.value === current.id))
    data.push({ value: current.id, label: current.tag ? `${current.tag} · ${current.name}` : current.name });
  return (
    <Select
      label={t('assets.fields.parent')}
      placeholder={t('search.assets')}
      searchable
      clearable
      data={data}
      value={value}
      onChange={onChange}
      onSearchChange={setSearch}
      filter={({ options }) => options}
      nothingFoundMessage={t('common.nothingFound')}
    />
  );
}

export function CustomFieldInput({
  def,
  value,
  onChange,
  error,
}: {
  def: CustomFieldDef;
  value: string | number | undefined;
  onChange: (v: string | number) => void;
  error?: React.ReactNode;
}) {
  const common = { label: def.label, required: def.required, error, 'data-testid': `custom-${def.key}` };
  if (def.type === 'number')
    return <NumberInput {...common} value={value === '' || value === undefined ? '' : Number(value)} onChange={(v) => onChange(v)} />;
  if (def.type === 'date')
    return <TextInput {...common} type="date" value={String(value ?? '')} onChange={(e) => onChange(e.currentTarget.value)} />;
  if (def.type === 'choice')
    return (
      <Select
        {...common}
        data={def.options ?? []}
        value={value ? String(value) : null}
        onChange={(v) => onChange(v ?? '')}
        clearable={!def.required}
      />
    );
  return <TextInput {...common} value={String(value ?? '')} onChange={(e) => onChange(e.currentTarget.value)} />;
}

function AssetForm({ asset }: { asset?: AssetDetail }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const categories = usePicklist('categories');
  const departments = useQuery({
    queryKey: ['departments'],
    retry: false,
    queryFn: () => getAll<{ id: string; name: string }>('/api/v1/departments'),
  });
  const form = useForm<Values>({
    initialValues: toValues(asset),
    validate: {
      name: (v) => (v.trim() ? null : t('validation.required')),
      categoryId: (v) => (v ? null : t('validation.required')),
    },
  });
  const category = categories.data?.items.find((c) => c.id === form.values.categoryId);
  const defs = category?.customFields ?? [];

  const save = useMutation({
    mutationFn: (v: Values) => {
      const custom: Record<string, unknown> = {};
      for (const d of defs) {
        const raw = v.customFields[d.key];
        if (raw === '' || raw === undefined) continue;
        custom[d.key] = d.type === 'number' ? Number(raw) : raw;
      }
      const body = {
        ...(v.tag.trim() ? { tag: v.tag.trim() } : {}),
        name: v.name.trim(),
        categoryId: v.categoryId,
        manufacturerId: v.manufacturerId,
        model: v.model.trim() || null,
        serial: v.serial.trim() || null,
        status: v.status,
        conditionId: v.conditionId,
        locationId: v.locationId,
        parentId: v.parentId,
        departmentId: v.departmentId,
        purchaseDate: v.purchaseDate || null,
        purchaseCost: v.purchaseCost === '' ? null : Number(v.purchaseCost),
        warrantyEnd: v.warrantyEnd || null,
        customFields: custom,
      };
      return asset
        ? api<{ asset: Asset }>(`/api/v1/assets/${asset.id}`, { method: 'PATCH', body, headers: { 'if-match': String(asset.version) } })
        : post<{ asset: Asset }>('/api/v1/assets', body);
    },
    onSuccess: (data) => {
      const saved = data.asset;
      void queryClient.invalidateQueries({ queryKey: assetsKey });
      void queryClient.invalidateQueries({ queryKey: assetKey(saved.id) });
      notifications.show({ color: 'green', message: asset ? t('assets.saved') : t('assets.created', { tag: saved.tag }) });
      navigate(`/assets/${saved.id}`);
    },
    onError: (error) => {
      if (error instanceof ApiError && error.fieldErrors) {
        const mapped: Record<string, string> = {};
        for (const [k, m] of Object.entries(error.fieldErrors)) mapped[k.startsWith('customFields.') ? k : k] = m;
        form.setErrors(mapped);
      } else applyFieldErrors(form, error);
    },
  });

  const submit = form.onSubmit((v) => {
    const errors: Record<string, string> = {};
    for (const d of defs) {
      const raw = v.customFields[d.key];
      if (d.required && (raw === '' || raw === undefined)) errors[`customFields.${d.key}`] = t('validation.required');
    }
    if (Object.keys(errors).length) {
      form.setErrors(errors);
      return;
    }
    save.mutate(v);
  });

  return (
    <form onSubmit={submit} noValidate data-testid="asset-form">
      <Stack gap="md" maw={900}>
        <ErrorAlert error={save.error} skipFieldErrors />
        {save.error instanceof ApiError && save.error.status === 409 ? <Alert color="orange">{t('assets.stale')}</Alert> : null}
        <Paper withBorder p="md">
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('assets.fields.name')} required {...form.getInputProps('name')} data-testid="asset-name" />
            <TextInput
              label={t('assets.fields.tag')}
              description={t('assets.tagHint')}
              {...form.getInputProps('tag')}
              data-testid="asset-tag"
            />
            <Select
              label={t('assets.fields.category')}
              required
              searchable
              data={(categories.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
              {...form.getInputProps('categoryId')}
              data-testid="asset-category"
            />
            <Select
              label={t('assets.fields.status')}
              data={ASSET_STATUSES.map((s) => ({ value: s, label: t(`assets.statuses.${s}`) }))}
              allowDeselect={false}
              {...form.getInputProps('status')}
              data-testid="asset-status-input"
            />
            <PicklistSelect list="manufacturers" label={t('assets.fields.manufacturer')} {...form.getInputProps('manufacturerId')} />
            <TextInput label={t('assets.fields.model')} {...form.getInputProps('model')} />
            <TextInput label={t('assets.fields.serial')} {...form.getInputProps('serial')} />
            <PicklistSelect list="conditions" label={t('assets.fields.condition')} {...form.getInputProps('conditionId')} />
            <LocationSelect label={t('assets.fields.location')} {...form.getInputProps('locationId')} data-testid="asset-location" />
            <ParentSelect
              value={form.values.parentId}
              onChange={(v) => form.setFieldValue('parentId', v)}
              current={asset?.parent}
              self={asset?.id}
            />
            <Select
              label={t('assets.fields.department')}
              clearable
              searchable
              data={(departments.data?.items ?? []).map((d) => ({ value: d.id, label: d.name }))}
              {...form.getInputProps('departmentId')}
            />
            <TextInput type="date" label={t('assets.fields.purchaseDate')} {...form.getInputProps('purchaseDate')} />
            <NumberInput label={t('assets.fields.purchaseCost')} min={0} decimalScale={2} {...form.getInputProps('purchaseCost')} />
            <TextInput type="date" label={t('assets.fields.warrantyEnd')} {...form.getInputProps('warrantyEnd')} />
          </SimpleGrid>
        </Paper>
        {defs.length ? (
          <Paper withBorder p="md" data-testid="custom-fields">
            <Title order={2} size="h5" mb="sm">
              {t('assets.customFields', { category: category?.name })}
            </Title>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              {defs.map((d) => (
                <CustomFieldInput
                  key={d.key}
                  def={d}
                  value={form.values.customFields[d.key]}
                  onChange={(v) => form.setFieldValue(`customFields.${d.key}`, v)}
                  error={form.errors[`customFields.${d.key}`]}
                />
              ))}
            </SimpleGrid>
          </Paper>
        ) : null}
        <Group>
          <Button type="submit" loading={save.isPending} data-testid="save-asset">
            {asset ? t('common.save') : t('assets.create')}
          </Button>
          <Button variant="default" onClick={() => navigate(asset ? `/assets/${asset.id}` : '/assets')}>
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function NewAssetPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('assets.new')} />
      <AssetForm />
    </>
  );
}

export function EditAssetPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const asset = useAsset(id);
  if (asset.isPending) return <PageLoader />;
  if (asset.isError) return <ErrorAlert error={asset.error} onRetry={() => asset.refetch()} />;
  return (
    <>
      <PageHeader title={t('assets.editTitle', { tag: asset.data.tag })} />
      <AssetForm key={asset.data.version} asset={asset.data} />
    </>
  );
}
