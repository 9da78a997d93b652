// The page's filters in the address. React Router's setSearchParams merges into the parameters of the last render,
// so two changes made before the page re-renders (a From and a To typed in quick succession) lose the first one;
// this one merges into the address as it is now.
import { useCallback } from 'react';
import { useSearchParams } from 'react-router';

export type AddressChanges = Record<string, string | null | undefined>;

export function useAddressParams(): [URLSearchParams, (changes: AddressChanges, options?: { push?: boolean }) => void] {
  const [params, setParams] = useSearchParams();
  const update = useCallback(
    (changes: AddressChanges, options?: { push?: boolean }) => {
      const next = new URLSearchParams(window.location.search);
      for (const [key, value] of Object.entries(changes)) {
        if (value) next.set(key, value);
        else next.delete(key);
      }
      if (next.toString() === new URLSearchParams(window.location.search).toString()) return;
      setParams(next, { replace: !options?.push });
    },
    [setParams],
  );
  return [params, update];
}
