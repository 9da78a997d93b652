// A saved report's chart: bar, line or pie over its rows and chosen figures (@mantine/charts, loaded
// lazily). A pie shows the first chosen figure; screen readers get a summary, the table has the rest.
import '@mantine/charts/styles.css';
import { BarChart, LineChart, PieChart } from '@mantine/charts';
import { ColorSwatch, Group, Text, VisuallyHidden } from '@mantine/core';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { SavedChart } from '../../../shared/contracts/reports';
import { FIELD_LABEL, type SavedRow } from './savedReportFields';

const MAX_POINTS = 24;
const COLORS = ['blue.6', 'teal.6', 'grape.6', 'orange.6', 'red.6', 'cyan.6', 'lime.6', 'pink.6', 'indigo.6', 'yellow.6'];

export function SavedReportChart({ chart, rows, fields }: { chart: Exclude<SavedChart, 'table'>; rows: SavedRow[]; fields: string[] }) {
  const { t } = useTranslation();
  const summaryId = useId();
  const shown = rows.slice(0, MAX_POINTS);
  const label = (f: string) => t(FIELD_LABEL[f] ?? f);
  const summary = t('reports.saved.chartSummary', { rows: rows.length, fields: fields.map(label).join(', ') });
  const data = shown.map((r) => ({ label: r.label, ...Object.fromEntries(fields.map((f) => [label(f), r.values[f] ?? 0])) }));
  const first = fields[0] ?? '';
  // A pie shows one figure: the first chosen, over the rows that have some.
  const pie = shown
    .filter((r) => (r.values[first] ?? 0) > 0)
    .map((r, i) => ({ name: r.label, value: r.values[first] ?? 0, color: COLORS[i % COLORS.length] as string }));
  const series = fields.map((f, i) => ({ name: label(f), color: COLORS[i % COLORS.length] as string }));
  return (
    <figure style={{ margin: 0 }} aria-describedby={summaryId} data-testid="saved-chart" data-chart={chart}>
      {chart === 'bar' && <BarChart h={260} data={data} dataKey="label" series={series} withLegend withTooltip tickLine="y" />}
      {chart === 'line' && <LineChart h={260} data={data} dataKey="label" series={series} withLegend withTooltip tickLine="y" />}
      {chart === 'pie' && pie.length > 0 && (
        <>
          <PieChart h={260} mx="auto" withLabelsLine withLabels labelsType="percent" withTooltip data={pie} />
          <Group gap="sm" justify="center" mt="xs" data-testid="saved-pie-legend">
            {pie.map((s) => (
              <Group key={s.name} gap={4} wrap="nowrap">
                <ColorSwatch color={`var(--mantine-color-${s.color.replace('.', '-')})`} size={12} />
                <Text size="xs">
                  {s.name} · {s.value}
                </Text>
              </Group>
            ))}
          </Group>
        </>
      )}
      <VisuallyHidden component="figcaption" id={summaryId}>
        {summary}
      </VisuallyHidden>
    </figure>
  );
}
