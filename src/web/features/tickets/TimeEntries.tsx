// Time worked on a ticket: entries (a page at a time, "load more") with totals of all, and a form to log more.
import { Button, Checkbox, Group, NumberInput, Paper, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LoadMore } from '../../components/LoadMore';
import { PageLoader } from '../../components/PageLoader';
import { get, post } from '../../lib/api';
import { useFormatDate } from '../../lib/format';
import { minutesLabel } from './api';
import { SectionError } from './SectionError';
import type { TicketAnswer } from '../../../shared/contracts/tickets';
import type { TimeEntryList } from '../../../shared/contracts/ticket-work';
import { useFormatMoney } from '../../lib/company';

export const timeKey = (number: number | string) => ['ticket-time', String(number)] as const;

export function TimeEntries({ answer }: { answer: TicketAnswer }) {
  const { t } = useTranslation();
  const fmt = useFormatDate();
  const queryClient = useQueryClient();
  const { ticket, can } = answer;
  const entries = useInfiniteQuery({
    queryKey: timeKey(ticket.number),
    retry: false,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) =>
      get<TimeEntryList>(`/api/v1/tickets/${ticket.number}/time-entries`, { cursor: pageParam ?? undefined }, signal),
    getNextPageParam: (last) => last.nextCursor ?? null,
  });
  const [minutes, setMinutes] = useState<number | string>(30);
  const [billable, setBillable] = useState(true);
  const [rate, setRate] = useState<number | string>('');
  const [note, setNote] = useState('');
  const log = useMutation({
    mutationFn: () => {
      const body: Record<string, unknown> = { minutes: Number(minutes), billable };
      if (rate !== '') body.rate = Number(rate);
      if (note.trim()) body.note = note.trim();
      return post(`/api/v1/tickets/${ticket.number}/time-entries`, body);
    },
    onSuccess: () => {
      notifications.show({ color: 'green', message: t('tickets.time.logged') });
      setNote('');
      void queryClient.invalidateQueries({ queryKey: timeKey(ticket.number) });
    },
  });

  const money = useFormatMoney();
  if (entries.isPending) return <PageLoader />;
  if (entries.isError) return <SectionError error={entries.error} onRetry={() => entries.refetch()} />;
  const items = entries.data.pages.flatMap((p) => p.items);
  // Every page carries the totals of all entries; the latest read is the freshest.
  const { minutes: total, billableMinutes: billableTotal, billableAmount: amount } = entries.data.pages[entries.data.pages.length - 1].totals;

  return (
    <Stack gap="sm">
      <Group gap="lg" data-testid="time-totals">
        <Text size="sm">{t('tickets.time.total', { value: minutesLabel(total) })}</Text>
        <Text size="sm">{t('tickets.time.billable', { value: minutesLabel(billableTotal) })}</Text>
        {amount !== undefined && amount !== null ? (
          <Text size="sm">{t('tickets.time.amount', { value: money(amount) })}</Text>
        ) : null}
      </Group>
      {items.length === 0 ? (
        <EmptyState message={t('tickets.time.none')} />
      ) : (
        <Table.ScrollContainer minWidth={480}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('tickets.time.when')}</Table.Th>
                <Table.Th>{t('tickets.time.who')}</Table.Th>
                <Table.Th>{t('tickets.time.minutes')}</Table.Th>
                <Table.Th>{t('tickets.time.billableCol')}</Table.Th>
                <Table.Th>{t('tickets.time.note')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((e) => (
                <Table.Tr key={e.id}>
                  <Table.Td>{fmt(e.createdAt)}</Table.Td>
                  <Table.Td>{e.user?.name ?? '—'}</Table.Td>
                  <Table.Td>{minutesLabel(e.minutes)}</Table.Td>
                  <Table.Td>{e.billable ? t('common.yes') : t('common.no')}</Table.Td>
                  <Table.Td>{e.note ?? ''}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <LoadMore hasNextPage={entries.hasNextPage} isFetchingNextPage={entries.isFetchingNextPage} fetchNextPage={entries.fetchNextPage} />
      {can.logTime ? (
        <Paper withBorder p="sm">
          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              if (Number(minutes) > 0) log.mutate();
            }}
          >
            <Stack gap="xs">
              <ErrorAlert error={log.error} />
              <SimpleGrid cols={{ base: 1, xs: 3 }}>
                <NumberInput label={t('tickets.time.minutes')} min={1} max={24 * 60} allowDecimal={false} value={minutes} onChange={setMinutes} required />
                <NumberInput label={t('tickets.time.rate')} min={0} decimalScale={2} value={rate} onChange={setRate} />
                <Checkbox label={t('tickets.time.billableCol')} checked={billable} onChange={(e) => setBillable(e.currentTarget.checked)} mt={{ base: 0, xs: 30 }} />
              </SimpleGrid>
              <TextInput label={t('tickets.time.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={500} />
              <Group justify="flex-end">
                <Button type="submit" loading={log.isPending} disabled={!(Number(minutes) > 0)}>
                  {t('tickets.time.log')}
                </Button>
              </Group>
            </Stack>
          </form>
        </Paper>
      ) : null}
    </Stack>
  );
}
