// Projects group tickets: list with open/all counts, create and edit.
import { Anchor, Badge, Button, Group, Modal, Select, Stack, Table, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { PageLoader } from '../../components/PageLoader';
import { patch, post } from '../../lib/api';
import { applyFieldErrors } from '../../lib/forms';
import { useCan } from '../../lib/useCan';
import { projectsKey, useProjects } from '../tickets/api';
import type { Project } from '../../../shared/contracts/projects';

export const projectStatusColor = { active: 'green', on_hold: 'orange', done: 'gray' } as const;
export const openCount = (p: Project) => p.tickets.open;
export const allCount = (p: Project) => p.tickets.all;

export function ProjectsPage() {
  const { t } = useTranslation();
  const projects = useProjects();
  const canManage = useCan('projects.manage');
  const [editing, setEditing] = useState<Project | 'new' | null>(null);
  return (
    <>
      <PageHeader
        title={t('projects.title')}
        actions={
          canManage ? (
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setEditing('new')} data-testid="new-project">
              {t('projects.new')}
            </Button>
          ) : null
        }
      />
      {projects.isPending ? (
        <PageLoader />
      ) : projects.isError ? (
        <ErrorAlert error={projects.error} onRetry={() => projects.refetch()} />
      ) : projects.data.items.length === 0 ? (
        <EmptyState message={t('projects.none')} />
      ) : (
        <Table.ScrollContainer minWidth={520}>
          <Table striped highlightOnHover data-testid="projects-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('fields.name')}</Table.Th>
                <Table.Th>{t('projects.status')}</Table.Th>
                <Table.Th>{t('projects.open')}</Table.Th>
                <Table.Th>{t('projects.all')}</Table.Th>
                {canManage ? <Table.Th>{t('common.actions')}</Table.Th> : null}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {projects.data.items.map((p) => (
                <Table.Tr key={p.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/projects/${p.id}`} fw={500}>
                      {p.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={projectStatusColor[p.status] ?? 'gray'}>
                      {t(`projects.statuses.${p.status}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{openCount(p)}</Table.Td>
                  <Table.Td>{allCount(p)}</Table.Td>
                  {canManage ? (
                    <Table.Td>
                      <Button size="xs" variant="default" onClick={() => setEditing(p)} aria-label={t('projects.editOne', { name: p.name })}>
                        {t('common.edit')}
                      </Button>
                    </Table.Td>
                  ) : null}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {editing ? (
        <ProjectModal key={editing === 'new' ? 'new' : editing.id} project={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />
      ) : null}
    </>
  );
}

export function ProjectModal({ project, onClose }: { project: Project | null; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const form = useForm({
    initialValues: { name: project?.name ?? '', description: project?.description ?? '', status: project?.status ?? 'active' },
    validate: { name: (v: string) => (v.trim() ? null : t('validation.required')) },
  });
  const save = useMutation({
    mutationFn: (v: typeof form.values) => {
      const body = { name: v.name.trim(), description: v.description.trim() || undefined, status: v.status };
      return project ? patch(`/api/v1/projects/${project.id}`, body) : post('/api/v1/projects', body);
    },
    onSuccess: () => {
      notifications.show({ color: 'green', message: t('projects.saved') });
      void queryClient.invalidateQueries({ queryKey: projectsKey });
      onClose();
    },
    onError: (error) => applyFieldErrors(form, error),
  });
  return (
    <Modal opened onClose={onClose} title={project ? t('projects.editTitle', { name: project.name }) : t('projects.createTitle')}>
      <form noValidate data-testid="project-form" onSubmit={form.onSubmit((v) => save.mutate(v))}>
        <Stack>
          <ErrorAlert error={save.error} skipFieldErrors />
          <TextInput label={t('fields.name')} required data-autofocus {...form.getInputProps('name')} />
          <Textarea label={t('projects.description')} autosize minRows={2} {...form.getInputProps('description')} />
          <Select
            label={t('projects.status')}
            data={(['active', 'on_hold', 'done'] as const).map((s) => ({ value: s, label: t(`projects.statuses.${s}`) }))}
            allowDeselect={false}
            {...form.getInputProps('status')}
          />
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
