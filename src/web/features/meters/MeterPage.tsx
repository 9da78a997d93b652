// One meter: its last value, a chart of the chosen range (24 h raw, 7 d minutes, 30 d hours, 1 y
// days) with min, max and average, and the range as a CSV file.
import { Anchor, Button, Card, Group, SegmentedControl, SimpleGrid, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { PageLoader } from '../../components/PageLoader';
import { useFormatDate } from '../../lib/format';
import { RANGES, type RangeKey, useMeter, useReadings } from './api';
import { MeterChart } from './MeterChart';
import { MeterThresholds } from './MeterThresholds';
import { LiveMeterPanel } from './LiveMeterPanel';

const round = (v: number | null) => (v === null ? '—' : String(Math.round(v * 1000) / 1000));

export function MeterPage() {
  const { t } = useTranslation();
  const fmt = useFormatDate();
  const { id } = useParams();
  const [range, setRange] = useState<RangeKey>('24h');
  const meter = useMeter(id);
  const series = useReadings(id, range);
  if (meter.isPending) return <PageLoader />;
  if (meter.isError) return <ErrorAlert error={meter.error} onRetry={() => meter.refetch()} />;
  const m = meter.data;
  const r = RANGES.find((x) => x.key === range) ?? RANGES[0];
  const csvHref = () => {
    const to = new Date();
    const q = new URLSearchParams({ from: new Date(to.getTime() - r.ms).toISOString(), to: to.toISOString(), bucket: r.bucket, format: 'csv' });
    return `/api/v1/meters/${m.id}/readings?${q}`;
  };
  return (
    <>
      <PageHeader
        title={m.name}
        description={`${m.deviceName} · ${m.topic}`}
        actions={
          <Button component="a" href={csvHref()} variant="default" data-testid="meter-csv" download>
            {t('meters.csv')}
          </Button>
        }
      />
      <SimpleGrid cols={{ base: 2, sm: 4 }} mb="md">
        <Card withBorder>
          <Text size="xs" c="dimmed">
            {t('meters.last')}
          </Text>
          <Text fw={700} data-testid="meter-last">
            {m.lastValue ?? '—'} {m.unit}
          </Text>
          <Text size="xs" c="dimmed">
            {fmt(m.lastAt)}
          </Text>
        </Card>
        <Card withBorder>
          <Text size="xs" c="dimmed">
            {t('meters.min')}
          </Text>
          <Text fw={700} data-testid="meter-min">
            {round(series.data?.min ?? null)}
          </Text>
        </Card>
        <Card withBorder>
          <Text size="xs" c="dimmed">
            {t('meters.max')}
          </Text>
          <Text fw={700} data-testid="meter-max">
            {round(series.data?.max ?? null)}
          </Text>
        </Card>
        <Card withBorder>
          <Text size="xs" c="dimmed">
            {t('meters.avg')}
          </Text>
          <Text fw={700} data-testid="meter-avg">
            {round(series.data?.avg ?? null)}
          </Text>
        </Card>
      </SimpleGrid>
      <LiveMeterPanel meter={m} />
      <Group mb="md">
        <SegmentedControl
          value={range}
          onChange={(v) => setRange(v as RangeKey)}
          data={RANGES.map((x) => ({ value: x.key, label: t(`meters.ranges.${x.key}`) }))}
          data-testid="meter-range"
        />
        <Anchor size="sm" c="dimmed">
          {t(`meters.buckets.${r.bucket}`)}
        </Anchor>
      </Group>
      {series.isPending ? (
        <PageLoader />
      ) : series.isError ? (
        <ErrorAlert error={series.error} onRetry={() => series.refetch()} />
      ) : series.data.count === 0 ? (
        <EmptyState message={t('meters.noReadings')} />
      ) : (
        <MeterChart ts={series.data.ts} values={series.data.values} unit={m.unit} label={m.name} />
      )}
      <MeterThresholds meterId={m.id} unit={m.unit} />
    </>
  );
}
