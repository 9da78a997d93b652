import { useQuery } from '@tanstack/react-query';
import { get, type Page } from '../../lib/api';
import type { PermissionInfo, Role } from '../../../shared/contracts/roles';

export const rolesKey = ['roles'] as const;

export function useRoles() {
  return useQuery({ queryKey: rolesKey, queryFn: () => get<Page<Role>>('/api/v1/roles') });
}

export function useRole(id: string | undefined) {
  return useQuery({
    queryKey: [...rolesKey, id],
    enabled: !!id,
    // The single-role answer may be wrapped ({ role }) or bare; accept both.
    queryFn: async () => {
      const answer = await get<{ role?: Role } & Partial<Role>>(`/api/v1/roles/${id}`);
      return (answer.role ?? answer) as Role;
    },
  });
}

export function usePermissionCatalogue() {
  return useQuery({
    queryKey: ['permissions'],
    queryFn: () => get<Page<PermissionInfo>>('/api/v1/permissions'),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** The catalogue grouped by area, in catalogue order. */
export function groupByArea(items: PermissionInfo[]): [string, PermissionInfo[]][] {
  const groups = new Map<string, PermissionInfo[]>();
  for (const item of items) {
    const group = groups.get(item.area) ?? [];
    group.push(item);
    groups.set(item.area, group);
  }
  return [...groups.entries()];
}
