// Inventory on a ticket page: the "Supply" tab of a supply ticket (lines, stock, fulfil from a
// location) and the "Parts used" section with a "use part" action for technicians.
import { Alert, Anchor, Button, Group, Modal, Paper, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageLoader } from '../../components/PageLoader';
import { ApiError, get, post } from '../../lib/api';
import { useFormatDate } from '../../lib/format';
import { useCan, useCanAny } from '../../lib/useCan';
import { LocationSelect } from '../assets/parts';
import { SectionError } from '../tickets/SectionError';
import { ticketKey } from '../tickets/api';
import { usePartOptions } from './api';
import { MovementForm } from './MovementForm';
import { useFormatQuantity } from '../../lib/company';

interface SupplyLine {
  id?: string;
  partId: string;
  part?: { id: string; sku: string; name: string; unit?: string } | null;
  sku?: string;
  name?: string;
  unit?: string;
  quantity: number | string;
  issuedQuantity?: number | string | null;
  available?: number | string | null;
  stock?: { location: { id: string; name: string }; quantity: number | string }[];
}

interface SupplyAnswer {
  items: SupplyLine[];
  can?: { fulfil?: boolean };
}

interface UsedPart {
  movementId: string;
  partId?: string;
  part?: { id: string; sku: string; name: string; unit?: string } | null;
  sku?: string;
  name?: string;
  unit?: string;
  quantity: number | string;
  locationName?: string | null;
  location?: { name: string } | null;
  at?: string;
  createdAt?: string;
  actor?: { name: string } | null;
}

