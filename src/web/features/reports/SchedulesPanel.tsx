// Report schedules: which report goes to whom, when (an RRULE at a time in a zone), its next run and
// its last run (sent, or failed with the reason); create, edit, pause and resume, delete, and each
// schedule's run history.
import {
  ActionIcon,
  Badge,
  Button,
  Drawer,
  Group,
  ScrollArea,
  Select,
  Stack,
  Switch,
  Table,
  TagsInput,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconEdit, IconHistory, IconPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LoadMore } from '../../components/LoadMore';
import { CrudFormModal, DeleteButton } from '../../components/crud';
import type { ReportKind, ReportSchedule } from '../../../shared/contracts/reports';
import { COST_GROUPS, RELATIVE_PERIODS, REPORT_KINDS, TICKET_REPORT_GROUPS } from '../../../shared/contracts/reports';
import { del, patch, post } from '../../lib/api';
import { useCrudDelete, useCrudList, useCrudSave, useEditing } from '../../lib/crud';
import { useKeysetList } from '../../lib/lists';
import { useCan } from '../../lib/useCan';
import { useCompanyZone } from '../../lib/useCompanyZone';
import type { ReportRun } from '../../../shared/contracts/reports';

const key = ['report-schedules'] as const;
const PRESETS = [
  'FREQ=DAILY',
  'FREQ=WEEKLY;BYDAY=MO',
  'FREQ=MONTHLY;BYMONTHDAY=1',
  'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1',
] as const;

interface Values {
  name: string;
  report: ReportKind;
  period: string;
  groupBy: string | null;
  preset: string;
  rrule: string;
  time: string;
  timezone: string;
  format: 'xlsx' | 'csv';
  recipients: string[];
}

const groupsOf = (report: ReportKind): readonly string[] =>
  report === 'costs' ? COST_GROUPS : report === 'tickets' ? TICKET_REPORT_GROUPS : [];

function valuesOf(s: ReportSchedule | null, zone: string): Values {
  const rrule = s?.rrule ?? 'FREQ=MONTHLY;BYMONTHDAY=1';
  return {
    name: s?.name ?? '',
    report: s?.report ?? 'tickets',
    period: s?.params.period ?? 'lastMonth',
    groupBy: s?.params.groupBy ?? null,
    preset: (PRESETS as readonly string[]).includes(rrule) ? rrule : 'custom',
    rrule,
    time: s?.time ?? '07:00',
    timezone: s?.timezone ?? zone,
    format: s?.format ?? 'xlsx',
    recipients: s?.recipients ?? [],
  };
}

