// The ticket's fields: read-only facts, and (with can.update) an editor that saves with If-Match.
// A 409 stale_version means someone else saved first: say so, reload, and keep nothing stale.
import { Button, Checkbox, Group, Paper, Select, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ApiError, api } from '../../lib/api';
import { useFormatDate } from '../../lib/format';
import { applyFieldErrors } from '../../lib/forms';
import { useCompanyZone } from '../../lib/useCompanyZone';
import { useMe } from '../../lib/useMe';
import { spanIn } from '../schedule/time';
import { instantToWallClock, wallClockToInstant } from '../../../shared/time';
import { ticketKey, ticketsKey, useCategories, useProjects } from './api';
import { dueFromDate } from './NewTicketPage';
import { PRIORITIES, TICKET_KINDS as KINDS, TICKET_TITLE_MAX } from '../../../shared/contracts/enums';
import type { Ticket, TicketAnswer } from '../../../shared/contracts/tickets';

interface Values {
  title: string;
  description: string;
  kind: string;
  priority: string;
  categoryId: string | null;
  projectId: string | null;
  dueAt: string;
  costCode: string;
  failure: boolean;
  downtimeStartedAt: string;
  downtimeEndedAt: string;
}

/** The due instant as the company's calendar date, the value its date input shows. */
function toDateInput(iso: string | null, zone: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : instantToWallClock(d, zone).date;
}

/** An instant as the company-zone wall clock a datetime-local input shows ("2026-04-10T09:30"). */
function toDateTimeInput(iso: string | null, zone: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const w = instantToWallClock(d, zone);
  return `${w.date}T${w.time.slice(0, 5)}`;
}

/** A datetime-local value read as the company zone's wall clock; '' is no time. */
function fromDateTimeInput(value: string, zone: string): string | null {
  if (!value) return null;
  const [date, time] = value.split('T');
  return wallClockToInstant(date, (time ?? '00:00').slice(0, 5), zone).toISOString();
}

const valuesOf = (ticket: Ticket, zone: string): Values => ({
  title: ticket.title,
  description: ticket.description ?? '',
  kind: ticket.kind,
  priority: ticket.priority,
  categoryId: ticket.category?.id ?? null,
  projectId: ticket.project?.id ?? null,
  dueAt: toDateInput(ticket.dueAt, zone),
  costCode: ticket.costCode ?? '',
  failure: ticket.failure,
  downtimeStartedAt: toDateTimeInput(ticket.downtimeStartedAt, zone),
  downtimeEndedAt: toDateTimeInput(ticket.downtimeEndedAt, zone),
});

export function Facts({ ticket }: { ticket: Ticket }) {
  const { t, i18n } = useTranslation();
  const fmt = useFormatDate();
  const zone = useMe().user.timezone || 'UTC';
  const rows: [string, string][] = [
    [t('tickets.fields.kind'), t(`tickets.kinds.${ticket.kind}`)],
    [t('tickets.fields.category'), ticket.category?.name ?? '—'],
    [t('tickets.fields.requester'), ticket.requester?.name ?? (ticket.contact ? `${ticket.contact.name}${ticket.contact.email ? ` <${ticket.contact.email}>` : ''}` : '—')],
    [t('tickets.fields.assignee'), ticket.assignee?.name ?? t('tickets.unassigned')],
    [t('tickets.fields.team'), ticket.team?.name ?? '—'],
    [t('tickets.fields.department'), ticket.department?.name ?? '—'],
    [t('tickets.fields.project'), ticket.project?.name ?? '—'],
    [t('tickets.fields.due'), ticket.dueAt ? fmt(ticket.dueAt) : '—'],
    // The window of its job on the schedule (in your zone), when it has one.
    ...(ticket.scheduledStart && ticket.scheduledEnd
      ? ([[t('tickets.fields.scheduled'), spanIn(ticket.scheduledStart, ticket.scheduledEnd, zone, i18n.language)]] as [string, string][])
      : []),
    ...(ticket.costCode ? ([[t('tickets.fields.costCode'), ticket.costCode]] as [string, string][]) : []),
    ...(ticket.failure
      ? ([
          [
            t('tickets.fields.failure'),
            ticket.downtimeStartedAt
              ? t('tickets.downtimeWindow', { from: fmt(ticket.downtimeStartedAt), to: ticket.downtimeEndedAt ? fmt(ticket.downtimeEndedAt) : t('tickets.stillDown') })
              : t('tickets.failureNoWindow'),
          ],
        ] as [string, string][])
      : []),
    [t('tickets.fields.source'), t(`tickets.sources.${ticket.source}`, { defaultValue: ticket.source })],
    [t('tickets.fields.created'), fmt(ticket.createdAt)],
    [t('tickets.fields.updated'), fmt(ticket.updatedAt)],
  ];
  if (ticket.resolvedAt) rows.push([t('tickets.fields.resolvedAt'), fmt(ticket.resolvedAt)]);
  if (ticket.closedAt) rows.push([t('tickets.fields.closedAt'), fmt(ticket.closedAt)]);
  if (ticket.tags.length) rows.push([t('tickets.fields.tags'), ticket.tags.join(', ')]);
  return (
    <Paper withBorder p="sm">
      <Title order={2} size="h5" mb="xs">
        {t('tickets.details')}
      </Title>
      <Stack gap={6} component="dl" m={0} data-testid="ticket-facts">
        {rows.map(([label, value]) => (
          <Group key={label} gap="xs" justify="space-between" wrap="nowrap" align="flex-start">
            <Text component="dt" size="sm" c="dimmed">
              {label}
            </Text>
            <Text component="dd" size="sm" m={0} ta="right" style={{ overflowWrap: 'anywhere' }}>
              {value}
            </Text>
          </Group>
        ))}
      </Stack>
    </Paper>
  );
}

