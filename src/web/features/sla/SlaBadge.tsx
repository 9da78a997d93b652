// The SLA state of a ticket at a glance: breached, at risk, paused, or the time left to the next target.
import { Badge, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconClockExclamation, IconClockPause, IconClockCheck } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormatDate } from '../../lib/format';
import type { TicketSla } from '../../../shared/contracts/sla';

/** `1 d 3 h`, `2 h 5 min`, `12 min`: real time left (negative: overdue by). */
export function durationText(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${m} min`;
  return `${m} min`;
}

/** Re-renders every 30 s so the time left counts down. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(id);
  }, []);
  return now;
}

const nextDue = (sla: TicketSla) =>
  sla.resolvedAt
    ? null
    : !sla.firstRespondedAt
      ? Math.min(Date.parse(sla.firstResponseDueAt), Date.parse(sla.resolutionDueAt))
      : Date.parse(sla.resolutionDueAt);

export function SlaBadge({ sla, size = 'md' }: { sla: TicketSla | null | undefined; size?: 'sm' | 'md' | 'lg' }) {
  const { t } = useTranslation();
  const now = useNow();
  if (!sla || sla.resolvedAt) return null;
  const breached = sla.breached.firstResponse || sla.breached.resolution;
  if (breached)
    return (
      <Badge
        color="red"
        variant="filled"
        size={size}
        leftSection={<IconClockExclamation size={12} aria-hidden />}
        data-testid="sla-breached"
      >
        {t('sla.badge.breached')}
      </Badge>
    );
  if (sla.paused)
    return (
      <Badge color="gray" variant="light" size={size} leftSection={<IconClockPause size={12} aria-hidden />} data-testid="sla-paused">
        {t('sla.badge.paused')}
      </Badge>
    );
  const due = nextDue(sla);
  if (due === null) return null;
  return (
    <Badge color={sla.atRisk ? 'orange' : 'teal'} variant="light" size={size} data-testid={sla.atRisk ? 'sla-at-risk' : 'sla-due'}>
      {due >= now ? t('sla.badge.dueIn', { time: durationText(due - now) }) : t('sla.badge.overdue', { time: durationText(now - due) })}
    </Badge>
  );
}

function Target({
  label,
  due,
  met,
  breached,
  paused,
  testId,
}: {
  label: string;
  due: string;
  met: string | null;
  breached: boolean;
  paused: boolean;
  testId: string;
}) {
  const { t } = useTranslation();
  const fmt = useFormatDate();
  const now = useNow();
  const left = Date.parse(due) - now;
  const state = met
    ? t('sla.panel.metAt', { date: fmt(met) })
    : paused
      ? t('sla.panel.paused')
      : left >= 0
        ? t('sla.panel.left', { time: durationText(left) })
        : t('sla.panel.overdueBy', { time: durationText(-left) });
  return (
    <Stack gap={0} data-testid={testId}>
      <Group gap={6} justify="space-between" wrap="nowrap">
        <Text size="sm" fw={500}>
          {label}
        </Text>
        {breached ? (
          <Badge color="red" size="sm">
            {t('sla.badge.breached')}
          </Badge>
        ) : met ? (
          <IconClockCheck size={16} color="var(--mantine-color-teal-6)" aria-label={t('sla.panel.met')} />
        ) : null}
      </Group>
      <Text size="xs" c="dimmed">
        {t('sla.panel.due', { date: fmt(due) })} · {state}
      </Text>
    </Stack>
  );
}

/** The ticket page's SLA box: both targets with their due time and what is left. */
export function SlaPanel({ sla }: { sla: TicketSla | null }) {
  const { t } = useTranslation();
  if (!sla) return null;
  return (
    <Paper withBorder p="sm" mb="md" data-testid="sla-panel">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h5">
          {t('sla.panel.title')}
        </Title>
        <SlaBadge sla={sla} size="sm" />
      </Group>
      <Stack gap="xs">
        <Target
          label={t('sla.firstResponse')}
          due={sla.firstResponseDueAt}
          met={sla.firstRespondedAt}
          breached={sla.breached.firstResponse}
          paused={sla.paused}
          testId="sla-first-response"
        />
        <Target
          label={t('sla.resolution')}
          due={sla.resolutionDueAt}
          met={sla.resolvedAt}
          breached={sla.breached.resolution}
          paused={sla.paused}
          testId="sla-resolution"
        />
      </Stack>
    </Paper>
  );
}