function ScheduleForm({ current, onClose }: { current: ReportSchedule | null; onClose: () => void }) {
  const { t } = useTranslation();
  const zone = useCompanyZone();
  const financial = useCan('reports.financial');
  const form = useForm<Values>({ initialValues: valuesOf(current, zone) });
  const save = useCrudSave({
    form,
    invalidate: key,
    message: t('reports.schedules.saved'),
    onDone: onClose,
    save: (v: Values) => {
      const body = {
        name: v.name.trim() || undefined,
        report: v.report,
        params: { period: v.period, ...(v.groupBy ? { groupBy: v.groupBy } : {}) },
        rrule: v.preset === 'custom' ? v.rrule.trim() : v.preset,
        time: v.time,
        timezone: v.timezone.trim() || undefined,
        format: v.format,
        recipients: v.recipients.map((r) => r.replace(/[,;\s]+$/, '')).filter(Boolean),
      };
      return current ? patch(`/api/v1/report-schedules/${current.id}`, body) : post('/api/v1/report-schedules', body);
    },
  });
  const groups = groupsOf(form.values.report);
  return (
    <CrudFormModal
      title={current ? t('reports.schedules.edit') : t('reports.schedules.new')}
      onClose={onClose}
      onSubmit={form.onSubmit((v) => save.mutate(v))}
      saving={save.isPending}
      error={save.error}
      testId="schedule-form"
      size="lg"
    >
      <TextInput label={t('reports.schedules.name')} placeholder={t('reports.schedules.namePlaceholder')} {...form.getInputProps('name')} />
      <Group grow align="flex-start">
        <Select
          label={t('reports.schedules.report')}
          allowDeselect={false}
          data={REPORT_KINDS.filter((k) => k !== 'costs' || financial).map((k) => ({ value: k, label: t(`reports.tabs.${k}`) }))}
          {...form.getInputProps('report')}
          onChange={(v) => {
            form.setFieldValue('report', (v ?? 'tickets') as ReportKind);
            form.setFieldValue('groupBy', null);
          }}
        />
        <Select
          label={t('reports.schedules.period')}
          allowDeselect={false}
          data={RELATIVE_PERIODS.map((p) => ({ value: p, label: t(`reports.relative.${p}`) }))}
          {...form.getInputProps('period')}
        />
        {groups.length > 0 && (
          <Select
            label={t('reports.groupBy')}
            clearable
            data={groups.map((g) => ({
              value: g,
              label: t(`reports.${form.values.report === 'costs' ? 'costGroups' : 'ticketGroups'}.${g}`),
            }))}
            {...form.getInputProps('groupBy')}
            error={form.errors['params.groupBy']}
          />
        )}
      </Group>
      <Group grow align="flex-start">
        <Select
          label={t('reports.schedules.when')}
          allowDeselect={false}
          data={[
            ...PRESETS.map((p) => ({ value: p, label: t(`reports.schedules.presets.${PRESETS.indexOf(p)}`) })),
            { value: 'custom', label: t('reports.schedules.custom') },
          ]}
          {...form.getInputProps('preset')}
        />
        <TextInput type="time" label={t('reports.schedules.time')} required {...form.getInputProps('time')} />
        <TextInput label={t('reports.schedules.timezone')} {...form.getInputProps('timezone')} />
      </Group>
      {form.values.preset === 'custom' && (
        <TextInput label={t('reports.schedules.rrule')} description={t('reports.schedules.rruleHint')} {...form.getInputProps('rrule')} />
      )}
      <Group grow align="flex-start">
        <Select
          label={t('reports.schedules.format')}
          allowDeselect={false}
          data={[
            { value: 'xlsx', label: t('reports.xlsx') },
            { value: 'csv', label: t('reports.csv') },
          ]}
          {...form.getInputProps('format')}
        />
      </Group>
      <TagsInput
        label={t('reports.schedules.recipients')}
        description={t('reports.schedules.recipientsHint')}
        required
        splitChars={[',', ' ', ';']}
        {...form.getInputProps('recipients')}
        error={form.errors.recipients ?? Object.entries(form.errors).find(([k]) => k.startsWith('recipients.'))?.[1]}
        data-testid="schedule-recipients"
      />
    </CrudFormModal>
  );
}

