// What purchase orders are made of: buying companies (with logo), ship-to addresses with their tax
// rate, and the company's PO number pattern and over-receipt tolerance.
import {
  Button,
  Card,
  FileButton,
  Group,
  Image,
  NumberInput,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PurchasingSettings } from '../../../shared/contracts/purchasing';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { api, get, patch, post } from '../../lib/api';
import { useCan } from '../../lib/useCan';
import { buyingCompaniesKey, shipToKey, useBuyingCompanies, useShipTos } from './api';

function AddForm({ kind }: { kind: 'buying-companies' | 'ship-to' }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [address, setAddress] = useState('');
  const [taxRate, setTaxRate] = useState<number | string>(0);
  const add = useMutation({
    mutationFn: () => post(`/api/v1/${kind}`, kind === 'ship-to' ? { name, address, taxRate: Number(taxRate) } : { name, address }),
    onSuccess: () => {
      setName('');
      setAddress('');
      void queryClient.invalidateQueries({ queryKey: kind === 'ship-to' ? shipToKey : buyingCompaniesKey });
    },
  });
  return (
    <Stack gap="xs" mt="sm">
      <ErrorAlert error={add.error} />
      <TextInput
        label={t('purchasing.fields.name')}
        value={name}
        onChange={(e) => setName(e.currentTarget.value)}
        data-testid={`${kind}-name`}
      />
      <Textarea
        label={t('purchasing.fields.address')}
        value={address}
        onChange={(e) => setAddress(e.currentTarget.value)}
        autosize
        minRows={2}
        data-testid={`${kind}-address`}
      />
      {kind === 'ship-to' ? (
        <NumberInput
          label={t('purchasing.fields.taxRate')}
          min={0}
          max={100}
          decimalScale={4}
          value={taxRate}
          onChange={setTaxRate}
          data-testid="ship-to-tax"
        />
      ) : null}
      <Button onClick={() => add.mutate()} disabled={!name.trim()} loading={add.isPending} data-testid={`${kind}-add`}>
        {t('purchasing.add')}
      </Button>
    </Stack>
  );
}

function LogoButton({ id }: { id: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const upload = useMutation({
    mutationFn: (file: File) => {
      const form = new FormData();
      form.append('file', file);
      return api(`/api/v1/buying-companies/${id}/logo`, { method: 'PUT', body: form });
    },
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: buyingCompaniesKey }),
    onError: (e) => notifications.show({ color: 'red', message: e instanceof Error ? e.message : String(e) }),
  });
  return (
    <FileButton onChange={(f) => f && upload.mutate(f)} accept="image/png,image/jpeg">
      {(props) => (
        <Button size="xs" variant="default" loading={upload.isPending} {...props}>
          {t('purchasing.uploadLogo')}
        </Button>
      )}
    </FileButton>
  );
}

function SettingsCard() {
  const { t } = useTranslation();
  const canEdit = useCan('settings.manage');
  const queryClient = useQueryClient();
  const settings = useQuery({
    queryKey: ['purchasing-settings'],
    queryFn: async () => (await get<{ settings: PurchasingSettings }>('/api/v1/settings/purchasing')).settings,
  });
  const [draft, setDraft] = useState<Partial<PurchasingSettings>>({});
  const save = useMutation({
    mutationFn: () => patch('/api/v1/settings/purchasing', draft),
    onSuccess: () => {
      setDraft({});
      void queryClient.invalidateQueries({ queryKey: ['purchasing-settings'] });
      notifications.show({ color: 'green', message: t('purchasing.settingsSaved') });
    },
  });
  if (!settings.data) return null;
  const value = { ...settings.data, ...draft };
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="sm">
        {t('purchasing.settings')}
      </Title>
      <Stack gap="xs">
        <ErrorAlert error={save.error} />
        <TextInput
          label={t('purchasing.fields.pattern')}
          description={t('purchasing.patternHelp')}
          value={value.poNumberPattern}
          disabled={!canEdit}
          onChange={(e) => setDraft({ ...draft, poNumberPattern: e.currentTarget.value })}
        />
        <NumberInput
          label={t('purchasing.fields.tolerance')}
          min={0}
          max={100}
          decimalScale={2}
          value={value.overReceiptTolerancePercent}
          disabled={!canEdit}
          onChange={(v) => setDraft({ ...draft, overReceiptTolerancePercent: Number(v) })}
        />
        <TextInput
          label={t('purchasing.fields.currency')}
          value={value.currency}
          maxLength={3}
          disabled={!canEdit}
          onChange={(e) => setDraft({ ...draft, currency: e.currentTarget.value.toUpperCase() })}
        />
        {canEdit ? (
          <Button onClick={() => save.mutate()} disabled={Object.keys(draft).length === 0} loading={save.isPending}>
            {t('common.save')}
          </Button>
        ) : null}
      </Stack>
    </Card>
  );
}

export function PurchasingSetupPage() {
  const { t } = useTranslation();
  const companies = useBuyingCompanies();
  const shipTos = useShipTos();
  return (
    <>
      <PageHeader title={t('purchasing.setupTitle')} />
      <SimpleGrid cols={{ base: 1, md: 3 }}>
        <Card withBorder>
          <Title order={2} size="h4" mb="sm">
            {t('purchasing.buyingCompanies')}
          </Title>
          <Stack gap="sm">
            {(companies.data?.items ?? []).map((c) => (
              <Group key={c.id} justify="space-between" wrap="nowrap" data-testid="buying-company">
                <Stack gap={0} style={{ minWidth: 0 }}>
                  <Text fw={600}>{c.name}</Text>
                  <Text size="xs" c="dimmed" style={{ whiteSpace: 'pre-line' }}>
                    {c.address}
                  </Text>
                </Stack>
                <Group gap="xs" wrap="nowrap">
                  {c.logoUrl ? <Image src={c.logoUrl} alt="" h={32} w="auto" fit="contain" /> : null}
                  <LogoButton id={c.id} />
                </Group>
              </Group>
            ))}
          </Stack>
          <AddForm kind="buying-companies" />
        </Card>
        <Card withBorder>
          <Title order={2} size="h4" mb="sm">
            {t('purchasing.shipTos')}
          </Title>
          <Table>
            <Table.Tbody>
              {(shipTos.data?.items ?? []).map((s) => (
                <Table.Tr key={s.id} data-testid="ship-to">
                  <Table.Td>
                    <Text fw={600}>{s.name}</Text>
                    <Text size="xs" c="dimmed" style={{ whiteSpace: 'pre-line' }}>
                      {s.address}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right">{s.taxRate}%</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <AddForm kind="ship-to" />
        </Card>
        <SettingsCard />
      </SimpleGrid>
    </>
  );
}
