// Sections of the asset page: linked tickets, files and the audit trail.
// One asset: details and custom fields, check-out/check-in, QR code with its public report link,
// children, linked tickets, files and the audit trail.
import { ActionIcon, Anchor, Button, FileButton, Group, Paper, Stack, Text, TextInput, Timeline } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconLinkOff, IconPaperclip } from '@tabler/icons-react';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { EmptyState } from '../../components/EmptyState';
import { errorMessage } from '../../components/ErrorAlert';
import { PageLoader } from '../../components/PageLoader';
import { del, get, type Page, post, upload } from '../../lib/api';
import { getAll } from '../../lib/lists';
import { RawDetails } from '../../components/RawDetails';
import { useFormatDate } from '../../lib/format';
import { useLocale } from '../../lib/company';
import { day, useHistoryWords } from '../../lib/history';
import { fileSize } from '../tickets/api';
import { SectionError } from '../tickets/SectionError';
import { type AssetDetail, assetKey } from './api';
import type { AssetHistoryEntry } from '../../../shared/contracts/assets';

interface AssetFile {
  id: string;
  name: string;
  size: number;
  contentType?: string;
  createdAt?: string;
  uploadedBy?: { id: string; name: string } | null;
}


export const show = (v: unknown) =>
  v === null || v === undefined || v === '' ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v);

export function LinkedTickets({ asset, canManage }: { asset: AssetDetail; canManage: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [number, setNumber] = useState('');
  const refresh = () => queryClient.invalidateQueries({ queryKey: assetKey(asset.id) });
  const link = useMutation({
    mutationFn: (n: number) => post(`/api/v1/assets/${asset.id}/tickets`, { number: n }),
    onSuccess: () => {
      setNumber('');
      void refresh();
    },
  });
  const unlink = useMutation({
    mutationFn: (n: number) => del(`/api/v1/assets/${asset.id}/tickets/${n}`),
    onSuccess: () => void refresh(),
    onError: (error) => notifications.show({ color: 'red', message: errorMessage(t, error) }),
  });
  const tickets = asset.tickets;
  return (
    <Stack gap="sm" data-testid="asset-tickets">
      {canManage ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const n = Number(number.replace(/^#/, ''));
            if (Number.isInteger(n) && n > 0) link.mutate(n);
          }}
        >
          <Group align="flex-end" gap="xs">
            <TextInput
              label={t('assets.linkTicket')}
              placeholder="123"
              inputMode="numeric"
              value={number}
              onChange={(e) => setNumber(e.currentTarget.value)}
              data-testid="link-ticket-number"
              style={{ flex: '1 1 140px' }}
            />
            <Button type="submit" variant="default" loading={link.isPending}>
              {t('assets.link')}
            </Button>
          </Group>
          {link.error ? (
            <Text size="sm" c="red" mt={4} role="alert">
              {errorMessage(t, link.error)}
            </Text>
          ) : null}
        </form>
      ) : null}
      {tickets.length === 0 ? (
        <EmptyState message={t('assets.noTickets')} />
      ) : (
        tickets.map((tk) => (
          <Paper key={tk.number} withBorder p="xs" data-testid="asset-ticket">
            <Group justify="space-between" wrap="nowrap" gap="xs">
              <Stack gap={0} style={{ minWidth: 0 }}>
                <Anchor component={Link} to={`/tickets/${tk.number}`} style={{ overflowWrap: 'anywhere' }}>
                  #{tk.number} {tk.title}
                </Anchor>
                <Text size="xs" c="dimmed">
                  {t(`tickets.kinds.${tk.kind}`, { defaultValue: tk.kind })} ·{' '}
                  {t(`tickets.statuses.${tk.status}`, { defaultValue: tk.status })}
                </Text>
              </Stack>
              {canManage ? (
                <ActionIcon
                  variant="subtle"
                  color="red"
                  aria-label={t('assets.unlinkTicket', { number: tk.number })}
                  onClick={() => unlink.mutate(tk.number)}
                >
                  <IconLinkOff size={16} aria-hidden />
                </ActionIcon>
              ) : null}
            </Group>
          </Paper>
        ))
      )}
    </Stack>
  );
}

