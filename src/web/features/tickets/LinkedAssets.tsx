// The assets a ticket is about: tag, name and location, each a link to its page; staff link and unlink.
import { ActionIcon, Anchor, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconMapPin, IconUnlink } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { errorMessage } from '../../components/ErrorAlert';
import { del, post } from '../../lib/api';
import { ticketAssetsKey, ticketKey, useTicketAssets } from './api';
import { AssetPicker } from './pickers';
import { SectionError } from './SectionError';
import type { TicketAnswer } from '../../../shared/contracts/tickets';
import type { TicketAssetList } from '../../../shared/contracts/tickets-links';

export function LinkedAssets({ answer }: { answer: TicketAnswer }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { ticket, can } = answer;
  const list = useTicketAssets(ticket.number);
  const settled = (next: TicketAssetList, message: string) => {
    queryClient.setQueryData(ticketAssetsKey(ticket.number), next);
    void queryClient.invalidateQueries({ queryKey: ticketKey(ticket.number) });
    void queryClient.invalidateQueries({ queryKey: ['ticket-history', String(ticket.number)] });
    notifications.show({ color: 'green', message });
  };
  const fail = (error: unknown) => notifications.show({ color: 'red', message: errorMessage(t, error) });
  const link = useMutation({
    mutationFn: (a: { id: string; name: string }) => post<TicketAssetList>(`/api/v1/tickets/${ticket.number}/assets`, { assetId: a.id }),
    onSuccess: (next, a) => settled(next, t('ticketLinks.linked', { name: a.name })),
    onError: fail,
  });
  const unlink = useMutation({
    mutationFn: (a: { id: string; name: string }) => del<TicketAssetList>(`/api/v1/tickets/${ticket.number}/assets/${a.id}`),
    onSuccess: (next, a) => settled(next, t('ticketLinks.unlinked', { name: a.name })),
    onError: fail,
  });
  const items = list.data?.items ?? [];

  return (
    <Paper withBorder p="sm" mb="md" data-testid="ticket-assets">
      <Title order={2} size="h5" mb="xs">
        {t('ticketLinks.assetsTitle')}
      </Title>
      {list.isError ? <SectionError error={list.error} onRetry={() => list.refetch()} /> : null}
      <Stack gap="xs">
        {list.isSuccess && items.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('ticketLinks.noAssets')}
          </Text>
        ) : null}
        {items.map((a) => (
          <Group key={a.id} gap="xs" wrap="nowrap" align="flex-start" justify="space-between" data-testid="ticket-asset">
            <Stack gap={0} style={{ minWidth: 0 }}>
              <Anchor component={Link} to={`/assets/${a.id}`} size="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>
                {a.tag} · {a.name}
              </Anchor>
              <Group gap={4} wrap="nowrap">
                <IconMapPin size={12} aria-hidden />
                <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }} data-testid="ticket-asset-location">
                  {a.locationPath ?? t('ticketLinks.noLocation')}
                </Text>
              </Group>
            </Stack>
            {can.update ? (
              <ActionIcon
                variant="subtle"
                color="red"
                aria-label={t('ticketLinks.unlink', { name: a.name })}
                title={t('ticketLinks.unlink', { name: a.name })}
                loading={unlink.isPending && unlink.variables?.id === a.id}
                onClick={() => unlink.mutate({ id: a.id, name: a.name })}
                data-testid="unlink-asset"
              >
                <IconUnlink size={16} aria-hidden />
              </ActionIcon>
            ) : null}
          </Group>
        ))}
        {can.update ? (
          <AssetPicker
            aria-label={t('ticketLinks.linkAsset')}
            exclude={items.map((a) => a.id)}
            onPick={(a) => link.mutate(a)}
            disabled={link.isPending}
            data-testid="link-asset"
          />
        ) : null}
      </Stack>
    </Paper>
  );
}
