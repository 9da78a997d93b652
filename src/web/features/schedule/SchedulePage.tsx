// The technician calendar: a week (a day on phones, ≤ 600 px, with arrows and swipe), entries
// colour-coded by the technician's profile colour, approved time off behind them, filters by
// location, team and technician. Planners create by selecting a range, move and resize by dragging
// (PATCH with the version; a refused move snaps back with the message naming the conflict) and drop
// unscheduled work orders onto the calendar. Times are shown in the viewer's profile zone.
import type { DateSelectArg, EventClickArg, EventContentArg, EventDropArg, EventInput } from '@fullcalendar/core';
import interactionPlugin, { type EventReceiveArg, type EventResizeDoneArg } from '@fullcalendar/interaction';
import FullCalendar from '@fullcalendar/react';
import timeGridPlugin from '@fullcalendar/timegrid';
import { Badge, Box, Button, Group, SegmentedControl, Select, Stack, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { errorMessage } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useCan } from '../../lib/useCan';
import { useMe } from '../../lib/useMe';
import { useLocations } from '../assets/api';
import { useTeams } from '../tickets/api';
import { type Entry, type ScheduleFilter, useEntryMutations, useSchedule, useScheduleLiveRefresh, useTechnicians } from './api';
import { type Draft, EntryDialog } from './EntryDialog';
import { addDays, dayRange, instantToWallClock, todayIn } from '../../../shared/time';
import { LanesView } from './LanesView';
import { temporalZonePlugin, textOn, timeIn } from './time';
import { UnscheduledList } from './UnscheduledList';
import './schedule.css';

const PHONE = '(max-width: 600px)';

