// The purchase plan: filters, a quick-add row, inline edits, bulk delete, and drafting the selected
// items into one purchase order per vendor.
import { ActionIcon, Button, Checkbox, Group, Modal, NumberInput, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconPencil, IconX } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ConfirmButton } from '../../components/ConfirmButton';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { PageLoader } from '../../components/PageLoader';
import { patch, post } from '../../lib/api';
import { useKeysetList } from '../../lib/lists';
import { type PlannedItem, type PurchaseOrder, plannedKey, ordersKey, useBuyingCompanies, useShipTos, useVendorChoices } from './api';

interface Draft {
  description: string;
  quantity: number | string;
  unitPrice: number | string;
  vendorId: string | null;
  costCode: string;
}

const empty: Draft = { description: '', quantity: 1, unitPrice: 0, vendorId: null, costCode: '' };
const body = (d: Draft) => ({
  description: d.description.trim(),
  quantity: Number(d.quantity),
  unitPrice: Number(d.unitPrice),
  vendorId: d.vendorId,
  costCode: d.costCode.trim() || null,
});

/** The editable cells of one row (the quick-add row and a row being edited). */
function RowInputs({
  value,
  onChange,
  vendors,
  onSubmit,
}: {
  value: Draft;
  onChange: (d: Draft) => void;
  vendors: { value: string; label: string }[];
  onSubmit: () => void;
}) {
  const { t } = useTranslation();
  const enter = (e: React.KeyboardEvent) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      onSubmit();
    }
  };
  return (
    <>
      <Table.Td>
        <TextInput
          aria-label={t('purchasing.fields.description')}
          value={value.description}
          onChange={(e) => onChange({ ...value, description: e.currentTarget.value })}
          onKeyDown={enter}
          data-testid="planned-description"
        />
      </Table.Td>
      <Table.Td>
        <NumberInput
          aria-label={t('purchasing.fields.quantity')}
          min={0}
          decimalScale={3}
          value={value.quantity}
          onChange={(q) => onChange({ ...value, quantity: q })}
          onKeyDown={enter}
          w={90}
          data-testid="planned-quantity"
        />
      </Table.Td>
      <Table.Td>
        <NumberInput
          aria-label={t('purchasing.fields.unitPrice')}
          min={0}
          decimalScale={4}
          value={value.unitPrice}
          onChange={(p) => onChange({ ...value, unitPrice: p })}
          onKeyDown={enter}
          w={110}
          data-testid="planned-price"
        />
      </Table.Td>
      <Table.Td />
      <Table.Td>
        <Select
          aria-label={t('purchasing.fields.vendor')}
          data={vendors}
          value={value.vendorId}
          onChange={(v) => onChange({ ...value, vendorId: v })}
          searchable
          clearable
          w={180}
          data-testid="planned-vendor"
        />
      </Table.Td>
      <Table.Td>
        <TextInput
          aria-label={t('purchasing.fields.costCode')}
          value={value.costCode}
          onChange={(e) => onChange({ ...value, costCode: e.currentTarget.value })}
          onKeyDown={enter}
          w={110}
        />
      </Table.Td>
    </>
  );
}

function DraftModal({ ids, onClose }: { ids: string[]; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const companies = useBuyingCompanies();
  const shipTos = useShipTos();
  const [buyingCompanyId, setBuyer] = useState<string | null>(null);
  const [shipToId, setShipTo] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: () =>
      post<{ purchaseOrders: PurchaseOrder[] }>('/api/v1/purchase-orders/drafts', { plannedItemIds: ids, buyingCompanyId, shipToId }),
    onSuccess: (answer) => {
      notifications.show({ color: 'green', message: t('purchasing.draftsMade', { count: answer.purchaseOrders.length }) });
      void queryClient.invalidateQueries({ queryKey: plannedKey });
      void queryClient.invalidateQueries({ queryKey: ordersKey });
      navigate(answer.purchaseOrders.length === 1 ? `/purchase-orders/${answer.purchaseOrders[0].id}` : '/purchase-orders?status=draft');
    },
  });
  const buyerOptions = (companies.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }));
  const shipOptions = (shipTos.data?.items ?? []).map((s) => ({ value: s.id, label: `${s.name} (${s.taxRate}%)` }));
  return (
    <Modal opened onClose={onClose} title={t('purchasing.createDrafts')}>
      <Stack>
        <Text size="sm">{t('purchasing.createDraftsHelp', { count: ids.length })}</Text>
        <ErrorAlert error={create.error} />
        <Select
          label={t('purchasing.fields.buyingCompany')}
          data={buyerOptions}
          value={buyingCompanyId}
          onChange={setBuyer}
          required
          data-testid="draft-buyer"
        />
        <Select
          label={t('purchasing.fields.shipTo')}
          data={shipOptions}
          value={shipToId}
          onChange={setShipTo}
          required
          data-testid="draft-ship-to"
        />
        <Button
          disabled={!buyingCompanyId || !shipToId}
          loading={create.isPending}
          onClick={() => create.mutate()}
          data-testid="draft-create"
        >
          {t('purchasing.createDrafts')}
        </Button>
      </Stack>
    </Modal>
  );
}