export function Files({ asset, canManage }: { asset: AssetDetail; canManage: boolean }) {
  const { t } = useTranslation();
  const fmt = useFormatDate();
  const queryClient = useQueryClient();
  const key = ['asset-files', asset.id];
  // A page at a time (the list is paginated), oldest first; "Load more" reads the next.
  const list = useInfiniteQuery({
    queryKey: key,
    retry: false,
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => get<Page<AssetFile>>(`/api/v1/assets/${asset.id}/files`, { limit: 50, cursor: pageParam }),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const files = list.data?.pages.flatMap((p) => p.items) ?? [];
  const add = useMutation({
    mutationFn: async (files: File[]) => {
      for (const file of files) {
        const form = new FormData();
        form.append('file', file, file.name);
        await upload(`/api/v1/assets/${asset.id}/files`, form);
      }
      return files.length;
    },
    onSuccess: (count) => notifications.show({ color: 'green', message: t('assets.filesUploaded', { count }) }),
    onError: (error) => notifications.show({ color: 'red', message: errorMessage(t, error) }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: key }),
  });
  return (
    <Stack gap="sm">
      {canManage ? (
        <FileButton
          onChange={(f) => {
            const all = Array.isArray(f) ? f : f ? [f] : [];
            if (all.length) add.mutate(all);
          }}
          multiple
          inputProps={{ 'data-testid': 'asset-file-input', 'aria-label': t('assets.addFiles') } as never}
        >
          {(props) => (
            <Button
              {...props}
              variant="default"
              leftSection={<IconPaperclip size={16} aria-hidden />}
              loading={add.isPending}
              w="fit-content"
            >
              {t('assets.addFiles')}
            </Button>
          )}
        </FileButton>
      ) : null}
      {list.isPending ? (
        <PageLoader />
      ) : list.isError ? (
        <SectionError error={list.error} onRetry={() => list.refetch()} />
      ) : files.length === 0 ? (
        <EmptyState message={t('assets.noFiles')} />
      ) : (
        files.map((f) => (
          <Paper key={f.id} withBorder p="xs" data-testid="asset-file">
            <Anchor href={`/api/v1/asset-files/${f.id}`} download={f.name} style={{ overflowWrap: 'anywhere' }}>
              {f.name}
            </Anchor>
            <Text size="xs" c="dimmed">
              {fileSize(f.size)}
              {f.createdAt ? ` · ${fmt(f.createdAt)}` : ''}
              {f.uploadedBy ? ` · ${f.uploadedBy.name}` : ''}
            </Text>
          </Paper>
        ))
      )}
      {list.hasNextPage ? (
        <Button variant="default" size="xs" onClick={() => list.fetchNextPage()} loading={list.isFetchingNextPage} data-testid="asset-files-more">
          {t('common.loadMore')}
        </Button>
      ) : null}
    </Stack>
  );
}

/** "Checked out to Noah Williams until 12 Dec 2030": the assignment events read as one sentence. */
function assignmentLine(t: TFunction, h: AssetHistoryEntry, day: (v: unknown) => string | null): string | null {
  const change = (f: string) => h.changes.find((c) => c.field === f);
  if (h.event === 'checked_out') {
    const to = change('assignedToId');
    const until = day(change('expectedReturn')?.after);
    const name = to?.afterLabel ?? t('history.removed');
    return until ? t('history.asset.checkedOutUntil', { name, until }) : t('history.asset.checkedOutTo', { name });
  }
  if (h.event === 'checked_in') {
    const from = change('assignedToId');
    return from?.beforeLabel ? t('history.asset.checkedInFrom', { name: from.beforeLabel }) : null;
  }
  return null;
}

// Fields the assignment sentence already says.
const ASSIGNMENT_FIELDS = new Set(['assignedToId', 'expectedReturn', 'note']);

export function History({ asset }: { asset: AssetDetail }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const fmt = useFormatDate();
  const words = useHistoryWords('asset');
  const list = useQuery({
    queryKey: ['asset-history', asset.id],
    retry: false,
    queryFn: () => getAll<AssetHistoryEntry>(`/api/v1/assets/${asset.id}/history`),
  });
  if (list.isPending) return <PageLoader />;
  if (list.isError) return <SectionError error={list.error} onRetry={() => list.refetch()} />;
  const items = list.data.items ?? [];
  if (!items.length) return <EmptyState message={t('assets.noHistory')} />;
  const asDay = (v: unknown) => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? day(v, locale) : null);
  return (
    <Timeline bulletSize={14} lineWidth={2} data-testid="asset-history">
      {items.map((h) => {
        const event = h.event;
        const sentence = assignmentLine(t, h, asDay);
        const note = h.changes?.find((c) => c.field === 'note')?.after;
        const lines = (h.changes ?? [])
          .filter((c) => !(sentence && ASSIGNMENT_FIELDS.has(c.field)) && c.field !== 'note')
          .map((c) => words(c))
          .filter((l): l is string => l !== null);
        return (
          <Timeline.Item
            key={h.id}
            title={t(`assets.events.${event}`, { defaultValue: event.replace(/[._]/g, ' ') })}
            data-testid="asset-history-entry"
            data-event={event}
          >
            {sentence ? (
              <Text size="sm" fw={500} data-testid="asset-history-sentence">
                {sentence}
              </Text>
            ) : null}
            {lines.map((line) => (
              <Text key={line} size="sm" style={{ overflowWrap: 'anywhere' }}>
                {line}
              </Text>
            ))}
            {typeof note === 'string' && note ? <Text size="sm">{t('history.asset.note', { note })}</Text> : null}
            <Text size="xs" c="dimmed">
              {fmt(h.at)}
              {h.actor ? ` · ${h.actor.name}` : ''}
            </Text>
            <RawDetails value={h.changes ?? []} />
          </Timeline.Item>
        );
      })}
    </Timeline>
  );
}
