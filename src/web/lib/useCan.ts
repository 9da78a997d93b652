// Permission checks in the UI only hide what the server would refuse; the server decides.
import { useMeQuery } from './useMe';
import type { Permission } from '../../shared/permissions/catalogue';

/** A `can` map the server computed for one resource. */
export type Can = Record<string, boolean>;

/** True when GET /me lists the permission. Never re-implement server rules here. */
export function useCan(permission: Permission): boolean {
  const { data } = useMeQuery();
  return !!data?.permissions.includes(permission);
}

export function useCanAny(...permissions: Permission[]): boolean {
  const { data } = useMeQuery();
  return !!data && permissions.some((p) => data.permissions.includes(p));
}

export function useIsSuperAdmin(): boolean {
  const { data } = useMeQuery();
  return !!data?.superAdmin;
}

/** Reads the `can` map the server computed for one resource: canOn(role)('delete'). */
export function canOn(resource: { can?: Can } | null | undefined, action: string): boolean {
  return resource?.can?.[action] === true;
}

export function useCanOn(resource: { can?: Can } | null | undefined) {
  return (action: string) => canOn(resource, action);
}