function Runs({ schedule }: { schedule: ReportSchedule }) {
  const { t } = useTranslation();
  const runs = useKeysetList<ReportRun>([...key, 'runs', schedule.id], `/api/v1/report-schedules/${schedule.id}/runs`, { limit: 50 });
  if (runs.isPending) return null;
  if (runs.items.length === 0) return <EmptyState message={t('reports.schedules.noRuns')} />;
  return (
    <>
      <Table data-testid="schedule-runs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('reports.schedules.occurrence')}</Table.Th>
            <Table.Th>{t('reports.schedules.result')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {runs.items.map((r) => (
            <Table.Tr key={r.id}>
              <Table.Td>{new Date(r.occurrence).toLocaleString()}</Table.Td>
              <Table.Td>
                <Badge color={r.status === 'sent' ? 'green' : 'red'} variant="light">
                  {t(`reports.schedules.status.${r.status}`)}
                </Badge>{' '}
                {r.error ??
                  (r.file
                    ? `${r.file.name} (${Math.ceil(r.file.size / 1024)} KB${r.file.attached ? '' : `, ${t('reports.schedules.byLink')}`})`
                    : '')}
                {r.skipped > 0 && (
                  <Text size="xs" c="dimmed">
                    {t('reports.schedules.skipped', { count: r.skipped })}
                  </Text>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <LoadMore hasNextPage={runs.hasNextPage} isFetchingNextPage={runs.isFetchingNextPage} fetchNextPage={runs.fetchNextPage} />
    </>
  );
}

export function SchedulesPanel() {
  const { t } = useTranslation();
  const zone = useCompanyZone();
  const list = useCrudList<ReportSchedule>({ key, path: '/api/v1/report-schedules', limit: 50 });
  const editing = useEditing<ReportSchedule>();
  const history = useEditing<ReportSchedule>();
  const toggle = useCrudSave({
    invalidate: key,
    message: (s: ReportSchedule) => (s.active ? t('reports.schedules.resumed') : t('reports.schedules.paused')),
    save: (s: ReportSchedule) => patch<ReportSchedule>(`/api/v1/report-schedules/${s.id}`, { active: !s.active }),
  });
  const remove = useCrudDelete({
    invalidate: key,
    message: t('reports.schedules.deleted'),
    remove: (s: ReportSchedule) => del(`/api/v1/report-schedules/${s.id}`),
  });
  return (
    <Stack>
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {t('reports.schedules.hint', { zone })}
        </Text>
        <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => editing.open('new')} data-testid="schedule-new">
          {t('reports.schedules.new')}
        </Button>
      </Group>
      <ErrorAlert error={list.error} />
      {!list.isPending && list.items.length === 0 && <EmptyState message={t('reports.schedules.none')} />}
      {list.items.length > 0 && (
        <ScrollArea type="auto">
          <Table miw={760} data-testid="schedule-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('reports.schedules.name')}</Table.Th>
                <Table.Th>{t('reports.schedules.when')}</Table.Th>
                <Table.Th>{t('reports.schedules.nextRun')}</Table.Th>
                <Table.Th>{t('reports.schedules.lastRun')}</Table.Th>
                <Table.Th>{t('reports.schedules.active')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.items.map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {s.name}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {t(`reports.tabs.${s.report}`)} · {s.format.toUpperCase()} · {s.recipients.join(', ')}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      {(PRESETS as readonly string[]).includes(s.rrule)
                        ? t(`reports.schedules.presets.${PRESETS.indexOf(s.rrule as (typeof PRESETS)[number])}`)
                        : s.rrule}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {s.time} {s.timezone}
                    </Text>
                  </Table.Td>
                  <Table.Td>{s.nextRunAt && s.active ? new Date(s.nextRunAt).toLocaleString() : '—'}</Table.Td>
                  <Table.Td>
                    {s.lastRun ? (
                      <Tooltip label={s.lastRun.error ?? new Date(s.lastRun.occurrence).toLocaleString()} multiline maw={320}>
                        <Badge color={s.lastRun.status === 'sent' ? 'green' : 'red'} variant="light">
                          {t(`reports.schedules.status.${s.lastRun.status}`)}
                        </Badge>
                      </Tooltip>
                    ) : (
                      '—'
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Switch
                      checked={s.active}
                      onChange={() => toggle.mutate(s)}
                      aria-label={t('reports.schedules.activeOf', { name: s.name })}
                    />
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap" justify="flex-end">
                      <ActionIcon
                        variant="subtle"
                        onClick={() => history.open(s)}
                        aria-label={t('reports.schedules.runsOf', { name: s.name })}
                      >
                        <IconHistory size={16} aria-hidden />
                      </ActionIcon>
                      <ActionIcon
                        variant="subtle"
                        onClick={() => editing.open(s)}
                        aria-label={t('reports.schedules.editOf', { name: s.name })}
                      >
                        <IconEdit size={16} aria-hidden />
                      </ActionIcon>
                      <DeleteButton
                        label={t('reports.schedules.deleteOf', { name: s.name })}
                        title={t('reports.schedules.deleteTitle')}
                        message={t('reports.schedules.confirmDelete', { name: s.name })}
                        onConfirm={() => remove.mutate(s)}
                      />
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      )}
      <LoadMore hasNextPage={list.hasNextPage} isFetchingNextPage={list.isFetchingNextPage} fetchNextPage={list.fetchNextPage} />
      {editing.editing && <ScheduleForm current={editing.current} onClose={editing.close} />}
      <Drawer
        opened={!!history.current}
        onClose={history.close}
        position="right"
        size="lg"
        title={history.current ? t('reports.schedules.runsOf', { name: history.current.name }) : ''}
      >
        {history.current && <Runs schedule={history.current} />}
      </Drawer>
    </Stack>
  );
}
