// Admin picklists: asset categories (with their custom field definitions and the ticket category
// QR reports go to), manufacturers and conditions.
import { ActionIcon, Button, Checkbox, Group, Paper, Select, Stack, Tabs, TagsInput, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Column, CrudFormModal, CrudTable, DeleteButton, EditButton, NewButton, SearchInput } from '../../components/crud';
import { PageHeader } from '../../components/PageHeader';
import { del, patch, post } from '../../lib/api';
import { textMatches, useCrudDelete, useCrudList, useCrudSave, useEditing } from '../../lib/crud';
import { useCan } from '../../lib/useCan';
import { FIELD_TYPES, type CustomFieldDef, PICKLISTS, type PicklistItem, type PicklistName, picklistKey } from '../assets/api';
import { useCategories } from '../tickets/api';

const keyOf = (label: string) =>
  label
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');

function FieldsEditor({ value, onChange }: { value: CustomFieldDef[]; onChange: (v: CustomFieldDef[]) => void }) {
  const { t } = useTranslation();
  const set = (i: number, patchDef: Partial<CustomFieldDef>) => onChange(value.map((d, j) => (j === i ? { ...d, ...patchDef } : d)));
  return (
    <Stack gap="xs" data-testid="fields-editor">
      <Title order={3} size="h6">
        {t('picklists.customFields')}
      </Title>
      {value.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('picklists.noFields')}
        </Text>
      ) : null}
      {value.map((d, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: definitions are edited in place
        <Paper key={i} withBorder p="xs" data-testid="field-def">
          <Group gap="xs" align="flex-end" wrap="wrap">
            <TextInput
              label={t('picklists.fieldLabel')}
              value={d.label}
              onChange={(e) => {
                const label = e.currentTarget.value;
                set(i, { label, key: d.key && d.key !== keyOf(d.label) ? d.key : keyOf(label) });
              }}
              style={{ flex: '1 1 160px' }}
              data-testid="field-label"
            />
            <TextInput
              label={t('picklists.fieldKey')}
              value={d.key}
              onChange={(e) => set(i, { key: e.currentTarget.value })}
              style={{ flex: '1 1 120px' }}
            />
            <Select
              label={t('picklists.fieldType')}
              data={FIELD_TYPES.map((ft) => ({ value: ft, label: t(`picklists.types.${ft}`) }))}
              value={d.type}
              onChange={(v) => set(i, { type: (v as CustomFieldDef['type']) ?? 'text' })}
              allowDeselect={false}
              w={130}
              data-testid="field-type"
            />
            <Checkbox
              label={t('picklists.required')}
              checked={!!d.required}
              onChange={(e) => set(i, { required: e.currentTarget.checked })}
              mb={8}
            />
            <ActionIcon
              variant="subtle"
              color="red"
              mb={4}
              aria-label={t('picklists.removeField', { name: d.label || i + 1 })}
              onClick={() => onChange(value.filter((_, j) => j !== i))}
            >
              <IconTrash size={16} aria-hidden />
            </ActionIcon>
          </Group>
          {d.type === 'choice' ? (
            <TagsInput
              mt="xs"
              label={t('picklists.options')}
              description={t('picklists.optionsHint')}
              value={d.options ?? []}
              onChange={(options) => set(i, { options })}
            />
          ) : null}
        </Paper>
      ))}
      <Button
        variant="default"
        size="xs"
        w="fit-content"
        leftSection={<IconPlus size={14} aria-hidden />}
        onClick={() => onChange([...value, { key: '', label: '', type: 'text' }])}
        data-testid="add-field"
      >
        {t('picklists.addField')}
      </Button>
    </Stack>
  );
}

