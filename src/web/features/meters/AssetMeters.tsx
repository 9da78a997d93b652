// The asset page's meters: each meter of the asset with its latest value, kept live over /api/v1/live.
import { Anchor, Card, Group, SimpleGrid, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { get } from '../../lib/api';
import { useFormatDate } from '../../lib/format';
import type { Meter } from './api';
import { useLiveMeters } from './useLiveMeters';

export function AssetMeters({ assetId }: { assetId: string }) {
  const { t } = useTranslation();
  const fmt = useFormatDate();
  const meters = useQuery({
    queryKey: ['meters', 'asset', assetId],
    queryFn: async ({ signal }) => (await get<{ items: Meter[] }>('/api/v1/meters', { assetId, limit: 100 }, signal)).items,
  });
  const [latest, setLatest] = useState<Record<string, { v: number; ts: string }>>({});
  useLiveMeters((meters.data ?? []).map((m) => m.id), (id, items) => {
    const last = items[items.length - 1];
    if (last) setLatest((prev) => ({ ...prev, [id]: last }));
  });
  if (!meters.data || meters.data.length === 0) return null;
  return (
    <Card withBorder mb="md" data-testid="asset-meters">
      <Title order={4} mb="xs">
        {t('meters.asset.title')}
      </Title>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
        {meters.data.map((m) => {
          const now = latest[m.id] ?? (m.lastValue === null ? null : { v: m.lastValue, ts: m.lastAt ?? '' });
          return (
            <Card key={m.id} withBorder padding="sm" data-testid={`asset-meter-${m.id}`}>
              <Anchor component={Link} to={`/meters/${m.id}`} size="sm">
                {m.name}
              </Anchor>
              <Group gap={4} align="baseline">
                <Text fw={700} size="lg" data-testid="asset-meter-value">
                  {now ? now.v : '—'}
                </Text>
                <Text size="sm" c="dimmed">
                  {m.unit}
                </Text>
              </Group>
              <Text size="xs" c="dimmed">
                {now?.ts ? fmt(now.ts) : t('meters.noReadings')}
              </Text>
            </Card>
          );
        })}
      </SimpleGrid>
    </Card>
  );
}
