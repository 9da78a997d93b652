// The signed-in user, from GET /api/v1/me; null when not logged in (401).
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, get, setCsrfToken } from './api';
import type { Me, MeUser, Preferences } from '../../shared/contracts/me';

export const meKey = ['me'] as const;

export async function fetchMe(): Promise<Me | null> {
  try {
    const me = await get<Me>('/api/v1/me');
    setCsrfToken(me.csrfToken);
    return me;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

export function useMeQuery() {
  return useQuery({ queryKey: meKey, queryFn: fetchMe, staleTime: 60_000, retry: 1 });
}

/** The current user; only call below the authenticated layout, where it is known to exist. */
export function useMe(): Me {
  const { data } = useMeQuery();
  if (!data) throw new Error('useMe() used outside an authenticated page');
  return data;
}

export function useSetMe() {
  const queryClient = useQueryClient();
  return (update: (me: Me) => Me) =>
    queryClient.setQueryData<Me | null>(meKey, (me) => (me ? update(me) : me));
}

/** The user's list preferences; the server stores only what PATCH /me validated against `preferences`. */
export function preferencesOf(user: MeUser): Preferences {
  return user.preferences as Preferences;
}
