// "Tickets by status over time": a stacked bar chart (axes, legend, tooltips) of the tickets created
// per day in the last 30 days, by their status now. Loaded lazily (recharts is large) from sections.tsx.
// Screen readers get a text summary and a table of the days that had tickets instead of the picture.
import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { Table, Text, VisuallyHidden } from '@mantine/core';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { DashboardAnswer } from '../../../shared/contracts/dashboards';
import { TICKET_STATUSES, type TicketStatus } from '../../../shared/contracts/enums';
import { useLocale } from '../../lib/company';
import { dateFormat } from '../../lib/format';
import { statusColor } from '../tickets/colors';

type Data = NonNullable<DashboardAnswer['statusOverTime']>;

function shortDay(locale: string, day: string): string {
  try {
    return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
  } catch {
    return day;
  }
}

export function StatusChart({ data }: { data: Data }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const summaryId = useId();
  const items = [...data.items].sort((a, b) => a.date.localeCompare(b.date));
  const used = TICKET_STATUSES.filter((s) => items.some((i) => (i.byStatus[s] ?? 0) > 0));
  const total = items.reduce((sum, i) => sum + i.total, 0);
  if (total === 0)
    return (
      <Text size="sm" c="dimmed" data-testid="status-chart-empty">
        {t('dashboard.chart.none')}
      </Text>
    );
  const label = (s: TicketStatus) => t(`tickets.statuses.${s}`);
  const rows = items.map((i) => ({
    day: shortDay(locale, i.date),
    ...Object.fromEntries(used.map((s) => [label(s), i.byStatus[s] ?? 0])),
  }));
  const totals = used.map((s) => ({ status: s, n: items.reduce((sum, i) => sum + (i.byStatus[s] ?? 0), 0) }));
  const busiest = items.reduce((best, i) => (i.total > best.total ? i : best), items[0]);
  const summary = t('dashboard.chart.summary', {
    count: total,
    days: items.length,
    statuses: totals.map((x) => `${label(x.status)} ${x.n}`).join(', '),
    busiest: dateFormat(locale, busiest.date),
    busiestCount: busiest.total,
  });
  const withTickets = items.filter((i) => i.total > 0);
  return (
    <figure style={{ margin: 0 }} aria-describedby={summaryId} data-testid="status-chart">
      <BarChart
        h={240}
        data={rows}
        dataKey="day"
        type="stacked"
        series={used.map((s) => ({ name: label(s), color: `${statusColor[s]}.6` }))}
        withLegend
        legendProps={{ verticalAlign: 'bottom' }}
        withTooltip
        tickLine="y"
        yAxisLabel={t('dashboard.chart.yAxis')}
        xAxisLabel={t('dashboard.chart.xAxis')}
        yAxisProps={{ allowDecimals: false }}
        // The picture is described by the summary below; the chart's own keyboard layer is kept for tooltips.
        barChartProps={{ title: t('dashboard.sections.statusOverTime'), desc: summary }}
      />
      <VisuallyHidden component="figcaption" id={summaryId}>
        {summary}
      </VisuallyHidden>
      <VisuallyHidden>
        <Table data-testid="status-chart-text">
          <caption>{t('dashboard.chart.tableCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('dashboard.chart.day')}</th>
              {used.map((s) => (
                <th key={s} scope="col">
                  {label(s)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {withTickets.map((i) => (
              <tr key={i.date}>
                <th scope="row">{dateFormat(locale, i.date)}</th>
                {used.map((s) => (
                  <td key={s}>{i.byStatus[s] ?? 0}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </Table>
      </VisuallyHidden>
    </figure>
  );
}
