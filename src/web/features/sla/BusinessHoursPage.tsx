// Business-hours calendars: name, time zone, open ranges per weekday (several a day) and holidays.
import { ActionIcon, Autocomplete, Button, Group, Select, Stack, TagsInput, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { CrudFormModal, CrudTable, DeleteButton, EditButton, NewButton } from '../../components/crud';
import { PageHeader } from '../../components/PageHeader';
import { del, patch, post } from '../../lib/api';
import { useCrudDelete, useCrudList, useCrudSave, useEditing } from '../../lib/crud';
import { useCan } from '../../lib/useCan';
import type { BusinessHours } from '../../../shared/contracts/sla';
import { businessHoursKey } from './api';

const DAYS = [1, 2, 3, 4, 5, 6, 7];
const ZONES: string[] = (() => {
  try {
    return (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf('timeZone');
  } catch {
    return ['UTC'];
  }
})();

/** "Mon–Fri 09:00–17:00" style summary of a week. */
function weekSummary(week: BusinessHours['week'], dayName: (d: number) => string): string {
  const byDay = new Map<number, string[]>();
  for (const r of week) byDay.set(r.day, [...(byDay.get(r.day) ?? []), `${r.start}–${r.end}`]);
  return DAYS.filter((d) => byDay.has(d))
    .map((d) => `${dayName(d)} ${byDay.get(d)!.join(', ')}`)
    .join(' · ');
}

export function BusinessHoursPage() {
  const { t } = useTranslation();
  const canManage = useCan('settings.manage');
  const edit = useEditing<BusinessHours>();
  const list = useCrudList<BusinessHours>({ key: businessHoursKey, path: '/api/v1/business-hours' });
  const remove = useCrudDelete<BusinessHours>({
    remove: (c) => del(`/api/v1/business-hours/${c.id}`),
    invalidate: businessHoursKey,
    message: t('sla.hours.deleted'),
  });
  const dayName = (d: number) => t(`sla.days.${d}`);
  return (
    <>
      <PageHeader
        title={t('sla.hours.title')}
        description={t('sla.hours.description')}
        actions={
          <NewButton allowed={canManage} onClick={() => edit.open('new')} testId="new-calendar">
            {t('sla.hours.new')}
          </NewButton>
        }
      />
      <CrudTable
        list={list}
        testId="calendars-table"
        rowTestId="calendar-row"
        minWidth={560}
        empty={t('sla.hours.none')}
        columns={[
          {
            key: 'name',
            header: t('fields.name'),
            bare: true,
            cell: (c) => (
              <Text fw={500} size="sm">
                {c.name}
              </Text>
            ),
          },
          { key: 'zone', header: t('sla.hours.timezone'), cell: (c) => c.timezone },
          { key: 'week', header: t('sla.hours.week'), cell: (c) => <Text size="sm">{weekSummary(c.week, dayName)}</Text> },
          { key: 'holidays', header: t('sla.hours.holidays'), cell: (c) => c.holidays.length || '—' },
          { key: 'policies', header: t('sla.hours.policies'), cell: (c) => c.policyCount },
        ]}
        actions={(c) => (
          <Group gap={6} wrap="nowrap">
            <EditButton allowed={canManage} onClick={() => edit.open(c)} label={t('sla.hours.editOne', { name: c.name })} />
            <DeleteButton
              allowed={canManage}
              onConfirm={() => remove.mutate(c)}
              label={t('sla.hours.deleteOne', { name: c.name })}
              title={t('sla.hours.deleteTitle')}
              message={t('sla.hours.deleteMessage', { name: c.name })}
            />
          </Group>
        )}
      />
      {edit.editing ? <CalendarModal key={edit.current?.id ?? 'new'} calendar={edit.current} onClose={edit.close} /> : null}
    </>
  );
}

interface Values {
  name: string;
  timezone: string;
  week: { day: string; start: string; end: string }[];
  holidays: string[];
}

function CalendarModal({ calendar, onClose }: { calendar: BusinessHours | null; onClose: () => void }) {
  const { t } = useTranslation();
  const form = useForm<Values>({
    initialValues: {
      name: calendar?.name ?? '',
      timezone: calendar?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC',
      week: (calendar?.week ?? [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '17:00' }))).map((r) => ({
        ...r,
        day: String(r.day),
      })),
      holidays: calendar?.holidays ?? [],
    },
    validate: {
      name: (v) => (v.trim() ? null : t('validation.required')),
      timezone: (v) => (ZONES.includes(v) || v === 'UTC' ? null : t('sla.hours.badZone')),
      holidays: (v) => (v.every((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)) ? null : t('sla.hours.badHoliday')),
      week: (v) => (v.length ? null : t('sla.hours.noHours')),
    },
  });
  const save = useCrudSave({
    form,
    save: (v: Values) => {
      const body = {
        name: v.name.trim(),
        timezone: v.timezone,
        week: v.week.map((r) => ({ day: Number(r.day), start: r.start, end: r.end })),
        holidays: v.holidays,
      };
      return calendar ? patch(`/api/v1/business-hours/${calendar.id}`, body) : post('/api/v1/business-hours', body);
    },
    invalidate: businessHoursKey,
    message: t('sla.hours.saved'),
    onDone: onClose,
  });
  const days = DAYS.map((d) => ({ value: String(d), label: t(`sla.days.${d}`) }));
  return (
    <CrudFormModal
      title={calendar ? t('sla.hours.editTitle', { name: calendar.name }) : t('sla.hours.createTitle')}
      onClose={onClose}
      onSubmit={form.onSubmit((v) => save.mutate(v))}
      saving={save.isPending}
      error={save.error}
      testId="calendar-form"
    >
      <TextInput label={t('fields.name')} required data-autofocus {...form.getInputProps('name')} />
      <Autocomplete label={t('sla.hours.timezone')} required data={ZONES} limit={20} {...form.getInputProps('timezone')} />
      <Stack gap={6}>
        <Text size="sm" fw={500}>
          {t('sla.hours.week')}
        </Text>
        {form.values.week.map((_r, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: ranges have no identity but their place
          <Group key={i} gap={6} wrap="nowrap" data-testid="range-row">
            <Select aria-label={t('sla.hours.day')} data={days} w={130} allowDeselect={false} {...form.getInputProps(`week.${i}.day`)} />
            <TextInput aria-label={t('sla.hours.start')} placeholder="09:00" w={110} {...form.getInputProps(`week.${i}.start`)} />
            <TextInput aria-label={t('sla.hours.end')} placeholder="17:00" w={110} {...form.getInputProps(`week.${i}.end`)} />
            <ActionIcon variant="subtle" color="red" aria-label={t('sla.hours.removeRange')} onClick={() => form.removeListItem('week', i)}>
              <IconTrash size={16} aria-hidden />
            </ActionIcon>
          </Group>
        ))}
        {form.errors.week ? (
          <Text size="xs" c="red">
            {form.errors.week}
          </Text>
        ) : null}
        <Button
          variant="subtle"
          size="xs"
          leftSection={<IconPlus size={14} aria-hidden />}
          onClick={() => form.insertListItem('week', { day: '1', start: '09:00', end: '17:00' })}
          style={{ alignSelf: 'flex-start' }}
          data-testid="add-range"
        >
          {t('sla.hours.addRange')}
        </Button>
        <Text size="xs" c="dimmed">
          {t('sla.hours.rangeHelp')}
        </Text>
      </Stack>
      <TagsInput
        label={t('sla.hours.holidays')}
        description={t('sla.hours.holidaysHelp')}
        placeholder="2026-12-25"
        {...form.getInputProps('holidays')}
      />
    </CrudFormModal>
  );
}
