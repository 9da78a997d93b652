// The technician's own week on the dashboard: today's entries first, then the rest of this week,
// each job one tap from its ticket. Times in the person's profile zone.
import { Anchor, Badge, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { dayRange, todayIn } from '../../../shared/time';
import { weekRange, weekStart } from '../../../shared/time/zones';
import { useMe } from '../../lib/useMe';
import { type Entry, useSchedule, useScheduleLiveRefresh } from './api';
import { spanIn, timeIn } from './time';

export function MyJobs() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const zone = me.user.timezone || 'UTC';
  useScheduleLiveRefresh();
  const today = todayIn(zone);
  const week = weekRange(weekStart(today), zone);
  const day = dayRange(today, zone);
  const from = day.start < week.start ? day.start : week.start;
  const schedule = useSchedule({ from: from.toISOString(), to: week.end.toISOString(), technicianId: String(me.user.id) });
  const entries = (schedule.data?.entries ?? []).filter((e) => Date.parse(e.endsAt) > Date.now());
  const isToday = (e: Entry) => Date.parse(e.startsAt) < day.end.getTime() && Date.parse(e.endsAt) > day.start.getTime();
  const todays = entries.filter(isToday);
  const later = entries.filter((e) => !isToday(e));
  const row = (e: Entry, short: boolean) => (
    <Group key={e.id} gap="xs" wrap="nowrap" data-testid={`my-entry-${e.id}`}>
      <Badge color={e.technicianColor} variant="dot" miw={90}>
        {short ? `${timeIn(e.startsAt, zone, i18n.language)}–${timeIn(e.endsAt, zone, i18n.language)}` : t(`schedule.kinds.${e.kind}`)}
      </Badge>
      <Stack gap={0} style={{ minWidth: 0 }}>
        {e.ticketNumber ? (
          <Anchor component={Link} to={`/tickets/${e.ticketNumber}`} fw={500}>
            #{e.ticketNumber} {e.ticketTitle}
          </Anchor>
        ) : (
          <Text fw={500}>{t(`schedule.kinds.${e.kind}`)}</Text>
        )}
        <Text size="xs" c="dimmed">
          {short ? '' : `${spanIn(e.startsAt, e.endsAt, zone, i18n.language)} `}
          {e.locationName ?? ''}
          {e.timezone !== zone ? ` · ${timeIn(e.startsAt, e.timezone, i18n.language)} ${e.timezone}` : ''}
        </Text>
      </Stack>
    </Group>
  );
  if (!schedule.data || entries.length === 0) return null;
  return (
    <Card withBorder mb="lg" data-testid="my-jobs">
      <Title order={2} size="h4" mb="xs">
        {t('schedule.myToday')}
      </Title>
      <Stack gap="xs">{todays.length ? todays.map((e) => row(e, true)) : <Text size="sm">{t('schedule.nothingToday')}</Text>}</Stack>
      {later.length ? (
        <>
          <Title order={3} size="h5" mt="md" mb="xs">
            {t('schedule.myWeek')}
          </Title>
          <Stack gap="xs">{later.map((e) => row(e, false))}</Stack>
        </>
      ) : null}
    </Card>
  );
}
