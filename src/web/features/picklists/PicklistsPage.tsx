// Admin picklists: asset categories (with their custom field definitions and the ticket category
// QR reports go to), manufacturers and conditions.
import {
  ActionIcon,
  Button,
  Checkbox,
  Group,
  Modal,
  Paper,
  Select,
  Stack,
  Table,
  Tabs,
  TagsInput,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmButton } from '../../components/ConfirmButton';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert, errorMessage } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { PageLoader } from '../../components/PageLoader';
import { del, patch, post } from '../../lib/api';
import { applyFieldErrors } from '../../lib/forms';
import { FIELD_TYPES, type CustomFieldDef, PICKLISTS, type PicklistItem, type PicklistName, picklistKey, usePicklist } from '../assets/api';
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

function ItemModal({ list, item, onClose }: { list: PicklistName; item: PicklistItem | 'new'; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const ticketCategories = useCategories(list === 'categories');
  const current = item === 'new' ? null : item;
  const form = useForm({
    initialValues: {
      name: current?.name ?? '',
      customFields: current?.customFields ?? ([] as CustomFieldDef[]),
      ticketCategoryId: current?.ticketCategoryId ?? (null as string | null),
    },
  });
  const save = useMutation({
    mutationFn: (v: typeof form.values) => {
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
    onSuccess: () => {
      notifications.show({ color: 'green', message: t('picklists.saved') });
      void queryClient.invalidateQueries({ queryKey: picklistKey(list) });
      onClose();
    },
    onError: (error) => applyFieldErrors(form, error),
  });
  return (
    <Modal
      opened
      onClose={onClose}
      size={list === 'categories' ? 'xl' : 'md'}
      title={current ? t('picklists.editTitle', { name: current.name }) : t(`picklists.new.${list}`)}
    >
      <form
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
        noValidate
        data-testid="picklist-form"
      >
        <Stack>
          <ErrorAlert error={save.error} skipFieldErrors />
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
          <Button type="submit" loading={save.isPending} data-testid="save-picklist">
            {t('common.save')}
          </Button>
        </Stack>
      </form>
    </Modal>
  );
}

function PicklistPanel({ list }: { list: PicklistName }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const items = usePicklist(list);
  const [editing, setEditing] = useState<PicklistItem | 'new' | null>(null);
  const remove = useMutation({
    mutationFn: (id: string) => del(`/api/v1/picklists/${list}/${id}`),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: picklistKey(list) }),
    onError: (error) => notifications.show({ color: 'red', message: errorMessage(t, error) }),
  });
  return (
    <Stack gap="sm">
      <Button
        w="fit-content"
        leftSection={<IconPlus size={16} aria-hidden />}
        onClick={() => setEditing('new')}
        data-testid={`add-${list}`}
      >
        {t(`picklists.new.${list}`)}
      </Button>
      {items.isPending ? (
        <PageLoader />
      ) : items.isError ? (
        <ErrorAlert error={items.error} onRetry={() => items.refetch()} />
      ) : items.data.items.length === 0 ? (
        <EmptyState message={t('picklists.none')} />
      ) : (
        <Table.ScrollContainer minWidth={320}>
          <Table striped data-testid={`picklist-${list}`}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('picklists.name')}</Table.Th>
                {list === 'categories' ? <Table.Th>{t('picklists.customFields')}</Table.Th> : null}
                <Table.Th>
                  <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.data.items.map((i) => (
                <Table.Tr key={i.id} data-testid="picklist-row">
                  <Table.Td>{i.name}</Table.Td>
                  {list === 'categories' ? <Table.Td>{(i.customFields ?? []).map((d) => d.label).join(', ') || '—'}</Table.Td> : null}
                  <Table.Td>
                    <Group gap="xs" justify="flex-end" wrap="nowrap">
                      <Button
                        size="compact-sm"
                        variant="default"
                        onClick={() => setEditing(i)}
                        aria-label={t('picklists.editOne', { name: i.name })}
                      >
                        {t('common.edit')}
                      </Button>
                      <ConfirmButton
                        size="compact-sm"
                        variant="subtle"
                        color="red"
                        title={t('picklists.deleteTitle', { name: i.name })}
                        message={t('picklists.deleteConfirm')}
                        onConfirm={() => remove.mutate(i.id)}
                        aria-label={t('picklists.deleteOne', { name: i.name })}
                      >
                        {t('common.delete')}
                      </ConfirmButton>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {editing ? <ItemModal list={list} item={editing} onClose={() => setEditing(null)} /> : null}
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
