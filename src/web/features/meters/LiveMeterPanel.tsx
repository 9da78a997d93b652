// The meter page's live part: a uPlot chart of the last 15 minutes that appends the readings pushed
// over /api/v1/live, a range selection (drag across the chart, or from/to) with the selection's
// min, max and average, and the CSV export of any range (the readings API's format=csv).
import { Button, Card, Group, SimpleGrid, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { get } from '../../lib/api';
import type { Meter, RawReading } from './api';
import { useLiveMeters } from './useLiveMeters';

const WINDOW_MS = 15 * 60_000;
const MAX_POINTS = 20_000;
const round = (v: number | null) => (v === null ? '—' : String(Math.round(v * 1000) / 1000));
/** datetime-local value (local time, to the second). */
const toLocalInput = (ms: number) => {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 19);
};

export function stats(ts: number[], values: number[], from: number, to: number) {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let sum = 0;
  let count = 0;
  for (let i = 0; i < ts.length; i++) {
    if (ts[i] < from || ts[i] > to) continue;
    min = Math.min(min, values[i]);
    max = Math.max(max, values[i]);
    sum += values[i];
    count++;
  }
  return count ? { min, max, avg: sum / count, count } : { min: null, max: null, avg: null, count: 0 };
}

export function LiveMeterPanel({ meter }: { meter: Meter }) {
  const { t } = useTranslation();
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const data = useRef<{ ts: number[]; values: number[] }>({ ts: [], values: [] });
  const [live, setLive] = useState<{ v: number; ts: string } | null>(null);
  const [sel, setSel] = useState<{ from: number; to: number } | null>(null);
  const [range, setRange] = useState(() => ({ from: toLocalInput(Date.now() - 86_400_000), to: toLocalInput(Date.now()) }));
  const [, bump] = useState(0);

  const seed = useQuery({
    queryKey: ['meters', meter.id, 'live-seed'],
    staleTime: Number.POSITIVE_INFINITY,
    queryFn: async ({ signal }) => {
      const to = new Date();
      const from = new Date(to.getTime() - WINDOW_MS);
      return (
        await get<{ items: RawReading[] }>(`/api/v1/meters/${meter.id}/readings`, { from: from.toISOString(), to: to.toISOString(), bucket: 'raw', limit: 10_000 }, signal)
      ).items;
    },
  });

  useEffect(() => {
    const el = box.current;
    if (!el || !seed.data) return;
    data.current = { ts: seed.data.map((r) => Date.parse(r.ts) / 1000), values: seed.data.map((r) => r.v) };
    const opts: uPlot.Options = {
      width: Math.max(280, el.clientWidth),
      height: 240,
      series: [{}, { label: meter.name, stroke: '#12b886', width: 2, value: (_u, v) => (v === null ? '—' : `${v} ${meter.unit}`) }],
      axes: [{}, { size: 60 }],
      scales: { x: { time: true } },
      cursor: { drag: { x: true, y: false, setScale: false } },
      hooks: {
        setSelect: [
          (u) => {
            if (u.select.width < 2) return setSel(null);
            const from = u.posToVal(u.select.left, 'x');
            const to = u.posToVal(u.select.left + u.select.width, 'x');
            setSel({ from, to });
            setRange({ from: toLocalInput(Math.floor(from) * 1000), to: toLocalInput((Math.ceil(to) + 1) * 1000) });
          },
        ],
      },
    };
    plot.current = new uPlot(opts, [data.current.ts, data.current.values], el);
    const resize = new ResizeObserver(() => plot.current?.setSize({ width: Math.max(280, el.clientWidth), height: 240 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, [seed.data, meter.name, meter.unit]);

  useLiveMeters([meter.id], (_id, items) => {
    const d = data.current;
    for (const item of items) {
      d.ts.push(Date.parse(item.ts) / 1000);
      d.values.push(item.v);
    }
    if (d.ts.length > MAX_POINTS) {
      d.ts.splice(0, d.ts.length - MAX_POINTS);
      d.values.splice(0, d.values.length - MAX_POINTS);
    }
    plot.current?.setData([d.ts, d.values]);
    const last = items[items.length - 1];
    if (last) setLive(last);
    bump((n) => n + 1);
  });

  const selected = sel ? stats(data.current.ts, data.current.values, sel.from, sel.to) : null;
  const fromMs = Date.parse(range.from);
  const toMs = Date.parse(range.to);
  const csvHref =
    Number.isFinite(fromMs) && Number.isFinite(toMs) && fromMs < toMs
      ? `/api/v1/meters/${meter.id}/readings?${new URLSearchParams({ from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), bucket: 'raw', format: 'csv' })}`
      : undefined;

  return (
    <Card withBorder mb="md" data-testid="meter-live">
      <Group justify="space-between" mb="xs">
        <Title order={4}>{t('meters.live.title')}</Title>
        <Text fw={700} c={live ? 'teal' : 'dimmed'} data-testid="meter-live-value">
          {live ? `${live.v} ${meter.unit}` : t('meters.live.waiting')}
        </Text>
      </Group>
      <div ref={box} data-testid="meter-live-chart" style={{ width: '100%' }} />
      <Text size="xs" c="dimmed" mt={4}>
        {t('meters.live.dragHint')}
      </Text>
      {selected && (
        <SimpleGrid cols={{ base: 2, sm: 4 }} mt="sm" data-testid="meter-selection">
          <Text size="sm">
            {t('meters.min')}: <b data-testid="sel-min">{round(selected.min)}</b>
          </Text>
          <Text size="sm">
            {t('meters.max')}: <b data-testid="sel-max">{round(selected.max)}</b>
          </Text>
          <Text size="sm">
            {t('meters.avg')}: <b data-testid="sel-avg">{round(selected.avg)}</b>
          </Text>
          <Text size="sm">
            {t('meters.live.count')}: <b>{selected.count}</b>
          </Text>
        </SimpleGrid>
      )}
      <Group mt="sm" align="end" wrap="wrap">
        <TextInput type="datetime-local" label={t('meters.live.from')} step={1} value={range.from} onChange={(e) => setRange({ ...range, from: e.currentTarget.value })} data-testid="csv-from" />
        <TextInput type="datetime-local" label={t('meters.live.to')} step={1} value={range.to} onChange={(e) => setRange({ ...range, to: e.currentTarget.value })} data-testid="csv-to" />
        <Button component="a" href={csvHref} variant="default" disabled={!csvHref} download data-testid="meter-range-csv">
          {t('meters.live.csvRange')}
        </Button>
      </Group>
    </Card>
  );
}
