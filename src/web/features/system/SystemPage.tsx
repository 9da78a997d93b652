// Super admin: the instance's version, each dependency's state, the processes (web, worker) by their
// heartbeats, and the job queues. Refreshes every 10 s.
import { Badge, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { get } from '../../lib/api';
import { useFormatDate } from '../../lib/format';
import type { InstanceProcess, ReadinessCheck, SystemOverview } from '../../../shared/contracts/system';

const CHECK_COLOR: Record<ReadinessCheck['state'], string> = { ok: 'green', degraded: 'yellow', down: 'red', off: 'gray' };
const PROCESS_COLOR: Record<InstanceProcess['state'], string> = { running: 'green', silent: 'red', stopped: 'gray' };
const CHECKS = ['database', 'listener', 'workers', 'broker', 'mail'] as const;

export function SystemPage() {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const query = useQuery({
    queryKey: ['admin', 'system'],
    queryFn: ({ signal }) => get<SystemOverview>('/api/v1/admin/system', undefined, signal),
    refetchInterval: 10_000,
  });
  const data = query.data;
  return (
    <Stack>
      <PageHeader title={t('system.title')} description={t('system.description')} />
      {query.error && <ErrorAlert error={query.error} />}
      {data && (
        <>
          <Group gap="xs">
            <Text>{t('system.version', { version: data.version })}</Text>
            <Badge variant="light">{t(`system.database.${data.database}`)}</Badge>
          </Group>
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
            {CHECKS.map((name) => (
              <Card key={name} withBorder padding="sm" data-testid={`check-${name}`}>
                <Group justify="space-between" wrap="nowrap">
                  <Text fw={600}>{t(`system.checks.${name}`)}</Text>
                  <Badge variant="light" color={CHECK_COLOR[data.checks[name].state]}>{t(`system.state.${data.checks[name].state}`)}</Badge>
                </Group>
                <Text size="sm" c="dimmed" mt={4}>
                  {data.checks[name].detail}
                </Text>
              </Card>
            ))}
          </SimpleGrid>

          <Title order={3}>{t('system.processes')}</Title>
          <Table.ScrollContainer minWidth={720}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('system.process')}</Table.Th>
                  <Table.Th>{t('system.roles')}</Table.Th>
                  <Table.Th>{t('system.versionColumn')}</Table.Th>
                  <Table.Th>{t('system.stateColumn')}</Table.Th>
                  <Table.Th>{t('system.lastSeen')}</Table.Th>
                  <Table.Th>{t('system.jobs')}</Table.Th>
                  <Table.Th>{t('system.checks.broker')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.processes.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={7}>
                      <Text c="dimmed">{t('system.noProcesses')}</Text>
                    </Table.Td>
                  </Table.Tr>
                )}
                {data.processes.map((p) => (
                  <Table.Tr key={p.id}>
                    <Table.Td>
                      {p.host} · {p.pid}
                    </Table.Td>
                    <Table.Td>{p.roles.map((r) => t(`system.role.${r}`, r)).join(', ')}</Table.Td>
                    <Table.Td>{p.version}</Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={PROCESS_COLOR[p.state]}>{t(`system.processState.${p.state}`)}</Badge>
                    </Table.Td>
                    <Table.Td>{formatDate(p.lastSeenAt)}</Table.Td>
                    <Table.Td>{t('system.jobCounts', { completed: p.jobsCompleted, failed: p.jobsFailed })}</Table.Td>
                    <Table.Td>{p.broker ? p.broker.detail : '—'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>

          <Title order={3}>{t('system.queues')}</Title>
          <Table.ScrollContainer minWidth={420}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('system.queue')}</Table.Th>
                  <Table.Th>{t('system.queued')}</Table.Th>
                  <Table.Th>{t('system.active')}</Table.Th>
                  <Table.Th>{t('system.failed')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.queues.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={4}>
                      <Text c="dimmed">{t('system.noJobs')}</Text>
                    </Table.Td>
                  </Table.Tr>
                )}
                {data.queues.map((q) => (
                  <Table.Tr key={q.name}>
                    <Table.Td>{q.name}</Table.Td>
                    <Table.Td>{q.queued}</Table.Td>
                    <Table.Td>{q.active}</Table.Td>
                    <Table.Td>
                      <Text c={q.failed > 0 ? 'red' : undefined} span>
                        {q.failed}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </>
      )}
    </Stack>
  );
}
