// Parts, stock, movements, vendors and supply shapes (see /api/v1/openapi.json, "inventory").
import { useQuery } from '@tanstack/react-query';
import { get, type Page } from '../../lib/api';
import type { Movement, Part, Vendor } from '../../../shared/contracts/inventory';

export { MOVEMENT_TYPES } from '../../../shared/contracts/enums';
export type { Movement, Part, Vendor } from '../../../shared/contracts/inventory';
export type MovementType = Movement['type'];
/** One location's stock of a part. */
export type StockLine = Part['stock'][number];

export const partsKey = ['parts'] as const;
export const partKey = (id: string) => ['part', id] as const;
export const vendorsKey = ['vendors'] as const;

export const num = (v: number | string | null | undefined) => (v === null || v === undefined || v === '' ? null : Number(v));
export const totalOf = (p: Part) => p.totalQuantity;

export function usePart(id: string | undefined) {
  return useQuery({
    queryKey: partKey(id ?? ''),
    enabled: !!id,
    queryFn: async () => (await get<{ part: Part }>(`/api/v1/parts/${id}`)).part,
  });
}

export function useVendors(enabled = true) {
  return useQuery({ queryKey: vendorsKey, enabled, queryFn: () => get<Page<Vendor>>('/api/v1/vendors', { limit: 200 }) });
}

export function usePartOptions(q: string, enabled = true) {
  return useQuery({
    queryKey: ['parts', 'options', q],
    enabled,
    staleTime: 30_000,
    queryFn: () => get<Page<Part>>('/api/v1/parts', { q: q || undefined, limit: 50 }),
  });
}
