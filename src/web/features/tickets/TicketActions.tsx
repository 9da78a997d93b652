// What the user may do now, straight from the server's `can`: status moves, approve, reject, assign.
import { Button, Group, Modal, Select, Stack, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconCheck, IconUserPlus, IconX } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert, errorMessage } from '../../components/ErrorAlert';
import { post } from '../../lib/api';
import { ticketKey, ticketsKey, useTeams } from './api';
import { TicketPersonSelect } from './pickers';
import type { TicketAnswer } from '../../../shared/contracts/tickets';
import type { TicketStatus } from '../../../shared/contracts/enums';

const statusButtonColor: Partial<Record<TicketStatus, string>> = {
  resolved: 'teal.9',
};

export function TicketActions({ answer }: { answer: TicketAnswer }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { ticket, can } = answer;
  const [dialog, setDialog] = useState<'approve' | 'reject' | 'assign' | null>(null);

  const done = (next: TicketAnswer, message: string) => {
    queryClient.setQueryData(ticketKey(ticket.number), next);
    void queryClient.invalidateQueries({ queryKey: ticketsKey });
    void queryClient.invalidateQueries({ queryKey: ['ticket-history', String(ticket.number)] });
    void queryClient.invalidateQueries({ queryKey: ['dashboard'] });
    notifications.show({ color: 'green', message });
    setDialog(null);
  };
  const fail = (error: unknown) => {
    notifications.show({ color: 'red', message: errorMessage(t, error) });
    void queryClient.invalidateQueries({ queryKey: ticketKey(ticket.number) });
  };

  const status = useMutation({
    mutationFn: (to: TicketStatus) =>
      post<TicketAnswer>(`/api/v1/tickets/${ticket.number}/status`, { status: to }),
    onSuccess: (next) => done(next, t('tickets.statusChanged', { status: t(`tickets.statuses.${next.ticket.status}`) })),
    onError: fail,
  });

  // "Start work" on an unassigned ticket makes the one who starts it the assignee (the server does it).
  const startsWork = (to: TicketStatus) => to === 'in_progress' && !ticket.assignee && (ticket.status === 'open' || ticket.status === 'on_hold');
  const any = can.transitions.length > 0 || can.approve || can.reject || can.assign;
  if (!any) return null;

  return (
    <>
      <Group gap="xs" mb="md" wrap="wrap" data-testid="ticket-actions">
        {can.approve ? (
          <Button color="teal.9" leftSection={<IconCheck size={16} aria-hidden />} onClick={() => setDialog('approve')} data-testid="approve">
            {t('tickets.actions.approve')}
          </Button>
        ) : null}
        {can.reject ? (
          <Button color="red" variant="light" leftSection={<IconX size={16} aria-hidden />} onClick={() => setDialog('reject')} data-testid="reject">
            {t('tickets.actions.reject')}
          </Button>
        ) : null}
        {can.transitions.map((to) => (
          <Button
            key={to}
            variant={to === 'resolved' || to === 'in_progress' ? 'filled' : 'default'}
            color={statusButtonColor[to]}
            autoContrast
            loading={status.isPending && status.variables === to}
            disabled={status.isPending}
            onClick={() => status.mutate(to)}
            title={startsWork(to) ? t('ticketLinks.startWorkAssigns') : undefined}
            data-testid={`status-${to}`}
          >
            {to === 'in_progress' && (ticket.status === 'resolved' || ticket.status === 'closed')
              ? t('tickets.actions.reopen')
              : t(`tickets.actions.to.${to}`)}
          </Button>
        ))}
        {can.assign ? (
          <Button variant="default" leftSection={<IconUserPlus size={16} aria-hidden />} onClick={() => setDialog('assign')} data-testid="assign">
            {t('tickets.actions.assign')}
          </Button>
        ) : null}
      </Group>
      {dialog === 'approve' || dialog === 'reject' ? (
        <DecisionModal answer={answer} decision={dialog} onClose={() => setDialog(null)} onDone={done} />
      ) : null}
      {dialog === 'assign' ? <AssignModal answer={answer} onClose={() => setDialog(null)} onDone={done} /> : null}
    </>
  );
}

function DecisionModal({
  answer,
  decision,
  onClose,
  onDone,
}: {
  answer: TicketAnswer;
  decision: 'approve' | 'reject';
  onClose: () => void;
  onDone: (next: TicketAnswer, message: string) => void;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [touched, setTouched] = useState(false);
  const number = answer.ticket.number;
  const rejecting = decision === 'reject';
  const mutation = useMutation({
    mutationFn: () =>
      rejecting
        ? post<TicketAnswer>(`/api/v1/tickets/${number}/reject`, { reason: text.trim() })
        : post<TicketAnswer>(`/api/v1/tickets/${number}/approve`, text.trim() ? { comment: text.trim() } : {}),
    onSuccess: (next) => onDone(next, rejecting ? t('tickets.rejected') : t('tickets.approved')),
  });
  const missing = rejecting && !text.trim();
  return (
    <Modal opened onClose={onClose} title={rejecting ? t('tickets.rejectTitle') : t('tickets.approveTitle')}>
      <form
        noValidate
        data-testid={`${decision}-form`}
        onSubmit={(e) => {
          e.preventDefault();
          setTouched(true);
          if (!missing) mutation.mutate();
        }}
      >
        <Stack>
          <ErrorAlert error={mutation.error} />
          <Textarea
            label={rejecting ? t('tickets.rejectReason') : t('tickets.approveComment')}
            required={rejecting}
            autosize
            minRows={3}
            data-autofocus
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            error={touched && missing ? t('validation.required') : undefined}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color={rejecting ? 'red' : 'teal.9'} loading={mutation.isPending}>
              {rejecting ? t('tickets.actions.reject') : t('tickets.actions.approve')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function AssignModal({
  answer,
  onClose,
  onDone,
}: {
  answer: TicketAnswer;
  onClose: () => void;
  onDone: (next: TicketAnswer, message: string) => void;
}) {
  const { t } = useTranslation();
  const { ticket } = answer;
  const teams = useTeams();
  const [assigneeId, setAssigneeId] = useState<string | null>(ticket.assignee?.id ?? null);
  const [teamId, setTeamId] = useState<string | null>(ticket.team?.id ?? null);
  const mutation = useMutation({
    mutationFn: () => post<TicketAnswer>(`/api/v1/tickets/${ticket.number}/assign`, { assigneeId, teamId }),
    onSuccess: (next) =>
      onDone(next, next.ticket.assignee ? t('tickets.assignedTo', { name: next.ticket.assignee.name }) : t('tickets.assignSaved')),
  });
  return (
    <Modal opened onClose={onClose} title={t('tickets.assignTitle', { number: ticket.number })}>
      <form
        noValidate
        data-testid="assign-form"
        onSubmit={(e) => {
          e.preventDefault();
          mutation.mutate();
        }}
      >
        <Stack>
          <ErrorAlert error={mutation.error} />
          <TicketPersonSelect
            kind="assignees"
            label={t('tickets.fields.assignee')}
            description={t('ticketLinks.assigneeHint')}
            placeholder={t('ticketLinks.assigneePlaceholder')}
            value={assigneeId}
            onChange={setAssigneeId}
            current={ticket.assignee}
            data-autofocus
            data-testid="assignee-select"
          />
          <Select
            label={t('tickets.fields.team')}
            data={(teams.data?.items ?? []).map((team) => ({ value: team.id, label: team.name }))}
            value={teamId}
            onChange={setTeamId}
            clearable
            searchable
            nothingFoundMessage={t('common.nothingFound')}
            data-testid="team-select"
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={mutation.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
