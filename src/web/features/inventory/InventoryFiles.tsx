// Photos, manuals, videos and audio notes of a part or a vendor: shown to everyone who may see
// inventory, added and removed by those who manage it (the server checks both).
import { Anchor, Button, FileButton, Group, Image, Paper, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconPaperclip } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ConfirmButton } from '../../components/ConfirmButton';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert, errorMessage } from '../../components/ErrorAlert';
import { LoadMore } from '../../components/LoadMore';
import { PageLoader } from '../../components/PageLoader';
import { del, upload } from '../../lib/api';
import { useFormatDate } from '../../lib/format';
import { useKeysetList } from '../../lib/lists';
import { useCan } from '../../lib/useCan';
import type { InventoryFile } from '../../../shared/contracts/inventory';
import { fileSize } from '../tickets/api';

export function InventoryFiles({ owner, id }: { owner: 'parts' | 'vendors'; id: string }) {
  const { t } = useTranslation();
  const fmt = useFormatDate();
  const queryClient = useQueryClient();
  const canManage = useCan('inventory.manage');
  const key = ['inventory-files', owner, id] as const;
  const list = useKeysetList<InventoryFile>(key, `/api/v1/${owner}/${id}/files`, { limit: 50 });
  const refresh = () => queryClient.invalidateQueries({ queryKey: key });
  const add = useMutation({
    mutationFn: async (files: File[]) => {
      for (const file of files) {
        const form = new FormData();
        form.append('file', file, file.name);
        await upload(`/api/v1/${owner}/${id}/files`, form);
      }
      return files.length;
    },
    onSuccess: (count) => notifications.show({ color: 'green', message: t('inventoryFiles.uploaded', { count }) }),
    onError: (error) => notifications.show({ color: 'red', message: errorMessage(t, error) }),
    onSettled: refresh,
  });
  const remove = useMutation({
    mutationFn: (file: InventoryFile) => del(`/api/v1/inventory-files/${file.id}`),
    onSuccess: () => notifications.show({ color: 'green', message: t('inventoryFiles.removed') }),
    onError: (error) => notifications.show({ color: 'red', message: errorMessage(t, error) }),
    onSettled: refresh,
  });
  return (
    <Stack gap="sm" data-testid="inventory-files">
      {canManage ? (
        <FileButton
          onChange={(f) => {
            const all = Array.isArray(f) ? f : f ? [f] : [];
            if (all.length) add.mutate(all);
          }}
          multiple
          accept="image/*,video/*,audio/*,application/pdf,.doc,.docx,.xls,.xlsx,.txt,.csv"
          inputProps={{ 'data-testid': 'inventory-file-input', 'aria-label': `${t('inventoryFiles.add')}: ${t('inventoryFiles.hint')}` } as never}
        >
          {(props) => (
            <Group gap="xs">
              <Button {...props} variant="default" leftSection={<IconPaperclip size={16} aria-hidden />} loading={add.isPending}>
                {t('inventoryFiles.add')}
              </Button>
              <Text size="xs" c="dimmed">
                {t('inventoryFiles.hint')}
              </Text>
            </Group>
          )}
        </FileButton>
      ) : null}
      {list.isPending ? (
        <PageLoader />
      ) : list.isError ? (
        <ErrorAlert error={list.error} onRetry={() => list.refetch()} />
      ) : list.items.length === 0 ? (
        <EmptyState message={t('inventoryFiles.none')} />
      ) : (
        list.items.map((f) => (
          <Paper key={f.id} withBorder p="xs" data-testid="inventory-file">
            <Group justify="space-between" wrap="nowrap" gap="xs">
              {f.contentType.startsWith('image/') ? (
                <Image src={`/api/v1/inventory-files/${f.id}`} alt={f.name} w={56} h={56} fit="cover" radius="sm" data-testid="inventory-file-thumb" />
              ) : null}
              <div style={{ minWidth: 0, flex: 1 }}>
                <Anchor href={`/api/v1/inventory-files/${f.id}`} download={f.name} style={{ overflowWrap: 'anywhere' }} data-testid="inventory-file-link">
                  {f.name}
                </Anchor>
                <Text size="xs" c="dimmed">
                  {fileSize(f.size)} · {fmt(f.createdAt)}
                  {f.uploadedBy ? ` · ${f.uploadedBy.name}` : ''}
                </Text>
              </div>
              {canManage ? (
                <ConfirmButton
                  size="xs"
                  variant="subtle"
                  color="red"
                  danger
                  title={t('inventoryFiles.removeTitle')}
                  message={t('inventoryFiles.removeMessage', { name: f.name })}
                  confirmLabel={t('inventoryFiles.remove')}
                  onConfirm={() => remove.mutate(f)}
                  aria-label={t('inventoryFiles.removeNamed', { name: f.name })}
                  data-testid="inventory-file-remove"
                >
                  {t('inventoryFiles.remove')}
                </ConfirmButton>
              ) : null}
            </Group>
          </Paper>
        ))
      )}
      <LoadMore hasNextPage={list.hasNextPage} isFetchingNextPage={list.isFetchingNextPage} fetchNextPage={list.fetchNextPage} />
    </Stack>
  );
}
