// Every change and approval decision of a ticket, oldest first, as one timeline.
import { Badge, Text, Timeline } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { IconCheck, IconEdit, IconPlayerSkipForward, IconX } from '@tabler/icons-react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageLoader } from '../../components/PageLoader';
import { get } from '../../lib/api';
import { useFormatDate } from '../../lib/format';
import type { ApprovalDecision, HistoryEntry } from '../../../shared/contracts/tickets';
import { PRIORITIES, TICKET_KINDS as KINDS, TICKET_STATUSES as STATUSES } from '../../../shared/contracts/enums';

export const historyKey = (number: number | string) => ['ticket-history', String(number)] as const;

/** Values worth showing as "before → after"; ids and long texts only say "changed". */
function showValue(t: TFunction, field: string | null, value: unknown): string | null {
  if (value === null || value === undefined || value === '') return t('tickets.history.empty');
  if (!field || /Ids?$|^(description|watchers|assets|customFields)$/.test(field)) return null;
  if (typeof value === 'string') {
    if (field === 'status' && (STATUSES as readonly string[]).includes(value)) return t(`tickets.statuses.${value}`);
    if (field === 'priority' && (PRIORITIES as readonly string[]).includes(value)) return t(`tickets.priorities.${value}`);
    if (field === 'kind' && (KINDS as readonly string[]).includes(value)) return t(`tickets.kinds.${value}`);
    return value.length > 120 ? `${value.slice(0, 120)}…` : value;
  }
  if (Array.isArray(value)) return value.every((v) => typeof v !== 'object') ? value.join(', ') : null;
  if (typeof value === 'object' && value && 'name' in value) return String((value as { name: unknown }).name);
  if (typeof value === 'object') return null;
  return String(value);
}

interface Item {
  key: string;
  at: string;
  kind: 'change' | 'approval';
  entry?: HistoryEntry;
  approval?: ApprovalDecision;
}

export function HistoryTimeline({ number }: { number: number }) {
  const { t } = useTranslation();
  const fmt = useFormatDate();
  const history = useQuery({
    queryKey: historyKey(number),
    queryFn: () =>
      get<{ items: HistoryEntry[]; approvals: ApprovalDecision[] }>(`/api/v1/tickets/${number}/history`),
  });
  if (history.isPending) return <PageLoader />;
  if (history.isError) return <ErrorAlert error={history.error} onRetry={() => history.refetch()} />;

  const items: Item[] = [
    ...history.data.items.map((entry) => ({ key: `h${entry.id}`, at: entry.at, kind: 'change' as const, entry })),
    ...(history.data.approvals ?? []).map((approval) => ({
      key: `a${approval.id}`,
      at: approval.at,
      kind: 'approval' as const,
      approval,
    })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  if (items.length === 0) return <EmptyState message={t('tickets.history.none')} />;

  return (
    <Timeline bulletSize={22} lineWidth={2} data-testid="ticket-history">
      {items.map((item) => {
        if (item.kind === 'approval' && item.approval) {
          const a = item.approval;
          const decider = typeof a.decider === 'string' ? a.decider : (a.decider?.name ?? t('tickets.history.system'));
          const icon =
            a.decision === 'approved' ? <IconCheck size={12} aria-hidden /> : a.decision === 'rejected' ? <IconX size={12} aria-hidden /> : <IconPlayerSkipForward size={12} aria-hidden />;
          return (
            <Timeline.Item
              key={item.key}
              bullet={icon}
              color={a.decision === 'approved' ? 'green' : a.decision === 'rejected' ? 'red' : 'gray'}
              title={
                <>
                  {t(`tickets.history.decision.${a.decision}`, { name: decider, step: a.step + 1 })}{' '}
                  <Badge size="xs" variant="light" color="grape">
                    {t('tickets.history.approval')}
                  </Badge>
                </>
              }
              data-testid="history-approval"
            >
              {a.comment ? (
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {a.comment}
                </Text>
              ) : null}
              <Text size="xs" c="dimmed">
                {fmt(a.at)}
              </Text>
            </Timeline.Item>
          );
        }
        const e = item.entry as HistoryEntry;
        const actor = e.actor?.name ?? t('tickets.history.system');
        const before = showValue(t, e.field, e.before);
        const after = showValue(t, e.field, e.after);
        const field = e.field ? t(`tickets.history.fields.${e.field}`, { defaultValue: e.field }) : null;
        return (
          <Timeline.Item
            key={item.key}
            bullet={<IconEdit size={12} aria-hidden />}
            title={t(`tickets.history.events.${e.event}`, { name: actor, defaultValue: `${actor}: ${e.event}` })}
            data-testid="history-entry"
          >
            {field ? (
              <Text size="sm">
                {after !== null && before !== null
                  ? t('tickets.history.change', { field, before, after })
                  : t('tickets.history.changed', { field })}
              </Text>
            ) : null}
            <Text size="xs" c="dimmed">
              {fmt(e.at)}
            </Text>
          </Timeline.Item>
        );
      })}
    </Timeline>
  );
}
