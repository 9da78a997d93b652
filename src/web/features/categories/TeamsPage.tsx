// Teams of technicians: name and members; search, create and edit.
import { MultiSelect, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { CrudFormModal, CrudTable, EditButton, NewButton, SearchInput } from '../../components/crud';
import { PageHeader } from '../../components/PageHeader';
import { patch, post } from '../../lib/api';
import { textMatches, useCrudList, useCrudSave, useEditing } from '../../lib/crud';
import { canOn, useCan } from '../../lib/useCan';
import { teamsKey } from '../tickets/api';
import type { Team } from '../../../shared/contracts/categories';
import { useAllUsers } from './steps';

export function TeamsPage() {
  const { t } = useTranslation();
  const canManage = useCan('categories.manage');
  const edit = useEditing<Team>();
  const list = useCrudList<Team>({
    key: teamsKey,
    path: '/api/v1/teams',
    matches: (team, q) => textMatches(q, team.name, ...team.members.map((m) => m.name)),
  });
  return (
    <>
      <PageHeader
        title={t('teams.title')}
        actions={
          <NewButton allowed={canManage} onClick={() => edit.open('new')} testId="new-team">
            {t('teams.new')}
          </NewButton>
        }
      />
      <SearchInput {...list.search} />
      <CrudTable
        list={list}
        testId="teams-table"
        rowTestId="team-row"
        minWidth={480}
        empty={t('teams.none')}
        columns={[
          { key: 'name', header: t('fields.name'), cell: (team) => <Text fw={500} size="sm">{team.name}</Text> },
          {
            key: 'members',
            header: t('teams.members'),
            cell: (team) => team.members.map((m) => m.name).join(', ') || '—',
          },
        ]}
        actions={(team) => (
          <EditButton
            allowed={canOn(team, 'update')}
            onClick={() => edit.open(team)}
            label={t('teams.editOne', { name: team.name })}
          />
        )}
      />
      {edit.editing ? <TeamModal key={edit.current?.id ?? 'new'} team={edit.current} onClose={edit.close} /> : null}
    </>
  );
}

function TeamModal({ team, onClose }: { team: Team | null; onClose: () => void }) {
  const { t } = useTranslation();
  const users = useAllUsers();
  const form = useForm({
    initialValues: { name: team?.name ?? '', memberIds: team?.memberIds ?? [] },
    validate: { name: (v: string) => (v.trim() ? null : t('validation.required')) },
  });
  const save = useCrudSave({
    form,
    save: (v: { name: string; memberIds: string[] }) => {
      const body = { name: v.name.trim(), memberIds: v.memberIds };
      return team ? patch(`/api/v1/teams/${team.id}`, body) : post('/api/v1/teams', body);
    },
    invalidate: teamsKey,
    message: t('teams.saved'),
    onDone: onClose,
  });
  const data = (users.data?.items ?? []).map((u) => ({ value: u.id, label: u.name }));
  for (const m of team?.members ?? []) if (!data.some((d) => d.value === m.id)) data.push({ value: m.id, label: m.name });
  return (
    <CrudFormModal
      title={team ? t('teams.editTitle', { name: team.name }) : t('teams.createTitle')}
      onClose={onClose}
      onSubmit={form.onSubmit((v) => save.mutate(v))}
      saving={save.isPending}
      error={save.error}
      testId="team-form"
    >
      <TextInput label={t('fields.name')} required data-autofocus {...form.getInputProps('name')} />
      <MultiSelect label={t('teams.members')} data={data} searchable clearable {...form.getInputProps('memberIds')} />
    </CrudFormModal>
  );
}
