// Keyset pagination ("load more") over the common {items, nextCursor} list shape.
import { useInfiniteQuery } from '@tanstack/react-query';
import { get, type Page, type Query } from './api';

export function useKeysetList<T>(key: readonly unknown[], path: string, query: Query = {}, enabled = true) {
  const result = useInfiniteQuery({
    queryKey: [...key, query],
    enabled,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) =>
      get<Page<T>>(path, { ...query, cursor: pageParam ?? undefined }, signal),
    getNextPageParam: (last) => last.nextCursor ?? null,
  });
  const items = result.data?.pages.flatMap((p) => p.items) ?? [];
  return { ...result, items };
}
