// SLA policies in the order they are tried (move up/down), each with its match (priorities, kinds,
// categories), calendar, per-priority targets in business minutes, warning lead and escalation role.
import { ActionIcon, Badge, Checkbox, Group, MultiSelect, NumberInput, Select, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconArrowDown, IconArrowUp } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { CrudFormModal, CrudTable, DeleteButton, EditButton, NewButton } from '../../components/crud';
import { PageHeader } from '../../components/PageHeader';
import { del, patch, post } from '../../lib/api';
import { useCrudDelete, useCrudList, useCrudSave, useEditing } from '../../lib/crud';
import { useCan } from '../../lib/useCan';
import { PRIORITIES, TICKET_KINDS } from '../../../shared/contracts/enums';
import type { SlaPolicy } from '../../../shared/contracts/sla';
import { useRoleList } from '../categories/steps';
import { useCategories } from '../tickets/api';
import { businessHoursKey, slaPoliciesKey, useCalendars } from './api';

export function SlaPoliciesPage() {
  const { t } = useTranslation();
  const canManage = useCan('settings.manage');
  const edit = useEditing<SlaPolicy>();
  const list = useCrudList<SlaPolicy>({ key: slaPoliciesKey, path: '/api/v1/sla-policies', limit: 200 });
  const calendars = useCalendars();
  const calName = (id: string) => calendars.data?.items.find((c) => c.id === id)?.name ?? '—';
  const move = useCrudSave({
    save: (v: { id: string; position: number }) => patch(`/api/v1/sla-policies/${v.id}`, { position: v.position }),
    invalidate: slaPoliciesKey,
    message: () => null,
  });
  const remove = useCrudDelete<SlaPolicy>({
    remove: (p) => del(`/api/v1/sla-policies/${p.id}`),
    invalidate: [slaPoliciesKey, businessHoursKey],
    message: t('sla.policies.deleted'),
  });
  const matchText = (p: SlaPolicy) =>
    [
      p.match.priorities?.length ? p.match.priorities.map((x) => t(`tickets.priorities.${x}`)).join(', ') : null,
      p.match.kinds?.length ? p.match.kinds.map((x) => t(`tickets.kinds.${x}`)).join(', ') : null,
      p.match.categoryIds?.length ? t('sla.policies.categoryCount', { count: p.match.categoryIds.length }) : null,
    ]
      .filter(Boolean)
      .join(' · ') || t('sla.policies.everything');
  const last = list.items.length;
  return (
    <>
      <PageHeader
        title={t('sla.policies.title')}
        description={t('sla.policies.description')}
        actions={
          <NewButton allowed={canManage} onClick={() => edit.open('new')} testId="new-policy">
            {t('sla.policies.new')}
          </NewButton>
        }
      />
      <CrudTable
        list={list}
        testId="policies-table"
        rowTestId="policy-row"
        minWidth={640}
        empty={t('sla.policies.none')}
        columns={[
          { key: 'position', header: '#', cell: (p) => p.position },
          {
            key: 'name',
            header: t('fields.name'),
            bare: true,
            cell: (p) => (
              <Group gap={6}>
                <Text fw={500} size="sm">
                  {p.name}
                </Text>
                {p.enabled ? null : (
                  <Badge color="gray" size="sm">
                    {t('sla.policies.disabled')}
                  </Badge>
                )}
              </Group>
            ),
          },
          { key: 'match', header: t('sla.policies.match'), cell: matchText },
          { key: 'calendar', header: t('sla.policies.calendar'), cell: (p) => calName(p.businessHoursId) },
          {
            key: 'targets',
            header: t('sla.policies.targets'),
            cell: (p) => (
              <Text size="xs">
                {PRIORITIES.filter((x) => p.targets[x])
                  .map((x) => `${t(`tickets.priorities.${x}`)} ${p.targets[x]!.firstResponseMinutes}/${p.targets[x]!.resolutionMinutes}`)
                  .join(' · ')}
              </Text>
            ),
          },
        ]}
        actions={(p) =>
          canManage ? (
            <Group gap={4} wrap="nowrap">
              <ActionIcon
                variant="subtle"
                disabled={p.position <= 1}
                aria-label={t('sla.policies.moveUp', { name: p.name })}
                onClick={() => move.mutate({ id: p.id, position: p.position - 1 })}
              >
                <IconArrowUp size={16} aria-hidden />
              </ActionIcon>
              <ActionIcon
                variant="subtle"
                disabled={p.position >= last}
                aria-label={t('sla.policies.moveDown', { name: p.name })}
                onClick={() => move.mutate({ id: p.id, position: p.position + 1 })}
              >
                <IconArrowDown size={16} aria-hidden />
              </ActionIcon>
              <EditButton onClick={() => edit.open(p)} label={t('sla.policies.editOne', { name: p.name })} />
              <DeleteButton
                onConfirm={() => remove.mutate(p)}
                label={t('sla.policies.deleteOne', { name: p.name })}
                title={t('sla.policies.deleteTitle')}
                message={t('sla.policies.deleteMessage', { name: p.name })}
              />
            </Group>
          ) : null
        }
      />
      <Text size="xs" c="dimmed" mt="xs">
        {t('sla.policies.orderHelp')}
      </Text>
      {edit.editing ? <PolicyModal key={edit.current?.id ?? 'new'} policy={edit.current} onClose={edit.close} /> : null}
    </>
  );
}

