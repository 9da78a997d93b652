// Projects group tickets: list with open/all counts, search, create and edit.
import { Anchor, Badge, Select, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { CrudFormModal, CrudTable, EditButton, NewButton, SearchInput } from '../../components/crud';
import { PageHeader } from '../../components/PageHeader';
import { patch, post } from '../../lib/api';
import { textMatches, useCrudList, useCrudSave, useEditing } from '../../lib/crud';
import { useCan } from '../../lib/useCan';
import { projectsKey } from '../tickets/api';
import type { Project } from '../../../shared/contracts/projects';

export const projectStatusColor = { active: 'green', on_hold: 'orange', done: 'gray' } as const;
export const openCount = (p: Project) => p.tickets.open;
export const allCount = (p: Project) => p.tickets.all;

export function ProjectsPage() {
  const { t } = useTranslation();
  const canManage = useCan('projects.manage');
  const edit = useEditing<Project>();
  const list = useCrudList<Project>({
    key: projectsKey,
    path: '/api/v1/projects',
    matches: (p, q) => textMatches(q, p.name, p.description),
  });
  return (
    <>
      <PageHeader
        title={t('projects.title')}
        actions={
          <NewButton allowed={canManage} onClick={() => edit.open('new')} testId="new-project">
            {t('projects.new')}
          </NewButton>
        }
      />
      <SearchInput {...list.search} />
      <CrudTable
        list={list}
        testId="projects-table"
        rowTestId="project-row"
        empty={t('projects.none')}
        columns={[
          {
            key: 'name',
            header: t('fields.name'),
            cell: (p) => (
              <Anchor component={Link} to={`/projects/${p.id}`} fw={500}>
                {p.name}
              </Anchor>
            ),
          },
          {
            key: 'status',
            header: t('projects.status'),
            cell: (p) => (
              <Badge variant="light" color={projectStatusColor[p.status] ?? 'gray'}>
                {t(`projects.statuses.${p.status}`)}
              </Badge>
            ),
          },
          { key: 'open', header: t('projects.open'), cell: openCount },
          { key: 'all', header: t('projects.all'), cell: allCount },
        ]}
        actions={
          canManage
            ? (p) => <EditButton onClick={() => edit.open(p)} label={t('projects.editOne', { name: p.name })} />
            : undefined
        }
      />
      {edit.editing ? <ProjectModal key={edit.current?.id ?? 'new'} project={edit.current} onClose={edit.close} /> : null}
    </>
  );
}

export function ProjectModal({ project, onClose }: { project: Project | null; onClose: () => void }) {
  const { t } = useTranslation();
  const form = useForm({
    initialValues: { name: project?.name ?? '', description: project?.description ?? '', status: project?.status ?? 'active' },
    validate: { name: (v: string) => (v.trim() ? null : t('validation.required')) },
  });
  const save = useCrudSave({
    form,
    save: (v: typeof form.values) => {
      const body = { name: v.name.trim(), description: v.description.trim() || undefined, status: v.status };
      return project ? patch(`/api/v1/projects/${project.id}`, body) : post('/api/v1/projects', body);
    },
    invalidate: projectsKey,
    message: t('projects.saved'),
    onDone: onClose,
  });
  return (
    <CrudFormModal
      title={project ? t('projects.editTitle', { name: project.name }) : t('projects.createTitle')}
      onClose={onClose}
      onSubmit={form.onSubmit((v) => save.mutate(v))}
      saving={save.isPending}
      error={save.error}
      testId="project-form"
    >
      <TextInput label={t('fields.name')} required data-autofocus {...form.getInputProps('name')} />
      <Textarea label={t('projects.description')} autosize minRows={2} {...form.getInputProps('description')} />
      <Select
        label={t('projects.status')}
        data={(['active', 'on_hold', 'done'] as const).map((s) => ({ value: s, label: t(`projects.statuses.${s}`) }))}
        allowDeselect={false}
        {...form.getInputProps('status')}
      />
    </CrudFormModal>
  );
}