export function SupplyTab({ number }: { number: number }) {
  const qty = useFormatQuantity();
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const canFulfil = useCan('inventory.issue');
  const [locationId, setLocationId] = useState<string | null>(null);
  const key = ['ticket-supply', String(number)];
  const supply = useQuery({ queryKey: key, retry: false, queryFn: () => get<SupplyAnswer>(`/api/v1/tickets/${number}/supply`) });
  const fulfil = useMutation({
    mutationFn: () => post(`/api/v1/tickets/${number}/fulfil`, { locationId }),
    onSuccess: () => {
      notifications.show({ color: 'green', message: t('supply.fulfilled') });
      void queryClient.invalidateQueries({ queryKey: key });
      void queryClient.invalidateQueries({ queryKey: ticketKey(number) });
      void queryClient.invalidateQueries({ queryKey: ['ticket-parts', String(number)] });
    },
  });
  if (supply.isPending) return <PageLoader />;
  if (supply.isError) return <SectionError error={supply.error} onRetry={() => supply.refetch()} />;
  const lines = supply.data.items;
  const fulfilled = lines.length > 0 && lines.every((l) => Number(l.issuedQuantity ?? 0) >= Number(l.quantity));
  const allowed = supply.data.can?.fulfil ?? canFulfil;
  const insufficient = fulfil.error instanceof ApiError && fulfil.error.code === 'insufficient_stock';
  return (
    <Stack gap="sm" data-testid="supply-tab">
      <Table.ScrollContainer minWidth={0}>
        <Table striped data-testid="supply-lines">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('supply.partColumn')}</Table.Th>
              <Table.Th>{t('supply.requested')}</Table.Th>
              <Table.Th>{t('supply.inStock')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {lines.map((l) => (
              <Table.Tr key={l.id ?? l.part?.id} data-testid="supply-line-row">
                <Table.Td>
                  <Anchor component={Link} to={`/parts/${l.part?.id ?? l.partId}`} size="sm">
                    {l.part?.sku ?? l.sku} · {l.part?.name ?? l.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  {qty(l.quantity, l.part?.unit ?? l.unit)}
                  {l.issuedQuantity ? (
                    <Text size="xs" c="dimmed">
                      {t('supply.issued', { count: Number(l.issuedQuantity) })}
                    </Text>
                  ) : null}
                </Table.Td>
                <Table.Td>
                  {l.available ?? '—'}
                  {(l.stock ?? []).map((s) => (
                    <Text key={s.location.id} size="xs" c="dimmed">
                      {s.location.name}: {s.quantity}
                    </Text>
                  ))}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {fulfilled ? (
        <Alert color="green" data-testid="supply-fulfilled">
          {t('supply.alreadyFulfilled')}
        </Alert>
      ) : allowed ? (
        <Paper withBorder p="sm">
          <Group align="flex-end" gap="xs" wrap="wrap">
            <LocationSelect
              label={t('supply.fromLocation')}
              value={locationId}
              onChange={setLocationId}
              style={{ flex: '1 1 220px' }}
              data-testid="fulfil-location"
            />
            <Button onClick={() => fulfil.mutate()} disabled={!locationId} loading={fulfil.isPending} data-testid="fulfil">
              {t('supply.fulfil')}
            </Button>
          </Group>
          {insufficient ? (
            <Text c="red" size="sm" mt="xs" role="alert">
              {t('supply.insufficient')}
            </Text>
          ) : (
            <ErrorAlert error={fulfil.error} />
          )}
        </Paper>
      ) : null}
    </Stack>
  );
}

function UsePartModal({ number, onClose }: { number: number; onClose: () => void }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const parts = usePartOptions(q);
  const [partId, setPartId] = useState<string | null>(null);
  const part = parts.data?.items.find((p) => p.id === partId);
  return (
    <Modal opened onClose={onClose} title={t('parts.usePart')}>
      <Stack>
        <Select
          label={t('parts.part')}
          placeholder={t('search.parts')}
          searchable
          data={(parts.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.sku} · ${p.name}` }))}
          value={partId}
          onChange={setPartId}
          onSearchChange={setSearch}
          filter={({ options }) => options}
          nothingFoundMessage={t('common.nothingFound')}
          data-testid="use-part-select"
        />
        {partId ? (
          <MovementForm key={partId} partId={partId} unit={part?.unit} types={['consume']} ticketNumber={number} onDone={onClose} />
        ) : null}
      </Stack>
    </Modal>
  );
}

export function PartsUsed({ number }: { number: number }) {
  const qty = useFormatQuantity();
  const { t } = useTranslation();
  const fmt = useFormatDate();
  const canUse = useCan('inventory.issue');
  const canSee = useCanAny('inventory.view', 'inventory.issue', 'inventory.manage');
  const [opened, { open, close }] = useDisclosure(false);
  const used = useQuery({
    queryKey: ['ticket-parts', String(number)],
    retry: false,
    queryFn: () => get<{ items: UsedPart[] }>(`/api/v1/tickets/${number}/parts`),
  });
  if (used.isError && used.error instanceof ApiError && (used.error.status === 404 || used.error.status === 403)) return null;
  // People outside inventory only see the section when parts were used.
  if (!canSee && (used.isPending || used.isError || used.data.items.length === 0)) return null;
  return (
    <Paper withBorder p="sm" mt="md" data-testid="parts-used">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h5">
          {t('parts.used')}
        </Title>
        {canUse ? (
          <Button size="xs" variant="light" leftSection={<IconPlus size={14} aria-hidden />} onClick={open} data-testid="use-part">
            {t('parts.usePart')}
          </Button>
        ) : null}
      </Group>
      {used.isPending ? (
        <PageLoader />
      ) : used.isError ? (
        <SectionError error={used.error} onRetry={() => used.refetch()} />
      ) : used.data.items.length === 0 ? (
        <EmptyState message={t('parts.noneUsed')} />
      ) : (
        <Stack gap={4}>
          {used.data.items.map((u) => (
            <Text key={u.movementId} size="sm" data-testid="used-part">
              <Anchor component={Link} to={`/parts/${u.part?.id ?? u.partId}`} size="sm">
                {u.part?.sku ?? u.sku} · {u.part?.name ?? u.name}
              </Anchor>{' '}
              × {qty(Math.abs(Number(u.quantity)), u.part?.unit ?? u.unit)}
              <Text span size="xs" c="dimmed">
                {' '}
                · {fmt(u.at ?? u.createdAt)}
                {u.actor ? ` · ${u.actor.name}` : ''}
              </Text>
            </Text>
          ))}
        </Stack>
      )}
      {opened ? <UsePartModal number={number} onClose={close} /> : null}
    </Paper>
  );
}
