// Open work orders without a job entry, each draggable onto the calendar (FullCalendar's Draggable):
// dropped, it becomes a two-hour job for the technician filtered on (or the ticket's assignee, or
// whoever the dialog then asks for).
import { Draggable } from '@fullcalendar/interaction';
import { Badge, Paper, Stack, Text, Title } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useUnscheduled } from './api';

export function UnscheduledList() {
  const { t } = useTranslation();
  const list = useUnscheduled(true);
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!box.current) return;
    const d = new Draggable(box.current, {
      itemSelector: '[data-work-order]',
      eventData: (el) => ({
        title: el.getAttribute('data-title') ?? '',
        duration: '02:00',
        create: true,
        extendedProps: { ticketNumber: Number(el.getAttribute('data-work-order')), assigneeId: el.getAttribute('data-assignee') || null },
      }),
    });
    return () => d.destroy();
  }, []);

  const items = list.data?.items ?? [];
  return (
    <div ref={box} data-testid="unscheduled">
      <Title order={2} size="h5" mb={4}>
        {t('schedule.unscheduled')}
      </Title>
      <Text size="xs" c="dimmed" mb="xs">
        {t('schedule.dragHint')}
      </Text>
      <Stack gap={6}>
        {items.length === 0 ? <Text size="sm">{t('schedule.noUnscheduled')}</Text> : null}
        {items.map((w) => (
          <Paper
            key={w.number}
            withBorder
            p={6}
            style={{ cursor: 'grab', touchAction: 'none' }}
            data-work-order={w.number}
            data-title={`#${w.number} ${w.title}`}
            data-assignee={w.assigneeId ?? ''}
          >
            <Text size="sm" fw={500}>
              #{w.number} {w.title}
            </Text>
            <Badge size="xs" variant="light">
              {t(`tickets.priorities.${w.priority}`, { defaultValue: w.priority })}
            </Badge>
          </Paper>
        ))}
      </Stack>
    </div>
  );
}
