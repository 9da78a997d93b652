// The ticket list: filters kept in the address, sort, saved views, "load more", bulk actions,
// exports and live refresh. A table on wide screens, cards on phones.
import {
  Anchor,
  Badge,
  Button,
  Card,
  Checkbox,
  Collapse,
  Group,
  Menu,
  MultiSelect,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue, useDisclosure, useMediaQuery } from '@mantine/hooks';
import { IconAdjustments, IconDownload, IconPlus, IconSearch } from '@tabler/icons-react';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { PageLoader } from '../../components/PageLoader';
import { UserAvatar } from '../../components/UserAvatar';
import { withQuery } from '../../lib/api';
import { useFormatDate } from '../../lib/format';
import { useKeysetList } from '../../lib/lists';
import { useCan, useCanAny } from '../../lib/useCan';
import { useMe, preferencesOf } from '../../lib/useMe';
import { emptyFilters, filtersToQuery, ticketListKey, useCategories, useProjects, useTeams } from './api';
import { BulkBar } from './BulkBar';
import { PriorityBadge, StatusBadge, UserSelect } from './parts';
import { OverdueBadge } from './pickers';
import { SlaBadge } from '../sla/SlaBadge';
import { SavedViews } from './SavedViews';
import { PRIORITIES, TICKET_KINDS as KINDS, TICKET_SORTS as SORTS, TICKET_STATUSES as STATUSES } from '../../../shared/contracts/enums';
import type { TicketFilterValues } from './api';
import type { TicketSummary } from '../../../shared/contracts/tickets';

function readFilters(params: URLSearchParams): TicketFilterValues {
  const archived = params.get('archived');
  const sort = params.get('sort');
  return {
    status: (params.get('status') ?? '').split(',').filter((s) => (STATUSES as readonly string[]).includes(s)),
    kind: params.get('kind'),
    priority: params.get('priority'),
    assigneeId: params.get('assigneeId'),
    categoryId: params.get('categoryId'),
    teamId: params.get('teamId'),
    projectId: params.get('projectId'),
    q: params.get('q') ?? '',
    archived: archived === 'true' || archived === 'only' ? archived : 'false',
    sort: (SORTS as readonly string[]).includes(sort ?? '') ? (sort as TicketFilterValues['sort']) : 'newest',
    overdue: params.get('overdue') === 'true',
    slaAtRisk: params.get('slaAtRisk') === 'true',
    slaBreached: params.get('slaBreached') === 'true',
  };
}

function writeFilters(f: TicketFilterValues): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(filtersToQuery(f))) {
    if (value !== undefined && value !== null && value !== '') out[key] = String(value);
  }
  return out;
}

