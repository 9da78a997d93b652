// Files of a ticket: list, download through the authorised route, upload (a phone can take a photo).
import { ActionIcon, Anchor, Button, FileButton, Group, Paper, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconCamera, IconPaperclip, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../components/EmptyState';
import { errorMessage } from '../../components/ErrorAlert';
import { PageLoader } from '../../components/PageLoader';
import { del, upload } from '../../lib/api';
import { getAll } from '../../lib/lists';
import { useFormatDate } from '../../lib/format';
import { fileSize } from './api';
import { SectionError } from './SectionError';
import type { Attachment } from '../../../shared/contracts/attachments';
import type { TicketAnswer } from '../../../shared/contracts/tickets';

export const attachmentsKey = (number: number | string) => ['ticket-attachments', String(number)] as const;

export function Attachments({ answer }: { answer: TicketAnswer }) {
  const { t } = useTranslation();
  const fmt = useFormatDate();
  const queryClient = useQueryClient();
  const { ticket, can } = answer;
  const list = useQuery({
    queryKey: attachmentsKey(ticket.number),
    retry: false,
    queryFn: ({ signal }) => getAll<Attachment>(`/api/v1/tickets/${ticket.number}/attachments`, {}, signal),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: attachmentsKey(ticket.number) });

  const add = useMutation({
    mutationFn: async (files: File[]) => {
      for (const file of files) {
        const form = new FormData();
        form.append('file', file, file.name);
        await upload(`/api/v1/tickets/${ticket.number}/attachments`, form);
      }
      return files.length;
    },
    onSuccess: (count) => {
      notifications.show({ color: 'green', message: t('tickets.attachments.uploaded', { count }) });
      void refresh();
    },
    onError: (error) => {
      notifications.show({ color: 'red', message: errorMessage(t, error) });
      void refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => del(`/api/v1/attachments/${id}`),
    onSuccess: () => {
      notifications.show({ color: 'green', message: t('tickets.attachments.deleted') });
      void refresh();
    },
    onError: (error) => notifications.show({ color: 'red', message: errorMessage(t, error) }),
  });
  const pick = (files: File | File[] | null) => {
    const all = Array.isArray(files) ? files : files ? [files] : [];
    if (all.length) add.mutate(all);
  };

  return (
    <Stack gap="sm">
      {can.attach ? (
        <Group gap="xs" wrap="wrap">
          <FileButton onChange={pick} accept="image/*" capture="environment" inputProps={{ 'data-testid': 'photo-input', 'aria-label': t('tickets.attachments.photo') } as never}>
            {(props) => (
              <Button {...props} leftSection={<IconCamera size={16} aria-hidden />} loading={add.isPending} data-testid="add-photo">
                {t('tickets.attachments.photo')}
              </Button>
            )}
          </FileButton>
          <FileButton onChange={pick} multiple inputProps={{ 'data-testid': 'file-input', 'aria-label': t('tickets.attachments.file') } as never}>
            {(props) => (
              <Button {...props} variant="default" leftSection={<IconPaperclip size={16} aria-hidden />} loading={add.isPending}>
                {t('tickets.attachments.file')}
              </Button>
            )}
          </FileButton>
        </Group>
      ) : null}
      {list.isPending ? (
        <PageLoader />
      ) : list.isError ? (
        <SectionError error={list.error} onRetry={() => list.refetch()} />
      ) : list.data.items.length === 0 ? (
        <EmptyState message={t('tickets.attachments.none')} />
      ) : (
        <Stack gap="xs" data-testid="attachments">
          {list.data.items.map((file) => (
            <Paper key={file.id} withBorder p="xs" data-testid="attachment">
              <Group justify="space-between" wrap="nowrap" gap="xs">
                <Stack gap={0} style={{ minWidth: 0 }}>
                  <Anchor href={`/api/v1/attachments/${file.id}`} download={file.name} style={{ overflowWrap: 'anywhere' }}>
                    {file.name}
                  </Anchor>
                  <Text size="xs" c="dimmed">
                    {fileSize(file.size)}
                    {file.createdAt ? ` · ${fmt(file.createdAt)}` : ''}
                    {file.uploadedBy ? ` · ${file.uploadedBy.name}` : ''}
                  </Text>
                </Stack>
                {can.update ? (
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    aria-label={t('tickets.attachments.deleteOne', { name: file.name })}
                    loading={remove.isPending && remove.variables === file.id}
                    onClick={() => remove.mutate(file.id)}
                  >
                    <IconTrash size={16} aria-hidden />
                  </ActionIcon>
                ) : null}
              </Group>
            </Paper>
          ))}
        </Stack>
      )}
    </Stack>
  );
}
