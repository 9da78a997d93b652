// One asset: details and custom fields, check-out/check-in, QR code with its public report link,
// children, linked tickets, files and the audit trail.
import {
  Alert,
  Anchor,
  Badge,
  Button,
  CopyButton,
  Grid,
  Group,
  Image,
  Modal,
  Paper,
  SimpleGrid,
  Stack,
  Tabs,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconArrowLeft, IconEdit, IconPrinter, IconRefresh } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ConfirmButton } from '../../components/ConfirmButton';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert, errorMessage } from '../../components/ErrorAlert';
import { PageLoader } from '../../components/PageLoader';
import { post } from '../../lib/api';
import { useFormatDate } from '../../lib/format';
import { useCan } from '../../lib/useCan';
import { useCompanyZone } from '../../lib/useCompanyZone';
import { todayIn } from '../../../shared/time';
import { UserSelect } from '../tickets/parts';
import { type AssetDetail, assetKey, assetsKey, locationLabel, nameOf, useAsset, useLocations, usePicklist } from './api';
import { AssetStatusBadge, OverdueBadge } from './parts';
import { AssetMaintenance } from '../maintenance/AssetMaintenance';
import { Files, History, LinkedTickets, show } from './AssetSections';
import { LinkedDocuments } from '../documents/LinkedDocuments';
import { QrAddressWarning } from './QrAddressWarning';
import { AssetMeters } from '../meters/AssetMeters';
import { useFormatMoney } from '../../lib/company';

function Fact({ label, value, testId }: { label: string; value: React.ReactNode; testId?: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" style={{ overflowWrap: 'anywhere' }} data-testid={testId}>
        {value ?? '—'}
      </Text>
    </div>
  );
}

function CheckoutPanel({ asset, canManage }: { asset: AssetDetail; canManage: boolean }) {
  const canCheckout = asset.can?.checkout ?? canManage;
  const canCheckin = asset.can?.checkin ?? canManage;
  const { t } = useTranslation();
  const fmt = useFormatDate();
  const queryClient = useQueryClient();
  const [opened, { open, close }] = useDisclosure(false);
  const zone = useCompanyZone();
  const form = useForm({ initialValues: { userId: null as string | null, expectedReturn: '', note: '' } });
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: assetKey(asset.id) });
    void queryClient.invalidateQueries({ queryKey: ['asset-history', asset.id] });
    void queryClient.invalidateQueries({ queryKey: assetsKey });
  };
  const checkout = useMutation({
    mutationFn: (v: { userId: string | null; expectedReturn: string }) =>
      post(`/api/v1/assets/${asset.id}/checkout`, {
        userId: v.userId,
        ...(v.expectedReturn ? { expectedReturn: v.expectedReturn } : {}),
      }),
    onSuccess: () => {
      notifications.show({ color: 'green', message: t('assets.checkedOut') });
      close();
      form.reset();
      refresh();
    },
  });
  const checkin = useMutation({
    mutationFn: (note: string) => post(`/api/v1/assets/${asset.id}/checkin`, note ? { note } : {}),
    onSuccess: () => {
      notifications.show({ color: 'green', message: t('assets.checkedIn') });
      form.reset();
      refresh();
    },
    onError: (error) => notifications.show({ color: 'red', message: errorMessage(t, error) }),
  });
  const out = !!asset.assignedTo;
  return (
    <Paper withBorder p="sm" data-testid="checkout-panel">
      <Title order={2} size="h5" mb="xs">
        {t('assets.assignment')}
      </Title>
      {out ? (
        <Stack gap={4}>
          <Text size="sm" data-testid="assigned-to">
            {t('assets.checkedOutTo', { name: asset.assignedTo?.name })}
          </Text>
          <Text size="xs" c="dimmed">
            {t('assets.since', { date: fmt(asset.checkedOutAt) })}
            {asset.expectedReturn ? ` · ${t('assets.expectedReturnOn', { date: fmt(asset.expectedReturn, false) })}` : ''}
          </Text>
          {asset.overdue ? <OverdueBadge /> : null}
          {canCheckin ? (
            <Stack gap="xs" mt="xs">
              <TextInput label={t('assets.checkinNote')} {...form.getInputProps('note')} />
              <Button onClick={() => checkin.mutate(form.values.note.trim())} loading={checkin.isPending} data-testid="checkin">
                {t('assets.checkin')}
              </Button>
            </Stack>
          ) : null}
        </Stack>
      ) : (
        <Stack gap="xs">
          <Text size="sm" c="dimmed">
            {t('assets.notCheckedOut')}
          </Text>
          {canCheckout ? (
            <Button onClick={open} data-testid="checkout">
              {t('assets.checkout')}
            </Button>
          ) : null}
        </Stack>
      )}
      <Modal opened={opened} onClose={close} title={t('assets.checkout')}>
        <form
          onSubmit={form.onSubmit((v) => {
            if (!v.userId) {
              form.setFieldError('userId', t('validation.required'));
              return;
            }
            checkout.mutate(v);
          })}
          noValidate
          data-testid="checkout-form"
        >
          <Stack>
            <ErrorAlert error={checkout.error} />
            <UserSelect
              label={t('assets.checkoutTo')}
              required
              value={form.values.userId}
              onChange={(v) => form.setFieldValue('userId', v)}
              error={form.errors.userId}
              data-testid="checkout-user"
            />
            <TextInput
              type="date"
              min={todayIn(zone)}
              label={t('assets.expectedReturn')}
              {...form.getInputProps('expectedReturn')}
              data-testid="expected-return"
            />
            <Button type="submit" loading={checkout.isPending} data-testid="confirm-checkout">
              {t('assets.checkout')}
            </Button>
          </Stack>
        </form>
      </Modal>
    </Paper>
  );
}

