// Saved reports: the caller's own and those shared with the company (owner, shared badge); the
// builder creates and edits them; opening one runs it with its parameters (a relative period as of
// today) and shows its chart, a table of its chosen columns and the download menu.
import { ActionIcon, Anchor, Badge, Button, Group, ScrollArea, Skeleton, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { IconArrowLeft, IconEdit, IconPlus } from '@tabler/icons-react';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SavedReport } from '../../../shared/contracts/reports';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LoadMore } from '../../components/LoadMore';
import { DeleteButton } from '../../components/crud';
import { del, get } from '../../lib/api';
import { useCrudDelete, useCrudList, useEditing } from '../../lib/crud';
import { useFormatMoney } from '../../lib/company';
import { useCan } from '../../lib/useCan';
import { useCompanyZone } from '../../lib/useCompanyZone';
import { DownloadMenu } from './DownloadMenu';
import { SavedReportForm, savedKey } from './SavedReportForm';
import { FIELD_LABEL, fieldsOf, queryOf, REPORT_PATH, rowsOf } from './savedReportFields';

const SavedReportChart = lazy(() => import('./SavedReportChart').then((m) => ({ default: m.SavedReportChart })));

const figure = (v: number | null) => (v === null ? '—' : Number.isInteger(v) ? String(v) : v.toFixed(2));

function SavedReportView({ saved }: { saved: SavedReport }) {
  const { t } = useTranslation();
  const zone = useCompanyZone();
  const query = queryOf(saved.params, zone);
  const fields = fieldsOf(saved);
  const money = useFormatMoney();
  const show = (v: number | null) => (saved.report === 'costs' && v !== null ? money(v) : figure(v));
  const report = useQuery({
    queryKey: ['reports', saved.report, query],
    queryFn: ({ signal }) => get<Parameters<typeof rowsOf>[1]>(REPORT_PATH[saved.report], query, signal),
  });
  const rows = report.data ? rowsOf(saved.report, report.data) : [];
  return (
    <Stack data-testid="saved-view">
      <Group justify="space-between" wrap="wrap">
        <Text size="sm" c="dimmed">
          {t(`reports.tabs.${saved.report}`)} · {report.data ? `${report.data.from} – ${report.data.to}` : '…'}
        </Text>
        <DownloadMenu path={REPORT_PATH[saved.report]} query={query} testId="saved-download" />
      </Group>
      {report.error && <ErrorAlert error={report.error} />}
      {report.isPending && <Skeleton h={240} />}
      {report.data && rows.length === 0 && <EmptyState message={t('reports.saved.noRows')} />}
      {saved.chart !== 'table' && rows.length > 0 && (
        <Suspense fallback={<Skeleton h={240} />}>
          <SavedReportChart chart={saved.chart} rows={rows} fields={fields} />
        </Suspense>
      )}
      {rows.length > 0 && (
        <ScrollArea type="auto">
          <Table striped miw={Math.min(640, 160 + fields.length * 110)} data-testid="saved-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th />
                {fields.map((f) => (
                  <Table.Th key={f} ta="right">
                    {t(FIELD_LABEL[f] ?? f)}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={r.key}>
                  <Table.Td>{r.label}</Table.Td>
                  {fields.map((f) => (
                    <Table.Td key={f} ta="right">
                      {show(r.values[f] ?? null)}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      )}
    </Stack>
  );
}

export function SavedReports() {
  const { t } = useTranslation();
  const admin = useCan('settings.manage');
  const list = useCrudList<SavedReport>({ key: savedKey, path: '/api/v1/saved-reports', limit: 50 });
  const editing = useEditing<SavedReport>();
  const [openId, setOpenId] = useState<string | null>(null);
  const opened = list.items.find((s) => s.id === openId) ?? null;
  const remove = useCrudDelete({
    invalidate: savedKey,
    message: t('reports.saved.deleted'),
    remove: (s: SavedReport) => del(`/api/v1/saved-reports/${s.id}`),
    onDone: (s) => setOpenId((id) => (id === s.id ? null : id)),
  });
  const mayChange = (s: SavedReport) => s.mine || (s.shared && admin);
  const actions = (s: SavedReport) =>
    mayChange(s) && (
      <Group gap={4} wrap="nowrap" justify="flex-end">
        <ActionIcon variant="subtle" onClick={() => editing.open(s)} aria-label={t('reports.saved.editOf', { name: s.name })}>
          <IconEdit size={16} aria-hidden />
        </ActionIcon>
        <DeleteButton
          label={t('reports.saved.deleteOf', { name: s.name })}
          title={t('reports.saved.deleteTitle')}
          message={t('reports.saved.confirmDelete', { name: s.name })}
          onConfirm={() => remove.mutate(s)}
        />
      </Group>
    );
  const form = editing.editing && <SavedReportForm current={editing.current} onClose={editing.close} onSaved={(s) => setOpenId(s.id)} />;
  if (opened) {
    return (
      <Stack>
        <Group justify="space-between" wrap="wrap">
          <Group gap="xs">
            <Button variant="subtle" leftSection={<IconArrowLeft size={16} aria-hidden />} onClick={() => setOpenId(null)}>
              {t('reports.saved.back')}
            </Button>
            <Text fw={600} data-testid="saved-title">
              {opened.name}
            </Text>
            {opened.shared && <Badge variant="light">{t('reports.saved.shared')}</Badge>}
          </Group>
          {actions(opened)}
        </Group>
        <SavedReportView saved={opened} />
        {form}
      </Stack>
    );
  }
  return (
    <Stack>
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {t('reports.saved.hint')}
        </Text>
        <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => editing.open('new')} data-testid="saved-new">
          {t('reports.saved.new')}
        </Button>
      </Group>
      <ErrorAlert error={list.error} />
      {!list.isPending && list.items.length === 0 && <EmptyState message={t('reports.saved.none')} />}
      {list.items.length > 0 && (
        <ScrollArea type="auto">
          <Table data-testid="saved-list">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('reports.saved.name')}</Table.Th>
                <Table.Th>{t('reports.saved.owner')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.items.map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Anchor component="button" type="button" onClick={() => setOpenId(s.id)} fw={500}>
                        {s.name}
                      </Anchor>
                      {s.shared && (
                        <Badge size="sm" variant="light">
                          {t('reports.saved.shared')}
                        </Badge>
                      )}
                    </Group>
                    <Text size="xs" c="dimmed">
                      {t(`reports.tabs.${s.report}`)}
                      {s.params.period ? ` · ${t(`reports.relative.${s.params.period}`)}` : ''}
                    </Text>
                  </Table.Td>
                  <Table.Td>{s.mine ? t('reports.saved.you') : s.owner.name}</Table.Td>
                  <Table.Td>{actions(s)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      )}
      <LoadMore hasNextPage={list.hasNextPage} isFetchingNextPage={list.isFetchingNextPage} fetchNextPage={list.fetchNextPage} />
      {form}
    </Stack>
  );
}
