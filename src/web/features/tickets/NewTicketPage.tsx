// Open a ticket: what, how urgent, which category (and whether it needs approval), optionally who.
import {
  Alert,
  Button,
  FileInput,
  Group,
  Paper,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { isDateOnly, wallClockToInstant } from '../../../shared/time';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { post, upload } from '../../lib/api';
import { applyFieldErrors } from '../../lib/forms';
import { useCompanyZone } from '../../lib/useCompanyZone';
import { useCan } from '../../lib/useCan';
import { useStepLabel } from '../categories/steps';
import { ticketsKey, useCategories, useProjects, useTeams } from './api';
import { AssetMultiPicker, TicketPersonSelect } from './pickers';
import { IconPaperclip } from '@tabler/icons-react';
import { errorMessage } from '../../components/ErrorAlert';
import { PRIORITIES, TICKET_KINDS as KINDS, TICKET_TITLE_MAX } from '../../../shared/contracts/enums';
import type { TicketAnswer } from '../../../shared/contracts/tickets';

interface Values {
  kind: string;
  title: string;
  description: string;
  categoryId: string | null;
  priority: string;
  dueAt: string;
  projectId: string | null;
  assigneeId: string | null;
  teamId: string | null;
  assetIds: string[];
  requesterId: string | null;
  files: File[];
}

/** A date input value (yyyy-mm-dd) as 17:00, the end of the working day, of that day in the company's zone. */
export function dueFromDate(value: string, zone: string): string | null {
  return isDateOnly(value) ? wallClockToInstant(value, '17:00', zone).toISOString() : null;
}

export function NewTicketPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const canAssign = useCan('tickets.assign');
  // Opening a ticket on behalf of someone else takes tickets.update (the server checks the same).
  const canOnBehalf = useCan('tickets.update');
  const categories = useCategories();
  const projects = useProjects();
  const teams = useTeams(canAssign);
  const stepLabel = useStepLabel();
  const zone = useCompanyZone();

  const form = useForm<Values>({
    initialValues: {
      kind: 'incident',
      title: '',
      description: '',
      categoryId: null,
      priority: 'medium',
      dueAt: '',
      projectId: null,
      assigneeId: null,
      teamId: null,
      assetIds: [],
      requesterId: null,
      files: [],
    },
    validate: {
      title: (v) => (!v.trim() ? t('validation.required') : v.trim().length > TICKET_TITLE_MAX ? t('tickets.titleTooLong', { max: TICKET_TITLE_MAX }) : null),
    },
  });

  const create = useMutation({
    mutationFn: async (v: Values) => {
      const body: Record<string, unknown> = {
        kind: v.kind,
        title: v.title.trim(),
        description: v.description,
        priority: v.priority,
      };
      if (v.categoryId) body.categoryId = v.categoryId;
      if (v.projectId) body.projectId = v.projectId;
      const due = dueFromDate(v.dueAt, zone);
      if (due) body.dueAt = due;
      if (canAssign && v.assigneeId) body.assigneeId = v.assigneeId;
      if (canAssign && v.teamId) body.teamId = v.teamId;
      if (v.assetIds.length) body.assetIds = v.assetIds;
      if (canOnBehalf && v.requesterId) body.requesterId = v.requesterId;
      const answer = await post<TicketAnswer>('/api/v1/tickets', body);
      // The files go up once the ticket exists; a refused file does not undo the ticket.
      const failed: string[] = [];
      for (const file of v.files) {
        const form = new FormData();
        form.append('file', file, file.name);
        try {
          await upload(`/api/v1/tickets/${answer.ticket.number}/attachments`, form);
        } catch (error) {
          failed.push(`${file.name}: ${errorMessage(t, error)}`);
        }
      }
      return { answer, failed };
    },
    onSuccess: ({ answer, failed }) => {
      notifications.show({
        color: 'green',
        message: t('tickets.created', { number: answer.ticket.number }),
      });
      if (failed.length) {
        notifications.show({ color: 'red', autoClose: 10_000, message: t('ticketLinks.filesFailed', { count: failed.length, message: failed.join('; ') }) });
      }
      void queryClient.invalidateQueries({ queryKey: ticketsKey });
      navigate(`/tickets/${answer.ticket.number}`);
    },
    onError: (error) => applyFieldErrors(form, error),
  });

  const activeCategories = (categories.data?.items ?? []).filter((c) => c.active !== false);
  const category = activeCategories.find((c) => c.id === form.values.categoryId);

  return (
    <>
      <PageHeader title={t('tickets.newTitle')} />
      <Paper withBorder p={{ base: 'sm', xs: 'lg' }} maw={760}>
        <form data-testid="ticket-form" noValidate onSubmit={form.onSubmit((v) => create.mutate(v))}>
          <Stack>
            <ErrorAlert error={create.error} skipFieldErrors />
            <Select
              label={t('tickets.fields.kind')}
              data={KINDS.map((k) => ({ value: k, label: t(`tickets.kinds.${k}`) }))}
              allowDeselect={false}
              {...form.getInputProps('kind')}
            />
            <TextInput
              label={t('tickets.fields.title')}
              required
              data-autofocus
              description={t('tickets.titleLimit', { count: form.values.title.trim().length, max: TICKET_TITLE_MAX })}
              {...form.getInputProps('title')}
            />
            <Textarea
              label={t('tickets.fields.description')}
              autosize
              minRows={4}
              maxRows={14}
              {...form.getInputProps('description')}
            />
            <Select
              label={t('tickets.fields.category')}
              placeholder={t('tickets.noCategory')}
              data={activeCategories.map((c) => ({ value: c.id, label: c.name }))}
              clearable
              searchable
              nothingFoundMessage={t('common.nothingFound')}
              {...form.getInputProps('categoryId')}
            />
            {category ? (
              <Alert
                color={category.approvalSteps.length ? 'yellow' : 'gray'}
                variant="light"
                data-testid="category-approval"
              >
                {category.approvalSteps.length
                  ? t('tickets.needsApproval', { chain: category.approvalSteps.map(stepLabel).join(' → ') })
                  : t('tickets.noApproval')}
                {category.description ? (
                  <Text size="sm" mt={4}>
                    {category.description}
                  </Text>
                ) : null}
              </Alert>
            ) : null}
            <Group grow align="flex-start" wrap="wrap" preventGrowOverflow={false}>
              <Select
                label={t('tickets.fields.priority')}
                data={PRIORITIES.map((p) => ({ value: p, label: t(`tickets.priorities.${p}`) }))}
                allowDeselect={false}
                style={{ flex: '1 1 160px' }}
                {...form.getInputProps('priority')}
              />
              <TextInput
                type="date"
                label={t('tickets.fields.due')}
                style={{ flex: '1 1 160px' }}
                {...form.getInputProps('dueAt')}
              />
            </Group>
            <AssetMultiPicker
              label={t('ticketLinks.assetsField')}
              description={t('ticketLinks.assetsHint')}
              value={form.values.assetIds}
              onChange={(ids) => form.setFieldValue('assetIds', ids)}
              error={form.errors.assetIds}
              data-testid="ticket-assets-picker"
            />
            {canOnBehalf ? (
              <TicketPersonSelect
                kind="requesters"
                label={t('ticketLinks.requesterField')}
                description={t('ticketLinks.requesterHint')}
                placeholder={t('ticketLinks.requesterPlaceholder')}
                value={form.values.requesterId}
                onChange={(v) => form.setFieldValue('requesterId', v)}
                error={form.errors.requesterId}
                data-testid="ticket-requester-picker"
              />
            ) : null}
            {projects.data && projects.data.items.length > 0 ? (
              <Select
                label={t('tickets.fields.project')}
                data={projects.data.items.map((p) => ({ value: p.id, label: p.name }))}
                clearable
                searchable
                {...form.getInputProps('projectId')}
              />
            ) : null}
            {canAssign ? (
              <Group grow align="flex-start" wrap="wrap" preventGrowOverflow={false}>
                <TicketPersonSelect
                  kind="assignees"
                  label={t('tickets.fields.assignee')}
                  description={t('ticketLinks.assigneeHint')}
                  value={form.values.assigneeId}
                  onChange={(v) => form.setFieldValue('assigneeId', v)}
                  error={form.errors.assigneeId}
                  style={{ flex: '1 1 200px' }}
                />
                <Select
                  label={t('tickets.fields.team')}
                  data={(teams.data?.items ?? []).map((team) => ({ value: team.id, label: team.name }))}
                  clearable
                  style={{ flex: '1 1 200px' }}
                  {...form.getInputProps('teamId')}
                />
              </Group>
            ) : null}
            <FileInput
              label={t('ticketLinks.filesField')}
              description={t('ticketLinks.filesHint')}
              multiple
              clearable
              clearButtonProps={{ 'aria-label': t('ticketLinks.clearFiles') }}
              leftSection={<IconPaperclip size={16} aria-hidden />}
              value={form.values.files}
              onChange={(files) => form.setFieldValue('files', files ?? [])}
              data-testid="ticket-files"
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => navigate(-1)}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={create.isPending} data-testid="ticket-submit">
                {t('tickets.create')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
    </>
  );
}
