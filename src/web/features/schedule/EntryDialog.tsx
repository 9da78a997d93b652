// The dialog behind a new range, a dropped work order or a click on an entry: technician, kind,
// ticket, location and note; the times come from the calendar (drag to change them).
import {
  Alert,
  Anchor,
  Button,
  Group,
  Modal,
  NumberInput,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { errorMessage } from '../../components/ErrorAlert';
import { instantToWallClock, wallClockToInstant } from '../../../shared/time';
import { useLocations } from '../assets/api';
import { type Entry, SCHEDULE_KINDS, type Technician, useEntryMutations } from './api';
import { spanIn } from './time';

export interface Draft {
  entry?: Entry;
  startsAt: string;
  endsAt: string;
  technicianId?: string | null;
  ticketNumber?: number | null;
  ticketTitle?: string;
}

export function EntryDialog({
  draft,
  onClose,
  technicians,
  zone,
  canManage,
}: {
  draft: Draft | null;
  onClose: () => void;
  technicians: Technician[];
  zone: string;
  canManage: boolean;
}) {
  const { t, i18n } = useTranslation();
  const { create, update, remove } = useEntryMutations();
  const locations = useLocations(draft !== null);
  const [technicianId, setTechnicianId] = useState<string | null>(null);
  const [kind, setKind] = useState<string>('shift');
  const [ticketNumber, setTicketNumber] = useState<number | string>('');
  const [locationId, setLocationId] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  // Start and end as wall clocks in the viewer's zone (`YYYY-MM-DDTHH:MM`): typed, or from the calendar.
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');

  useEffect(() => {
    if (!draft) return;
    const e = draft.entry;
    setTechnicianId(e?.technicianId ?? draft.technicianId ?? null);
    setKind(e?.kind ?? (draft.ticketNumber ? 'job' : 'shift'));
    setTicketNumber(e?.ticketNumber ?? draft.ticketNumber ?? '');
    setLocationId(e?.locationId ?? null);
    setNote(e?.note ?? '');
    setError(null);
    const wall = (iso: string) => {
      const w = instantToWallClock(new Date(iso), zone);
      return `${w.date}T${w.time}`;
    };
    setStart(wall(draft.startsAt));
    setEnd(wall(draft.endsAt));
  }, [draft, zone]);

  if (!draft) return null;
  const e = draft.entry;
  const busy = create.isPending || update.isPending || remove.isPending;
  const instant = (value: string) => {
    const [date, time] = value.split('T');
    return date && time ? wallClockToInstant(date, time.slice(0, 5), zone).toISOString() : '';
  };
  const save = async () => {
    setError(null);
    const startsAt = instant(start);
    const endsAt = instant(end);
    const body = {
      startsAt,
      endsAt,
      technicianId: technicianId ?? '',
      kind,
      ticketNumber: ticketNumber === '' ? null : Number(ticketNumber),
      locationId,
      note: note.trim() || null,
    };
    try {
      if (e) await update.mutateAsync({ id: e.id, version: e.version, ...body });
      else await create.mutateAsync({ ...body, timezone: zone });
      onClose();
    } catch (err) {
      setError(err);
    }
  };
  const drop = async () => {
    if (!e) return;
    try {
      await remove.mutateAsync(e.id);
      onClose();
    } catch (err) {
      setError(err);
    }
  };
  const readOnly = !canManage;
  return (
    <Modal opened onClose={onClose} title={e ? t('schedule.editEntry') : t('schedule.newEntry')} data-testid="entry-dialog">
      <Stack gap="sm">
        <Text size="sm" data-testid="entry-span">
          {spanIn(draft.startsAt, draft.endsAt, zone, i18n.language)} ({zone})
        </Text>
        <Group grow gap="xs">
          <TextInput
            type="datetime-local"
            label={t('schedule.starts')}
            value={start}
            onChange={(ev) => setStart(ev.currentTarget.value)}
            disabled={readOnly}
            data-testid="entry-start"
          />
          <TextInput
            type="datetime-local"
            label={t('schedule.ends')}
            value={end}
            onChange={(ev) => setEnd(ev.currentTarget.value)}
            disabled={readOnly}
            data-testid="entry-end"
          />
        </Group>
        {e && e.timezone !== zone ? (
          <Text size="xs" c="dimmed" data-testid="entry-zone">
            {t('schedule.madeIn', { zone: e.timezone, span: spanIn(e.startsAt, e.endsAt, e.timezone, i18n.language) })}
          </Text>
        ) : null}
        {e?.flagged ? <Alert color="orange">{t('schedule.flagged')}</Alert> : null}
        <Select
          label={t('schedule.technician')}
          data={technicians.map((x) => ({ value: x.id, label: x.name }))}
          value={technicianId}
          onChange={setTechnicianId}
          searchable
          required
          disabled={readOnly}
          data-testid="entry-technician"
        />
        <SegmentedControl
          value={kind}
          onChange={setKind}
          disabled={readOnly}
          data={SCHEDULE_KINDS.map((k) => ({ value: k, label: t(`schedule.kinds.${k}`) }))}
          data-testid="entry-kind"
        />
        <NumberInput
          label={t('schedule.ticketNumber')}
          value={ticketNumber}
          onChange={setTicketNumber}
          min={1}
          allowDecimal={false}
          disabled={readOnly}
        />
        {draft.ticketTitle ? <Text size="sm">{draft.ticketTitle}</Text> : null}
        {e?.ticketNumber ? (
          <Anchor component={Link} to={`/tickets/${e.ticketNumber}`} size="sm">
            #{e.ticketNumber} {e.ticketTitle}
          </Anchor>
        ) : null}
        <Select
          label={t('schedule.location')}
          data={(locations.data?.items ?? []).map((l) => ({ value: l.id, label: l.name }))}
          value={locationId}
          onChange={setLocationId}
          clearable
          searchable
          disabled={readOnly}
        />
        <Textarea
          label={t('schedule.note')}
          value={note}
          onChange={(ev) => setNote(ev.currentTarget.value)}
          autosize
          minRows={2}
          disabled={readOnly}
        />
        {error ? (
          <Alert color="red" data-testid="entry-error">
            {errorMessage(t, error)}
          </Alert>
        ) : null}
        {canManage ? (
          <Group justify="space-between">
            {e ? (
              <Button variant="subtle" color="red" onClick={drop} loading={remove.isPending}>
                {t('common.delete')}
              </Button>
            ) : (
              <span />
            )}
            <Button onClick={save} loading={busy} disabled={!technicianId || !start || !end} data-testid="entry-save">
              {t('common.save')}
            </Button>
          </Group>
        ) : null}
      </Stack>
    </Modal>
  );
}
