// Role sections of the dashboard: my tickets, my queue, approvals, unassigned, overdue, workload,
// status over time. Uses GET /dashboard when the server offers it, else the ticket list.
import { Box, Card, SimpleGrid, Stack, Text, Title, VisuallyHidden } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useInViewport } from '@mantine/hooks';
import { lazy, type ReactNode, Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, get } from '../../lib/api';
import { useKeysetList } from '../../lib/lists';
import { useMe } from '../../lib/useMe';
import { ticketListKey } from '../tickets/api';
import { TicketMiniList, TicketRows } from '../tickets/TicketMiniList';
import type { DashboardAnswer } from '../../../shared/contracts/dashboards';
import type { TicketSummary } from '../../../shared/contracts/tickets';
import type { Permission } from '../../../shared/permissions/catalogue';

type Dashboard = Record<string, unknown>;

// recharts is large: the chart comes in its own chunk, only for those who see it.
const StatusChart = lazy(() => import('./StatusChart').then((m) => ({ default: m.StatusChart })));

function ticketsOf(section: unknown): TicketSummary[] | null {
  if (Array.isArray(section)) return section as TicketSummary[];
  // "mine" carries its five latest tickets next to the counts.
  if (section && typeof section === 'object' && Array.isArray((section as { latest?: unknown }).latest))
    return (section as { latest: TicketSummary[] }).latest;
  if (section && typeof section === 'object' && Array.isArray((section as { items?: unknown }).items))
    return (section as { items: TicketSummary[] }).items;
  return null;
}

function Section({ title, children, testId }: { title: string; children: ReactNode; testId: string }) {
  return (
    <Card withBorder padding="md" data-testid={testId} component="section" aria-label={title}>
      <Title order={2} size="h4" mb="sm">
        {title}
      </Title>
      {children}
    </Card>
  );
}

const OPEN_WORK = 'open,in_progress,on_hold';

export function RoleSections() {
  const { t } = useTranslation();
  const me = useMe();
  const has = (p: Permission) => me.permissions.includes(p);
  const server = useQuery({
    queryKey: ['dashboard'],
    retry: false,
    queryFn: async () => {
      try {
        return await get<Dashboard>('/api/v1/dashboard');
      } catch (error) {
        if (error instanceof ApiError && (error.status === 404 || error.status === 403)) return null;
        throw error;
      }
    },
  });
  if (server.isPending) return null;
  const d = server.data ?? null;
  const fromServer = (key: string) => (d ? ticketsOf(d[key]) : null);

  const list = (key: string, query: Record<string, string>, empty: string, filter?: (t: TicketSummary) => boolean) => {
    const items = fromServer(key);
    if (items) return items.length ? <TicketRows items={items} testId={`${key}-tickets`} /> : <Text size="sm" c="dimmed">{empty}</Text>;
    return <TicketMiniList query={query} empty={empty} testId={`${key}-tickets`} filter={filter} limit={filter ? 50 : 10} />;
  };

  const now = Date.now();
  const showMine = d ? 'mine' in d : has('tickets.create');
  const showQueue = d ? 'queue' in d : has('tickets.update') && has('tickets.view_assigned');
  const showApprovals = d ? 'approvals' in d : has('tickets.approve');
  const showUnassigned = d ? 'unassigned' in d : has('tickets.assign');
  const showOverdue = d ? 'overdue' in d : has('tickets.assign');
  const showWorkload = d ? 'workload' in d : has('tickets.assign');
  const showStatus = d ? 'statusOverTime' in d : false;
  if (!showMine && !showQueue && !showApprovals && !showUnassigned && !showOverdue && !showWorkload && !showStatus) return null;

  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md" mb="lg">
      {showApprovals ? (
        <Section title={t('dashboard.sections.approvals')} testId="dash-approvals">
          {list('approvals', { status: 'pending_approval', sort: 'oldest' }, t('dashboard.empty.approvals'))}
        </Section>
      ) : null}
      {showQueue ? (
        <Section title={t('dashboard.sections.queue')} testId="dash-queue">
          {list('queue', { assigneeId: 'me', status: OPEN_WORK, sort: 'priority' }, t('dashboard.empty.queue'))}
        </Section>
      ) : null}
      {showMine ? (
        <Section title={t('dashboard.sections.mine')} testId="dash-mine">
          {list('mine', { requesterId: 'me', sort: 'updated' }, t('dashboard.empty.mine'))}
        </Section>
      ) : null}
      {showUnassigned ? (
        <Section title={t('dashboard.sections.unassigned')} testId="dash-unassigned">
          {list('unassigned', { assigneeId: 'none', status: 'new,open', sort: 'oldest' }, t('dashboard.empty.unassigned'))}
        </Section>
      ) : null}
      {showOverdue ? (
        <Section title={t('dashboard.sections.overdue')} testId="dash-overdue">
          {list('overdue', { status: OPEN_WORK, sort: 'due' }, t('dashboard.empty.overdue'), (tk) => !!tk.dueAt && Date.parse(tk.dueAt) < now)}
        </Section>
      ) : null}
      {showWorkload ? (
        <Section title={t('dashboard.sections.workload')} testId="dash-workload">
          <Workload server={d?.workload} />
        </Section>
      ) : null}
      {showStatus ? (
        <Box style={{ gridColumn: '1 / -1' }}>
          <Section title={t('dashboard.sections.statusOverTime')} testId="dash-status">
            <StatusOverTime data={d?.statusOverTime as DashboardAnswer['statusOverTime']} />
          </Section>
        </Box>
      ) : null}
    </SimpleGrid>
  );
}

