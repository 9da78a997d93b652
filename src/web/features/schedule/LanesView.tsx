// Technician lanes on the MIT time grid (no premium resource views): one day, one narrow
// FullCalendar day column per technician side by side. Selecting in a lane books that technician;
// an entry dragged into another lane is reassigned to its technician; an unscheduled work order
// dropped on a lane becomes that technician's job. Times in the viewer's zone.
import type { EventInput } from '@fullcalendar/core';
import interactionPlugin, { type EventReceiveArg } from '@fullcalendar/interaction';
import FullCalendar from '@fullcalendar/react';
import timeGridPlugin from '@fullcalendar/timegrid';
import { ActionIcon, Box, Group, Text } from '@mantine/core';
import { IconChevronLeft, IconChevronRight } from '@tabler/icons-react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { addDays, dayRange } from '../../../shared/time';
import { type Entry, type ScheduleAnswer, type Technician, useEntryMutations } from './api';
import type { Draft } from './EntryDialog';
import { temporalZonePlugin } from './time';

export function LanesView({
  day,
  onDay,
  zone,
  technicians,
  data,
  canManage,
  onDraft,
  onRefused,
  entryEvent,
}: {
  day: string;
  onDay: (day: string) => void;
  zone: string;
  technicians: Technician[];
  data: ScheduleAnswer | undefined;
  canManage: boolean;
  onDraft: (d: Draft) => void;
  onRefused: (err: unknown) => void;
  entryEvent: (e: Entry) => EventInput;
}) {
  const { t, i18n } = useTranslation();
  const { update, create } = useEntryMutations();
  const title = new Intl.DateTimeFormat(i18n.language, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: zone,
  }).format(dayRange(day, zone).start);
  const byTech = useMemo(() => {
    const m = new Map<string, EventInput[]>();
    for (const e of data?.entries ?? []) m.set(e.technicianId, [...(m.get(e.technicianId) ?? []), entryEvent(e)]);
    for (const o of data?.timeOff ?? [])
      if (o.status === 'approved')
        m.set(o.userId, [
          ...(m.get(o.userId) ?? []),
          {
            id: `off-${o.id}`,
            start: o.startsAt,
            end: o.endsAt,
            display: 'background',
            backgroundColor: o.userColor,
            title: t(`schedule.timeOffKinds.${o.kind}`),
          },
        ]);
    return m;
  }, [data, entryEvent, t]);

  const received = (technicianId: string) => async (info: EventReceiveArg) => {
    const entry = info.event.extendedProps.entry as Entry | undefined;
    const start = info.event.start;
    const end = info.event.end ?? (start ? new Date(start.getTime() + 2 * 3_600_000) : null);
    info.event.remove();
    if (!start || !end) return;
    try {
      if (entry)
        await update.mutateAsync({
          id: entry.id,
          version: entry.version,
          technicianId,
          startsAt: start.toISOString(),
          endsAt: end.toISOString(),
        });
      else
        await create.mutateAsync({
          technicianId,
          kind: 'job',
          ticketNumber: Number(info.event.extendedProps.ticketNumber),
          startsAt: start.toISOString(),
          endsAt: end.toISOString(),
          timezone: zone,
        });
    } catch (err) {
      onRefused(err);
    }
  };

  return (
    <Box data-testid="schedule-lanes">
      <Group gap="xs" mb="xs">
        <ActionIcon variant="default" aria-label={t('schedule.previousDay')} onClick={() => onDay(addDays(day, -1))}>
          <IconChevronLeft size={18} aria-hidden />
        </ActionIcon>
        <ActionIcon variant="default" aria-label={t('schedule.nextDay')} onClick={() => onDay(addDays(day, 1))}>
          <IconChevronRight size={18} aria-hidden />
        </ActionIcon>
        <Text fw={600} data-testid="lanes-title">
          {title}
        </Text>
      </Group>
      {technicians.length === 0 ? <Text size="sm">{t('schedule.noTechnicians')}</Text> : null}
      <Box style={{ display: 'flex', overflowX: 'auto', gap: 4 }}>
        {technicians.map((tech, i) => (
          <Box key={`${tech.id}-${day}`} style={{ flex: '0 0 200px', minWidth: i === 0 ? 250 : 200 }} data-testid={`lane-${tech.id}`}>
            <FullCalendar
              plugins={[timeGridPlugin, interactionPlugin, temporalZonePlugin]}
              initialView="timeGridDay"
              initialDate={day}
              timeZone={zone}
              locale={i18n.language}
              headerToolbar={false}
              allDaySlot={false}
              height="auto"
              slotDuration="00:30:00"
              slotLabelClassNames={i === 0 ? [] : ['steward-lane-nolabel']}
              dayHeaderContent={() => (
                <span style={{ color: tech.color, fontWeight: 600 }} title={tech.name}>
                  {tech.name}
                </span>
              )}
              events={byTech.get(tech.id) ?? []}
              editable={canManage}
              selectable={canManage}
              droppable={canManage}
              eventContent={(arg) => (
                <div style={{ fontSize: 11, lineHeight: 1.2, overflow: 'hidden' }}>
                  <b>{arg.timeText}</b> {arg.event.title}
                </div>
              )}
              select={(arg) => {
                onDraft({ startsAt: arg.start.toISOString(), endsAt: arg.end.toISOString(), technicianId: tech.id });
                arg.view.calendar.unselect();
              }}
              eventClick={(arg) => {
                const entry = arg.event.extendedProps.entry as Entry | undefined;
                if (entry) onDraft({ entry, startsAt: entry.startsAt, endsAt: entry.endsAt });
              }}
              eventDrop={async (info) => {
                const entry = info.event.extendedProps.entry as Entry;
                try {
                  await update.mutateAsync({
                    id: entry.id,
                    version: entry.version,
                    startsAt: info.event.start!.toISOString(),
                    endsAt: info.event.end!.toISOString(),
                  });
                } catch (err) {
                  info.revert();
                  onRefused(err);
                }
              }}
              eventResize={async (info) => {
                const entry = info.event.extendedProps.entry as Entry;
                try {
                  await update.mutateAsync({
                    id: entry.id,
                    version: entry.version,
                    startsAt: info.event.start!.toISOString(),
                    endsAt: info.event.end!.toISOString(),
                  });
                } catch (err) {
                  info.revert();
                  onRefused(err);
                }
              }}
              eventReceive={received(tech.id)}
            />
          </Box>
        ))}
      </Box>
    </Box>
  );
}
