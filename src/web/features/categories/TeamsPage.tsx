// Teams of technicians: name and members.
import { Button, Group, Modal, MultiSelect, Stack, Table, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { PageLoader } from '../../components/PageLoader';
import { patch, post } from '../../lib/api';
import { applyFieldErrors } from '../../lib/forms';
import { canOn } from '../../lib/useCan';
import { teamsKey, useTeams } from '../tickets/api';
import type { Team } from '../../../shared/contracts/categories';
import { useAllUsers } from './steps';

export function TeamsPage() {
  const { t } = useTranslation();
  const teams = useTeams();
  const [editing, setEditing] = useState<Team | 'new' | null>(null);
  return (
    <>
      <PageHeader
        title={t('teams.title')}
        actions={
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setEditing('new')} data-testid="new-team">
            {t('teams.new')}
          </Button>
        }
      />
      {teams.isPending ? (
        <PageLoader />
      ) : teams.isError ? (
        <ErrorAlert error={teams.error} onRetry={() => teams.refetch()} />
      ) : teams.data.items.length === 0 ? (
        <EmptyState message={t('teams.none')} />
      ) : (
        <Table.ScrollContainer minWidth={480}>
          <Table striped data-testid="teams-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('fields.name')}</Table.Th>
                <Table.Th>{t('teams.members')}</Table.Th>
                <Table.Th>{t('common.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {teams.data.items.map((team) => (
                <Table.Tr key={team.id}>
                  <Table.Td fw={500}>{team.name}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{team.members.map((m) => m.name).join(', ') || '—'}</Text>
                  </Table.Td>
                  <Table.Td>
                    {canOn(team, 'update') ? (
                      <Button size="xs" variant="default" onClick={() => setEditing(team)} aria-label={t('teams.editOne', { name: team.name })}>
                        {t('common.edit')}
                      </Button>
                    ) : null}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {editing ? (
        <TeamModal key={editing === 'new' ? 'new' : editing.id} team={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />
      ) : null}
    </>
  );
}

function TeamModal({ team, onClose }: { team: Team | null; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const users = useAllUsers();
  const form = useForm({
    initialValues: { name: team?.name ?? '', memberIds: team?.memberIds ?? [] },
    validate: { name: (v: string) => (v.trim() ? null : t('validation.required')) },
  });
  const save = useMutation({
    mutationFn: (v: { name: string; memberIds: string[] }) => {
      const body = { name: v.name.trim(), memberIds: v.memberIds };
      return team ? patch(`/api/v1/teams/${team.id}`, body) : post('/api/v1/teams', body);
    },
    onSuccess: () => {
      notifications.show({ color: 'green', message: t('teams.saved') });
      void queryClient.invalidateQueries({ queryKey: teamsKey });
      onClose();
    },
    onError: (error) => applyFieldErrors(form, error),
  });
  const data = (users.data?.items ?? []).map((u) => ({ value: u.id, label: u.name }));
  for (const m of team?.members ?? []) if (!data.some((d) => d.value === m.id)) data.push({ value: m.id, label: m.name });
  return (
    <Modal opened onClose={onClose} title={team ? t('teams.editTitle', { name: team.name }) : t('teams.createTitle')}>
      <form noValidate data-testid="team-form" onSubmit={form.onSubmit((v) => save.mutate(v))}>
        <Stack>
          <ErrorAlert error={save.error} skipFieldErrors />
          <TextInput label={t('fields.name')} required data-autofocus {...form.getInputProps('name')} />
          <MultiSelect label={t('teams.members')} data={data} searchable clearable {...form.getInputProps('memberIds')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