export function TicketEditor({
  answer,
  onCancel,
  onDirtyChange,
}: {
  answer: TicketAnswer;
  onCancel: () => void;
  onDirtyChange: (dirty: boolean) => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const categories = useCategories();
  const projects = useProjects();
  const { ticket } = answer;
  const zone = useCompanyZone();
  const form = useForm<Values>({
    initialValues: valuesOf(ticket, zone),
    validate: {
      title: (v) => (!v.trim() ? t('validation.required') : v.trim().length > TICKET_TITLE_MAX ? t('tickets.titleTooLong', { max: TICKET_TITLE_MAX }) : null),
    },
  });
  const dirty = form.isDirty();
  // biome-ignore lint/correctness/useExhaustiveDependencies: report only changes
  useEffect(() => onDirtyChange(dirty), [dirty]);

  const save = useMutation({
    mutationFn: (v: Values) => {
      const initial = valuesOf(ticket, zone);
      const body: Record<string, unknown> = {};
      if (v.title !== initial.title) body.title = v.title.trim();
      if (v.description !== initial.description) body.description = v.description;
      if (v.kind !== initial.kind) body.kind = v.kind;
      if (v.priority !== initial.priority) body.priority = v.priority;
      if (v.categoryId !== initial.categoryId) body.categoryId = v.categoryId;
      if (v.projectId !== initial.projectId) body.projectId = v.projectId;
      if (v.dueAt !== initial.dueAt) body.dueAt = dueFromDate(v.dueAt, zone);
      if (v.costCode !== initial.costCode) body.costCode = v.costCode.trim() || null;
      if (v.failure !== initial.failure) body.failure = v.failure;
      if (v.downtimeStartedAt !== initial.downtimeStartedAt) body.downtimeStartedAt = fromDateTimeInput(v.downtimeStartedAt, zone);
      if (v.downtimeEndedAt !== initial.downtimeEndedAt) body.downtimeEndedAt = fromDateTimeInput(v.downtimeEndedAt, zone);
      return api<TicketAnswer>(`/api/v1/tickets/${ticket.number}`, {
        method: 'PATCH',
        body,
        headers: { 'if-match': String(ticket.version) },
      });
    },
    onSuccess: (next) => {
      queryClient.setQueryData(ticketKey(ticket.number), next);
      void queryClient.invalidateQueries({ queryKey: ticketsKey });
      void queryClient.invalidateQueries({ queryKey: ['ticket-history', String(ticket.number)] });
      notifications.show({ color: 'green', message: t('tickets.saved') });
      onDirtyChange(false);
      onCancel();
    },
    onError: async (error) => {
      if (error instanceof ApiError && (error.code === 'stale_version' || error.status === 409)) {
        notifications.show({ color: 'yellow', message: t('tickets.staleReloaded'), autoClose: 8000 });
        const fresh = await queryClient.fetchQuery({
          queryKey: ticketKey(ticket.number),
          queryFn: () => api<TicketAnswer>(`/api/v1/tickets/${ticket.number}`),
          staleTime: 0,
        });
        form.setValues(valuesOf(fresh.ticket, zone));
        form.resetDirty(valuesOf(fresh.ticket, zone));
        save.reset();
        return;
      }
      applyFieldErrors(form, error);
    },
  });

  return (
    <Paper withBorder p="sm" mb="md">
      <form data-testid="ticket-edit-form" noValidate onSubmit={form.onSubmit((v) => save.mutate(v))}>
        <Stack>
          <ErrorAlert error={save.error} skipFieldErrors />
          <TextInput
            label={t('tickets.fields.title')}
            required
            description={t('tickets.titleLimit', { count: form.values.title.trim().length, max: TICKET_TITLE_MAX })}
            {...form.getInputProps('title')}
          />
          <Textarea
            label={t('tickets.fields.description')}
            autosize
            minRows={3}
            maxRows={16}
            {...form.getInputProps('description')}
          />
          <SimpleGrid cols={{ base: 1, xs: 2 }}>
            <Select
              label={t('tickets.fields.kind')}
              data={KINDS.map((k) => ({ value: k, label: t(`tickets.kinds.${k}`) }))}
              allowDeselect={false}
              {...form.getInputProps('kind')}
            />
            <Select
              label={t('tickets.fields.priority')}
              data={PRIORITIES.map((p) => ({ value: p, label: t(`tickets.priorities.${p}`) }))}
              allowDeselect={false}
              {...form.getInputProps('priority')}
            />
            <Select
              label={t('tickets.fields.category')}
              data={(categories.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
              clearable
              searchable
              {...form.getInputProps('categoryId')}
            />
            <TextInput type="date" label={t('tickets.fields.due')} {...form.getInputProps('dueAt')} />
            {projects.data ? (
              <Select
                label={t('tickets.fields.project')}
                data={projects.data.items.map((p) => ({ value: p.id, label: p.name }))}
                clearable
                searchable
                {...form.getInputProps('projectId')}
              />
            ) : null}
            <TextInput label={t('tickets.fields.costCode')} maxLength={60} {...form.getInputProps('costCode')} />
          </SimpleGrid>
          <Checkbox
            label={t('tickets.fields.failure')}
            description={t('tickets.failureHint')}
            {...form.getInputProps('failure', { type: 'checkbox' })}
          />
          {form.values.failure && (
            <SimpleGrid cols={{ base: 1, xs: 2 }}>
              <TextInput type="datetime-local" label={t('tickets.fields.downtimeStartedAt')} {...form.getInputProps('downtimeStartedAt')} />
              <TextInput type="datetime-local" label={t('tickets.fields.downtimeEndedAt')} {...form.getInputProps('downtimeEndedAt')} />
            </SimpleGrid>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onCancel}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} disabled={!dirty}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