function QrPanel({ asset, canManage }: { asset: AssetDetail; canManage: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [bust, setBust] = useState(0);
  const regenerate = useMutation({
    mutationFn: () => post<{ publicUrl?: string }>(`/api/v1/assets/${asset.id}/public-token`),
    onSuccess: () => {
      setBust(Date.now());
      notifications.show({ color: 'green', message: t('assets.qr.regenerated') });
      void queryClient.invalidateQueries({ queryKey: assetKey(asset.id) });
    },
    onError: (error) => notifications.show({ color: 'red', message: errorMessage(t, error) }),
  });
  const url = asset.publicUrl ? new URL(asset.publicUrl, window.location.origin).toString() : null;
  return (
    <Paper withBorder p="sm" data-testid="qr-panel">
      <Title order={2} size="h5" mb="xs">
        {t('assets.qr.title')}
      </Title>
      <Stack gap="xs" align="flex-start">
        <QrAddressWarning />
        <Image
          src={`/api/v1/assets/${asset.id}/qr.png${bust ? `?v=${bust}` : ''}`}
          alt={t('assets.qr.alt', { tag: asset.tag })}
          w={160}
          h={160}
          fit="contain"
          data-testid="qr-image"
        />
        {url ? (
          <Anchor
            href={url}
            target="_blank"
            rel="noopener"
            size="xs"
            maw="100%"
            style={{ overflowWrap: 'anywhere' }}
            data-testid="public-url"
          >
            {url}
          </Anchor>
        ) : null}
        <Group gap="xs">
          {url ? (
            <CopyButton value={url}>
              {({ copied, copy }) => (
                <Button size="xs" variant="default" onClick={copy}>
                  {copied ? t('common.copied') : t('assets.copyLink')}
                </Button>
              )}
            </CopyButton>
          ) : null}
          <Button
            component="a"
            href={`/api/v1/assets/labels.pdf?ids=${asset.id}`}
            target="_blank"
            rel="noopener"
            size="xs"
            variant="default"
            leftSection={<IconPrinter size={14} aria-hidden />}
          >
            {t('assets.printLabel')}
          </Button>
          {canManage ? (
            <ConfirmButton
              size="xs"
              variant="light"
              color="orange"
              leftSection={<IconRefresh size={14} aria-hidden />}
              title={t('assets.qr.regenerate')}
              message={t('assets.qr.regenerateConfirm')}
              onConfirm={() => regenerate.mutate()}
              loading={regenerate.isPending}
              data-testid="regenerate-link"
            >
              {t('assets.qr.regenerate')}
            </ConfirmButton>
          ) : null}
        </Group>
      </Stack>
    </Paper>
  );
}

export function AssetPage() {
  const { t } = useTranslation();
  const fmt = useFormatDate();
  const money = useFormatMoney();
  const { id } = useParams();
  const asset = useAsset(id);
  const canManageGlobal = useCan('assets.manage');
  const canMaintain = useCan('maintenance.manage');
  const categories = usePicklist('categories');
  const manufacturers = usePicklist('manufacturers');
  const conditions = usePicklist('conditions');
  const locations = useLocations();
  const [tab, setTab] = useState<string | null>('tickets');
  if (asset.isPending) return <PageLoader />;
  if (asset.isError) return <ErrorAlert error={asset.error} onRetry={() => asset.refetch()} />;
  const a = asset.data;
  const canManage = a.can?.update ?? canManageGlobal;
  const category = categories.data?.items.find((c) => c.id === a.categoryId);
  const defs = category?.customFields ?? [];
  const custom = a.customFields ?? {};
  const location = locationLabel(locations.data?.items, a.locationId) ?? a.location?.name;

  return (
    <>
      <Anchor component={Link} to="/assets" size="sm" mb="xs" display="inline-flex" style={{ alignItems: 'center', gap: 4 }}>
        <IconArrowLeft size={14} aria-hidden />
        {t('assets.backToList')}
      </Anchor>
      <Group justify="space-between" align="flex-start" mb="md" gap="sm">
        <Stack gap={6} style={{ minWidth: 0, flex: '1 1 260px' }}>
          <Title order={1} size="h2" style={{ overflowWrap: 'anywhere' }} data-testid="asset-title">
            <Text span inherit c="dimmed" data-testid="asset-tag-title">
              {a.tag}
            </Text>{' '}
            {a.name}
          </Title>
          <Group gap="xs">
            <AssetStatusBadge status={a.status} size="lg" />
            {a.overdue ? <OverdueBadge size="lg" /> : null}
          </Group>
        </Stack>
        {canManage ? (
          <Button
            component={Link}
            to={`/assets/${a.id}/edit`}
            variant="default"
            leftSection={<IconEdit size={16} aria-hidden />}
            data-testid="edit-asset"
          >
            {t('common.edit')}
          </Button>
        ) : null}
      </Group>

      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Paper withBorder p="sm" mb="md" data-testid="asset-details">
            <SimpleGrid cols={{ base: 1, xs: 2, sm: 3 }} spacing="sm">
              <Fact label={t('assets.fields.category')} value={a.category?.name ?? category?.name} />
              <Fact
                label={t('assets.fields.manufacturer')}
                value={a.manufacturer?.name ?? nameOf(manufacturers.data?.items, a.manufacturerId)}
              />
              <Fact label={t('assets.fields.model')} value={a.model} />
              <Fact label={t('assets.fields.serial')} value={a.serial} />
              <Fact label={t('assets.fields.condition')} value={a.condition?.name ?? nameOf(conditions.data?.items, a.conditionId)} />
              <Fact
                label={t('assets.fields.location')}
                value={
                  a.locationId ? (
                    <Anchor component={Link} to={`/locations/${a.locationId}`} size="sm">
                      {location ?? '—'}
                    </Anchor>
                  ) : null
                }
              />
              <Fact
                label={t('assets.fields.parent')}
                value={
                  a.parentId ? (
                    <Anchor component={Link} to={`/assets/${a.parentId}`} size="sm">
                      {a.parent?.name ?? t('assets.parentAsset')}
                    </Anchor>
                  ) : null
                }
              />
              <Fact label={t('assets.fields.department')} value={a.department?.name} />
              <Fact label={t('assets.fields.modelNumber')} value={a.modelNumber} />
              <Fact label={t('assets.fields.vendor')} value={a.vendor?.name} />
              <Fact label={t('assets.fields.orderNumber')} value={a.orderNumber} />
              <Fact label={t('assets.fields.purchaseDate')} value={a.purchaseDate ? fmt(a.purchaseDate, false) : null} />
              <Fact
                label={t('assets.fields.purchaseCost')}
                value={a.purchaseCost === null || a.purchaseCost === undefined ? null : money(a.purchaseCost)}
              />
              <Fact label={t('assets.fields.warrantyEnd')} value={a.warrantyEnd ? fmt(a.warrantyEnd, false) : null} />
              <Fact label={t('assets.fields.endOfLife')} value={a.endOfLife ? fmt(a.endOfLife, false) : null} />
              {defs.map((d) => (
                <Fact key={d.key} label={d.label} value={show(custom[d.key])} testId={`custom-value-${d.key}`} />
              ))}
              {Object.keys(custom)
                .filter((k) => !defs.some((d) => d.key === k))
                .map((k) => (
                  <Fact key={k} label={k} value={show(custom[k])} testId={`custom-value-${k}`} />
                ))}
            </SimpleGrid>
          </Paper>
          <AssetMeters assetId={String(a.id)} />

          <Tabs value={tab} onChange={setTab} keepMounted={false}>
            <Tabs.List mb="sm" style={{ flexWrap: 'wrap' }}>
              <Tabs.Tab value="tickets" data-testid="tab-asset-tickets">
                {t('assets.tabs.tickets')}
                {a.tickets?.length ? (
                  <Badge size="xs" ml={6} variant="light">
                    {a.tickets.length}
                  </Badge>
                ) : null}
              </Tabs.Tab>
              <Tabs.Tab value="children" data-testid="tab-asset-children">
                {t('assets.tabs.children')}
              </Tabs.Tab>
              <Tabs.Tab value="files" data-testid="tab-asset-files">
                {t('assets.tabs.files')}
              </Tabs.Tab>
              <Tabs.Tab value="history" data-testid="tab-asset-history">
                {t('assets.tabs.history')}
              </Tabs.Tab>
              {canMaintain ? (
                <Tabs.Tab value="maintenance" data-testid="tab-asset-maintenance">
                  {t('assets.tabs.maintenance')}
                </Tabs.Tab>
              ) : null}
            </Tabs.List>
            <Tabs.Panel value="tickets">
              <LinkedTickets asset={a} canManage={canManage} />
            </Tabs.Panel>
            <Tabs.Panel value="children">
              {a.children?.length ? (
                <Stack gap="xs" data-testid="asset-children">
                  {a.children.map((c) => (
                    <Paper key={c.id} withBorder p="xs">
                      <Group justify="space-between" gap="xs">
                        <Anchor component={Link} to={`/assets/${c.id}`}>
                          {c.tag} · {c.name}
                        </Anchor>
                      </Group>
                    </Paper>
                  ))}
                </Stack>
              ) : (
                <EmptyState message={t('assets.noChildren')} />
              )}
            </Tabs.Panel>
            <Tabs.Panel value="files">
              <Files asset={a} canManage={canManage} />
            </Tabs.Panel>
            <Tabs.Panel value="history">
              <History asset={a} />
            </Tabs.Panel>
            {canMaintain ? (
              <Tabs.Panel value="maintenance">
                <AssetMaintenance assetId={a.id} />
              </Tabs.Panel>
            ) : null}
          </Tabs>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="md">
            <CheckoutPanel asset={a} canManage={canManage} />
            <QrPanel asset={a} canManage={canManage} />
            <LinkedDocuments assetId={a.id} />
            {a.status === 'disposed' ? <Alert color="gray">{t('assets.disposedNotice')}</Alert> : null}
          </Stack>
        </Grid.Col>
      </Grid>
    </>
  );
}
