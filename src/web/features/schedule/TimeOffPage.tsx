// Time off: request your own (whole days in your zone), and for planners everyone's requests to
// approve or reject — approving over booked entries shows them and offers to approve anyway (the
// entries stay, flagged). A planner may also enter time off for someone else (approved at once).
import { Alert, Badge, Button, Group, Paper, Select, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../components/ErrorAlert';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { ApiError } from '../../lib/api';
import { useCan } from '../../lib/useCan';
import { useMe } from '../../lib/useMe';
import { addDays } from '../../../shared/time';
import { TIME_OFF_KINDS, type TimeOff, useScheduleLiveRefresh, useTechnicians, useTimeOff, useTimeOffMutations } from './api';
import { dayStartIso, spanIn } from './time';

const STATUS_COLOR = { requested: 'yellow', approved: 'green', rejected: 'gray' } as const;

export function TimeOffPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const zone = me.user.timezone || 'UTC';
  const planner = useCan('schedule.manage');
  const list = useTimeOff();
  const technicians = useTechnicians();
  const { create, decide } = useTimeOffMutations();
  useScheduleLiveRefresh();
  const [kind, setKind] = useState<string>('vacation');
  const [first, setFirst] = useState('');
  const [last, setLast] = useState('');
  const [note, setNote] = useState('');
  const [userId, setUserId] = useState<string | null>(null);
  const [formError, setFormError] = useState<unknown>(null);
  const [pending, setPending] = useState<{ id: string; error: ApiError } | null>(null);

  const submit = async (force = false) => {
    setFormError(null);
    try {
      await create.mutateAsync({
        kind,
        startsAt: dayStartIso(first, zone),
        endsAt: dayStartIso(addDays(last || first, 1), zone),
        note: note.trim() || undefined,
        ...(userId && userId !== String(me.user.id) ? { userId } : {}),
        ...(force ? { force: true } : {}),
      });
      setFirst('');
      setLast('');
      setNote('');
    } catch (err) {
      setFormError(err);
    }
  };

  const act = async (o: TimeOff, decision: 'approve' | 'reject', force = false) => {
    try {
      await decide.mutateAsync({ id: o.id, decision, force });
      setPending(null);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'overlap') setPending({ id: o.id, error: err });
      else setPending({ id: o.id, error: err as ApiError });
    }
  };

  const rows = list.items;
  return (
    <>
      <PageHeader title={t('timeOff.title')} description={t('schedule.shownIn', { zone })} />
      <Stack gap="lg" maw={960}>
        <Paper withBorder p="md">
          <Title order={2} size="h4" mb="sm">
            {planner ? t('timeOff.enter') : t('timeOff.request')}
          </Title>
          <Group align="flex-end" wrap="wrap" gap="sm">
            {planner ? (
              <Select
                label={t('timeOff.person')}
                data={(technicians.data?.items ?? []).map((x) => ({ value: x.id, label: x.name }))}
                value={userId}
                onChange={setUserId}
                placeholder={t('timeOff.myself')}
                clearable
                searchable
                w={200}
              />
            ) : null}
            <Select
              label={t('timeOff.kind')}
              data={TIME_OFF_KINDS.map((k) => ({ value: k, label: t(`schedule.timeOffKinds.${k}`) }))}
              value={kind}
              onChange={(v) => setKind(v ?? 'vacation')}
              w={150}
              data-testid="time-off-kind"
            />
            <TextInput
              type="date"
              label={t('timeOff.firstDay')}
              value={first}
              onChange={(e) => setFirst(e.currentTarget.value)}
              required
              data-testid="time-off-first"
            />
            <TextInput
              type="date"
              label={t('timeOff.lastDay')}
              value={last}
              onChange={(e) => setLast(e.currentTarget.value)}
              data-testid="time-off-last"
            />
            <Textarea
              label={t('schedule.note')}
              value={note}
              onChange={(e) => setNote(e.currentTarget.value)}
              autosize
              minRows={1}
              w={220}
            />
            <Button onClick={() => submit(false)} disabled={!first} loading={create.isPending} data-testid="time-off-submit">
              {t('timeOff.submit')}
            </Button>
          </Group>
          {formError ? (
            <Alert color="red" mt="sm">
              {errorMessage(t, formError)}
              {formError instanceof ApiError && formError.code === 'overlap' ? (
                <Button size="xs" ml="sm" color="orange" onClick={() => submit(true)}>
                  {t('timeOff.anyway')}
                </Button>
              ) : null}
            </Alert>
          ) : null}
        </Paper>
        <Table.ScrollContainer minWidth={560}>
          <Table striped data-testid="time-off-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('timeOff.person')}</Table.Th>
                <Table.Th>{t('timeOff.kind')}</Table.Th>
                <Table.Th>{t('timeOff.when')}</Table.Th>
                <Table.Th>{t('timeOff.status')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.length === 0 ? (
                <Table.Tr>
                  <Table.Td colSpan={5}>
                    <Text size="sm">{t('timeOff.none')}</Text>
                  </Table.Td>
                </Table.Tr>
              ) : null}
              {rows.map((o) => (
                <Table.Tr key={o.id} data-testid={`time-off-${o.id}`}>
                  <Table.Td>{o.userName}</Table.Td>
                  <Table.Td>{t(`schedule.timeOffKinds.${o.kind}`)}</Table.Td>
                  <Table.Td>
                    {spanIn(o.startsAt, o.endsAt, zone, i18n.language)}
                    {o.note ? (
                      <Text size="xs" c="dimmed">
                        {o.note}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <Badge color={STATUS_COLOR[o.status]} variant="light">
                      {t(`timeOff.statuses.${o.status}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    {o.can.decide ? (
                      <Stack gap={4}>
                        <Group gap={4} wrap="nowrap">
                          {o.status !== 'approved' ? (
                            <Button size="xs" onClick={() => act(o, 'approve')} data-testid={`approve-${o.id}`}>
                              {t('timeOff.approve')}
                            </Button>
                          ) : null}
                          {o.status !== 'rejected' ? (
                            <Button size="xs" variant="default" onClick={() => act(o, 'reject')}>
                              {t('timeOff.reject')}
                            </Button>
                          ) : null}
                        </Group>
                        {pending?.id === o.id ? (
                          <Alert color="orange" p="xs" data-testid="decide-error">
                            <Text size="xs">{errorMessage(t, pending.error)}</Text>
                            {pending.error.code === 'overlap' ? (
                              <Button size="xs" mt={4} color="orange" onClick={() => act(o, 'approve', true)} data-testid={`force-${o.id}`}>
                                {t('timeOff.anyway')}
                              </Button>
                            ) : null}
                          </Alert>
                        ) : null}
                      </Stack>
                    ) : null}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <LoadMore hasNextPage={list.hasNextPage} isFetchingNextPage={list.isFetchingNextPage} fetchNextPage={list.fetchNextPage} />
      </Stack>
    </>
  );
}
