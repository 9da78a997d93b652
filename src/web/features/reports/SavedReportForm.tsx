// The report builder: a saved report's name, report, period (relative or fixed days), grouping, the
// filters that report takes, the columns to show, the chart and whether the company sees it.
import { Checkbox, Group, SegmentedControl, Select, Stack, Switch, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import type { ReportKind, ReportParams, SavedChart, SavedReport } from '../../../shared/contracts/reports';
import {
  COST_GROUPS,
  RELATIVE_PERIODS,
  REPORT_FIELDS,
  REPORT_KINDS,
  SAVED_CHARTS,
  TICKET_REPORT_GROUPS,
} from '../../../shared/contracts/reports';
import { CrudFormModal } from '../../components/crud';
import { patch, post } from '../../lib/api';
import { useCrudSave } from '../../lib/crud';
import { useCan } from '../../lib/useCan';
import { LocationSelect, PicklistSelect } from '../assets/parts';
import { FIELD_LABEL } from './savedReportFields';

export const savedKey = ['saved-reports'] as const;

interface Values {
  name: string;
  report: ReportKind;
  mode: 'relative' | 'fixed';
  period: string;
  from: string;
  to: string;
  groupBy: string | null;
  purchases: 'received' | 'ordered';
  parentId: string | null;
  categoryId: string | null;
  fields: string[];
  chart: SavedChart;
  shared: boolean;
}

/** What the builder starts from: a saved report, or a draft (e.g. the Costs tab's choices). */
export type SavedDraft = Pick<SavedReport, 'report' | 'params'> & Partial<Pick<SavedReport, 'name' | 'fields' | 'chart' | 'shared'>>;

const groupsOf = (report: ReportKind): readonly string[] =>
  report === 'costs' ? COST_GROUPS : report === 'tickets' ? TICKET_REPORT_GROUPS : [];

function valuesOf(s: SavedDraft | null): Values {
  const p = s?.params ?? {};
  return {
    name: s?.name ?? '',
    report: s?.report ?? 'tickets',
    mode: p.from || p.to ? 'fixed' : 'relative',
    period: p.period ?? 'thisMonth',
    from: p.from ?? '',
    to: p.to ?? '',
    groupBy: p.groupBy ?? null,
    purchases: p.purchases ?? 'received',
    parentId: p.parentId ?? null,
    categoryId: p.categoryId ?? null,
    fields: s?.fields ?? [],
    chart: s?.chart ?? 'bar',
    shared: s?.shared ?? false,
  };
}

function paramsOf(v: Values): ReportParams {
  const p: ReportParams = {};
  if (v.mode === 'relative') p.period = v.period as ReportParams['period'];
  else {
    if (v.from) p.from = v.from;
    if (v.to) p.to = v.to;
  }
  if (v.groupBy && groupsOf(v.report).includes(v.groupBy)) p.groupBy = v.groupBy;
  if (v.report === 'costs') {
    if (v.purchases === 'ordered') p.purchases = 'ordered';
    if (v.groupBy === 'location' && v.parentId) p.parentId = v.parentId;
  }
  if (v.report === 'reliability' && v.categoryId) p.categoryId = v.categoryId;
  return p;
}

export function SavedReportForm({
  current,
  draft,
  onClose,
  onSaved,
}: {
  /** The saved report being edited (null: a new one, from `draft` when given). */
  current: SavedReport | null;
  draft?: SavedDraft | null;
  onClose: () => void;
  onSaved?: (s: SavedReport) => void;
}) {
  const { t } = useTranslation();
  const financial = useCan('reports.financial');
  const form = useForm<Values>({ initialValues: valuesOf(current ?? draft ?? null) });
  const save = useCrudSave({
    form,
    invalidate: savedKey,
    message: t('reports.saved.savedMessage'),
    onDone: (r: { savedReport: SavedReport }) => {
      onSaved?.(r.savedReport);
      onClose();
    },
    save: (v: Values) => {
      const body = { name: v.name.trim(), report: v.report, params: paramsOf(v), fields: v.fields, chart: v.chart, shared: v.shared };
      return current
        ? patch<{ savedReport: SavedReport }>(`/api/v1/saved-reports/${current.id}`, body)
        : post<{ savedReport: SavedReport }>('/api/v1/saved-reports', body);
    },
  });
  const v = form.values;
  const groups = groupsOf(v.report);
  const paramError = Object.entries(form.errors).find(([k]) => k.startsWith('params.'))?.[1];
  return (
    <CrudFormModal
      title={current ? t('reports.saved.edit') : t('reports.saved.new')}
      onClose={onClose}
      onSubmit={form.onSubmit((x) => save.mutate(x))}
      saving={save.isPending}
      error={save.error}
      testId="saved-form"
      size="lg"
    >
      <TextInput label={t('reports.saved.name')} required {...form.getInputProps('name')} data-testid="saved-name" />
      <Select
        label={t('reports.schedules.report')}
        allowDeselect={false}
        data={REPORT_KINDS.filter((k) => k !== 'costs' || financial).map((k) => ({ value: k, label: t(`reports.tabs.${k}`) }))}
        value={v.report}
        onChange={(x) => form.setValues({ report: (x ?? 'tickets') as ReportKind, groupBy: null, fields: [] })}
        data-testid="saved-report"
      />
      <Stack gap={4}>
        <SegmentedControl
          value={v.mode}
          onChange={(x) => form.setFieldValue('mode', x as Values['mode'])}
          data={[
            { value: 'relative', label: t('reports.saved.relative') },
            { value: 'fixed', label: t('reports.saved.fixed') },
          ]}
          aria-label={t('reports.schedules.period')}
        />
        {v.mode === 'relative' ? (
          <Select
            label={t('reports.schedules.period')}
            allowDeselect={false}
            data={RELATIVE_PERIODS.map((p) => ({ value: p, label: t(`reports.relative.${p}`) }))}
            {...form.getInputProps('period')}
            error={paramError}
            data-testid="saved-period"
          />
        ) : (
          <Group grow align="flex-start">
            <TextInput type="date" label={t('reports.from')} {...form.getInputProps('from')} error={form.errors['params.from']} />
            <TextInput type="date" label={t('reports.to')} {...form.getInputProps('to')} error={form.errors['params.to']} />
          </Group>
        )}
      </Stack>
      {groups.length > 0 && (
        <Select
          label={t('reports.groupBy')}
          clearable
          data={groups.map((g) => ({ value: g, label: t(`reports.${v.report === 'costs' ? 'costGroups' : 'ticketGroups'}.${g}`) }))}
          {...form.getInputProps('groupBy')}
          error={form.errors['params.groupBy']}
          data-testid="saved-group"
        />
      )}
      {v.report === 'costs' && (
        <Group grow align="flex-start">
          <Select
            label={t('reports.purchasesBy')}
            allowDeselect={false}
            data={[
              { value: 'received', label: t('reports.purchasesReceived') },
              { value: 'ordered', label: t('reports.purchasesOrdered') },
            ]}
            {...form.getInputProps('purchases')}
          />
          {v.groupBy === 'location' && (
            <LocationSelect
              label={t('reports.saved.parentLocation')}
              value={v.parentId}
              onChange={(x) => form.setFieldValue('parentId', x)}
            />
          )}
        </Group>
      )}
      {v.report === 'reliability' && (
        <PicklistSelect
          list="categories"
          label={t('reports.category')}
          value={v.categoryId}
          onChange={(x) => form.setFieldValue('categoryId', x)}
        />
      )}
      <Checkbox.Group
        label={t('reports.saved.fields')}
        description={t('reports.saved.fieldsHint')}
        value={v.fields}
        onChange={(x) =>
          form.setFieldValue(
            'fields',
            REPORT_FIELDS[v.report].filter((f) => x.includes(f)),
          )
        }
        error={form.errors.fields ?? Object.entries(form.errors).find(([k]) => k.startsWith('fields.'))?.[1]}
      >
        <Group gap="md" mt={6}>
          {REPORT_FIELDS[v.report].map((f) => (
            <Checkbox key={f} value={f} label={t(FIELD_LABEL[f] ?? f)} data-testid={`saved-field-${f}`} />
          ))}
        </Group>
      </Checkbox.Group>
      <Stack gap={4}>
        <SegmentedControl
          value={v.chart}
          onChange={(x) => form.setFieldValue('chart', x as SavedChart)}
          data={SAVED_CHARTS.map((c) => ({ value: c, label: t(`reports.saved.charts.${c}`) }))}
          aria-label={t('reports.saved.chart')}
          data-testid="saved-chart-type"
        />
      </Stack>
      <Switch
        label={t('reports.saved.shareWithCompany')}
        checked={v.shared}
        onChange={(e) => form.setFieldValue('shared', e.currentTarget.checked)}
        data-testid="saved-shared"
      />
    </CrudFormModal>
  );
}
