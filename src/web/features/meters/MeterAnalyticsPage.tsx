// Meter analytics: many meters at once. Choose meters; each gets a small chart of its last hour
// (minute rollups) that appends the readings pushed live over /api/v1/live.
import { Anchor, Card, Group, MultiSelect, SimpleGrid, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';
import { get } from '../../lib/api';
import type { Meter, RawReading } from './api';
import { useLiveMeters } from './useLiveMeters';

const WINDOW_MS = 15 * 60_000;

function SmallChart({ meter }: { meter: Meter }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const data = useRef<{ ts: number[]; values: number[] }>({ ts: [], values: [] });
  const [last, setLast] = useState<number | null>(meter.lastValue);
  const seed = useQuery({
    queryKey: ['meters', meter.id, 'live-seed'],
    staleTime: Number.POSITIVE_INFINITY,
    queryFn: async ({ signal }) => {
      const to = new Date();
      const from = new Date(to.getTime() - WINDOW_MS);
      return (await get<{ items: RawReading[] }>(`/api/v1/meters/${meter.id}/readings`, { from: from.toISOString(), to: to.toISOString(), bucket: 'raw', limit: 10_000 }, signal)).items;
    },
  });
  useEffect(() => {
    const el = box.current;
    if (!el || !seed.data) return;
    data.current = { ts: seed.data.map((r) => Date.parse(r.ts) / 1000), values: seed.data.map((r) => r.v) };
    plot.current = new uPlot(
      {
        width: Math.max(240, el.clientWidth),
        height: 140,
        legend: { show: false },
        series: [{}, { stroke: '#228be6', width: 1.5 }],
        axes: [{ size: 30 }, { size: 45 }],
        scales: { x: { time: true } },
      },
      [data.current.ts, data.current.values],
      el,
    );
    const resize = new ResizeObserver(() => plot.current?.setSize({ width: Math.max(240, el.clientWidth), height: 140 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, [seed.data]);
  useLiveMeters([meter.id], (_id, items) => {
    const d = data.current;
    for (const item of items) {
      d.ts.push(Date.parse(item.ts) / 1000);
      d.values.push(item.v);
    }
    if (d.ts.length > 5000) {
      d.ts.splice(0, d.ts.length - 5000);
      d.values.splice(0, d.values.length - 5000);
    }
    plot.current?.setData([d.ts, d.values]);
    const l = items[items.length - 1];
    if (l) setLast(l.v);
  });
  return (
    <Card withBorder padding="sm" data-testid={`analytics-meter-${meter.id}`}>
      <Group justify="space-between" mb={4} wrap="nowrap">
        <Anchor component={Link} to={`/meters/${meter.id}`} size="sm" truncate>
          {meter.name}
        </Anchor>
        <Text fw={700} size="sm" data-testid="analytics-value">
          {last ?? '—'} {meter.unit}
        </Text>
      </Group>
      <div ref={box} style={{ width: '100%' }} />
    </Card>
  );
}

export function MeterAnalyticsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const chosen = (params.get('meters') ?? '').split(',').filter(Boolean);
  const meters = useQuery({
    queryKey: ['meters', 'all'],
    queryFn: async ({ signal }) => (await get<{ items: Meter[] }>('/api/v1/meters', { limit: 100 }, signal)).items,
  });
  const list = meters.data ?? [];
  const shown = list.filter((m) => chosen.includes(m.id));
  return (
    <>
      <PageHeader title={t('meters.analytics.title')} description={t('meters.analytics.description')} />
      <MultiSelect
        mb="md"
        label={t('meters.analytics.choose')}
        searchable
        data={list.map((m) => ({ value: m.id, label: `${m.name} (${m.deviceName})` }))}
        value={chosen}
        onChange={(v) => setParams(v.length ? { meters: v.join(',') } : {}, { replace: true })}
        data-testid="analytics-choose"
      />
      {shown.length === 0 ? (
        <EmptyState message={t('meters.analytics.none')} />
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
          {shown.map((m) => (
            <SmallChart key={m.id} meter={m} />
          ))}
        </SimpleGrid>
      )}
    </>
  );
}
