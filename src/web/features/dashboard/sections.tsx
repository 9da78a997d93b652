// Role sections of the dashboard: my tickets, my queue, approvals, unassigned, overdue, workload,
// status over time. Uses GET /dashboard when the server offers it, else the ticket list.
import { Box, Card, SimpleGrid, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, get } from '../../lib/api';
import { useKeysetList } from '../../lib/lists';
import { useMe } from '../../lib/useMe';
import { ticketListKey } from '../tickets/api';
import { TicketMiniList, TicketRows } from '../tickets/TicketMiniList';
import { TICKET_STATUSES as STATUSES } from '../../../shared/contracts/enums';
import type { TicketSummary } from '../../../shared/contracts/tickets';
import { statusColor } from '../tickets/colors';
import type { Permission } from '../../../shared/permissions/catalogue';

type Dashboard = Record<string, unknown>;

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
            <StatusOverTime data={d?.statusOverTime} />
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

/** A plain horizontal bar chart; the numbers are also text, so it reads without the picture. */
function Bars({ bars, testId }: { bars: Bar[]; testId?: string }) {
  const { t } = useTranslation();
  const max = Math.max(1, ...bars.map((b) => b.value));
  if (!bars.length) return <Text size="sm" c="dimmed">{t('dashboard.empty.workload')}</Text>;
  return (
    <Table data-testid={testId} verticalSpacing={4}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('dashboard.who')}</Table.Th>
          <Table.Th>{t('dashboard.openTickets')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {bars.map((b) => (
          <Table.Tr key={b.label}>
            <Table.Td style={{ whiteSpace: 'nowrap' }}>{b.label}</Table.Td>
            <Table.Td w="70%">
              <Box style={{ display: 'flex', alignItems: 'center', gap: 8 }}>
                <svg width="100%" height="14" role="presentation" aria-hidden style={{ flex: 1 }}>
                  <rect x="0" y="1" height="12" rx="2" width={`${(b.value / max) * 100}%`} fill="var(--mantine-color-blue-6)" />
                </svg>
                <Text size="sm" w={32} ta="right">
                  {b.value}
                </Text>
              </Box>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
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

/** Tolerates [{date|period|day|week, counts:{status:n}}] or [{date, status, count}]. */
function StatusOverTime({ data }: { data: unknown }) {
  const { t } = useTranslation();
  const rows = new Map<string, Record<string, number>>();
  const items = Array.isArray(data) ? data : ticketsOf(data) ?? [];
  for (const raw of items as Record<string, unknown>[]) {
    const period = String(raw.date ?? raw.period ?? raw.day ?? raw.week ?? raw.month ?? raw.at ?? '');
    const row = rows.get(period) ?? {};
    const counts = (raw.counts ?? raw.statuses ?? raw.byStatus) as Record<string, number> | undefined;
    if (counts && typeof counts === 'object') {
      for (const [s, n] of Object.entries(counts)) row[s] = (row[s] ?? 0) + Number(n);
    } else if (typeof raw.status === 'string') {
      row[raw.status] = (row[raw.status] ?? 0) + Number(raw.count ?? 0);
    } else {
      for (const s of STATUSES) if (typeof raw[s] === 'number') row[s] = (row[s] ?? 0) + Number(raw[s]);
    }
    rows.set(period, row);
  }
  const periods = [...rows.keys()].sort();
  if (!periods.length) return <Text size="sm" c="dimmed">{t('dashboard.empty.status')}</Text>;
  const used = STATUSES.filter((s) => periods.some((p) => (rows.get(p)?.[s] ?? 0) > 0));
  const max = Math.max(1, ...periods.map((p) => used.reduce((sum, s) => sum + (rows.get(p)?.[s] ?? 0), 0)));
  const width = 100 / periods.length;
  return (
    <>
      <svg viewBox="0 0 100 40" preserveAspectRatio="none" width="100%" height="160" role="img" aria-label={t('dashboard.sections.statusOverTime')}>
        {periods.map((p, i) => {
          let y = 40;
          return used.map((s) => {
            const h = ((rows.get(p)?.[s] ?? 0) / max) * 38;
            y -= h;
            return <rect key={`${p}-${s}`} x={i * width + width * 0.1} y={y} width={width * 0.8} height={h} fill={`var(--mantine-color-${statusColor[s]}-6)`} />;
          });
        })}
      </svg>
      <Table.ScrollContainer minWidth={480}>
        <Table verticalSpacing={2} data-testid="status-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('dashboard.period')}</Table.Th>
              {used.map((s) => (
                <Table.Th key={s}>{t(`tickets.statuses.${s}`)}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {periods.map((p) => (
              <Table.Tr key={p}>
                <Table.Td>{p.slice(0, 10)}</Table.Td>
                {used.map((s) => (
                  <Table.Td key={s}>{rows.get(p)?.[s] ?? 0}</Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </>
  );
}