export function TicketsPage() {
  const { t } = useTranslation();
  const fmt = useFormatDate();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => readFilters(params), [params]);
  // Merged into the address as it is now, not as last rendered: two quick changes keep both.
  const setFilters = (next: Partial<TicketFilterValues>) =>
    setParams(writeFilters({ ...readFilters(new URLSearchParams(window.location.search)), ...next }), { replace: true });

  const [search, setSearch] = useState(filters.q);
  const [q] = useDebouncedValue(search, 300);
  // biome-ignore lint/correctness/useExhaustiveDependencies: push the debounced search into the address
  useEffect(() => {
    if (q.trim() !== filters.q.trim()) setFilters({ q });
  }, [q]);

  const phone = useMediaQuery('(max-width: 48em)', false, { getInitialValueInEffect: false });
  const [filtersOpen, { toggle: toggleFilters }] = useDisclosure(!phone);
  const canCreate = useCan('tickets.create');
  const canPickUsers = useCanAny('users.view', 'users.manage');
  const canBulk = useCanAny('tickets.assign', 'tickets.update');
  const categories = useCategories();
  const teams = useTeams();
  const projects = useProjects();
  const compact = preferencesOf(me.user).density === 'compact';
  const pageSize = preferencesOf(me.user).pageSize ?? 50;

  const query = filtersToQuery(filters);
  const list = useKeysetList<TicketSummary>(ticketListKey, '/api/v1/tickets', { ...query, limit: pageSize });
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const toggle = (n: number, on: boolean) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (on) next.add(n);
      else next.delete(n);
      return next;
    });
  const allSelected = list.items.length > 0 && list.items.every((i) => selected.has(i.number));

  const activeCount = [
    filters.status.length > 0,
    filters.kind,
    filters.priority,
    filters.assigneeId,
    filters.categoryId,
    filters.teamId,
    filters.projectId,
    filters.archived !== 'false',
    filters.overdue,
    filters.slaAtRisk,
    filters.slaBreached,
  ].filter(Boolean).length;

  const assigneeExtra = [
    { value: 'me', label: t('tickets.filters.me') },
    { value: 'none', label: t('tickets.filters.unassigned') },
  ];

  return (
    <>
      <PageHeader
        title={t('tickets.title')}
        actions={
          <>
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <Button variant="default" leftSection={<IconDownload size={16} aria-hidden />} data-testid="export-menu">
                  {t('tickets.export')}
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Item component="a" href={withQuery('/api/v1/tickets/export.csv', query)} download>
                  {t('tickets.exportCsv')}
                </Menu.Item>
                <Menu.Item component="a" href={withQuery('/api/v1/tickets/export.xlsx', query)} download>
                  {t('tickets.exportXlsx')}
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
            {canCreate ? (
              <Button
                component={Link}
                to="/tickets/new"
                leftSection={<IconPlus size={16} aria-hidden />}
                data-testid="new-ticket"
              >
                {t('tickets.new')}
              </Button>
            ) : null}
          </>
        }
      />

      <Group mb="sm" gap="sm" align="flex-end" wrap="wrap">
        <TextInput
          label={t('tickets.search')}
          placeholder={t('tickets.searchPlaceholder')}
          leftSection={<IconSearch size={16} aria-hidden />}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          type="search"
          style={{ flex: '1 1 220px' }}
          data-testid="ticket-search"
        />
        <Select
          label={t('tickets.sort')}
          data={SORTS.map((s) => ({ value: s, label: t(`tickets.sorts.${s}`) }))}
          value={filters.sort}
          onChange={(v) => setFilters({ sort: (v as TicketFilterValues['sort']) ?? 'newest' })}
          allowDeselect={false}
          style={{ flex: '0 1 180px' }}
        />
        <Button
          variant="default"
          onClick={toggleFilters}
          leftSection={<IconAdjustments size={16} aria-hidden />}
          aria-expanded={filtersOpen}
          aria-controls="ticket-filters"
        >
          {activeCount ? t('tickets.filtersCount', { count: activeCount }) : t('tickets.filtersTitle')}
        </Button>
        <SavedViews filters={filters} onPick={(f) => {
          setSearch(f.q ?? '');
          setParams(writeFilters({ ...emptyFilters, ...f }), { replace: true });
        }} />
      </Group>

      <Collapse expanded={filtersOpen} id="ticket-filters">
        <Group mb="md" gap="sm" align="flex-end" wrap="wrap" data-testid="ticket-filters">
          <MultiSelect
            label={t('tickets.fields.status')}
            placeholder={filters.status.length ? undefined : t('tickets.filters.any')}
            data={STATUSES.map((s) => ({ value: s, label: t(`tickets.statuses.${s}`) }))}
            value={filters.status}
            onChange={(v) => setFilters({ status: v })}
            clearable
            style={{ flex: '1 1 220px' }}
          />
          <Select
            label={t('tickets.fields.kind')}
            placeholder={t('tickets.filters.any')}
            data={KINDS.map((k) => ({ value: k, label: t(`tickets.kinds.${k}`) }))}
            value={filters.kind}
            onChange={(v) => setFilters({ kind: v })}
            clearable
            style={{ flex: '1 1 150px' }}
          />
          <Select
            label={t('tickets.fields.priority')}
            placeholder={t('tickets.filters.any')}
            data={PRIORITIES.map((p) => ({ value: p, label: t(`tickets.priorities.${p}`) }))}
            value={filters.priority}
            onChange={(v) => setFilters({ priority: v })}
            clearable
            style={{ flex: '1 1 150px' }}
          />
          {canPickUsers ? (
            <UserSelect
              label={t('tickets.fields.assignee')}
              placeholder={t('tickets.filters.any')}
              extra={assigneeExtra}
              value={filters.assigneeId}
              onChange={(v) => setFilters({ assigneeId: v })}
              style={{ flex: '1 1 180px' }}
            />
          ) : (
            <Select
              label={t('tickets.fields.assignee')}
              placeholder={t('tickets.filters.any')}
              data={assigneeExtra}
              value={filters.assigneeId}
              onChange={(v) => setFilters({ assigneeId: v })}
              clearable
              style={{ flex: '1 1 180px' }}
            />
          )}
          <Select
            label={t('tickets.fields.category')}
            placeholder={t('tickets.filters.any')}
            data={(categories.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
            value={filters.categoryId}
            onChange={(v) => setFilters({ categoryId: v })}
            clearable
            searchable
            style={{ flex: '1 1 180px' }}
          />
          <Select
            label={t('tickets.fields.team')}
            placeholder={t('tickets.filters.any')}
            data={(teams.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
            value={filters.teamId}
            onChange={(v) => setFilters({ teamId: v })}
            clearable
            style={{ flex: '1 1 160px' }}
          />
          {projects.data ? (
            <Select
              label={t('tickets.fields.project')}
              placeholder={t('tickets.filters.any')}
              data={projects.data.items.map((p) => ({ value: p.id, label: p.name }))}
              value={filters.projectId}
              onChange={(v) => setFilters({ projectId: v })}
              clearable
              searchable
              style={{ flex: '1 1 160px' }}
            />
          ) : null}
          <Select
            label={t('tickets.filters.archived')}
            data={(['false', 'true', 'only'] as const).map((a) => ({ value: a, label: t(`tickets.archivedOptions.${a}`) }))}
            value={filters.archived}
            onChange={(v) => setFilters({ archived: (v as TicketFilterValues['archived']) ?? 'false' })}
            allowDeselect={false}
            style={{ flex: '1 1 160px' }}
          />
          <Checkbox
            label={t('ticketLinks.overdueFilter')}
            checked={filters.overdue ?? false}
            onChange={(e) => setFilters({ overdue: e.currentTarget.checked })}
            style={{ alignSelf: 'flex-end', paddingBottom: 8 }}
            data-testid="filter-overdue"
          />
          <Checkbox
            label={t('sla.filterAtRisk')}
            checked={filters.slaAtRisk ?? false}
            onChange={(e) => setFilters({ slaAtRisk: e.currentTarget.checked })}
            style={{ alignSelf: 'flex-end', paddingBottom: 8 }}
            data-testid="filter-sla-at-risk"
          />
          <Checkbox
            label={t('sla.filterBreached')}
            checked={filters.slaBreached ?? false}
            onChange={(e) => setFilters({ slaBreached: e.currentTarget.checked })}
            style={{ alignSelf: 'flex-end', paddingBottom: 8 }}
            data-testid="filter-sla-breached"
          />
          {activeCount || filters.q ? (
            <Button
              variant="subtle"
              onClick={() => {
                setSearch('');
                setParams({}, { replace: true });
              }}
            >
              {t('tickets.filters.clear')}
            </Button>
          ) : null}
        </Group>
      </Collapse>

      {canBulk && selected.size > 0 ? (
        <BulkBar numbers={[...selected]} onDone={() => setSelected(new Set())} />
      ) : null}

      {list.isPending ? (
        <PageLoader />
      ) : list.isError ? (
        <ErrorAlert error={list.error} onRetry={() => list.refetch()} />
      ) : list.items.length === 0 ? (
        <EmptyState message={t('tickets.none')} />
      ) : phone ? (
        <Stack gap="xs" data-testid="ticket-cards">
          {list.items.map((ticket) => (
            <Card key={ticket.id} withBorder padding={compact ? 'xs' : 'sm'} data-testid="ticket-card">
              <Group justify="space-between" wrap="nowrap" align="flex-start" gap="xs">
                <Stack gap={4} style={{ minWidth: 0 }}>
                  <Anchor component={Link} to={`/tickets/${ticket.number}`} fw={600} data-testid="ticket-link" className="steward-wrap">
                    #{ticket.number} {ticket.title}
                  </Anchor>
                  <Text size="xs" c="dimmed">
                    {t(`tickets.kinds.${ticket.kind}`)} · {ticket.category?.name ?? t('tickets.noCategory')} ·{' '}
                    {fmt(ticket.updatedAt)}
                  </Text>
                </Stack>
                {canBulk ? (
                  <Checkbox
                    aria-label={t('tickets.selectOne', { number: ticket.number })}
                    checked={selected.has(ticket.number)}
                    onChange={(e) => toggle(ticket.number, e.currentTarget.checked)}
                  />
                ) : null}
              </Group>
              <Group gap="xs" mt="xs">
                <StatusBadge status={ticket.status} size="sm" />
                <PriorityBadge priority={ticket.priority} size="sm" />
                <OverdueBadge ticket={ticket} size="sm" />
                <SlaBadge sla={ticket.sla} size="sm" />
                {ticket.assignee ? (
                  <Text size="xs">{ticket.assignee.name}</Text>
                ) : (
                  <Text size="xs" c="dimmed">
                    {t('tickets.unassigned')}
                  </Text>
                )}
              </Group>
            </Card>
          ))}
        </Stack>
      ) : (
        <Table.ScrollContainer minWidth={900}>
          <Table striped highlightOnHover verticalSpacing={compact ? 4 : 'sm'} data-testid="tickets-table">
            <Table.Thead>
              <Table.Tr>
                {canBulk ? (
                  <Table.Th w={40}>
                    <Checkbox
                      aria-label={t('tickets.selectAll')}
                      checked={allSelected}
                      indeterminate={selected.size > 0 && !allSelected}
                      onChange={(e) =>
                        setSelected(e.currentTarget.checked ? new Set(list.items.map((i) => i.number)) : new Set())
                      }
                    />
                  </Table.Th>
                ) : null}
                <Table.Th>{t('tickets.fields.number')}</Table.Th>
                <Table.Th>{t('tickets.fields.title')}</Table.Th>
                <Table.Th>{t('tickets.fields.status')}</Table.Th>
                <Table.Th>{t('tickets.fields.priority')}</Table.Th>
                <Table.Th>{t('tickets.fields.category')}</Table.Th>
                <Table.Th>{t('tickets.fields.requester')}</Table.Th>
                <Table.Th>{t('tickets.fields.assignee')}</Table.Th>
                <Table.Th>{t('tickets.fields.due')}</Table.Th>
                <Table.Th>{t('sla.column')}</Table.Th>
                <Table.Th>{t('tickets.fields.updated')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.items.map((ticket) => (
                <Table.Tr key={ticket.id} data-testid="ticket-row" data-number={ticket.number}>
                  {canBulk ? (
                    <Table.Td>
                      <Checkbox
                        aria-label={t('tickets.selectOne', { number: ticket.number })}
                        checked={selected.has(ticket.number)}
                        onChange={(e) => toggle(ticket.number, e.currentTarget.checked)}
                      />
                    </Table.Td>
                  ) : null}
                  <Table.Td>#{ticket.number}</Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/tickets/${ticket.number}`} fw={500} data-testid="ticket-link" className="steward-wrap">
                      {ticket.title}
                    </Anchor>
                    <Group gap={4} mt={2}>
                      <Text size="xs" c="dimmed">
                        {t(`tickets.kinds.${ticket.kind}`)}
                      </Text>
                      {ticket.archived ? (
                        <Badge size="xs" color="gray" variant="light">
                          {t('tickets.archived')}
                        </Badge>
                      ) : null}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <StatusBadge status={ticket.status} size="sm" />
                  </Table.Td>
                  <Table.Td>
                    <PriorityBadge priority={ticket.priority} size="sm" />
                  </Table.Td>
                  <Table.Td>{ticket.category?.name ?? '—'}</Table.Td>
                  <Table.Td>{ticket.requester?.name ?? ticket.contact?.name ?? '—'}</Table.Td>
                  <Table.Td>
                    {ticket.assignee ? (
                      <Group gap={6} wrap="nowrap">
                        <UserAvatar size={22} name={ticket.assignee.name} color={ticket.assignee.color} aria-hidden />
                        <Text size="sm">{ticket.assignee.name}</Text>
                      </Group>
                    ) : ticket.team ? (
                      ticket.team.name
                    ) : (
                      <Text size="sm" c="dimmed">
                        {t('tickets.unassigned')}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="wrap">
                      <Text size="sm" span>
                        {ticket.dueAt ? fmt(ticket.dueAt, false) : '—'}
                      </Text>
                      <OverdueBadge ticket={ticket} size="sm" />
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <SlaBadge sla={ticket.sla} size="sm" />
                  </Table.Td>
                  <Table.Td>{fmt(ticket.updatedAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <LoadMore
        hasNextPage={list.hasNextPage}
        isFetchingNextPage={list.isFetchingNextPage}
        fetchNextPage={list.fetchNextPage}
      />
    </>
  );
}
