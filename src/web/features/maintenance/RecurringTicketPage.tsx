// The recurring-ticket editor: the template (kind, priority, category, team, description, tasks),
// the schedule (a preset or custom RRULE text, time of day, zone, first day) with the next ten
// occurrences previewed live by the server, pause/resume, and the runs with their tickets.
import {
  ActionIcon,
  Anchor,
  Badge,
  Button,
  Grid,
  Group,
  Paper,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { PRIORITIES, TICKET_KINDS } from '../../../shared/contracts/enums';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ErrorAlert, errorMessage } from '../../components/ErrorAlert';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { PageLoader } from '../../components/PageLoader';
import { useCompanyZone } from '../../lib/useCompanyZone';
import { useFormatDate } from '../../lib/format';
import { useKeysetList } from '../../lib/lists';
import { AssetMultiPicker, TicketPersonSelect } from '../tickets/pickers';
import {
  PRESETS,
  presetOf,
  type RecurringRun,
  type RecurringTicket,
  recurringKey,
  useDeleteRecurring,
  useOccurrencePreview,
  useRecurring,
  useSaveRecurring,
  useTeamsAndCategories,
} from './api';

interface Form {
  title: string;
  kind: string;
  priority: string;
  categoryId: string | null;
  teamId: string | null;
  assigneeId: string | null;
  assetIds: string[];
  description: string;
  tasks: Array<{ key: number; title: string }>;
  preset: string;
  rrule: string;
  time: string;
  timezone: string;
  startsOn: string;
  active: boolean;
}

let keySeq = 0;
const nextKey = () => ++keySeq;

const fromRule = (r: RecurringTicket): Form => ({
  title: r.title,
  kind: r.kind,
  priority: r.priority,
  categoryId: r.categoryId,
  teamId: r.teamId,
  assigneeId: r.assigneeId,
  assetIds: r.assetIds,
  description: r.description,
  tasks: r.tasks.map((x) => ({ key: nextKey(), title: x.title })),
  preset: presetOf(r.rrule),
  rrule: r.rrule,
  time: r.time,
  timezone: r.timezone,
  startsOn: r.startsOn,
  active: r.active,
});

export function RecurringTicketPage() {
  const { id } = useParams();
  const rule = useRecurring(id);
  if (id && rule.isPending) return <PageLoader />;
  if (id && rule.isError) return <ErrorAlert error={rule.error} onRetry={() => rule.refetch()} />;
  return <Editor key={rule.data?.id ?? 'new'} rule={rule.data ?? null} />;
}

