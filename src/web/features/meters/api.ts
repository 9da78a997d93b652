// Devices', meters' and readings' calls; the shapes are the server's contracts (src/shared/contracts/meters.ts).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Bucket, BucketReading, Device, DeviceWithCredentials, Meter, RawReading } from '../../../shared/contracts/meters';
import { del, get, post } from '../../lib/api';

export type { Bucket, BucketReading, Device, DeviceWithCredentials, Meter, RawReading };

export const devicesKey = ['devices'] as const;
export const metersKey = ['meters'] as const;

/** The chart's ranges and the rollup each one reads. */
export const RANGES = [
  { key: '24h', ms: 86_400_000, bucket: 'raw' },
  { key: '7d', ms: 7 * 86_400_000, bucket: '1m' },
  { key: '30d', ms: 30 * 86_400_000, bucket: '1h' },
  { key: '1y', ms: 365 * 86_400_000, bucket: '1d' },
] as const;
export type RangeKey = (typeof RANGES)[number]['key'];

export function useMeter(id: string | undefined) {
  return useQuery({
    queryKey: [...metersKey, id],
    enabled: !!id,
    queryFn: async () => (await get<{ meter: Meter }>(`/api/v1/meters/${id}`)).meter,
  });
}

export interface Series {
  ts: number[];
  values: number[];
  min: number | null;
  max: number | null;
  avg: number | null;
  count: number;
}

/** The readings of a range as one series (raw values, or bucket averages) with min, max and average. */
export function useReadings(id: string | undefined, range: RangeKey) {
  return useQuery({
    queryKey: [...metersKey, id, 'readings', range],
    enabled: !!id,
    refetchInterval: 10_000,
    queryFn: async ({ signal }): Promise<Series> => {
      const r = RANGES.find((x) => x.key === range) ?? RANGES[0];
      const to = new Date();
      const from = new Date(to.getTime() - r.ms);
      const answer = await get<{ items: Array<RawReading | BucketReading> }>(
        `/api/v1/meters/${id}/readings`,
        { from: from.toISOString(), to: to.toISOString(), bucket: r.bucket, limit: 10_000 },
        signal,
      );
      const ts: number[] = [];
      const values: number[] = [];
      let min = Number.POSITIVE_INFINITY;
      let max = Number.NEGATIVE_INFINITY;
      let sum = 0;
      let count = 0;
      for (const item of answer.items) {
        ts.push(Date.parse(item.ts) / 1000);
        if ('v' in item) {
          values.push(item.v);
          min = Math.min(min, item.v);
          max = Math.max(max, item.v);
          sum += item.v;
          count += 1;
        } else {
          values.push(item.avg);
          min = Math.min(min, item.min);
          max = Math.max(max, item.max);
          sum += item.avg * item.count;
          count += item.count;
        }
      }
      return count
        ? { ts, values, min, max, avg: sum / count, count }
        : { ts, values, min: null, max: null, avg: null, count: 0 };
    },
  });
}

export function useCreateDevice() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; offlineAfterSeconds?: number }) => post<DeviceWithCredentials>('/api/v1/devices', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: devicesKey }),
  });
}

export function useRotateDevice() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => post<DeviceWithCredentials>(`/api/v1/devices/${id}/credentials`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: devicesKey }),
  });
}

export function useDeleteDevice() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => del(`/api/v1/devices/${id}`),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: devicesKey });
      void queryClient.invalidateQueries({ queryKey: metersKey });
    },
  });
}

export function useCreateMeter() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { deviceId: string; key: string; name: string; unit: string }) => post<{ meter: Meter }>('/api/v1/meters', body),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: devicesKey });
      void queryClient.invalidateQueries({ queryKey: metersKey });
    },
  });
}
