// Parts and consumables: list with a below-reorder filter, new/edit part, part page with stock per
// location, a movement form and the ledger.
import {
  Anchor,
  Badge,
  Button,
  Card,
  Grid,
  Group,
  Modal,
  MultiSelect,
  NumberInput,
  Paper,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue, useDisclosure, useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconArrowLeft, IconEdit, IconPlus, IconSearch } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { PageLoader } from '../../components/PageLoader';
import { api, get, type Page, post } from '../../lib/api';
import { useFormatDate } from '../../lib/format';
import { applyFieldErrors } from '../../lib/forms';
import { useKeysetList } from '../../lib/lists';
import { useCan } from '../../lib/useCan';
import { useAddressParams } from '../../lib/useAddressParams';
import { locationLabel, nameOf, useLocations } from '../assets/api';
import { type Movement, type Part, partKey, partsKey, totalOf, usePart, useVendors } from './api';
import { InventoryFiles } from './InventoryFiles';
import { MovementForm } from './MovementForm';
import { useFormatMoney, useFormatQuantity } from '../../lib/company';

export function BelowReorderBadge() {
  const { t } = useTranslation();
  return (
    <Badge color="red" variant="light" size="sm" data-testid="below-reorder">
      {t('parts.belowReorder')}
    </Badge>
  );
}

function PartModal({ part, onClose }: { part?: Part; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const vendors = useVendors();
  const n = (v: unknown) => (v === null || v === undefined || v === '' ? '' : Number(v));
  const form = useForm({
    initialValues: {
      sku: part?.sku ?? '',
      name: part?.name ?? '',
      unit: part?.unit ?? 'pcs',
      unitCost: n(part?.unitCost) as number | string,
      minQuantity: n(part?.minQuantity) as number | string,
      maxQuantity: n(part?.maxQuantity) as number | string,
      reorderPoint: n(part?.reorderPoint) as number | string,
      vendors: (part?.vendors ?? []).map((v) => v.vendorId),
    },
    validate: {
      sku: (v) => (v.trim() ? null : t('validation.required')),
      name: (v) => (v.trim() ? null : t('validation.required')),
      unit: (v) => (v.trim() ? null : t('validation.required')),
    },
  });
  const save = useMutation({
    mutationFn: (v: typeof form.values) => {
      const opt = (x: number | string) => (x === '' ? null : Number(x));
      const body = {
        sku: v.sku.trim(),
        name: v.name.trim(),
        unit: v.unit.trim(),
        ...(v.unitCost === '' ? {} : { unitCost: Number(v.unitCost) }),
        ...(v.minQuantity === '' ? {} : { minQuantity: Number(v.minQuantity) }),
        maxQuantity: opt(v.maxQuantity),
        ...(v.reorderPoint === '' ? {} : { reorderPoint: Number(v.reorderPoint) }),
        vendors: v.vendors.map((vendorId) => ({ vendorId })),
      };
      return part
        ? api<Part>(`/api/v1/parts/${part.id}`, {
            method: 'PATCH',
            body,
          })
        : post<Part>('/api/v1/parts', body);
    },
    onSuccess: (saved) => {
      notifications.show({ color: 'green', message: t('parts.saved') });
      void queryClient.invalidateQueries({ queryKey: partsKey });
      if (part) void queryClient.invalidateQueries({ queryKey: partKey(part.id) });
      onClose();
      const id = (saved as Part & { part?: Part })?.id ?? (saved as { part?: Part })?.part?.id;
      if (!part && id) navigate(`/parts/${id}`);
    },
    onError: (error) => applyFieldErrors(form, error),
  });
  return (
    <Modal opened onClose={onClose} title={part ? t('parts.editTitle', { sku: part.sku }) : t('parts.new')} size="lg">
      <form onSubmit={form.onSubmit((v) => save.mutate(v))} noValidate data-testid="part-form">
        <Stack>
          <ErrorAlert error={save.error} skipFieldErrors />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('parts.fields.sku')} required {...form.getInputProps('sku')} data-testid="part-sku" />
            <TextInput label={t('parts.fields.name')} required {...form.getInputProps('name')} data-testid="part-name" />
            <TextInput label={t('parts.fields.unit')} required {...form.getInputProps('unit')} />
            <NumberInput label={t('parts.fields.unitCost')} min={0} decimalScale={2} {...form.getInputProps('unitCost')} />
            <NumberInput label={t('parts.fields.minQuantity')} min={0} {...form.getInputProps('minQuantity')} />
            <NumberInput label={t('parts.fields.maxQuantity')} min={0} {...form.getInputProps('maxQuantity')} />
            <NumberInput
              label={t('parts.fields.reorderPoint')}
              min={0}
              {...form.getInputProps('reorderPoint')}
              data-testid="part-reorder"
            />
            <MultiSelect
              label={t('parts.fields.vendors')}
              data={(vendors.data?.items ?? []).map((v) => ({ value: v.id, label: v.name }))}
              searchable
              {...form.getInputProps('vendors')}
            />
          </SimpleGrid>
          <Button type="submit" loading={save.isPending} data-testid="save-part">
            {t('common.save')}
          </Button>
        </Stack>
      </form>
    </Modal>
  );
}

