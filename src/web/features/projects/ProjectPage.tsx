// One project: its description and status, and its tickets (open only, or all).
import { Anchor, Badge, Button, Group, Paper, SegmentedControl, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { PageLoader } from '../../components/PageLoader';
import { get } from '../../lib/api';
import { useCan } from '../../lib/useCan';
import { projectsKey } from '../tickets/api';
import { TicketMiniList } from '../tickets/TicketMiniList';
import { OPEN_TICKET_STATUSES as OPEN_STATUSES } from '../../../shared/contracts/enums';
import type { Project } from '../../../shared/contracts/projects';
import { allCount, openCount, ProjectModal, projectStatusColor } from './ProjectsPage';

export function ProjectPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const canManage = useCan('projects.manage');
  const [show, setShow] = useState<'open' | 'all'>('open');
  const [editing, setEditing] = useState(false);
  const project = useQuery({
    queryKey: [...projectsKey, id],
    queryFn: async () => {
      const answer = await get<{ project?: Project } & Partial<Project>>(`/api/v1/projects/${id}`);
      return (answer.project ?? answer) as Project;
    },
  });
  if (project.isPending) return <PageLoader />;
  if (project.isError) return <ErrorAlert error={project.error} onRetry={() => project.refetch()} />;
  const p = project.data;
  return (
    <>
      <Anchor component={Link} to="/projects" size="sm">
        {t('projects.back')}
      </Anchor>
      <PageHeader
        title={p.name}
        description={t('projects.counts', { open: openCount(p), all: allCount(p) })}
        actions={
          canManage ? (
            <Button variant="default" onClick={() => setEditing(true)}>
              {t('common.edit')}
            </Button>
          ) : null
        }
      />
      <Stack gap="md">
        <Group gap="sm">
          <Badge variant="light" color={projectStatusColor[p.status] ?? 'gray'}>
            {t(`projects.statuses.${p.status}`)}
          </Badge>
        </Group>
        {p.description ? (
          <Paper withBorder p="sm">
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {p.description}
            </Text>
          </Paper>
        ) : null}
        <SegmentedControl
          aria-label={t('projects.show')}
          data={[
            { value: 'open', label: t('projects.open') },
            { value: 'all', label: t('projects.all') },
          ]}
          value={show}
          onChange={(v) => setShow(v as 'open' | 'all')}
          style={{ alignSelf: 'flex-start' }}
          data-testid="project-toggle"
        />
        <TicketMiniList
          query={{ projectId: p.id, status: show === 'open' ? OPEN_STATUSES.join(',') : undefined, archived: show === 'all' ? 'true' : undefined }}
          empty={t('projects.noTickets')}
          testId="project-tickets"
        />
      </Stack>
      {editing ? <ProjectModal project={p} onClose={() => setEditing(false)} /> : null}
    </>
  );
}
