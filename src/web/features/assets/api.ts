// Asset, location and picklist shapes and queries (see /api/v1/openapi.json, "assets").
import { useQuery } from '@tanstack/react-query';
import { get, type Page } from '../../lib/api';
import type { Asset, AssetPage } from '../../../shared/contracts/assets';
import type { Location } from '../../../shared/contracts/locations';
import type { CustomFieldDef, PicklistItem } from '../../../shared/contracts/picklists';

export { ASSET_STATUSES, CUSTOM_FIELD_TYPES as FIELD_TYPES, PICKLISTS } from '../../../shared/contracts/enums';
/** One asset as its page shows it (children, tickets, what the caller may do). */
export type { Asset, AssetPage as AssetDetail, AssetTicket } from '../../../shared/contracts/assets';
export type { Location, LocationDetail } from '../../../shared/contracts/locations';
export type { CustomFieldDef, PicklistItem } from '../../../shared/contracts/picklists';
export type { Ref } from '../../../shared/contracts/common';
export type AssetStatus = Asset['status'];
export type PicklistName = PicklistItem['list'];
export type FieldType = CustomFieldDef['type'];
export const assetStatusColor: Record<AssetStatus, string> = {
  in_use: 'green',
  in_stock: 'blue',
  in_repair: 'orange',
  retired: 'gray',
  disposed: 'dark',
};

export const assetsKey = ['assets'] as const;
export const assetListKey = ['assets', 'list'] as const;
export const assetKey = (id: string) => ['asset', id] as const;
export const locationsKey = ['locations'] as const;
export const picklistKey = (list: PicklistName) => ['picklists', list] as const;

export function useAsset(id: string | undefined) {
  return useQuery({
    queryKey: assetKey(id ?? ''),
    enabled: !!id,
    queryFn: async () => (await get<{ asset: AssetPage }>(`/api/v1/assets/${id}`)).asset,
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