interface Bar {
  label: string;
  value: number;
}

/**
 * A horizontal bar chart drawn with plain boxes in the theme's primary colour; each bar's number is
 * also text and the list has a label, so it reads the same without the picture. Names wrap on a phone.
 */
function Bars({ bars, testId }: { bars: Bar[]; testId?: string }) {
  const { t } = useTranslation();
  const max = Math.max(1, ...bars.map((b) => b.value));
  if (!bars.length) return <Text size="sm" c="dimmed">{t('dashboard.empty.workload')}</Text>;
  return (
    <Stack gap={6} component="ul" data-testid={testId} aria-label={t('dashboard.sections.workload')} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
      {bars.map((b) => (
        <Box component="li" key={b.label} style={{ display: 'flex', alignItems: 'center', gap: 8, minWidth: 0 }} data-testid="workload-bar">
          <Text size="sm" className="steward-wrap" style={{ flex: '0 1 40%', minWidth: 0 }}>
            {b.label}
          </Text>
          <Box style={{ flex: 1, minWidth: 0 }} aria-hidden>
            <Box
              className="steward-bar"
              style={{ width: `${(b.value / max) * 100}%`, minWidth: 4, height: 12, borderRadius: 2 }}
            />
          </Box>
          <Text size="sm" w={32} ta="right" aria-hidden>
            {b.value}
          </Text>
          <VisuallyHidden>{t('dashboard.openCount', { count: b.value })}</VisuallyHidden>
        </Box>
      ))}
    </Stack>
  );
}

function Workload({ server }: { server: unknown }) {
  const { t } = useTranslation();
  // GET /dashboard answers {items: [{assignee: {id, name, color}, open, …}]}.
  const rows = (server as { items?: Array<{ assignee: { name: string }; open: number }> } | undefined)?.items;
  const list = useKeysetList<TicketSummary>([...ticketListKey, 'workload'], '/api/v1/tickets', { status: OPEN_WORK, limit: 200 }, !rows);
  let bars: Bar[];
  if (rows) {
    bars = rows.map((row) => ({ label: row.assignee.name, value: row.open }));
  } else {
    const counts = new Map<string, number>();
    for (const tk of list.items) {
      const name = tk.assignee?.name ?? t('tickets.unassigned');
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    bars = [...counts.entries()].map(([label, value]) => ({ label, value }));
  }
  bars.sort((a, b) => b.value - a.value);
  return <Bars bars={bars} testId="workload-chart" />;
}

function StatusOverTime({ data }: { data: DashboardAnswer['statusOverTime'] }) {
  const { t } = useTranslation();
  // The chart's code (recharts) is fetched once its place comes near the screen: it sits at the foot of
  // the dashboard, and the first load stays small for everyone who does not scroll down to it.
  const { ref, inViewport } = useInViewport();
  const [seen, setSeen] = useState(false);
  useEffect(() => {
    if (inViewport) setSeen(true);
  }, [inViewport]);
  if (!data || !Array.isArray(data.items))
    return (
      <Text size="sm" c="dimmed">
        {t('dashboard.empty.status')}
      </Text>
    );
  return (
    <Box ref={ref} mih={240} data-testid="status-chart-slot">
      {seen ? (
        <Suspense fallback={<Box h={240} />}>
          <StatusChart data={data} />
        </Suspense>
      ) : null}
    </Box>
  );
}
