// The asset register: filters kept in the address (search, status, category, location subtree,
// assigned person), "load more", row selection for QR label sheets, exports; cards on phones.
import { Anchor, Button, Card, Checkbox, Group, Menu, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue, useMediaQuery } from '@mantine/hooks';
import { IconDownload, IconFileImport, IconPlus, IconPrinter, IconSearch } from '@tabler/icons-react';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { PageLoader } from '../../components/PageLoader';
import { type Query, withQuery } from '../../lib/api';
import { useKeysetList } from '../../lib/lists';
import { useCan, useCanAny } from '../../lib/useCan';
import { useAddressParams } from '../../lib/useAddressParams';
import { UserSelect } from '../tickets/parts';
import { ASSET_STATUSES, type Asset, assetListKey, locationLabel, nameOf, useLocations, usePicklist } from './api';
import { AssetStatusBadge, LocationSelect, OverdueBadge } from './parts';
import { QrAddressWarning } from './QrAddressWarning';

const FILTERS = ['q', 'status', 'categoryId', 'locationId', 'assignedToId'] as const;

export function readAssetFilters(params: URLSearchParams): Query {
  const out: Query = {};
  for (const key of FILTERS) {
    const v = params.get(key);
    if (v) out[key] = v;
  }
  return out;
}

