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

/**
 * Every item of a list, page by page at the largest page size: for pickers and short admin sets
 * (roles, teams, categories, a ticket's conversation) that a screen shows whole.
 */
export async function getAll<T>(path: string, query: Query = {}, signal?: AbortSignal): Promise<Page<T>> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<T> = await get<Page<T>>(path, { ...query, limit: 200, cursor: cursor ?? undefined }, signal);
    items.push(...page.items);
    cursor = page.nextCursor ?? null;
  } while (cursor);
  return { items, nextCursor: null };
}
