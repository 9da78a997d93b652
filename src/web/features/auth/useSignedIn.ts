// After a successful login: keep the CSRF token, forget the previous user's cache, load /me.
import { useQueryClient } from '@tanstack/react-query';
import { setCsrfToken } from '../../lib/api';
import { fetchMe, meKey } from '../../lib/useMe';

export function useSignedIn() {
  const queryClient = useQueryClient();
  return async (csrfToken: string) => {
    setCsrfToken(csrfToken);
    queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'setup' });
    await queryClient.fetchQuery({ queryKey: meKey, queryFn: fetchMe });
  };
}
