// Inventory on a ticket page: the "Supply" tab of a supply ticket (lines, stock, fulfil from a
// location, in full or in part) and the "Parts used" section with a "use part" action for technicians.
import { Alert, Anchor, Button, Group, Modal, NumberInput, Paper, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { SupplyLine, SupplyOfTicket } from '../../../shared/contracts/supply';
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

const outstanding = (l: SupplyLine) => Math.max(0, l.quantity - l.issuedQuantity);

export function SupplyTab({ number }: { number: number }) {
  const qty = useFormatQuantity();
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [locationId, setLocationId] = useState<string | null>(null);
  // What to issue now per line; a line left untouched issues everything outstanding.
  const [issueNow, setIssueNow] = useState<Record<string, number | string>>({});
  const key = ['ticket-supply', String(number)];
  const supply = useQuery({ queryKey: key, retry: false, queryFn: () => get<SupplyOfTicket>(`/api/v1/tickets/${number}/supply`) });
  const open = (supply.data?.items ?? []).filter((l) => outstanding(l) > 0);
  const planned = open.map((l) => ({ lineId: l.id, quantity: Number(issueNow[l.id] ?? outstanding(l)) || 0 }));
  const partial = planned.some((p, i) => p.quantity < outstanding(open[i]));
  const fulfil = useMutation({
    mutationFn: () =>
      post<{ ticket: { status: string } }>(`/api/v1/tickets/${number}/fulfil`, {
        locationId,
        ...(partial ? { lines: planned.filter((p) => p.quantity > 0) } : {}),
      }),
    onSuccess: (answer) => {
      notifications.show({ color: 'green', message: answer.ticket.status === 'closed' ? t('supply.fulfilled') : t('supply.partlyFulfilled') });
      setIssueNow({});
      void queryClient.invalidateQueries({ queryKey: key });
      void queryClient.invalidateQueries({ queryKey: ticketKey(number) });
      void queryClient.invalidateQueries({ queryKey: ['ticket-parts', String(number)] });
    },
  });
  if (supply.isPending) return <PageLoader />;
  if (supply.isError) return <SectionError error={supply.error} onRetry={() => supply.refetch()} />;
  const lines = supply.data.items;
  const fulfilled = lines.length > 0 && open.length === 0;
  const allowed = supply.data.can.fulfil;
  const insufficient = fulfil.error instanceof ApiError && fulfil.error.code === 'insufficient_stock';
  const nothing = planned.every((p) => p.quantity <= 0);
  return (
    <Stack gap="sm" data-testid="supply-tab">
      <Table.ScrollContainer minWidth={0}>
        <Table striped data-testid="supply-lines">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('supply.partColumn')}</Table.Th>
              <Table.Th>{t('supply.requested')}</Table.Th>
              <Table.Th>{t('supply.inStock')}</Table.Th>
              {allowed && !fulfilled ? <Table.Th>{t('supply.issueNow')}</Table.Th> : null}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {lines.map((l) => (
              <Table.Tr key={l.id} data-testid="supply-line-row">
                <Table.Td>
                  <Anchor component={Link} to={`/parts/${l.part.id}`} size="sm">
                    {l.part.sku} · {l.part.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  {qty(l.quantity, l.part.unit)}
                  {l.issuedQuantity ? (
                    <Text size="xs" c="dimmed">
                      {t('supply.issued', { count: l.issuedQuantity })}
                      {outstanding(l) > 0 ? ` · ${t('supply.outstanding', { count: outstanding(l) })}` : ''}
                    </Text>
                  ) : null}
                </Table.Td>
                <Table.Td>
                  {l.available}
                  {l.stock.map((s) => (
                    <Text key={s.location.id} size="xs" c="dimmed">
                      {s.location.name}: {s.quantity}
                    </Text>
                  ))}
                </Table.Td>
                {allowed && !fulfilled ? (
                  <Table.Td>
                    {outstanding(l) > 0 ? (
                      <NumberInput
                        size="xs"
                        w={100}
                        min={0}
                        max={outstanding(l)}
                        value={issueNow[l.id] ?? outstanding(l)}
                        onChange={(v) => setIssueNow((m) => ({ ...m, [l.id]: v }))}
                        aria-label={t('supply.issueNowLabel', { name: l.part.name })}
                        data-testid="issue-now"
                      />
                    ) : null}
                  </Table.Td>
                ) : null}
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
            <Button onClick={() => fulfil.mutate()} disabled={!locationId || nothing} loading={fulfil.isPending} data-testid="fulfil">
              {t('supply.fulfil')}
            </Button>
          </Group>
          {insufficient ? (
            <Text c="red" size="sm" mt="xs" role="alert">
              {fulfil.error?.message || t('supply.insufficient')}
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
