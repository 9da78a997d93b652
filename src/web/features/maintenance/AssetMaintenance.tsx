// The "Maintenance" panel of the asset page: its plans with the next due date and the open work
// order, "generate now", pause/resume, the history of generated work orders, and a new plan form.
import {
  Anchor,
  Badge,
  Button,
  Collapse,
  Group,
  NumberInput,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPlus, IconTool } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PRIORITIES } from '../../../shared/contracts/enums';
import { ConfirmButton } from '../../components/ConfirmButton';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert, errorMessage } from '../../components/ErrorAlert';
import { PageLoader } from '../../components/PageLoader';
import { useFormatDate } from '../../lib/format';
import { TicketPersonSelect } from '../tickets/pickers';
import { MeterTriggerFields, type MeterTriggerValue, meterRule, meterTriggerBody, meterTriggerOf } from './MeterTriggerFields';
import {
  type Plan,
  useAssetPlans,
  useTeamsAndCategories,
  useCreatePlan,
  useDeletePlan,
  useGenerate,
  usePlanPatch,
  useWorkOrders,
} from './api';
import { PlanDue } from './PlanDue';

function History({ plan }: { plan: Plan }) {
  const { t } = useTranslation();
  const fmt = useFormatDate();
  const list = useWorkOrders(plan.id, true);
  if (list.isPending) return <PageLoader />;
  if (list.isError) return <ErrorAlert error={list.error} onRetry={() => list.refetch()} />;
  if (!list.data.items.length)
    return (
      <Text size="sm" c="dimmed">
        {t('maintenance.noWorkOrders')}
      </Text>
    );
  return (
    <Table.ScrollContainer minWidth={360}>
      <Table data-testid={`plan-history-${plan.id}`}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('maintenance.fields.due')}</Table.Th>
            <Table.Th>{t('maintenance.fields.workOrder')}</Table.Th>
            <Table.Th>{t('maintenance.fields.status')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {list.data.items.map((w) => (
            <Table.Tr key={`${w.dueAt}-${w.createdAt}`}>
              <Table.Td>{fmt(w.dueAt, false)}</Table.Td>
              <Table.Td>
                {w.ticketNumber ? (
                  <Anchor component={Link} to={`/tickets/${w.ticketNumber}`}>
                    #{w.ticketNumber}
                  </Anchor>
                ) : (
                  '—'
                )}
                {w.manual ? (
                  <Badge ml={6} variant="light">
                    {t('maintenance.manual')}
                  </Badge>
                ) : null}
                {w.late ? (
                  <Badge ml={6} color="orange" variant="light">
                    {t('maintenance.late')}
                  </Badge>
                ) : null}
              </Table.Td>
              <Table.Td>{w.status ? t(`tickets.statuses.${w.status}`, { defaultValue: w.status }) : '—'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function PlanCard({ plan, assetId }: { plan: Plan; assetId: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [editing, setEditing] = useState(false);
  const generate = useGenerate(assetId);
  const patchPlan = usePlanPatch(assetId);
  const remove = useDeletePlan(assetId);
  const trigger = plan.trigger;
  const rule =
    trigger.type === 'interval'
      ? t('maintenance.every', { count: trigger.every, unit: t(`maintenance.units.${trigger.unit}`, { count: trigger.every }) }) +
        ` · ${t(`maintenance.from.${trigger.from}`)}`
      : meterRule(t, trigger);
  return (
    <Paper withBorder p="sm" data-testid={`plan-${plan.id}`}>
      <Group justify="space-between" align="flex-start" gap="xs">
        <Stack gap={2}>
          <Text fw={600}>{plan.title}</Text>
          <Text size="sm" c="dimmed">
            {rule}
            {plan.leadDays ? ` · ${t('maintenance.leadDays', { count: plan.leadDays })}` : ''}
          </Text>
          <Group gap={6}>
            <Text size="sm">{t('maintenance.fields.nextDue')}:</Text>
            <PlanDue plan={plan} />
            {plan.overdue ? (
              <Badge color="red" variant="light">
                {t('maintenance.overdue')}
              </Badge>
            ) : null}
            {!plan.active ? (
              <Badge color="gray" variant="light">
                {t('maintenance.paused')}
              </Badge>
            ) : null}
          </Group>
          {plan.openWorkOrder ? (
            <Text size="sm">
              {t('maintenance.openWorkOrder')}{' '}
              <Anchor component={Link} to={`/tickets/${plan.openWorkOrder}`} data-testid={`plan-open-wo-${plan.id}`}>
                #{plan.openWorkOrder}
              </Anchor>
            </Text>
          ) : null}
        </Stack>
        <Group gap="xs">
          <Button
            size="xs"
            leftSection={<IconTool size={14} aria-hidden />}
            loading={generate.isPending}
            onClick={() =>
              generate.mutate(plan.id, {
                onSuccess: (a) => notifications.show({ color: 'green', message: t('maintenance.generated', { number: a.ticket.number }) }),
                onError: (e) => notifications.show({ color: 'red', message: errorMessage(t, e) }),
              })
            }
            data-testid={`plan-generate-${plan.id}`}
          >
            {t('maintenance.generate')}
          </Button>
          <Switch
            size="sm"
            checked={plan.active}
            label={plan.active ? t('maintenance.active') : t('maintenance.paused')}
            onChange={(e) => patchPlan.mutate({ id: plan.id, body: { active: e.currentTarget.checked } })}
          />
          <Button size="xs" variant="default" onClick={() => setEditing((e) => !e)} data-testid={`plan-edit-${plan.id}`}>
            {t('common.edit')}
          </Button>
          <Button size="xs" variant="default" onClick={() => setOpen((o) => !o)} data-testid={`plan-history-toggle-${plan.id}`}>
            {t('maintenance.history')}
          </Button>
          <ConfirmButton
            size="xs"
            variant="subtle"
            title={t('maintenance.deletePlanTitle')}
            message={t('maintenance.deletePlanMessage')}
            onConfirm={() => remove.mutate(plan.id)}
          >
            {t('common.delete')}
          </ConfirmButton>
        </Group>
      </Group>
      {editing ? (
        <Stack mt="sm">
          <PlanForm assetId={assetId} plan={plan} onDone={() => setEditing(false)} />
        </Stack>
      ) : null}
      <Collapse expanded={open}>{open ? <History plan={plan} /> : null}</Collapse>
    </Paper>
  );
}

/** The plan form: a new interval plan, or the edit of one (only what changed is sent; a new trigger re-plans from today). */
function PlanForm({ assetId, plan, onDone }: { assetId: string; plan?: Plan; onDone: () => void }) {
  const { t } = useTranslation();
  const create = useCreatePlan(assetId);
  const edit = usePlanPatch(assetId);
  const save = plan ? edit : create;
  const interval = plan?.trigger.type === 'interval' ? plan.trigger : null;
  const [title, setTitle] = useState(plan?.title ?? '');
  const [every, setEvery] = useState<number | string>(interval?.every ?? 1);
  const [unit, setUnit] = useState<string>(interval?.unit ?? 'month');
  const [from, setFrom] = useState<string>(interval?.from ?? 'schedule');
  const [startsOn, setStartsOn] = useState(interval?.startsOn ?? '');
  const [leadDays, setLeadDays] = useState<number | string>(plan?.leadDays ?? 0);
  const [priority, setPriority] = useState<string>(plan?.template.priority ?? 'medium');
  const [tasks, setTasks] = useState((plan?.template.tasks ?? []).map((x) => x.title).join('\n'));
  const [assigneeId, setAssigneeId] = useState<string | null>(plan?.template.assigneeId ?? null);
  const [teamId, setTeamId] = useState<string | null>(plan?.template.teamId ?? null);
  const [triggerType, setTriggerType] = useState<'interval' | 'meter' | 'threshold'>(plan?.trigger.type ?? 'interval');
  const [meterTrigger, setMeterTrigger] = useState<MeterTriggerValue>(meterTriggerOf(plan));
  const { teams } = useTeamsAndCategories();
  const submit = () => {
    const trigger =
      triggerType === 'interval'
        ? { type: 'interval', every: Number(every), unit, from, ...(startsOn ? { startsOn } : {}) }
        : meterTriggerBody(triggerType, meterTrigger);
    const template = {
      priority,
      assigneeId,
      teamId,
      description: plan?.template.description ?? '',
      parts: (plan?.template.parts ?? []).map((x) => ({ partId: x.partId, quantity: x.quantity })),
      tasks: tasks
        .split('\n')
        .map((s) => s.trim())
        .filter(Boolean)
        .map((s) => ({ title: s })),
    };
    const sameTrigger =
      triggerType === 'interval'
        ? !!interval && interval.every === Number(every) && interval.unit === unit && interval.from === from && interval.startsOn === startsOn
        : JSON.stringify(plan?.trigger) === JSON.stringify(trigger);
    if (plan) {
      edit.mutate(
        {
          id: plan.id,
          body: { title, leadDays: Number(leadDays) || 0, template, ...(sameTrigger ? {} : { trigger }), version: plan.version },
        },
        { onSuccess: onDone },
      );
    } else {
      create.mutate({ title, trigger, leadDays: Number(leadDays) || 0, template }, { onSuccess: onDone });
    }
  };
  return (
    <Paper withBorder p="sm">
      <Stack gap="xs">
        {save.isError ? <ErrorAlert error={save.error} /> : null}
        <TextInput
          label={t('maintenance.fields.title')}
          required
          value={title}
          onChange={(e) => setTitle(e.currentTarget.value)}
          data-testid="plan-title"
        />
        <SegmentedControl
          value={triggerType}
          onChange={(v) => setTriggerType(v as 'interval' | 'meter' | 'threshold')}
          data={(['interval', 'meter', 'threshold'] as const).map((x) => ({ value: x, label: t(`maintenance.trigger.${x}`) }))}
          aria-label={t('maintenance.triggerType')}
          data-testid="plan-trigger-type"
        />
        {triggerType !== 'interval' ? (
          <MeterTriggerFields assetId={assetId} type={triggerType} value={meterTrigger} onChange={setMeterTrigger} />
        ) : null}
        <Group grow align="flex-start" display={triggerType === 'interval' ? undefined : 'none'}>
          <NumberInput
            label={t('maintenance.fields.every')}
            min={1}
            max={1000}
            value={every}
            onChange={setEvery}
            data-testid="plan-every"
          />
          <Select
            label={t('maintenance.fields.unit')}
            data={['day', 'week', 'month'].map((u) => ({ value: u, label: t(`maintenance.units.${u}`, { count: 2 }) }))}
            value={unit}
            onChange={(v) => v && setUnit(v)}
            allowDeselect={false}
            data-testid="plan-unit"
          />
        </Group>
        <Group grow align="flex-start" display={triggerType === 'interval' ? undefined : 'none'}>
          <Select
            label={t('maintenance.fields.countFrom')}
            data={['schedule', 'completion'].map((f) => ({ value: f, label: t(`maintenance.from.${f}`) }))}
            value={from}
            onChange={(v) => v && setFrom(v)}
            allowDeselect={false}
          />
          <TextInput
            label={t('maintenance.fields.startsOn')}
            type="date"
            value={startsOn}
            onChange={(e) => setStartsOn(e.currentTarget.value)}
          />
        </Group>
        <Group grow align="flex-start">
          <NumberInput label={t('maintenance.fields.leadDays')} min={0} max={365} value={leadDays} onChange={setLeadDays} />
          <Select
            label={t('maintenance.fields.priority')}
            data={PRIORITIES.map((p) => ({ value: p, label: t(`tickets.priorities.${p}`, { defaultValue: p }) }))}
            value={priority}
            onChange={(v) => v && setPriority(v)}
            allowDeselect={false}
          />
        </Group>
        <Group grow align="flex-start">
          <TicketPersonSelect kind="assignees" label={t('maintenance.fields.assignee')} value={assigneeId} onChange={setAssigneeId} />
          <Select label={t('maintenance.fields.team')} data={teams} value={teamId} onChange={setTeamId} clearable searchable />
        </Group>
        <Textarea
          label={t('maintenance.fields.tasksPerLine')}
          autosize
          minRows={2}
          value={tasks}
          onChange={(e) => setTasks(e.currentTarget.value)}
          data-testid="plan-tasks"
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button onClick={submit} loading={save.isPending} data-testid="plan-save">
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

export function AssetMaintenance({ assetId }: { assetId: string }) {
  const { t } = useTranslation();
  const plans = useAssetPlans(assetId);
  const [adding, setAdding] = useState(false);
  if (plans.isPending) return <PageLoader />;
  if (plans.isError) return <ErrorAlert error={plans.error} onRetry={() => plans.refetch()} />;
  return (
    <Stack gap="sm" data-testid="asset-maintenance">
      {plans.data.items.length === 0 && !adding ? <EmptyState message={t('maintenance.noPlans')} /> : null}
      {plans.data.items.map((p) => (
        <PlanCard key={p.id} plan={p} assetId={assetId} />
      ))}
      {adding ? (
        <PlanForm assetId={assetId} onDone={() => setAdding(false)} />
      ) : (
        <Button
          variant="light"
          leftSection={<IconPlus size={16} aria-hidden />}
          onClick={() => setAdding(true)}
          w="fit-content"
          data-testid="add-plan"
        >
          {t('maintenance.addPlan')}
        </Button>
      )}
    </Stack>
  );
}
