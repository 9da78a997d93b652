// Approvals say who: on a pending ticket, the step waiting, who may decide it (a role, a named person
// or the department head by name) and the steps still ahead; on a rejected one, the reason and who.
import { Alert, Badge, Group, List, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormatDate } from '../../lib/format';
import { useTicketApproval } from './api';
import type { TicketAnswer } from '../../../shared/contracts/tickets';
import type { ApprovalStepView } from '../../../shared/contracts/tickets-links';

const stateColor: Record<ApprovalStepView['state'], string> = {
  approved: 'teal.9',
  rejected: 'red.8',
  skipped: 'gray.7',
  waiting: 'yellow.9',
  ahead: 'gray.7',
};

function useWho() {
  const { t } = useTranslation();
  return (s: ApprovalStepView) => {
    if (s.type === 'department_head') return s.approver ? t('ticketLinks.stepWho.department_head', { name: s.approver }) : t('ticketLinks.stepWho.department_head_none');
    if (!s.approver) return t('ticketLinks.stepWho.unknown');
    return t(`ticketLinks.stepWho.${s.type}`, { name: s.approver });
  };
}

export function ApprovalPanel({ answer }: { answer: TicketAnswer }) {
  const { t } = useTranslation();
  const fmt = useFormatDate();
  const who = useWho();
  const { ticket, can } = answer;
  const relevant = ticket.status === 'pending_approval' || ticket.status === 'rejected';
  const approval = useTicketApproval(ticket.number, relevant);
  if (!relevant) return null;
  const data = approval.data;

  if (ticket.status === 'rejected') {
    const r = data?.rejection;
    if (!r) return null;
    return (
      <Alert color="red" variant="light" mb="md" data-testid="approval-rejected" title={t('ticketLinks.rejectedTitle', { name: r.by?.name ?? '—', date: fmt(r.at) })}>
        <Text size="sm" style={{ overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }} data-testid="rejection-reason">
          {t('ticketLinks.rejectedReason', { reason: r.reason })}
        </Text>
      </Alert>
    );
  }

  const current = data?.steps.find((s) => s.state === 'waiting');
  const ahead = data?.steps.filter((s) => s.state === 'ahead') ?? [];
  const done = data?.steps.filter((s) => s.state === 'approved' || s.state === 'skipped') ?? [];
  return (
    <Alert color="yellow" variant="light" mb="md" data-testid="approval-pending" title={t('ticketLinks.approvalTitle')}>
      <Stack gap={6}>
        <Text size="sm" data-testid="approval-current">
          {current
            ? t('ticketLinks.approvalWaiting', { step: current.step + 1, count: data?.steps.length ?? 0, who: who(current) })
            : t('tickets.waitingApproval', { step: (ticket.approval?.step ?? 0) + 1, count: ticket.approval?.stepCount ?? 0 })}
        </Text>
        {can.approve ? (
          <Text size="sm" fw={500}>
            {t('ticketLinks.approvalYours')}
          </Text>
        ) : null}
        {done.length ? (
          <List size="sm" spacing={2} data-testid="approval-done">
            {done.map((s) => (
              <List.Item key={s.step}>
                <Group gap={6} wrap="wrap">
                  <Badge size="sm" variant="light" color={stateColor[s.state]}>
                    {t(`ticketLinks.stepStates.${s.state}`)}
                  </Badge>
                  <Text size="sm" span>
                    {who(s)}
                    {s.decider ? ` — ${t('ticketLinks.decidedBy', { name: s.decider.name, date: fmt(s.at) })}` : ''}
                  </Text>
                </Group>
              </List.Item>
            ))}
          </List>
        ) : null}
        {ahead.length ? (
          <>
            <Text size="sm" fw={500}>
              {t('ticketLinks.approvalAhead')}
            </Text>
            <List size="sm" spacing={2} type="ordered" start={ahead[0].step + 1} data-testid="approval-ahead">
              {ahead.map((s) => (
                <List.Item key={s.step}>{who(s)}</List.Item>
              ))}
            </List>
          </>
        ) : null}
      </Stack>
    </Alert>
  );
}
