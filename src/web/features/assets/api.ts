// Asset, location and picklist shapes and queries (see /api/v1/openapi.json, "assets").
import { useQuery } from '@tanstack/react-query';
import { get, type Page } from '../../lib/api';
import type { Can } from '../../lib/useCan';

export const ASSET_STATUSES = ['in_use', 'in_stock', 'in_repair', 'retired', 'disposed'] as const;
export type AssetStatus = (typeof ASSET_STATUSES)[number];
export const assetStatusColor: Record<AssetStatus, string> = {
  in_use: 'green',
  in_stock: 'blue',
  in_repair: 'orange',
  retired: 'gray',
  disposed: 'dark',
};

export const PICKLISTS = ['categories', 'manufacturers', 'conditions'] as const;
export type PicklistName = (typeof PICKLISTS)[number];
export const FIELD_TYPES = ['text', 'number', 'date', 'choice'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export interface CustomFieldDef {
  key: string;
  label: string;
  type: FieldType;
  options?: string[];
  required?: boolean;
}

export interface PicklistItem {
  id: string;
  name: string;
  customFields?: CustomFieldDef[];
  ticketCategoryId?: string | null;
  active?: boolean;
  version?: number;
}

export interface Ref {
  id: string;
  name: string;
}

export interface Asset {
  id: string;
  tag: string;
  name: string;
  categoryId: string | null;
  manufacturerId: string | null;
  model: string | null;
  serial: string | null;
  status: AssetStatus;
  conditionId: string | null;
  locationId: string | null;
  parentId: string | null;
  departmentId: string | null;
  purchaseDate: string | null;
  purchaseCost: number | string | null;
  warrantyEnd: string | null;
  modelNumber?: string | null;
  orderNumber?: string | null;
  endOfLife?: string | null;
  vendor?: { id: string; name: string } | null;
  customFields: Record<string, unknown> | null;
  publicUrl: string | null;
  assignedTo?: (Ref & { color?: string | null }) | null;
  assignedToId?: string | null;
  checkedOutAt?: string | null;
  expectedReturn?: string | null;
  overdue?: boolean;
  version: number;
  // Names the server may add for display.
  category?: Ref | null;
  manufacturer?: Ref | null;
  condition?: Ref | null;
  location?: (Ref & { path?: string | null }) | null;
  parent?: (Ref & { tag?: string }) | null;
  department?: Ref | null;
  categoryName?: string | null;
  locationName?: string | null;
  locationPath?: string | null;
}

export interface AssetTicket {
  number: number;
  title: string;
  kind: string;
  status: string;
}

export interface AssetAnswer extends Asset {
  children?: (Pick<Asset, 'id' | 'tag' | 'name'> & { status?: AssetStatus })[];
  tickets?: AssetTicket[];
  can?: Can;
}

/** The detail endpoint may answer flat or wrapped as {asset, children, tickets, can}. */
export function unwrapAsset(data: AssetAnswer | { asset: Asset; children?: Asset[]; tickets?: AssetTicket[]; can?: Can }): AssetAnswer {
  if ('asset' in data && data.asset) {
    const { asset, ...rest } = data;
    return { ...asset, ...rest } as AssetAnswer;
  }
  return data as AssetAnswer;
}

export interface Location {
  id: string;
  name: string;
  parentId: string | null;
  path?: string | null;
  depth?: number;
  assetCount?: number;
  totalAssetCount?: number;
  version?: number;
}

export const assetsKey = ['assets'] as const;
export const assetListKey = ['assets', 'list'] as const;
export const assetKey = (id: string) => ['asset', id] as const;
export const locationsKey = ['locations'] as const;
export const picklistKey = (list: PicklistName) => ['picklists', list] as const;

export function useAsset(id: string | undefined) {
  return useQuery({
    queryKey: assetKey(id ?? ''),
    enabled: !!id,
    queryFn: async () => unwrapAsset(await get<AssetAnswer>(`/api/v1/assets/${id}`)),
  });
}

export function useLocations(enabled = true) {
  return useQuery({
    queryKey: locationsKey,
    enabled,
    queryFn: () => get<Page<Location>>('/api/v1/locations', { limit: 200 }),
  });
}

export function usePicklist(list: PicklistName, enabled = true) {
  return useQuery({
    queryKey: picklistKey(list),
    enabled,
    queryFn: () => get<Page<PicklistItem>>(`/api/v1/picklists/${list}`, { limit: 200 }),
  });
}

/** Locations in tree order with their depth, computed from parentId when the server gives none. */
export function treeOrder(items: Location[]): (Location & { depth: number; label: string })[] {
  const byParent = new Map<string | null, Location[]>();
  const ids = new Set(items.map((l) => l.id));
  for (const l of items) {
    const p = l.parentId && ids.has(l.parentId) ? l.parentId : null;
    const list = byParent.get(p) ?? [];
    list.push(l);
    byParent.set(p, list);
  }
  const out: (Location & { depth: number; label: string })[] = [];
  const walk = (parent: string | null, depth: number, prefix: string) => {
    const kids = (byParent.get(parent) ?? []).slice().sort((a, b) => a.name.localeCompare(b.name));
    for (const k of kids) {
      const label = prefix ? `${prefix} › ${k.name}` : k.name;
      out.push({ ...k, depth, label });
      walk(k.id, depth + 1, label);
    }
  };
  walk(null, 0, '');
  return out;
}

/** Ids of a location and everything below it. */
export function descendantsOf(items: Location[], id: string): Set<string> {
  const out = new Set<string>([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const l of items) {
      if (l.parentId && out.has(l.parentId) && !out.has(l.id)) {
        out.add(l.id);
        grew = true;
      }
    }
  }
  return out;
}

export function locationOptions(items: Location[]) {
  return treeOrder(items).map((l) => ({ value: l.id, label: l.label }));
}

/** "Site › Building › Room" for a location id, from the flat tree. */
export function locationLabel(items: Location[] | undefined, id: string | null | undefined): string | null {
  if (!id || !items) return null;
  const byId = new Map(items.map((l) => [l.id, l]));
  const names: string[] = [];
  let cur = byId.get(id);
  while (cur && names.length < 50) {
    names.unshift(cur.name);
    cur = cur.parentId ? byId.get(cur.parentId) : undefined;
  }
  return names.length ? names.join(' › ') : null;
}

export function nameOf(list: { id: string; name: string }[] | undefined, id: string | null | undefined): string | null {
  if (!id) return null;
  return list?.find((x) => x.id === id)?.name ?? null;
}
