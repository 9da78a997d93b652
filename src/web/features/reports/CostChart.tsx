// The cost report as a stacked bar chart (labour, parts, purchases per row). Loaded lazily (recharts
// is large); screen readers get a summary, and the table beside it holds the same figures.
import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { VisuallyHidden } from '@mantine/core';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormatMoney } from '../../lib/company';
import type { CostReport } from './api';

/** At most this many bars: the rest of a long grouping is in the table. */
const MAX_BARS = 24;

export function CostChart({ report }: { report: CostReport }) {
  const { t } = useTranslation();
  const money = useFormatMoney();
  const labour = t('reports.labour');
  const parts = t('reports.parts');
  const purchases = t('reports.purchases');
  const summaryId = useId();
  const top = [...report.rows].sort((a, b) => b.total - a.total)[0];
  const summary = t('reports.chartSummary', {
    total: money(report.totals.total),
    rows: report.rows.length,
    top: top?.label ?? '—',
    topTotal: money(top?.total ?? 0),
  });
  const rows = report.rows
    .slice(0, MAX_BARS)
    .map((r) => ({ label: r.label, [labour]: r.labour, [parts]: r.parts, [purchases]: r.purchases }));
  return (
    <figure style={{ margin: 0 }} aria-describedby={summaryId} data-testid="cost-chart">
      <BarChart
        h={260}
        data={rows}
        dataKey="label"
        type="stacked"
        series={[
          { name: labour, color: 'blue.6' },
          { name: parts, color: 'teal.6' },
          { name: purchases, color: 'grape.6' },
        ]}
        withLegend
        legendProps={{ verticalAlign: 'bottom' }}
        withTooltip
        valueFormatter={(v) => money(v)}
        tickLine="y"
        barChartProps={{ title: t('reports.chartTitle'), desc: summary }}
      />
      <VisuallyHidden component="figcaption" id={summaryId}>
        {summary}
      </VisuallyHidden>
    </figure>
  );
}