type TargetValues = Record<(typeof PRIORITIES)[number], { on: boolean; firstResponseMinutes: number; resolutionMinutes: number }>;
interface Values {
  name: string;
  businessHoursId: string | null;
  priorities: string[];
  kinds: string[];
  categoryIds: string[];
  targets: TargetValues;
  warnBeforeMinutes: number;
  escalationRoleId: string | null;
  enabled: boolean;
}

const DEFAULTS = { urgent: [30, 240], high: [60, 480], medium: [240, 1440], low: [480, 2400] } as const;

function PolicyModal({ policy, onClose }: { policy: SlaPolicy | null; onClose: () => void }) {
  const { t } = useTranslation();
  const calendars = useCalendars();
  const categories = useCategories();
  const roles = useRoleList();
  const targets = Object.fromEntries(
    PRIORITIES.map((p) => {
      const cur = policy?.targets[p];
      return [
        p,
        {
          on: policy ? !!cur : true,
          firstResponseMinutes: cur?.firstResponseMinutes ?? DEFAULTS[p][0],
          resolutionMinutes: cur?.resolutionMinutes ?? DEFAULTS[p][1],
        },
      ];
    }),
  ) as TargetValues;
  const form = useForm<Values>({
    initialValues: {
      name: policy?.name ?? '',
      businessHoursId: policy?.businessHoursId ?? calendars.data?.items[0]?.id ?? null,
      priorities: policy?.match.priorities ?? [],
      kinds: policy?.match.kinds ?? [],
      categoryIds: policy?.match.categoryIds ?? [],
      targets,
      warnBeforeMinutes: policy?.warnBeforeMinutes ?? 60,
      escalationRoleId: policy?.escalationRoleId ?? null,
      enabled: policy?.enabled ?? true,
    },
    validate: {
      name: (v) => (v.trim() ? null : t('validation.required')),
      businessHoursId: (v) => (v ? null : t('validation.required')),
    },
  });
  const save = useCrudSave({
    form,
    save: (v: Values) => {
      const body = {
        name: v.name.trim(),
        businessHoursId: v.businessHoursId,
        match: {
          ...(v.priorities.length ? { priorities: v.priorities } : {}),
          ...(v.kinds.length ? { kinds: v.kinds } : {}),
          ...(v.categoryIds.length ? { categoryIds: v.categoryIds } : {}),
        },
        targets: Object.fromEntries(
          PRIORITIES.filter((p) => v.targets[p].on).map((p) => [
            p,
            { firstResponseMinutes: v.targets[p].firstResponseMinutes, resolutionMinutes: v.targets[p].resolutionMinutes },
          ]),
        ),
        warnBeforeMinutes: v.warnBeforeMinutes,
        escalationRoleId: v.escalationRoleId,
        enabled: v.enabled,
      };
      return policy ? patch(`/api/v1/sla-policies/${policy.id}`, body) : post('/api/v1/sla-policies', body);
    },
    invalidate: [slaPoliciesKey, businessHoursKey],
    message: t('sla.policies.saved'),
    onDone: onClose,
  });
  const calendarData = (calendars.data?.items ?? []).map((c) => ({ value: c.id, label: `${c.name} (${c.timezone})` }));
  return (
    <CrudFormModal
      title={policy ? t('sla.policies.editTitle', { name: policy.name }) : t('sla.policies.createTitle')}
      onClose={onClose}
      onSubmit={form.onSubmit((v) => save.mutate(v))}
      saving={save.isPending}
      error={save.error}
      testId="policy-form"
      size="lg"
    >
      <TextInput label={t('fields.name')} required data-autofocus {...form.getInputProps('name')} />
      <Select
        label={t('sla.policies.calendar')}
        required
        data={calendarData}
        allowDeselect={false}
        {...form.getInputProps('businessHoursId')}
      />
      <Text size="sm" fw={500}>
        {t('sla.policies.matchTitle')}
      </Text>
      <Group grow align="flex-start">
        <MultiSelect
          label={t('tickets.fields.priority')}
          placeholder={t('sla.policies.any')}
          data={PRIORITIES.map((p) => ({ value: p, label: t(`tickets.priorities.${p}`) }))}
          {...form.getInputProps('priorities')}
        />
        <MultiSelect
          label={t('tickets.fields.kind')}
          placeholder={t('sla.policies.any')}
          data={TICKET_KINDS.map((k) => ({ value: k, label: t(`tickets.kinds.${k}`) }))}
          {...form.getInputProps('kinds')}
        />
      </Group>
      <MultiSelect
        label={t('tickets.fields.category')}
        placeholder={t('sla.policies.any')}
        searchable
        data={(categories.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
        {...form.getInputProps('categoryIds')}
      />
      <Stack gap={4}>
        <Text size="sm" fw={500}>
          {t('sla.policies.targetsTitle')}
        </Text>
        <Table withRowBorders={false} verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('tickets.fields.priority')}</Table.Th>
              <Table.Th>{t('sla.firstResponse')}</Table.Th>
              <Table.Th>{t('sla.resolution')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {PRIORITIES.map((p) => (
              <Table.Tr key={p} data-testid={`target-${p}`}>
                <Table.Td>
                  <Checkbox label={t(`tickets.priorities.${p}`)} {...form.getInputProps(`targets.${p}.on`, { type: 'checkbox' })} />
                </Table.Td>
                <Table.Td>
                  <NumberInput
                    aria-label={t('sla.policies.firstResponseFor', { priority: p })}
                    min={1}
                    suffix=" min"
                    disabled={!form.values.targets[p].on}
                    {...form.getInputProps(`targets.${p}.firstResponseMinutes`)}
                  />
                </Table.Td>
                <Table.Td>
                  <NumberInput
                    aria-label={t('sla.policies.resolutionFor', { priority: p })}
                    min={1}
                    suffix=" min"
                    disabled={!form.values.targets[p].on}
                    {...form.getInputProps(`targets.${p}.resolutionMinutes`)}
                  />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Text size="xs" c="dimmed">
          {t('sla.policies.targetsHelp')}
        </Text>
      </Stack>
      <Group grow align="flex-start">
        <NumberInput label={t('sla.policies.warnBefore')} min={0} suffix=" min" {...form.getInputProps('warnBeforeMinutes')} />
        <Select
          label={t('sla.policies.escalationRole')}
          clearable
          data={(roles.data?.items ?? []).map((r) => ({ value: r.id, label: r.name }))}
          {...form.getInputProps('escalationRoleId')}
        />
      </Group>
      <Switch label={t('sla.policies.enabled')} {...form.getInputProps('enabled', { type: 'checkbox' })} />
    </CrudFormModal>
  );
}
