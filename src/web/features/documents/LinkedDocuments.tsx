// The documents of an asset or a ticket, on its page: open them, add one (linked from the start),
// link an existing one, unlink. Shown to those who may read documents (and, on a ticket, the ticket).
import { ActionIcon, Button, Group, Paper, Select, Stack, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconX } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../components/ErrorAlert';
import { get, type Page, patch } from '../../lib/api';
import { useCan } from '../../lib/useCan';
import { type DocumentItem, documentsKey } from './api';
import { DocumentModal } from './DocumentModal';
import { DocumentTitle } from './DocumentsPage';

type Target = { assetId: string; ticketNumber?: undefined } | { ticketNumber: number; assetId?: undefined };

export function LinkedDocuments(target: Target) {
  const canView = useCan('documents.view');
  return canView ? <Linked {...target} /> : null;
}

function Linked({ assetId, ticketNumber }: Target) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const canManage = useCan('documents.manage');
  const [adding, setAdding] = useState(false);
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const filter = assetId ? { assetId } : { ticketNumber };
  const key = [...documentsKey, 'linked', assetId ?? `#${ticketNumber}`];
  const list = useQuery({ queryKey: key, queryFn: () => get<Page<DocumentItem>>('/api/v1/documents', { ...filter, limit: 50 }) });
  const candidates = useQuery({
    queryKey: [...documentsKey, 'pick', q],
    enabled: canManage,
    queryFn: () => get<Page<DocumentItem>>('/api/v1/documents', { q: q || undefined, limit: 20 }),
  });
  const items = list.data?.items ?? [];
  const change = useMutation({
    mutationFn: ({ d, on }: { d: DocumentItem; on: boolean }) => {
      if (assetId) {
        const ids = d.assets.map((a) => a.id).filter((id) => id !== assetId);
        return patch(`/api/v1/documents/${d.id}`, { assetIds: on ? [...ids, assetId] : ids });
      }
      const numbers = d.tickets.map((x) => x.number).filter((n) => n !== ticketNumber);
      return patch(`/api/v1/documents/${d.id}`, { ticketNumbers: on ? [...numbers, ticketNumber as number] : numbers });
    },
    onSuccess: (_r, { d, on }) => {
      notifications.show({ color: 'green', message: t(on ? 'documents.linked' : 'documents.unlinked', { name: d.title }) });
      setSearch('');
      void queryClient.invalidateQueries({ queryKey: documentsKey });
    },
    onError: (error) => notifications.show({ color: 'red', message: errorMessage(t, error) }),
  });
  const linkedIds = new Set(items.map((d) => d.id));
  return (
    <Paper withBorder p="sm" mb="md" data-testid="linked-documents">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h5">
          {t('documents.title')}
        </Title>
        {canManage ? (
          <Button size="xs" variant="default" onClick={() => setAdding(true)} data-testid="add-linked-document">
            {t('documents.add')}
          </Button>
        ) : null}
      </Group>
      <Stack gap="xs">
        {list.isSuccess && items.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('documents.noneLinked')}
          </Text>
        ) : null}
        {items.map((d) => (
          <Group key={d.id} gap="xs" wrap="nowrap" justify="space-between" data-testid="linked-document">
            <DocumentTitle d={d} />
            {canManage ? (
              <ActionIcon
                variant="subtle"
                color="gray"
                aria-label={t('documents.unlink', { name: d.title })}
                onClick={() => change.mutate({ d, on: false })}
              >
                <IconX size={14} aria-hidden />
              </ActionIcon>
            ) : null}
          </Group>
        ))}
        {canManage ? (
          <Select
            placeholder={t('documents.linkExisting')}
            aria-label={t('documents.linkExisting')}
            searchable
            searchValue={search}
            onSearchChange={setSearch}
            value={null}
            filter={({ options }) => options}
            data={(candidates.data?.items ?? []).filter((d) => !linkedIds.has(d.id)).map((d) => ({ value: d.id, label: d.title }))}
            onChange={(id) => {
              const d = candidates.data?.items.find((x) => x.id === id);
              if (d) change.mutate({ d, on: true });
            }}
            data-testid="link-document"
          />
        ) : null}
      </Stack>
      {adding ? (
        <DocumentModal
          document={null}
          onClose={() => setAdding(false)}
          links={assetId ? { assetIds: [assetId] } : { ticketNumbers: [ticketNumber as number] }}
        />
      ) : null}
    </Paper>
  );
}
