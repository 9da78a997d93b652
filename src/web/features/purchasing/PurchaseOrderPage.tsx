// One purchase order: parties, lines (editable while draft), totals, the PDF, and what may be done
// next as the server's `can` map says — finalise, send again, receive, close, cancel — plus history.
import {
  ActionIcon,
  Anchor,
  Button,
  Card,
  Checkbox,
  Group,
  Modal,
  NumberInput,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Timeline,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconFileTypePdf, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import type { LineInput, PurchaseOrderAnswer, PurchaseOrderLine } from '../../../shared/contracts/purchasing';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { PageLoader } from '../../components/PageLoader';
import { del, patch } from '../../lib/api';
import { useFormatDate } from '../../lib/format';
import { LocationSelect } from '../assets/parts';
import { money, orderKey, ordersKey, plannedKey, type PurchaseOrder, useOrder, useOrderAction, useOrderHistory } from './api';
import { StatusBadge } from './PurchaseOrdersPage';

function Party({ title, name, lines }: { title: string; name: string; lines: Array<string | null | undefined> }) {
  return (
    <Card withBorder padding="sm">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {title}
      </Text>
      <Text fw={600}>{name}</Text>
      {lines.filter(Boolean).map((l) => (
        <Text key={l} size="sm" style={{ whiteSpace: 'pre-line' }}>
          {l}
        </Text>
      ))}
    </Card>
  );
}

type EditLine = Omit<LineInput, 'quantity' | 'unitPrice'> & { key: string; quantity: number | string; unitPrice: number | string };

function LineEditor({ po, onDone }: { po: PurchaseOrder; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [lines, setLines] = useState<EditLine[]>(po.lines.map((l) => ({ ...l, key: l.id, costCode: l.costCode ?? '' })));
  const set = (key: string, change: Partial<EditLine>) => setLines((ls) => ls.map((l) => (l.key === key ? { ...l, ...change } : l)));
  const save = useMutation({
    mutationFn: () =>
      patch<PurchaseOrderAnswer>(`/api/v1/purchase-orders/${po.id}`, {
        lines: lines.map(({ key: _k, ...l }) => ({
          ...l,
          quantity: Number(l.quantity),
          unitPrice: Number(l.unitPrice),
          costCode: l.costCode?.trim() || null,
        })),
      }),
    onSuccess: (answer) => {
      queryClient.setQueryData(orderKey(po.id), answer.purchaseOrder);
      void queryClient.invalidateQueries({ queryKey: plannedKey });
      onDone();
    },
  });
  return (
    <Stack>
      <ErrorAlert error={save.error} />
      <Table.ScrollContainer minWidth={640}>
        <Table data-testid="line-editor">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('purchasing.fields.description')}</Table.Th>
              <Table.Th>{t('purchasing.fields.quantity')}</Table.Th>
              <Table.Th>{t('purchasing.fields.unitPrice')}</Table.Th>
              <Table.Th>{t('purchasing.fields.costCode')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {lines.map((l) => (
              <Table.Tr key={l.key}>
                <Table.Td>
                  <TextInput
                    aria-label={t('purchasing.fields.description')}
                    value={l.description}
                    onChange={(e) => set(l.key, { description: e.currentTarget.value })}
                  />
                </Table.Td>
                <Table.Td>
                  <NumberInput
                    aria-label={t('purchasing.fields.quantity')}
                    min={0}
                    decimalScale={3}
                    value={l.quantity}
                    onChange={(v) => set(l.key, { quantity: v })}
                    w={90}
                    data-testid="line-quantity"
                  />
                </Table.Td>
                <Table.Td>
                  <NumberInput
                    aria-label={t('purchasing.fields.unitPrice')}
                    min={0}
                    decimalScale={4}
                    value={l.unitPrice}
                    onChange={(v) => set(l.key, { unitPrice: v })}
                    w={110}
                  />
                </Table.Td>
                <Table.Td>
                  <TextInput
                    aria-label={t('purchasing.fields.costCode')}
                    value={l.costCode ?? ''}
                    onChange={(e) => set(l.key, { costCode: e.currentTarget.value })}
                    w={110}
                  />
                </Table.Td>
                <Table.Td>
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    aria-label={t('common.delete')}
                    onClick={() => setLines((ls) => ls.filter((x) => x.key !== l.key))}
                    disabled={lines.length === 1}
                  >
                    <IconTrash size={16} />
                  </ActionIcon>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Group>
        <Button
          variant="default"
          leftSection={<IconPlus size={16} />}
          onClick={() => setLines((ls) => [...ls, { key: crypto.randomUUID(), description: '', quantity: 1, unitPrice: 0, costCode: '' }])}
        >
          {t('purchasing.addLine')}
        </Button>
        <Button onClick={() => save.mutate()} loading={save.isPending} data-testid="lines-save">
          {t('common.save')}
        </Button>
        <Button variant="subtle" onClick={onDone}>
          {t('common.cancel')}
        </Button>
      </Group>
    </Stack>
  );
}

function ReceiveModal({ po, onClose }: { po: PurchaseOrder; onClose: () => void }) {
  const { t } = useTranslation();
  const receive = useOrderAction<{ lines: Array<{ lineId: string; quantity: number; locationId?: string; createAssets?: boolean }> }>(po.id, 'receive');
  const [locationId, setLocationId] = useState<string | null>(null);
  const open = po.lines.filter((l) => l.receivedQuantity < l.quantity);
  const [amounts, setAmounts] = useState<Record<string, number | string>>(
    Object.fromEntries(open.map((l) => [l.id, l.quantity - l.receivedQuantity])),
  );
  const [assets, setAssets] = useState<Record<string, boolean>>(Object.fromEntries(open.map((l) => [l.id, Boolean(l.assetCategoryId)])));
  const submit = () =>
    receive.mutate(
      {
        lines: open
          .filter((l) => Number(amounts[l.id]) > 0)
          .map((l) => ({ lineId: l.id, quantity: Number(amounts[l.id]), locationId: locationId ?? undefined, createAssets: l.assetCategoryId ? assets[l.id] : undefined })),
      },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', message: t('purchasing.receivedDone') });
          onClose();
        },
      },
    );
  return (
    <Modal opened onClose={onClose} title={t('purchasing.receiveTitle', { number: po.number })} size="lg">
      <Stack>
        <ErrorAlert error={receive.error} />
        <LocationSelect
          label={t('purchasing.receiveInto')}
          placeholder={t('purchasing.receiveIntoDefault')}
          value={locationId}
          onChange={setLocationId}
          data-testid="receive-location"
        />
        {open.map((l: PurchaseOrderLine) => (
          <Group key={l.id} justify="space-between" wrap="nowrap" data-testid="receive-line">
            <Stack gap={0} style={{ minWidth: 0 }}>
              <Text size="sm" fw={500} truncate>
                {l.description}
              </Text>
              <Text size="xs" c="dimmed">
                {t('purchasing.receivedOf', { received: l.receivedQuantity, ordered: l.quantity })}
              </Text>
            </Stack>
            <Group gap="xs" wrap="nowrap">
              {l.assetCategoryId ? (
                <Checkbox
                  label={t('purchasing.createAssets')}
                  checked={assets[l.id]}
                  onChange={(e) => setAssets({ ...assets, [l.id]: e.currentTarget.checked })}
                />
              ) : null}
              <NumberInput
                aria-label={t('purchasing.receiveQuantity')}
                min={0}
                decimalScale={3}
                value={amounts[l.id]}
                onChange={(v) => setAmounts({ ...amounts, [l.id]: v })}
                w={100}
                data-testid="receive-quantity"
              />
            </Group>
          </Group>
        ))}
        <Button onClick={submit} loading={receive.isPending} data-testid="receive-submit">
          {t('purchasing.receive')}
        </Button>
      </Stack>
    </Modal>
  );
}

function CancelModal({ po, onClose }: { po: PurchaseOrder; onClose: () => void }) {
  const { t } = useTranslation();
  const cancel = useOrderAction<{ reason: string }>(po.id, 'cancel');
  const [reason, setReason] = useState('');
  return (
    <Modal opened onClose={onClose} title={t('purchasing.cancelTitle', { number: po.number })}>
      <Stack>
        <ErrorAlert error={cancel.error} />
        <Textarea
          label={t('purchasing.cancelReason')}
          required
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          autosize
          minRows={2}
          data-testid="cancel-reason"
        />
        <Button
          color="red"
          disabled={!reason.trim()}
          loading={cancel.isPending}
          onClick={() => cancel.mutate({ reason: reason.trim() }, { onSuccess: onClose })}
          data-testid="cancel-submit"
        >
          {t('purchasing.cancelOrder')}
        </Button>
      </Stack>
    </Modal>
  );
}

function History({ id }: { id: string }) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const history = useOrderHistory(id);
  if (!history.data) return null;
  return (
    <Timeline bulletSize={14} lineWidth={2} data-testid="po-history">
      {history.data.items.map((e) => (
        <Timeline.Item key={e.id} title={t(`purchasing.events.${e.event}`)}>
          <Text size="xs" c="dimmed">
            {e.actor?.name ?? '—'} · {formatDate(e.at)}
            {e.event === 'sent' && e.details.mailed === false ? ` · ${t('purchasing.notMailed')}` : ''}
            {e.event === 'cancelled' ? ` · ${String(e.details.reason ?? '')}` : ''}
          </Text>
        </Timeline.Item>
      ))}
    </Timeline>
  );
}

export function PurchaseOrderPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const order = useOrder(id);
  const [editing, setEditing] = useState(false);
  const [dialog, setDialog] = useState<'receive' | 'cancel' | null>(null);
  const [preview, setPreview] = useState(false);
  const finalize = useOrderAction(id, 'finalize');
  const send = useOrderAction(id, 'send');
  const close = useOrderAction(id, 'close');
  const remove = useMutation({
    mutationFn: () => del(`/api/v1/purchase-orders/${id}`),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ordersKey });
      void queryClient.invalidateQueries({ queryKey: plannedKey });
      navigate('/purchase-orders');
    },
  });
  if (order.isPending) return <PageLoader />;
  if (order.isError) return <ErrorAlert error={order.error} onRetry={() => order.refetch()} />;
  const po = order.data;
  const can = po.can;
  return (
    <>
      <PageHeader
        title={
          <Group gap="sm">
            <span data-testid="po-number">{po.number ?? t('purchasing.draftNumber', { id: po.id })}</span>
            <StatusBadge status={po.status} />
          </Group>
        }
        description={po.cancelReason ? t('purchasing.cancelledBecause', { reason: po.cancelReason }) : undefined}
        actions={
          <>
            <Button
              component="a"
              href={po.pdfUrl}
              target="_blank"
              variant="default"
              leftSection={<IconFileTypePdf size={16} />}
              data-testid="po-pdf"
            >
              {po.status === 'draft' ? t('purchasing.preview') : t('purchasing.pdf')}
            </Button>
            {can.edit && !editing ? (
              <Button variant="default" onClick={() => setEditing(true)} data-testid="po-edit">
                {t('purchasing.editLines')}
              </Button>
            ) : null}
            {can.delete ? (
              <ConfirmButton
                variant="default"
                title={t('purchasing.deleteDraft')}
                message={t('purchasing.deleteDraftConfirm')}
                onConfirm={() => remove.mutate()}
              >
                {t('purchasing.deleteDraft')}
              </ConfirmButton>
            ) : null}
            {can.finalize ? (
              <ConfirmButton
                danger={false}
                title={t('purchasing.finalize')}
                message={t('purchasing.finalizeConfirm', { vendor: po.vendor.name })}
                onConfirm={() => finalize.mutate(undefined)}
                loading={finalize.isPending}
                data-testid="po-finalize"
              >
                {t('purchasing.finalize')}
              </ConfirmButton>
            ) : null}
            {can.receive ? (
              <Button onClick={() => setDialog('receive')} data-testid="po-receive">
                {t('purchasing.receive')}
              </Button>
            ) : null}
            {can.send ? (
              <Button
                variant="default"
                onClick={() => send.mutate(undefined, { onSuccess: () => notifications.show({ message: t('purchasing.sentAgain') }) })}
                loading={send.isPending}
                data-testid="po-send"
              >
                {t('purchasing.sendAgain')}
              </Button>
            ) : null}
            {can.close ? (
              <Button variant="default" onClick={() => close.mutate(undefined)} loading={close.isPending}>
                {t('purchasing.close')}
              </Button>
            ) : null}
            {can.cancel ? (
              <Button variant="subtle" color="red" onClick={() => setDialog('cancel')} data-testid="po-cancel">
                {t('purchasing.cancelOrder')}
              </Button>
            ) : null}
          </>
        }
      />
      <ErrorAlert error={finalize.error ?? send.error ?? close.error ?? remove.error} />
      <SimpleGrid cols={{ base: 1, sm: 3 }} mb="lg">
        <Party title={t('purchasing.fields.buyingCompany')} name={po.buyingCompany.name} lines={[po.buyingCompany.address]} />
        <Party
          title={t('purchasing.fields.vendor')}
          name={po.vendor.name}
          lines={[po.vendor.address, po.vendor.contactName, po.vendor.email, po.vendor.paymentTerms]}
        />
        <Party
          title={t('purchasing.fields.shipTo')}
          name={po.shipTo.name}
          lines={[po.shipTo.address, t('purchasing.taxRate', { rate: po.taxRate })]}
        />
      </SimpleGrid>
      {editing ? (
        <LineEditor po={po} onDone={() => setEditing(false)} />
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table striped data-testid="po-lines">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>#</Table.Th>
                <Table.Th>{t('purchasing.fields.description')}</Table.Th>
                <Table.Th ta="right">{t('purchasing.fields.quantity')}</Table.Th>
                <Table.Th ta="right">{t('purchasing.fields.received')}</Table.Th>
                <Table.Th ta="right">{t('purchasing.fields.unitPrice')}</Table.Th>
                <Table.Th ta="right">{t('purchasing.fields.lineTotal')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {po.lines.map((l) => (
                <Table.Tr key={l.id} data-testid="po-line">
                  <Table.Td>{l.position}</Table.Td>
                  <Table.Td>
                    {l.description}
                    {l.costCode ? (
                      <Text size="xs" c="dimmed">
                        {t('purchasing.fields.costCode')}: {l.costCode}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td ta="right">{l.quantity}</Table.Td>
                  <Table.Td ta="right" data-testid="line-received">
                    {l.receivedQuantity}
                  </Table.Td>
                  <Table.Td ta="right">{l.unitPrice}</Table.Td>
                  <Table.Td ta="right">{l.lineTotal.toFixed(2)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Stack gap={2} align="flex-end" mt="md" data-testid="po-totals">
        <Text size="sm">
          {t('purchasing.fields.subtotal')}: {money(po.subtotal, po.currency)}
        </Text>
        <Text size="sm">
          {t('purchasing.fields.tax')} ({po.taxRate}%): {money(po.tax, po.currency)}
        </Text>
        <Text fw={700} data-testid="po-total">
          {t('purchasing.fields.total')}: {money(po.total, po.currency)}
        </Text>
      </Stack>
      {po.notes ? (
        <Text size="sm" mt="md" style={{ whiteSpace: 'pre-line' }}>
          {po.notes}
        </Text>
      ) : null}
      <Button variant="subtle" mt="md" px={0} onClick={() => setPreview((v) => !v)} aria-expanded={preview} data-testid="po-preview-toggle">
        {preview ? t('purchasing.hidePreview') : t('purchasing.showPreview')}
      </Button>
      {preview ? (
        <iframe src={po.pdfUrl} title={t('purchasing.preview')} style={{ width: '100%', height: 640, border: '1px solid var(--mantine-color-default-border)' }} data-testid="po-preview" />
      ) : null}
      <Title order={2} size="h4" mt="xl" mb="sm">
        {t('purchasing.history')}
      </Title>
      <History id={po.id} />
      <Text size="sm" mt="md">
        <Anchor href={`/purchase-orders?vendorId=${po.vendor.id}`}>{t('purchasing.vendorOrders', { name: po.vendor.name })}</Anchor>
      </Text>
      {dialog === 'receive' ? <ReceiveModal po={po} onClose={() => setDialog(null)} /> : null}
      {dialog === 'cancel' ? <CancelModal po={po} onClose={() => setDialog(null)} /> : null}
    </>
  );
}
