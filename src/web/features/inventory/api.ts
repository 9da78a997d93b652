// Parts, stock, movements, vendors and supply shapes (see /api/v1/openapi.json, "inventory").
import { useQuery } from '@tanstack/react-query';
import { get, type Page } from '../../lib/api';
import type { Can } from '../../lib/useCan';

export const MOVEMENT_TYPES = ['receive', 'consume', 'transfer', 'adjust'] as const;
export type MovementType = (typeof MOVEMENT_TYPES)[number];

export interface Vendor {
  id: string;
  name: string;
  email?: string | null;
  phone?: string | null;
  website?: string | null;
  notes?: string | null;
  contactName?: string | null;
  address?: string | null;
  paymentTerms?: string | null;
  currency?: string | null;
  version?: number;
}

export interface StockLine {
  locationId?: string;
  locationName?: string | null;
  location?: { id: string; name: string; path?: string | null } | null;
  quantity: number | string;
}

export interface Part {
  id: string;
  sku: string;
  name: string;
  unit: string;
  unitCost: number | string | null;
  minQuantity: number | string | null;
  maxQuantity: number | string | null;
  reorderPoint: number | string | null;
  vendors?: { vendorId: string; vendorName: string; vendorSku?: string | null; price?: number | null }[];
  stock?: StockLine[];
  totalQuantity?: number | string;
  onHand?: number | string;
  belowReorder?: boolean;
  version?: number;
  can?: Can;
}

export interface Movement {
  id: string;
  type: MovementType;
  quantity: number | string;
  locationId?: string;
  toLocationId?: string | null;
  location?: { id: string; name: string } | null;
  toLocation?: { id: string; name: string } | null;
  ticketNumber?: number | null;
  note?: string | null;
  actor?: { id: string; name: string } | null;
  createdBy?: { id: string; name: string } | null;
  at?: string;
  createdAt?: string;
  balance?: number | string | null;
}

export const partsKey = ['parts'] as const;
export const partKey = (id: string) => ['part', id] as const;
export const vendorsKey = ['vendors'] as const;

export const num = (v: number | string | null | undefined) => (v === null || v === undefined || v === '' ? null : Number(v));
export const totalOf = (p: Part) =>
  num(p.totalQuantity) ?? num(p.onHand) ?? (p.stock ?? []).reduce((s, l) => s + Number(l.quantity || 0), 0);

export function usePart(id: string | undefined) {
  return useQuery({
    queryKey: partKey(id ?? ''),
    enabled: !!id,
    queryFn: async () => {
      const data = await get<Part | { part: Part; stock?: StockLine[]; can?: Can }>(`/api/v1/parts/${id}`);
      return 'part' in data && data.part ? ({ ...data.part, ...data, part: undefined } as Part) : (data as Part);
    },
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