export function SchedulePage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const zone = me.user.timezone || 'UTC';
  const canManage = useCan('schedule.manage');
  const phone = useMediaQuery(PHONE) ?? false;
  const calendar = useRef<FullCalendar>(null);
  const [range, setRange] = useState<{ from: string; to: string } | null>(null);
  const [technicianId, setTechnicianId] = useState<string | null>(null);
  const [teamId, setTeamId] = useState<string | null>(null);
  const [locationId, setLocationId] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [mode, setMode] = useState<'calendar' | 'lanes'>('calendar');
  const [laneDay, setLaneDay] = useState(() => todayIn(zone));
  const lanes = mode === 'lanes' && !phone;
  const technicians = useTechnicians();
  const teams = useTeams();
  const locations = useLocations();
  const laneRange = useMemo(() => {
    const r = dayRange(laneDay, zone);
    return { from: r.start.toISOString(), to: r.end.toISOString() };
  }, [laneDay, zone]);
  const shown = lanes ? laneRange : range;
  const filter: ScheduleFilter | null = shown ? { ...shown, technicianId, teamId, locationId: lanes ? null : locationId } : null;
  const schedule = useSchedule(filter);
  const { update, create, copyWeek } = useEntryMutations();
  useScheduleLiveRefresh();

  useEffect(() => {
    calendar.current?.getApi().changeView(phone ? 'timeGridDay' : 'timeGridWeek');
  }, [phone]);

  const entryEvent = useCallback(
    (e: Entry): EventInput => ({
      id: e.id,
      start: e.startsAt,
      end: e.endsAt,
      title: e.ticketNumber ? `#${e.ticketNumber} ${e.ticketTitle ?? ''}` : t(`schedule.kinds.${e.kind}`),
      backgroundColor: e.technicianColor,
      textColor: textOn(e.technicianColor),
      borderColor: e.flagged ? '#e03131' : e.technicianColor,
      classNames: [`steward-entry-${e.kind}`, ...(e.flagged ? ['steward-entry-flagged'] : [])],
      editable: canManage,
      extendedProps: { entry: e },
    }),
    [canManage, t],
  );
  const events = useMemo<EventInput[]>(() => {
    const d = schedule.data;
    if (!d) return [];
    return [
      ...d.entries.map(entryEvent),
      ...d.timeOff.map((o) => ({
        id: `off-${o.id}`,
        start: o.startsAt,
        end: o.endsAt,
        title: `${o.userName}: ${t(`schedule.timeOffKinds.${o.kind}`)}${o.status === 'requested' ? ` (${t('schedule.requested')})` : ''}`,
        display: o.status === 'approved' ? 'background' : 'block',
        backgroundColor: o.userColor,
        classNames: [`steward-time-off-${o.status}`],
        editable: false,
      })),
    ];
  }, [schedule.data, entryEvent, t]);

  const refused = (err: unknown) =>
    notifications.show({ color: 'red', title: t('schedule.refused'), message: errorMessage(t, err), autoClose: 8000 });

  const moved = async (info: EventDropArg | EventResizeDoneArg) => {
    const entry = info.event.extendedProps.entry as Entry | undefined;
    if (!entry || !info.event.start || !info.event.end) return info.revert();
    try {
      await update.mutateAsync({
        id: entry.id,
        version: entry.version,
        startsAt: info.event.start.toISOString(),
        endsAt: info.event.end.toISOString(),
      });
    } catch (err) {
      info.revert();
      refused(err);
    }
  };

  const received = async (info: EventReceiveArg) => {
    const start = info.event.start;
    const end = info.event.end ?? (start ? new Date(start.getTime() + 2 * 3_600_000) : null);
    const ticketNumber = Number(info.event.extendedProps.ticketNumber);
    const assignee = info.event.extendedProps.assigneeId as string | null;
    info.event.remove();
    if (!start || !end) return;
    const who = technicianId ?? assignee;
    if (!who) {
      setDraft({ startsAt: start.toISOString(), endsAt: end.toISOString(), ticketNumber, ticketTitle: info.event.title });
      return;
    }
    try {
      await create.mutateAsync({
        technicianId: who,
        kind: 'job',
        ticketNumber,
        startsAt: start.toISOString(),
        endsAt: end.toISOString(),
        timezone: zone,
      });
    } catch (err) {
      refused(err);
    }
  };

  const content = (arg: EventContentArg) => {
    const entry = arg.event.extendedProps.entry as Entry | undefined;
    if (!entry) return <div className="fc-event-title">{arg.event.title}</div>;
    return (
      // Its own box's height: a short entry clips its text instead of spilling it onto the page's background.
      <div style={{ overflow: 'hidden', height: '100%', fontSize: 12, lineHeight: 1.25 }} data-testid={`entry-${entry.id}`}>
        <div>
          <b>{arg.timeText}</b> {entry.technicianName}
        </div>
        <div>{arg.event.title}</div>
        {entry.timezone !== zone ? (
          <div style={{ opacity: 0.85 }}>
            {timeIn(entry.startsAt, entry.timezone, i18n.language)} {entry.timezone}
          </div>
        ) : null}
        {entry.flagged ? <div>⚠ {t('schedule.duringTimeOff')}</div> : null}
      </div>
    );
  };

  // Swipe between days on a phone (arrows work everywhere).
  const touch = useRef<{ x: number; y: number } | null>(null);
  const onTouchStart = (e: React.TouchEvent) => {
    touch.current = { x: e.touches[0].clientX, y: e.touches[0].clientY };
  };
  const onTouchEnd = (e: React.TouchEvent) => {
    const s = touch.current;
    touch.current = null;
    if (!s || !phone) return;
    const dx = e.changedTouches[0].clientX - s.x;
    const dy = e.changedTouches[0].clientY - s.y;
    if (Math.abs(dx) > 60 && Math.abs(dx) > 2 * Math.abs(dy)) {
      if (dx < 0) calendar.current?.getApi().next();
      else calendar.current?.getApi().prev();
    }
  };

  const techList = technicians.data?.items ?? [];
  const laneTechs = techList
    .filter((x) => (!technicianId || x.id === technicianId) && (!teamId || x.teamIds.includes(teamId)))
    .slice(0, 30);
  return (
    <>
      <PageHeader
        title={t('schedule.title')}
        description={t('schedule.shownIn', { zone })}
        actions={
          <>
            {canManage ? (
              <Button
                onClick={() => {
                  // The next full hour, for two hours; change it in the dialog.
                  const start = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000);
                  setDraft({
                    startsAt: start.toISOString(),
                    endsAt: new Date(start.getTime() + 2 * 3_600_000).toISOString(),
                    technicianId,
                  });
                }}
                data-testid="entry-new"
              >
                {t('schedule.newEntry')}
              </Button>
            ) : null}
            {canManage && !lanes && range ? (
              <Button
                variant="default"
                loading={copyWeek.isPending}
                data-testid="copy-week"
                onClick={async () => {
                  const toWeek = instantToWallClock(new Date(range.from), zone).date;
                  try {
                    const r = await copyWeek.mutateAsync({
                      fromWeek: addDays(toWeek, -7),
                      toWeek,
                      ...(technicianId ? { technicianId } : {}),
                      ...(teamId ? { teamId } : {}),
                    });
                    notifications.show({
                      color: r.skipped.length ? 'orange' : 'green',
                      message: t('schedule.copied', { count: r.created.length, skipped: r.skipped.length }),
                      autoClose: 6000,
                    });
                  } catch (err) {
                    refused(err);
                  }
                }}
              >
                {t('schedule.copyWeek')}
              </Button>
            ) : null}
            <Button component={Link} to="/time-off" variant="default">
              {t('nav.timeOff')}
            </Button>
          </>
        }
      />
      <Group gap="sm" mb="sm" wrap="wrap">
        {phone ? null : (
          <SegmentedControl
            value={mode}
            onChange={(v) => setMode(v as 'calendar' | 'lanes')}
            data={[
              { value: 'calendar', label: t('schedule.modeCalendar') },
              { value: 'lanes', label: t('schedule.modeLanes') },
            ]}
            data-testid="schedule-mode"
          />
        )}
        <Select
          aria-label={t('schedule.technician')}
          placeholder={t('schedule.allTechnicians')}
          data={techList.map((x) => ({ value: x.id, label: x.name }))}
          value={technicianId}
          onChange={setTechnicianId}
          clearable
          searchable
          w={200}
          data-testid="filter-technician"
        />
        <Select
          aria-label={t('schedule.team')}
          placeholder={t('schedule.allTeams')}
          data={(teams.data?.items ?? []).map((x) => ({ value: x.id, label: x.name }))}
          value={teamId}
          onChange={setTeamId}
          clearable
          w={180}
        />
        <Select
          aria-label={t('schedule.location')}
          placeholder={t('schedule.allLocations')}
          data={(locations.data?.items ?? []).map((x) => ({ value: x.id, label: x.name }))}
          value={locationId}
          onChange={setLocationId}
          clearable
          searchable
          w={200}
        />
      </Group>
      <Group gap={6} mb="sm" wrap="wrap">
        {techList
          .filter((x) => !technicianId || x.id === technicianId)
          .slice(0, 30)
          .map((x) => (
            <Badge key={x.id} color={x.color} variant="filled" size="sm" styles={{ label: { color: textOn(x.color) } }}>
              {x.name}
            </Badge>
          ))}
      </Group>
      <Box style={{ display: 'flex', gap: 16, alignItems: 'flex-start', flexWrap: phone ? 'wrap' : 'nowrap' }}>
        <Box
          className="steward-schedule"
          style={{ flex: 1, minWidth: 0 }}
          onTouchStart={onTouchStart}
          onTouchEnd={onTouchEnd}
          data-testid="schedule-calendar"
        >
          {lanes ? (
            <LanesView
              day={laneDay}
              onDay={setLaneDay}
              zone={zone}
              technicians={laneTechs}
              data={schedule.data}
              canManage={canManage}
              onDraft={setDraft}
              onRefused={refused}
              entryEvent={entryEvent}
            />
          ) : (
            <FullCalendar
              ref={calendar}
              plugins={[timeGridPlugin, interactionPlugin, temporalZonePlugin]}
              initialView={phone ? 'timeGridDay' : 'timeGridWeek'}
              timeZone={zone}
              locale={i18n.language}
              firstDay={1}
              nowIndicator
              allDaySlot={false}
              slotDuration="00:30:00"
              scrollTime="07:00:00"
              height="auto"
              headerToolbar={{ left: 'prev,next today', center: 'title', right: phone ? '' : 'timeGridWeek,timeGridDay' }}
              // Text arrows: FullCalendar's icon spans are role="img" without a name (axe).
              buttonIcons={false}
              buttonText={{ prev: '‹', next: '›', today: t('schedule.today'), week: t('schedule.week'), day: t('schedule.day') }}
              events={events}
              editable={canManage}
              selectable={canManage}
              selectMirror
              droppable={canManage}
              eventContent={content}
              datesSet={(arg) => setRange({ from: arg.start.toISOString(), to: arg.end.toISOString() })}
              select={(arg: DateSelectArg) => {
                setDraft({ startsAt: arg.start.toISOString(), endsAt: arg.end.toISOString(), technicianId });
                arg.view.calendar.unselect();
              }}
              eventClick={(arg: EventClickArg) => {
                const entry = arg.event.extendedProps.entry as Entry | undefined;
                if (entry) setDraft({ entry, startsAt: entry.startsAt, endsAt: entry.endsAt });
              }}
              eventDrop={moved}
              eventResize={moved}
              eventReceive={received}
            />
          )}
          {schedule.isError ? <Text c="red">{errorMessage(t, schedule.error)}</Text> : null}
        </Box>
        {canManage ? (
          <Stack w={phone ? '100%' : 260} gap="xs">
            <UnscheduledList />
          </Stack>
        ) : null}
      </Box>
      <EntryDialog draft={draft} onClose={() => setDraft(null)} technicians={techList} zone={zone} canManage={canManage} />
    </>
  );
}
