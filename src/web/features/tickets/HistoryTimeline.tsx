// Every change and approval decision of a ticket, oldest first, as one timeline.
import { Badge, Text, Timeline } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { IconCheck, IconEdit, IconPlayerSkipForward, IconX } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageLoader } from '../../components/PageLoader';
import { get } from '../../lib/api';
import { getAll } from '../../lib/lists';
import { useFormatDate } from '../../lib/format';
import { RawDetails } from '../../components/RawDetails';
import { useHistoryWords } from '../../lib/history';
import type { ApprovalDecision, HistoryEntry, TicketHistory } from '../../../shared/contracts/tickets';

export const historyKey = (number: number | string) => ['ticket-history', String(number)] as const;

interface Item {
  key: string;
  at: string;
  kind: 'change' | 'approval';
  /** The rows one change wrote (same event, person and moment), read as one entry. */
  entries?: HistoryEntry[];
  approval?: ApprovalDecision;
}

/** Rows of one change share event, actor and time: group them so "assigned" is one entry with its lines. */
function grouped(rows: HistoryEntry[]): Item[] {
  const out: Item[] = [];
  for (const entry of rows) {
    const last = out.at(-1);
    const first = last?.entries?.[0];
    if (first && first.event === entry.event && first.at === entry.at && first.actor?.id === entry.actor?.id) last.entries?.push(entry);
    else out.push({ key: `h${entry.id}`, at: entry.at, kind: 'change', entries: [entry] });
  }
  return out;
}

export function HistoryTimeline({ number }: { number: number }) {
  const { t } = useTranslation();
  const fmt = useFormatDate();
  const words = useHistoryWords('ticket');
  const history = useQuery({
    queryKey: historyKey(number),
    // Approval decisions come whole with every page; the changes are gathered page by page.
    queryFn: async ({ signal }) => {
      const path = `/api/v1/tickets/${number}/history`;
      const [first, all] = await Promise.all([get<TicketHistory>(path, { limit: 1 }, signal), getAll<HistoryEntry>(path, {}, signal)]);
      return { items: all.items, approvals: first.approvals };
    },
  });
  if (history.isPending) return <PageLoader />;
  if (history.isError) return <ErrorAlert error={history.error} onRetry={() => history.refetch()} />;

  const items: Item[] = [
    ...grouped(history.data.items),
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
        const rows = item.entries ?? [];
        const e = rows[0];
        const actor = e.actor?.name ?? t('tickets.history.system');
        const lines = rows.map((r) => words(r)).filter((l): l is string => l !== null);
        return (
          <Timeline.Item
            key={item.key}
            bullet={<IconEdit size={12} aria-hidden />}
            title={t(`tickets.history.events.${e.event}`, { name: actor, defaultValue: t('history.eventFallback', { name: actor, event: e.event.replace(/_/g, ' ') }) })}
            data-testid="history-entry"
          >
            {lines.map((line) => (
              <Text size="sm" key={line} style={{ overflowWrap: 'anywhere' }}>
                {line}
              </Text>
            ))}
            <Text size="xs" c="dimmed">
              {fmt(e.at)}
            </Text>
            <RawDetails value={rows.map(({ field, before, after }) => ({ field, before, after }))} />
          </Timeline.Item>
        );
      })}
    </Timeline>
  );
}