function Editor({ rule }: { rule: RecurringTicket | null }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const zone = useCompanyZone();
  const fmt = useFormatDate();
  const { teams, categories } = useTeamsAndCategories();
  const [form, setForm] = useState<Form>(
    rule
      ? fromRule(rule)
      : {
          title: '',
          kind: 'work_order',
          priority: 'medium',
          categoryId: null,
          teamId: null,
          assigneeId: null,
          assetIds: [],
          description: '',
          tasks: [],
          preset: 'weekly',
          rrule: PRESETS[2].rrule,
          time: '07:30',
          timezone: '',
          startsOn: '',
          active: true,
        },
  );
  useEffect(() => {
    if (!rule && !form.timezone && zone) setForm((f) => ({ ...f, timezone: zone }));
  }, [zone, rule, form.timezone]);
  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm((f) => ({ ...f, [key]: value }));
  const [schedule] = useDebouncedValue(
    { rrule: form.rrule, time: form.time, timezone: form.timezone || zone, startsOn: form.startsOn },
    300,
  );
  const preview = useOccurrencePreview(schedule, schedule.rrule.trim() !== '' && /^\d{2}:\d{2}$/.test(schedule.time));
  const save = useSaveRecurring(rule?.id);
  const remove = useDeleteRecurring();
  const runs = useKeysetList<RecurringRun>(
    [...recurringKey, rule?.id, 'runs'],
    `/api/v1/recurring-tickets/${rule?.id}/runs`,
    { limit: 50 },
    !!rule,
  );

  const submit = () => {
    const body = {
      title: form.title,
      kind: form.kind,
      priority: form.priority,
      categoryId: form.categoryId,
      teamId: form.teamId,
      assigneeId: form.assigneeId,
      assetIds: form.assetIds,
      description: form.description,
      tasks: form.tasks
        .map((x) => x.title.trim())
        .filter(Boolean)
        .map((title) => ({ title })),
      rrule: form.rrule,
      time: form.time,
      timezone: form.timezone || zone,
      ...(form.startsOn ? { startsOn: form.startsOn } : {}),
      active: form.active,
      ...(rule ? { version: rule.version } : {}),
    };
    save.mutate(body, {
      onSuccess: (saved) => {
        notifications.show({ color: 'green', message: t('maintenance.recurring.saved') });
        if (!rule) navigate(`/recurring-tickets/${saved.id}`, { replace: true });
      },
      onError: (error) => notifications.show({ color: 'red', message: errorMessage(t, error) }),
    });
  };

  return (
    <>
      <PageHeader
        title={rule ? rule.title : t('maintenance.recurring.new')}
        description={
          rule?.nextRunAt
            ? t('maintenance.recurring.nextRun', { when: fmt(rule.nextRunAt) })
            : rule && !rule.active
              ? t('maintenance.paused')
              : undefined
        }
        actions={
          rule ? (
            <ConfirmButton
              variant="default"
              title={t('maintenance.recurring.deleteTitle')}
              message={t('maintenance.recurring.deleteMessage')}
              onConfirm={() => remove.mutate(rule.id, { onSuccess: () => navigate('/recurring-tickets') })}
              data-testid="delete-recurring"
            >
              {t('common.delete')}
            </ConfirmButton>
          ) : null
        }
      />
      {save.isError ? <ErrorAlert error={save.error} /> : null}
      <Grid>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Paper withBorder p="md">
            <Stack gap="sm">
              <TextInput
                label={t('maintenance.fields.title')}
                required
                value={form.title}
                onChange={(e) => set('title', e.currentTarget.value)}
                data-testid="recurring-title"
              />
              <Group grow align="flex-start">
                <Select
                  label={t('maintenance.fields.kind')}
                  data={TICKET_KINDS.map((k) => ({ value: k, label: t(`tickets.kinds.${k}`, { defaultValue: k }) }))}
                  value={form.kind}
                  onChange={(v) => v && set('kind', v)}
                  allowDeselect={false}
                />
                <Select
                  label={t('maintenance.fields.priority')}
                  data={PRIORITIES.map((p) => ({ value: p, label: t(`tickets.priorities.${p}`, { defaultValue: p }) }))}
                  value={form.priority}
                  onChange={(v) => v && set('priority', v)}
                  allowDeselect={false}
                />
              </Group>
              <Group grow align="flex-start">
                <Select
                  label={t('maintenance.fields.category')}
                  data={categories}
                  value={form.categoryId}
                  onChange={(v) => set('categoryId', v)}
                  clearable
                  searchable
                />
                <Select
                  label={t('maintenance.fields.team')}
                  data={teams}
                  value={form.teamId}
                  onChange={(v) => set('teamId', v)}
                  clearable
                  searchable
                />
              </Group>
              <Group grow align="flex-start">
                <TicketPersonSelect
                  kind="assignees"
                  label={t('maintenance.fields.assignee')}
                  value={form.assigneeId}
                  onChange={(v) => set('assigneeId', v)}
                />
                <AssetMultiPicker label={t('maintenance.fields.assets')} value={form.assetIds} onChange={(ids) => set('assetIds', ids)} />
              </Group>
              <Textarea
                label={t('maintenance.fields.description')}
                autosize
                minRows={2}
                value={form.description}
                onChange={(e) => set('description', e.currentTarget.value)}
              />
              <Stack gap={4}>
                <Text size="sm" fw={500}>
                  {t('maintenance.fields.tasks')}
                </Text>
                {form.tasks.map((task, i) => (
                  <Group key={task.key} gap="xs" wrap="nowrap">
                    <TextInput
                      style={{ flex: 1 }}
                      aria-label={t('maintenance.fields.task', { n: i + 1 })}
                      value={task.title}
                      onChange={(e) => {
                        const value = e.currentTarget.value;
                        setForm((f) => ({ ...f, tasks: f.tasks.map((x, j) => (j === i ? { ...x, title: value } : x)) }));
                      }}
                      data-testid={`recurring-task-${i}`}
                    />
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      aria-label={t('common.delete')}
                      onClick={() => setForm((f) => ({ ...f, tasks: f.tasks.filter((_, j) => j !== i) }))}
                    >
                      <IconTrash size={16} aria-hidden />
                    </ActionIcon>
                  </Group>
                ))}
                <Button
                  variant="subtle"
                  size="xs"
                  leftSection={<IconPlus size={14} aria-hidden />}
                  onClick={() => set('tasks', [...form.tasks, { key: nextKey(), title: '' }])}
                  w="fit-content"
                  data-testid="add-task"
                >
                  {t('maintenance.addTask')}
                </Button>
              </Stack>
            </Stack>
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Paper withBorder p="md">
            <Stack gap="sm">
              <Title order={2} size="h4">
                {t('maintenance.fields.schedule')}
              </Title>
              <Select
                label={t('maintenance.fields.repeats')}
                data={[
                  ...PRESETS.map((p) => ({ value: p.key, label: t(`maintenance.presets.${p.key}`) })),
                  { value: 'custom', label: t('maintenance.presets.custom') },
                ]}
                value={form.preset}
                onChange={(v) => {
                  if (!v) return;
                  const preset = PRESETS.find((p) => p.key === v);
                  setForm((f) => ({ ...f, preset: v, rrule: preset ? preset.rrule : f.rrule }));
                }}
                allowDeselect={false}
                data-testid="recurring-preset"
              />
              <TextInput
                label={t('maintenance.fields.rrule')}
                description={t('maintenance.rruleHelp')}
                value={form.rrule}
                onChange={(e) => {
                  const value = e.currentTarget.value;
                  setForm((f) => ({ ...f, rrule: value, preset: presetOf(value.trim().toUpperCase()) }));
                }}
                data-testid="recurring-rrule"
              />
              <Group grow align="flex-start">
                <TextInput
                  label={t('maintenance.fields.time')}
                  type="time"
                  value={form.time}
                  onChange={(e) => set('time', e.currentTarget.value)}
                  data-testid="recurring-time"
                />
                <TextInput
                  label={t('maintenance.fields.startsOn')}
                  type="date"
                  value={form.startsOn}
                  onChange={(e) => set('startsOn', e.currentTarget.value)}
                />
              </Group>
              <TextInput
                label={t('maintenance.fields.timezone')}
                value={form.timezone}
                placeholder={zone}
                onChange={(e) => set('timezone', e.currentTarget.value)}
                data-testid="recurring-timezone"
              />
              <Switch
                label={form.active ? t('maintenance.activeHelp') : t('maintenance.pausedHelp')}
                checked={form.active}
                onChange={(e) => set('active', e.currentTarget.checked)}
                data-testid="recurring-active"
              />
              <Stack gap={2} data-testid="occurrence-preview">
                <Text size="sm" fw={500}>
                  {t('maintenance.nextOccurrences')}
                </Text>
                {preview.isError ? (
                  <Text size="sm" c="red" data-testid="preview-error">
                    {errorMessage(t, preview.error)}
                  </Text>
                ) : (
                  (preview.data?.items ?? []).map((iso) => (
                    <Text key={iso} size="sm" data-testid="occurrence">
                      {new Intl.DateTimeFormat(undefined, {
                        dateStyle: 'full',
                        timeStyle: 'short',
                        timeZone: preview.data?.timezone,
                      }).format(new Date(iso))}
                    </Text>
                  ))
                )}
              </Stack>
              <Button onClick={submit} loading={save.isPending} data-testid="save-recurring">
                {t('common.save')}
              </Button>
            </Stack>
          </Paper>
        </Grid.Col>
      </Grid>
      {rule ? (
        <Paper withBorder p="md" mt="md">
          <Title order={2} size="h4" mb="sm">
            {t('maintenance.runs')}
          </Title>
          {runs.items.length ? (
            <Table.ScrollContainer minWidth={420}>
              <Table data-testid="runs-list">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('maintenance.fields.occurrence')}</Table.Th>
                    <Table.Th>{t('maintenance.fields.ticket')}</Table.Th>
                    <Table.Th>{t('maintenance.fields.created')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {runs.items.map((r) => (
                    <Table.Tr key={r.occurrence}>
                      <Table.Td>{fmt(r.occurrence)}</Table.Td>
                      <Table.Td>
                        {r.ticketNumber ? (
                          <Anchor component={Link} to={`/tickets/${r.ticketNumber}`}>
                            #{r.ticketNumber}
                          </Anchor>
                        ) : (
                          '—'
                        )}
                      </Table.Td>
                      <Table.Td>
                        {fmt(r.createdAt)}
                        {r.late ? (
                          <Badge ml={6} color="orange" variant="light">
                            {t('maintenance.late')}
                          </Badge>
                        ) : null}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          ) : (
            <Text c="dimmed" size="sm">
              {t('maintenance.noRuns')}
            </Text>
          )}
          <LoadMore hasNextPage={!!runs.hasNextPage} isFetchingNextPage={runs.isFetchingNextPage} fetchNextPage={runs.fetchNextPage} />
        </Paper>
      ) : null}
    </>
  );
}