function ItemModal({ list, item, onClose }: { list: PicklistName; item: PicklistItem | null; onClose: () => void }) {
  const { t } = useTranslation();
  const ticketCategories = useCategories(list === 'categories');
  const current = item;
  const form = useForm({
    initialValues: {
      name: current?.name ?? '',
      customFields: current?.customFields ?? ([] as CustomFieldDef[]),
      ticketCategoryId: current?.ticketCategoryId ?? (null as string | null),
    },
  });
  const save = useCrudSave({
    form,
    save: (v: typeof form.values) => {
      const body: Record<string, unknown> = { name: v.name.trim() };
      if (list === 'categories') {
        body.customFields = v.customFields
          .filter((d) => d.label.trim())
          .map((d) => ({
            key: d.key || keyOf(d.label),
            label: d.label.trim(),
            type: d.type,
            ...(d.type === 'choice' ? { options: d.options ?? [] } : {}),
            required: !!d.required,
          }));
        body.ticketCategoryId = v.ticketCategoryId;
      }
      return current ? patch(`/api/v1/picklists/${list}/${current.id}`, body) : post(`/api/v1/picklists/${list}`, body);
    },
    invalidate: picklistKey(list),
    message: t('picklists.saved'),
    onDone: onClose,
  });
  return (
    <CrudFormModal
      onClose={onClose}
      size={list === 'categories' ? 'xl' : 'md'}
      title={current ? t('picklists.editTitle', { name: current.name }) : t(`picklists.new.${list}`)}
      saving={save.isPending}
      error={save.error}
      testId="picklist-form"
      submitTestId="save-picklist"
      onSubmit={form.onSubmit((v) => {
          if (!v.name.trim()) {
            form.setFieldError('name', t('validation.required'));
            return;
          }
          const choiceWithout = v.customFields.find((d) => d.type === 'choice' && !(d.options ?? []).length && d.label.trim());
          if (choiceWithout) {
            form.setFieldError('customFields', t('picklists.choiceNeedsOptions', { name: choiceWithout.label }));
            return;
          }
          save.mutate(v);
        })}
    >
          <TextInput label={t('picklists.name')} required {...form.getInputProps('name')} data-testid="picklist-name" />
          {list === 'categories' ? (
            <>
              <Select
                label={t('picklists.ticketCategory')}
                description={t('picklists.ticketCategoryHint')}
                clearable
                searchable
                data={(ticketCategories.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
                {...form.getInputProps('ticketCategoryId')}
              />
              <FieldsEditor value={form.values.customFields} onChange={(v) => form.setFieldValue('customFields', v)} />
              {form.errors.customFields ? (
                <Text c="red" size="sm" role="alert">
                  {form.errors.customFields}
                </Text>
              ) : null}
            </>
          ) : null}
    </CrudFormModal>
  );
}

function PicklistPanel({ list }: { list: PicklistName }) {
  const { t } = useTranslation();
  const canManage = useCan('assets.manage');
  const edit = useEditing<PicklistItem>();
  const items = useCrudList<PicklistItem>({
    key: picklistKey(list),
    path: `/api/v1/picklists/${list}`,
    matches: (i, q) => textMatches(q, i.name),
  });
  const remove = useCrudDelete({
    remove: (i: PicklistItem) => del(`/api/v1/picklists/${list}/${i.id}`),
    invalidate: picklistKey(list),
  });
  const columns: Column<PicklistItem>[] = [{ key: 'name', header: t('picklists.name'), cell: (i) => i.name }];
  if (list === 'categories') {
    columns.push({
      key: 'fields',
      header: t('picklists.customFields'),
      cell: (i) => (i.customFields ?? []).map((d) => d.label).join(', ') || '—',
    });
  }
  return (
    <Stack gap="sm">
      <Group>
        <NewButton allowed={canManage} onClick={() => edit.open('new')} testId={`add-${list}`}>
          {t(`picklists.new.${list}`)}
        </NewButton>
      </Group>
      <SearchInput {...items.search} />
      <CrudTable
        list={items}
        testId={`picklist-${list}`}
        rowTestId="picklist-row"
        minWidth={320}
        empty={t('picklists.none')}
        columns={columns}
        actions={
          canManage
            ? (i) => (
                <>
                  <EditButton onClick={() => edit.open(i)} label={t('picklists.editOne', { name: i.name })} />
                  <DeleteButton
                    title={t('picklists.deleteTitle', { name: i.name })}
                    message={t('picklists.deleteConfirm')}
                    onConfirm={() => remove.mutate(i)}
                    loading={remove.isPending && remove.variables?.id === i.id}
                    label={t('picklists.deleteOne', { name: i.name })}
                  />
                </>
              )
            : undefined
        }
      />
      {edit.editing ? <ItemModal key={edit.current?.id ?? 'new'} list={list} item={edit.current} onClose={edit.close} /> : null}
    </Stack>
  );
}

export function PicklistsPage() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<string | null>('categories');
  return (
    <>
      <PageHeader title={t('picklists.title')} description={t('picklists.description')} />
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List mb="md">
          {PICKLISTS.map((l) => (
            <Tabs.Tab key={l} value={l} data-testid={`tab-${l}`}>
              {t(`picklists.lists.${l}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {PICKLISTS.map((l) => (
          <Tabs.Panel key={l} value={l}>
            <PicklistPanel list={l} />
          </Tabs.Panel>
        ))}
      </Tabs>
    </>
  );
}
