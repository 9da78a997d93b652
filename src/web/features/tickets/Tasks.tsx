// The ticket's checklist: tick off, add, remove, or apply a process (a reusable task template).
import { ActionIcon, Button, Checkbox, Group, Paper, Progress, Select, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../components/EmptyState';
import { errorMessage } from '../../components/ErrorAlert';
import { PageLoader } from '../../components/PageLoader';
import { del, patch, post } from '../../lib/api';
import { getAll } from '../../lib/lists';
import { SectionError } from './SectionError';
import type { Process, Task } from '../../../shared/contracts/ticket-work';
import type { TicketAnswer } from '../../../shared/contracts/tickets';

export const tasksKey = (number: number | string) => ['ticket-tasks', String(number)] as const;

export function Tasks({ answer }: { answer: TicketAnswer }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { ticket, can } = answer;
  const tasks = useQuery({
    queryKey: tasksKey(ticket.number),
    retry: false,
    // A ticket has at most 200 tasks: one page of the largest size is the whole checklist.
    queryFn: ({ signal }) => getAll<Task>(`/api/v1/tickets/${ticket.number}/tasks`, {}, signal),
  });
  const processes = useQuery({
    queryKey: ['processes'],
    enabled: can.manageTasks,
    retry: false,
    queryFn: () => getAll<Process>('/api/v1/processes'),
  });
  const [title, setTitle] = useState('');
  const [processId, setProcessId] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: tasksKey(ticket.number) });
  const onError = (error: unknown) => notifications.show({ color: 'red', message: errorMessage(t, error) });

  const add = useMutation({
    mutationFn: () => post(`/api/v1/tickets/${ticket.number}/tasks`, { title: title.trim() }),
    onSuccess: () => {
      setTitle('');
      void refresh();
    },
    onError,
  });
  const toggle = useMutation({
    mutationFn: (task: Task) => patch(`/api/v1/tasks/${task.id}`, { done: !task.done }),
    onSuccess: () => void refresh(),
    onError,
  });
  const remove = useMutation({
    mutationFn: (task: Task) => del(`/api/v1/tasks/${task.id}`),
    onSuccess: () => void refresh(),
    onError,
  });
  const apply = useMutation({
    mutationFn: (id: string) => post(`/api/v1/tickets/${ticket.number}/processes/${id}/apply`),
    onSuccess: () => {
      notifications.show({ color: 'green', message: t('tickets.tasks.applied') });
      setProcessId(null);
      void refresh();
    },
    onError,
  });

  if (tasks.isPending) return <PageLoader />;
  if (tasks.isError) return <SectionError error={tasks.error} onRetry={() => tasks.refetch()} />;
  const items = [...tasks.data.items].sort((a, b) => a.position - b.position);
  const done = items.filter((i) => i.done).length;

  return (
    <Stack gap="sm">
      {items.length ? (
        <>
          <Group gap="xs">
            <Text size="sm">{t('tickets.tasks.progress', { done, count: items.length })}</Text>
            <Progress value={(done / items.length) * 100} style={{ flex: 1 }} aria-label={t('tickets.tasks.progressLabel')} />
          </Group>
          <Stack gap={4} data-testid="tasks">
            {items.map((task) => (
              <Paper key={task.id} withBorder px="sm" py={6}>
                <Group justify="space-between" wrap="nowrap">
                  <Checkbox
                    label={task.title}
                    checked={task.done}
                    disabled={!can.manageTasks}
                    onChange={() => toggle.mutate(task)}
                    styles={{ label: { textDecoration: task.done ? 'line-through' : undefined } }}
                  />
                  {can.manageTasks ? (
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      aria-label={t('tickets.tasks.deleteOne', { title: task.title })}
                      onClick={() => remove.mutate(task)}
                    >
                      <IconTrash size={16} aria-hidden />
                    </ActionIcon>
                  ) : null}
                </Group>
              </Paper>
            ))}
          </Stack>
        </>
      ) : (
        <EmptyState message={t('tickets.tasks.none')} />
      )}
      {can.manageTasks ? (
        <>
          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              if (title.trim()) add.mutate();
            }}
          >
            <Group gap="xs" align="flex-end" wrap="nowrap">
              <TextInput
                label={t('tickets.tasks.new')}
                value={title}
                onChange={(e) => setTitle(e.currentTarget.value)}
                style={{ flex: 1 }}
                maxLength={300}
              />
              <Button type="submit" variant="default" loading={add.isPending} disabled={!title.trim()}>
                {t('tickets.tasks.add')}
              </Button>
            </Group>
          </form>
          {processes.data?.items.length ? (
            <Group gap="xs" align="flex-end" wrap="nowrap">
              <Select
                label={t('tickets.tasks.process')}
                data={processes.data.items.map((p) => ({ value: p.id, label: p.name }))}
                value={processId}
                onChange={setProcessId}
                style={{ flex: 1 }}
              />
              <Button
                variant="default"
                disabled={!processId}
                loading={apply.isPending}
                onClick={() => processId && apply.mutate(processId)}
              >
                {t('tickets.tasks.apply')}
              </Button>
            </Group>
          ) : null}
        </>
      ) : null}
    </Stack>
  );
}
