// The data side of the admin CRUD kit: a searchable keyset list, and save/delete mutations that
// refresh the list, say so, and put a 400 answer's field messages onto the form.
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { type QueryKey, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../components/ErrorAlert';
import type { Query } from './api';
import { applyFieldErrors } from './forms';
import { useKeysetList } from './lists';

export interface CrudListOptions<T> {
  /** Query key prefix the list is cached under; saves and deletes invalidate it. */
  key: QueryKey;
  path: string;
  /** Extra filters sent with every page (status, list name…). */
  query?: Query;
  limit?: number;
  enabled?: boolean;
  /**
   * The search text is sent as `q`; this also filters the pages already loaded, for lists whose
   * server does not search yet (it must match at least what the server's `q` matches).
   */
  matches?: (item: T, q: string) => boolean;
}

/** A keyset list ("Load more") with a search box's state: `search` binds the input. */
export function useCrudList<T>({ key, path, query = {}, limit, enabled = true, matches }: CrudListOptions<T>) {
  const [text, setText] = useState('');
  const [q] = useDebouncedValue(text.trim(), 300);
  const list = useKeysetList<T>([...key, 'pages'], path, { ...query, q: q || undefined, limit }, enabled);
  const needle = q.toLocaleLowerCase();
  const items = needle && matches ? list.items.filter((item) => matches(item, needle)) : list.items;
  return { ...list, items, q, search: { value: text, onChange: setText } };
}

export type CrudList<T> = ReturnType<typeof useCrudList<T>>;

/** Case-insensitive "contains" over a few text fields, for `matches`. */
export function textMatches(q: string, ...fields: (string | null | undefined)[]): boolean {
  return fields.some((f) => !!f && f.toLocaleLowerCase().includes(q));
}

interface FormLike {
  setErrors: (errors: Record<string, string>) => void;
}

/** Save from a form modal: on success refresh `invalidate`, show `message`, close; on a 400, mark the fields. */
export function useCrudSave<V, R = unknown>({
  form,
  save,
  invalidate,
  message,
  onDone,
}: {
  form?: FormLike;
  save: (values: V) => Promise<R>;
  invalidate: QueryKey | QueryKey[];
  /** What the notification says; null says nothing (the caller shows the result itself). */
  message: string | ((result: R) => string | null);
  onDone?: (result: R) => void;
}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: save,
    onSuccess: (result) => {
      const text = typeof message === 'function' ? message(result) : message;
      if (text) notifications.show({ color: 'green', message: text });
      for (const key of keysOf(invalidate)) void queryClient.invalidateQueries({ queryKey: key });
      onDone?.(result);
    },
    onError: (error) => {
      if (form) applyFieldErrors(form, error);
    },
  });
}

/** Delete (or end, revoke…) one row after the confirm dialog; failures show as a notification. */
export function useCrudDelete<T>({
  remove,
  invalidate,
  message,
  onDone,
}: {
  remove: (item: T) => Promise<unknown>;
  invalidate: QueryKey | QueryKey[];
  message?: string;
  onDone?: (item: T) => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: remove,
    onSuccess: (_r, item) => {
      if (message) notifications.show({ color: 'green', message });
      for (const key of keysOf(invalidate)) void queryClient.invalidateQueries({ queryKey: key });
      onDone?.(item);
    },
    onError: (error) => notifications.show({ color: 'red', autoClose: 8000, message: errorMessage(t, error) }),
  });
}

function keysOf(k: QueryKey | QueryKey[]): QueryKey[] {
  return Array.isArray(k[0]) ? (k as QueryKey[]) : [k as QueryKey];
}

/** Which row a form modal edits: null (closed), 'new', or the row. */
export function useEditing<T>() {
  const [editing, setEditing] = useState<T | 'new' | null>(null);
  return {
    editing,
    /** The row being edited, or null when creating. */
    current: editing === 'new' ? null : editing,
    open: (item: T | 'new') => setEditing(item),
    close: () => setEditing(null),
  };
}
