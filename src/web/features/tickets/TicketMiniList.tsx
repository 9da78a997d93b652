// A compact ticket list (dashboard sections, project page) over GET /tickets with fixed filters.
import { Anchor, Group, Paper, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LoadMore } from '../../components/LoadMore';
import { PageLoader } from '../../components/PageLoader';
import type { Query } from '../../lib/api';
import { useFormatDate } from '../../lib/format';
import { useKeysetList } from '../../lib/lists';
import { ticketListKey } from './api';
import { PriorityBadge, StatusBadge } from './parts';
import { OverdueBadge } from './pickers';
import { SlaBadge } from '../sla/SlaBadge';
import type { TicketSummary } from '../../../shared/contracts/tickets';

export function TicketRows({ items, testId }: { items: TicketSummary[]; testId?: string }) {
  const { t } = useTranslation();
  const fmt = useFormatDate();
  return (
    <Stack gap={6} data-testid={testId}>
      {items.map((ticket) => (
        <Paper key={ticket.id} withBorder px="sm" py={6} data-testid="mini-ticket">
          <Group justify="space-between" wrap="wrap" gap={6}>
            <Anchor component={Link} to={`/tickets/${ticket.number}`} size="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>
              #{ticket.number} {ticket.title}
            </Anchor>
            <Group gap={6}>
              <StatusBadge status={ticket.status} size="sm" />
              <PriorityBadge priority={ticket.priority} size="sm" />
              <OverdueBadge ticket={ticket} size="sm" />
              <SlaBadge sla={ticket.sla} size="sm" />
            </Group>
          </Group>
          <Text size="xs" c="dimmed">
            {[ticket.requester?.name, ticket.assignee?.name ?? t('tickets.unassigned'), ticket.dueAt ? t('tickets.dueOn', { date: fmt(ticket.dueAt, false) }) : null]
              .filter(Boolean)
              .join(' · ')}
          </Text>
        </Paper>
      ))}
    </Stack>
  );
}

export function TicketMiniList({
  query,
  empty,
  testId,
  limit = 10,
  filter,
}: {
  query: Query;
  empty: string;
  testId?: string;
  limit?: number;
  filter?: (t: TicketSummary) => boolean;
}) {
  const list = useKeysetList<TicketSummary>([...ticketListKey, 'mini'], '/api/v1/tickets', { ...query, limit });
  if (list.isPending) return <PageLoader />;
  if (list.isError) return <ErrorAlert error={list.error} onRetry={() => list.refetch()} />;
  const items = filter ? list.items.filter(filter) : list.items;
  if (items.length === 0)
    return (
      <Text size="sm" c="dimmed" data-testid={testId}>
        {empty}
      </Text>
    );
  return (
    <>
      <TicketRows items={items} testId={testId} />
      <LoadMore hasNextPage={list.hasNextPage} isFetchingNextPage={list.isFetchingNextPage} fetchNextPage={list.fetchNextPage} />
    </>
  );
}