export function AssetList({ fixed = {}, showFilters = true }: { fixed?: Query; showFilters?: boolean }) {
  const { t } = useTranslation();
  const [params, setParams] = useAddressParams();
  const filters = useMemo(() => ({ ...readAssetFilters(params), ...fixed }), [params, fixed]);
  const setFilter = (key: string, value: string | null) => setParams({ [key]: value });
  const [search, setSearch] = useState(String(filters.q ?? ''));
  const [q] = useDebouncedValue(search, 300);
  // biome-ignore lint/correctness/useExhaustiveDependencies: push the debounced search into the address
  useEffect(() => {
    if (q.trim() !== String(filters.q ?? '')) setFilter('q', q.trim() || null);
  }, [q]);

  const phone = useMediaQuery('(max-width: 48em)', false, { getInitialValueInEffect: false });
  const canPickUsers = useCanAny('users.view', 'users.manage');
  const categories = usePicklist('categories');
  const locations = useLocations();
  const list = useKeysetList<Asset>(assetListKey, '/api/v1/assets', { ...filters, limit: 50 });
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [paper, setPaper] = useState<string>('a4');
  const toggle = (id: string, on: boolean) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const allSelected = list.items.length > 0 && list.items.every((i) => selected.has(i.id));
  const catName = (a: Asset) => a.category?.name ?? nameOf(categories.data?.items, a.categoryId) ?? '—';
  const locName = (a: Asset) => locationLabel(locations.data?.items, a.locationId) ?? a.location?.name ?? '—';
  const labelsHref = withQuery('/api/v1/assets/labels.pdf', { ids: [...selected].join(','), paper });

  return (
    <>
      <Group mb="sm" gap="sm" align="flex-end" wrap="wrap" data-testid="asset-filters">
        <TextInput
          label={t('assets.search')}
          placeholder={t('assets.searchPlaceholder')}
          leftSection={<IconSearch size={16} aria-hidden />}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          type="search"
          style={{ flex: '1 1 220px' }}
          data-testid="asset-search"
        />
        <Select
          label={t('assets.fields.status')}
          placeholder={t('assets.any')}
          data={ASSET_STATUSES.map((s) => ({ value: s, label: t(`assets.statuses.${s}`) }))}
          value={(filters.status as string) ?? null}
          onChange={(v) => setFilter('status', v)}
          clearable
          style={{ flex: '1 1 150px' }}
          data-testid="filter-status"
        />
        <Select
          label={t('assets.fields.category')}
          placeholder={t('assets.any')}
          data={(categories.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
          value={(filters.categoryId as string) ?? null}
          onChange={(v) => setFilter('categoryId', v)}
          clearable
          searchable
          style={{ flex: '1 1 160px' }}
        />
        {fixed.locationId ? null : (
          <LocationSelect
            label={t('assets.fields.location')}
            placeholder={t('assets.any')}
            value={(filters.locationId as string) ?? null}
            onChange={(v) => setFilter('locationId', v)}
            style={{ flex: '1 1 200px' }}
            data-testid="filter-location"
          />
        )}
        {canPickUsers ? (
          <UserSelect
            label={t('assets.fields.assignedTo')}
            placeholder={t('assets.any')}
            value={(filters.assignedToId as string) ?? null}
            onChange={(v) => setFilter('assignedToId', v)}
            style={{ flex: '1 1 180px' }}
          />
        ) : null}
        {showFilters && FILTERS.some((k) => params.get(k)) ? (
          <Button
            variant="subtle"
            onClick={() => {
              setSearch('');
              setParams(Object.fromEntries(FILTERS.map((k) => [k, null])));
            }}
          >
            {t('assets.clearFilters')}
          </Button>
        ) : null}
      </Group>

      <Group mb="sm" gap="xs" wrap="wrap">
        <Menu position="bottom-start" withinPortal>
          <Menu.Target>
            <Button variant="default" size="sm" leftSection={<IconDownload size={16} aria-hidden />} data-testid="asset-export-menu">
              {t('assets.export')}
            </Button>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Item component="a" href={withQuery('/api/v1/assets/export.csv', filters)} download>
              {t('assets.exportCsv')}
            </Menu.Item>
            <Menu.Item component="a" href={withQuery('/api/v1/assets/export.xlsx', filters)} download>
              {t('assets.exportXlsx')}
            </Menu.Item>
          </Menu.Dropdown>
        </Menu>
        {selected.size > 0 ? <QrAddressWarning /> : null}
        {selected.size > 0 ? (
          <Group gap="xs" wrap="wrap" data-testid="label-bar">
            <Text size="sm">{t('assets.selected', { count: selected.size })}</Text>
            <Select
              aria-label={t('assets.paper')}
              data={[
                { value: 'a4', label: 'A4' },
                { value: 'letter', label: t('assets.letter') },
              ]}
              value={paper}
              onChange={(v) => setPaper(v ?? 'a4')}
              allowDeselect={false}
              size="sm"
              w={110}
            />
            <Button
              component="a"
              href={labelsHref}
              target="_blank"
              rel="noopener"
              size="sm"
              leftSection={<IconPrinter size={16} aria-hidden />}
              data-testid="print-labels"
            >
              {t('assets.printLabels')}
            </Button>
            <Button size="sm" variant="subtle" onClick={() => setSelected(new Set())}>
              {t('assets.clearSelection')}
            </Button>
          </Group>
        ) : null}
      </Group>

      {list.isPending ? (
        <PageLoader />
      ) : list.isError ? (
        <ErrorAlert error={list.error} onRetry={() => list.refetch()} />
      ) : list.items.length === 0 ? (
        <EmptyState message={t('assets.none')} />
      ) : phone ? (
        <Stack gap="xs" data-testid="asset-cards">
          {list.items.map((a) => (
            <Card key={a.id} withBorder padding="sm" data-testid="asset-card">
              <Group justify="space-between" wrap="nowrap" align="flex-start" gap="xs">
                <Stack gap={4} style={{ minWidth: 0 }}>
                  <Anchor component={Link} to={`/assets/${a.id}`} fw={600} data-testid="asset-link" style={{ overflowWrap: 'anywhere' }}>
                    {a.tag} · {a.name}
                  </Anchor>
                  <Text size="xs" c="dimmed">
                    {catName(a)} · {locName(a)}
                  </Text>
                </Stack>
                <Checkbox
                  aria-label={t('assets.selectOne', { tag: a.tag })}
                  checked={selected.has(a.id)}
                  onChange={(e) => toggle(a.id, e.currentTarget.checked)}
                />
              </Group>
              <Group gap="xs" mt="xs">
                <AssetStatusBadge status={a.status} size="sm" />
                {a.overdue ? <OverdueBadge size="sm" /> : null}
                {a.assignedTo ? <Text size="xs">{a.assignedTo.name}</Text> : null}
              </Group>
            </Card>
          ))}
        </Stack>
      ) : (
        <Table.ScrollContainer minWidth={800}>
          <Table striped highlightOnHover data-testid="assets-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={40}>
                  <Checkbox
                    aria-label={t('assets.selectAll')}
                    checked={allSelected}
                    indeterminate={selected.size > 0 && !allSelected}
                    onChange={(e) => setSelected(e.currentTarget.checked ? new Set(list.items.map((i) => i.id)) : new Set())}
                  />
                </Table.Th>
                <Table.Th>{t('assets.fields.tag')}</Table.Th>
                <Table.Th>{t('assets.fields.name')}</Table.Th>
                <Table.Th>{t('assets.fields.status')}</Table.Th>
                <Table.Th>{t('assets.fields.category')}</Table.Th>
                <Table.Th>{t('assets.fields.location')}</Table.Th>
                <Table.Th>{t('assets.fields.assignedTo')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.items.map((a) => (
                <Table.Tr key={a.id} data-testid="asset-row" data-id={a.id}>
                  <Table.Td>
                    <Checkbox
                      aria-label={t('assets.selectOne', { tag: a.tag })}
                      checked={selected.has(a.id)}
                      onChange={(e) => toggle(a.id, e.currentTarget.checked)}
                    />
                  </Table.Td>
                  <Table.Td>{a.tag}</Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/assets/${a.id}`} fw={500} data-testid="asset-link" className="steward-wrap">
                      {a.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      <AssetStatusBadge status={a.status} size="sm" />
                      {a.overdue ? <OverdueBadge size="sm" /> : null}
                    </Group>
                  </Table.Td>
                  <Table.Td>{catName(a)}</Table.Td>
                  <Table.Td>{locName(a)}</Table.Td>
                  <Table.Td>{a.assignedTo?.name ?? '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <LoadMore hasNextPage={list.hasNextPage} isFetchingNextPage={list.isFetchingNextPage} fetchNextPage={list.fetchNextPage} />
    </>
  );
}

export function AssetsPage() {
  const { t } = useTranslation();
  const canManage = useCan('assets.manage');
  return (
    <>
      <PageHeader
        title={t('assets.title')}
        actions={
          canManage ? (
            <>
              <Button
                component={Link}
                to="/assets/import"
                variant="default"
                leftSection={<IconFileImport size={16} aria-hidden />}
                data-testid="import-assets"
              >
                {t('assets.import.title')}
              </Button>
              <Button component={Link} to="/assets/new" leftSection={<IconPlus size={16} aria-hidden />} data-testid="new-asset">
                {t('assets.new')}
              </Button>
            </>
          ) : null
        }
      />
      <AssetList />
    </>
  );
}