export function PartsPage() {
  const { t } = useTranslation();
  const money = useFormatMoney();
  const qty = useFormatQuantity();
  const canManage = useCan('inventory.manage');
  const [params, setParams] = useAddressParams();
  const below = params.get('belowReorder') === 'true';
  const [search, setSearch] = useState(params.get('q') ?? '');
  const [q] = useDebouncedValue(search.trim(), 300);
  // biome-ignore lint/correctness/useExhaustiveDependencies: push the debounced search into the address
  useEffect(() => {
    setParams({ q });
  }, [q]);
  const phone = useMediaQuery('(max-width: 48em)', false, { getInitialValueInEffect: false });
  const [creating, { open, close }] = useDisclosure(false);
  const list = useKeysetList<Part>([...partsKey, 'list'], '/api/v1/parts', {
    q: params.get('q') || undefined,
    belowReorder: below || undefined,
    limit: 50,
  });
  const items = below ? list.items.filter((p) => p.belowReorder !== false) : list.items;

  return (
    <>
      <PageHeader
        title={t('parts.title')}
        actions={
          canManage ? (
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={open} data-testid="new-part">
              {t('parts.new')}
            </Button>
          ) : null
        }
      />
      <Group mb="md" gap="sm" align="flex-end" wrap="wrap">
        <TextInput
          label={t('parts.search')}
          placeholder={t('search.parts')}
          leftSection={<IconSearch size={16} aria-hidden />}
          type="search"
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          style={{ flex: '1 1 220px' }}
          data-testid="part-search"
        />
        <Switch
          label={t('parts.onlyBelowReorder')}
          checked={below}
          onChange={(e) => setParams({ belowReorder: e.currentTarget.checked ? 'true' : null })}
          mb={8}
          data-testid="below-reorder-filter"
        />
      </Group>
      {list.isPending ? (
        <PageLoader />
      ) : list.isError ? (
        <ErrorAlert error={list.error} onRetry={() => list.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState message={t('parts.none')} />
      ) : phone ? (
        <Stack gap="xs" data-testid="part-cards">
          {items.map((p) => (
            <Card key={p.id} withBorder padding="sm" data-testid="part-card">
              <Anchor component={Link} to={`/parts/${p.id}`} fw={600} style={{ overflowWrap: 'anywhere' }}>
                {p.sku} · {p.name}
              </Anchor>
              <Group gap="xs" mt={4}>
                <Text size="sm">{t('parts.onHandQuantity', { quantity: qty(totalOf(p), p.unit) })}</Text>
                {p.belowReorder ? <BelowReorderBadge /> : null}
              </Group>
            </Card>
          ))}
        </Stack>
      ) : (
        <Table.ScrollContainer minWidth={700}>
          <Table striped highlightOnHover data-testid="parts-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('parts.fields.sku')}</Table.Th>
                <Table.Th>{t('parts.fields.name')}</Table.Th>
                <Table.Th>{t('parts.onHand')}</Table.Th>
                <Table.Th>{t('parts.fields.reorderPoint')}</Table.Th>
                <Table.Th>{t('parts.fields.unitCost')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((p) => (
                <Table.Tr key={p.id} data-testid="part-row">
                  <Table.Td>{p.sku}</Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/parts/${p.id}`} fw={500} className="steward-wrap">
                      {p.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs">
                      {qty(totalOf(p), p.unit)}
                      {p.belowReorder ? <BelowReorderBadge /> : null}
                    </Group>
                  </Table.Td>
                  <Table.Td>{p.reorderPoint ?? '—'}</Table.Td>
                  <Table.Td>{money(p.unitCost)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <LoadMore hasNextPage={list.hasNextPage} isFetchingNextPage={list.isFetchingNextPage} fetchNextPage={list.fetchNextPage} />
      {creating ? <PartModal onClose={close} /> : null}
    </>
  );
}

function Ledger({ part }: { part: Part }) {
  const { t } = useTranslation();
  const fmt = useFormatDate();
  const locations = useLocations();
  const list = useQuery({
    queryKey: ['part-movements', part.id],
    queryFn: () => get<Page<Movement>>(`/api/v1/parts/${part.id}/movements`, { limit: 200 }),
  });
  if (list.isPending) return <PageLoader />;
  if (list.isError) return <ErrorAlert error={list.error} onRetry={() => list.refetch()} />;
  if (!list.data.items.length) return <EmptyState message={t('parts.noMovements')} />;
  const loc = (id: string | null | undefined, ref?: { name: string } | null) => ref?.name ?? nameOf(locations.data?.items, id) ?? '—';
  return (
    <Table.ScrollContainer minWidth={0}>
      <Table striped data-testid="ledger">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('parts.when')}</Table.Th>
            <Table.Th>{t('parts.movementType')}</Table.Th>
            <Table.Th>{t('parts.quantity')}</Table.Th>
            <Table.Th>{t('parts.location')}</Table.Th>
            <Table.Th>{t('parts.note')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {list.data.items.map((m) => (
            <Table.Tr key={m.id} data-testid="ledger-row" data-type={m.type}>
              <Table.Td>
                {fmt(m.at)}
                {m.actor ? (
                  <Text size="xs" c="dimmed">
                    {m.actor.name}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td>{t(`parts.movements.${m.type}`, { defaultValue: m.type })}</Table.Td>
              <Table.Td>{m.quantity}</Table.Td>
              <Table.Td>
                {loc(m.location.id, m.location)}
                {m.type === 'transfer' && m.toLocation ? ` → ${loc(m.toLocation.id, m.toLocation)}` : ''}
              </Table.Td>
              <Table.Td>
                {m.ticketNumber ? (
                  <Anchor component={Link} to={`/tickets/${m.ticketNumber}`} size="sm">
                    #{m.ticketNumber}
                  </Anchor>
                ) : null}{' '}
                {m.note ?? ''}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export function PartPage() {
  const { t } = useTranslation();
  const money = useFormatMoney();
  const qty = useFormatQuantity();
  const { id } = useParams();
  const part = usePart(id);
  const locations = useLocations();
  const canManage = useCan('inventory.manage');
  const [editing, { open, close }] = useDisclosure(false);
  if (part.isPending) return <PageLoader />;
  if (part.isError) return <ErrorAlert error={part.error} onRetry={() => part.refetch()} />;
  const p = part.data;
  const vendorNames = (p.vendors ?? []).map((v) => v.vendorName);
  return (
    <>
      <Anchor component={Link} to="/parts" size="sm" mb="xs" display="inline-flex" style={{ alignItems: 'center', gap: 4 }}>
        <IconArrowLeft size={14} aria-hidden />
        {t('parts.backToList')}
      </Anchor>
      <Group justify="space-between" align="flex-start" mb="md">
        <Stack gap={4}>
          <Title order={1} size="h2" data-testid="part-title">
            <Text span inherit c="dimmed">
              {p.sku}
            </Text>{' '}
            {p.name}
          </Title>
          <Group gap="xs">
            <Text size="sm" data-testid="part-total">
              {t('parts.onHandQuantity', { quantity: qty(totalOf(p), p.unit) })}
            </Text>
            {p.belowReorder ? <BelowReorderBadge /> : null}
          </Group>
        </Stack>
        {canManage ? (
          <Button variant="default" leftSection={<IconEdit size={16} aria-hidden />} onClick={open} data-testid="edit-part">
            {t('common.edit')}
          </Button>
        ) : null}
      </Group>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Paper withBorder p="sm" mb="md">
            <SimpleGrid cols={{ base: 2, sm: 3 }}>
              {(['unit', 'unitCost', 'minQuantity', 'maxQuantity', 'reorderPoint'] as const).map((f) => (
                <div key={f}>
                  <Text size="xs" c="dimmed">
                    {t(`parts.fields.${f}`)}
                  </Text>
                  <Text size="sm">{f === 'unitCost' ? money(p.unitCost) : f === 'unit' ? (p.unit ?? '—') : p[f] === null || p[f] === undefined ? '—' : qty(p[f], p.unit)}</Text>
                </div>
              ))}
              <div>
                <Text size="xs" c="dimmed">
                  {t('parts.fields.vendors')}
                </Text>
                <Text size="sm">{vendorNames.join(', ') || '—'}</Text>
              </div>
            </SimpleGrid>
          </Paper>
          <Title order={2} size="h4" mb="xs">
            {t('parts.stockPerLocation')}
          </Title>
          {(p.stock ?? []).length === 0 ? (
            <EmptyState message={t('parts.noStock')} />
          ) : (
            <Table mb="md" data-testid="stock-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('parts.location')}</Table.Th>
                  <Table.Th>{t('parts.quantity')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {p.stock.map((s) => (
                  <Table.Tr key={s.location.id} data-testid="stock-row">
                    <Table.Td>{locationLabel(locations.data?.items, s.location.id) ?? s.location.name}</Table.Td>
                    <Table.Td>
                      {qty(s.quantity, p.unit)}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          <Title order={2} size="h4" mb="xs">
            {t('parts.ledger')}
          </Title>
          <Ledger part={p} />
          <Title order={2} size="h4" mt="md" mb="xs">
            {t('inventoryFiles.title')}
          </Title>
          <InventoryFiles owner="parts" id={p.id} />
        </Grid.Col>
        {canManage ? (
          <Grid.Col span={{ base: 12, md: 4 }}>
            <Paper withBorder p="sm">
              <Title order={2} size="h5" mb="sm">
                {t('parts.recordMovement')}
              </Title>
              <MovementForm partId={p.id} unit={p.unit} />
            </Paper>
          </Grid.Col>
        ) : null}
      </Grid>
      {editing ? <PartModal part={p} onClose={close} /> : null}
    </>
  );
}