export function PlannedItemsPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [filters, setFilters] = useState<{ q: string; vendorId: string | null; costCode: string }>({ q: '', vendorId: null, costCode: '' });
  const list = useKeysetList<PlannedItem>(plannedKey, '/api/v1/planned-items', {
    q: filters.q,
    vendorId: filters.vendorId,
    costCode: filters.costCode.trim(),
    limit: 100,
  });
  const vendorList = useVendorChoices();
  const vendors = (vendorList.data?.items ?? []).map((v) => ({ value: v.id, label: v.name }));
  const [adding, setAdding] = useState<Draft>(empty);
  const [editing, setEditing] = useState<{ id: string; draft: Draft } | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [drafting, setDrafting] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: plannedKey });

  const add = useMutation({
    mutationFn: () => post('/api/v1/planned-items', body(adding)),
    onSuccess: () => {
      setAdding({ ...empty, vendorId: adding.vendorId, costCode: adding.costCode });
      void refresh();
    },
  });
  const save = useMutation({
    mutationFn: (e: { id: string; draft: Draft }) => patch(`/api/v1/planned-items/${e.id}`, body(e.draft)),
    onSuccess: () => {
      setEditing(null);
      void refresh();
    },
  });
  const remove = useMutation({
    mutationFn: () => post<{ deleted: number }>('/api/v1/planned-items/delete', { ids: [...selected] }),
    onSuccess: (answer) => {
      notifications.show({ message: t('purchasing.deleted', { count: answer.deleted }) });
      setSelected(new Set());
      void refresh();
    },
  });
  const toggle = (id: string) => setSelected((s) => (s.has(id) ? new Set([...s].filter((x) => x !== id)) : new Set([...s, id])));
  const items = list.items;

  return (
    <>
      <PageHeader
        title={t('purchasing.planTitle')}
        description={t('purchasing.planHelp')}
        actions={
          <>
            <ConfirmButton
              variant="default"
              disabled={selected.size === 0}
              title={t('purchasing.deleteSelected')}
              message={t('purchasing.deleteConfirm', { count: selected.size })}
              onConfirm={() => remove.mutate()}
              data-testid="planned-delete"
            >
              {t('purchasing.deleteSelected')}
            </ConfirmButton>
            <Button disabled={selected.size === 0} onClick={() => setDrafting(true)} data-testid="planned-draft">
              {t('purchasing.createDrafts')}
            </Button>
          </>
        }
      />
      <Group mb="md" gap="sm" wrap="wrap">
        <TextInput
          placeholder={t('purchasing.search')}
          value={filters.q}
          onChange={(e) => setFilters({ ...filters, q: e.currentTarget.value })}
          w={220}
          aria-label={t('purchasing.search')}
        />
        <Select
          placeholder={t('purchasing.fields.vendor')}
          aria-label={t('purchasing.fields.vendor')}
          data={[{ value: 'none', label: t('purchasing.noVendor') }, ...vendors]}
          value={filters.vendorId}
          onChange={(v) => setFilters({ ...filters, vendorId: v })}
          clearable
          searchable
          w={200}
        />
        <TextInput
          placeholder={t('purchasing.fields.costCode')}
          aria-label={t('purchasing.fields.costCode')}
          value={filters.costCode}
          onChange={(e) => setFilters({ ...filters, costCode: e.currentTarget.value })}
          w={140}
        />
      </Group>
      <ErrorAlert error={add.error ?? save.error ?? remove.error} />
      {list.isPending ? (
        <PageLoader />
      ) : list.isError ? (
        <ErrorAlert error={list.error} onRetry={() => list.refetch()} />
      ) : (
        <Table.ScrollContainer minWidth={820}>
          <Table striped data-testid="planned-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={36}>
                  <Checkbox
                    aria-label={t('purchasing.selectAll')}
                    checked={items.length > 0 && items.every((i) => selected.has(i.id))}
                    onChange={(e) => setSelected(e.currentTarget.checked ? new Set(items.map((i) => i.id)) : new Set())}
                  />
                </Table.Th>
                <Table.Th>{t('purchasing.fields.description')}</Table.Th>
                <Table.Th>{t('purchasing.fields.quantity')}</Table.Th>
                <Table.Th>{t('purchasing.fields.unitPrice')}</Table.Th>
                <Table.Th>{t('purchasing.fields.lineTotal')}</Table.Th>
                <Table.Th>{t('purchasing.fields.vendor')}</Table.Th>
                <Table.Th>{t('purchasing.fields.costCode')}</Table.Th>
                <Table.Th w={80} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((i) =>
                editing?.id === i.id ? (
                  <Table.Tr key={i.id} data-testid="planned-row">
                    <Table.Td />
                    <RowInputs
                      value={editing.draft}
                      onChange={(draft) => setEditing({ id: i.id, draft })}
                      vendors={vendors}
                      onSubmit={() => save.mutate(editing)}
                    />
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        <ActionIcon
                          aria-label={t('common.save')}
                          onClick={() => save.mutate(editing)}
                          loading={save.isPending}
                          data-testid="planned-save"
                        >
                          <IconCheck size={16} />
                        </ActionIcon>
                        <ActionIcon variant="default" aria-label={t('common.cancel')} onClick={() => setEditing(null)}>
                          <IconX size={16} />
                        </ActionIcon>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ) : (
                  <Table.Tr key={i.id} data-testid="planned-row">
                    <Table.Td>
                      <Checkbox
                        aria-label={t('purchasing.select', { name: i.description })}
                        checked={selected.has(i.id)}
                        onChange={() => toggle(i.id)}
                      />
                    </Table.Td>
                    <Table.Td>
                      {i.description}
                      {i.source === 'low_stock' ? (
                        <Text span size="xs" c="orange" ml="xs">
                          {t('purchasing.lowStock')}
                        </Text>
                      ) : null}
                    </Table.Td>
                    <Table.Td>{i.quantity}</Table.Td>
                    <Table.Td>{i.unitPrice}</Table.Td>
                    <Table.Td>{i.lineTotal.toFixed(2)}</Table.Td>
                    <Table.Td>{i.vendor?.name ?? '—'}</Table.Td>
                    <Table.Td>{i.costCode ?? '—'}</Table.Td>
                    <Table.Td>
                      <ActionIcon
                        variant="subtle"
                        aria-label={t('purchasing.edit', { name: i.description })}
                        onClick={() =>
                          setEditing({
                            id: i.id,
                            draft: {
                              description: i.description,
                              quantity: i.quantity,
                              unitPrice: i.unitPrice,
                              vendorId: i.vendor?.id ?? null,
                              costCode: i.costCode ?? '',
                            },
                          })
                        }
                      >
                        <IconPencil size={16} />
                      </ActionIcon>
                    </Table.Td>
                  </Table.Tr>
                ),
              )}
              <Table.Tr data-testid="planned-add-row">
                <Table.Td />
                <RowInputs
                  value={adding}
                  onChange={setAdding}
                  vendors={vendors}
                  onSubmit={() => adding.description.trim() && add.mutate()}
                />
                <Table.Td>
                  <Button
                    size="xs"
                    onClick={() => add.mutate()}
                    disabled={!adding.description.trim()}
                    loading={add.isPending}
                    data-testid="planned-add"
                  >
                    {t('purchasing.add')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {!list.isPending && items.length === 0 ? <EmptyState message={t('purchasing.planEmpty')} /> : null}
      <LoadMore hasNextPage={list.hasNextPage} isFetchingNextPage={list.isFetchingNextPage} fetchNextPage={list.fetchNextPage} />
      {drafting ? <DraftModal ids={[...selected]} onClose={() => setDrafting(false)} /> : null}
    </>
  );
}
