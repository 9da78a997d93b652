// Scheduling's calls and query keys; the shapes are the server's contracts (src/shared/contracts/schedule.ts).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CopyWeekAnswer, Entry, ScheduleAnswer, Technician, TimeOff, UnscheduledItem } from '../../../shared/contracts/schedule';
import { del, get, patch, post } from '../../lib/api';
import { useKeysetList } from '../../lib/lists';
import { useLive } from '../../lib/live';

export type { Entry, ScheduleAnswer, Technician, TimeOff, UnscheduledItem };
export { SCHEDULE_KINDS, TIME_OFF_KINDS, type ScheduleKind, type TimeOffKind } from '../../../shared/contracts/schedule-enums';

export const scheduleKey = ['schedule'] as const;
export const timeOffKey = ['time-off'] as const;
export const unscheduledKey = ['schedule-unscheduled'] as const;

export interface ScheduleFilter {
  from: string;
  to: string;
  technicianId?: string | null;
  teamId?: string | null;
  locationId?: string | null;
}

export function useSchedule(f: ScheduleFilter | null) {
  return useQuery({
    queryKey: [...scheduleKey, f],
    enabled: f !== null,
    queryFn: ({ signal }) => get<ScheduleAnswer>('/api/v1/schedule', { ...(f as ScheduleFilter) }, signal),
  });
}

export function useTechnicians() {
  return useQuery({ queryKey: ['schedule-technicians'], queryFn: () => get<{ items: Technician[] }>('/api/v1/schedule/technicians') });
}

export function useUnscheduled(enabled: boolean) {
  return useQuery({ queryKey: unscheduledKey, enabled, queryFn: () => get<{ items: UnscheduledItem[] }>('/api/v1/schedule/unscheduled') });
}

export interface EntryInput {
  technicianId: string;
  kind: string;
  startsAt: string;
  endsAt: string;
  timezone: string;
  locationId?: string | null;
  ticketNumber?: number | null;
  note?: string | null;
}

const wrapped = <T>(p: Promise<{ entry: T }>) => p.then((r) => r.entry);

export function useEntryMutations() {
  const qc = useQueryClient();
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: scheduleKey });
    void qc.invalidateQueries({ queryKey: unscheduledKey });
  };
  return {
    create: useMutation({ mutationFn: (body: EntryInput) => wrapped<Entry>(post('/api/v1/schedule/entries', body)), onSettled: refresh }),
    update: useMutation({
      mutationFn: ({ id, ...body }: Partial<EntryInput> & { id: string; version?: number }) =>
        wrapped<Entry>(patch(`/api/v1/schedule/entries/${id}`, body)),
      onSettled: refresh,
    }),
    remove: useMutation({ mutationFn: (id: string) => del(`/api/v1/schedule/entries/${id}`), onSettled: refresh }),
    copyWeek: useMutation({
      mutationFn: (body: { fromWeek: string; toWeek: string; technicianId?: string; teamId?: string }) =>
        post<CopyWeekAnswer>('/api/v1/schedule/copy-week', body),
      onSettled: refresh,
    }),
  };
}

/** Time off in start order, a page at a time ("Load more"). */
export function useTimeOff(query: { status?: string; userId?: string } = {}) {
  return useKeysetList<TimeOff>(timeOffKey, '/api/v1/time-off', { ...query, limit: 100 });
}

export function useTimeOffMutations() {
  const qc = useQueryClient();
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: timeOffKey });
    void qc.invalidateQueries({ queryKey: scheduleKey });
  };
  return {
    create: useMutation({
      mutationFn: (body: { userId?: string; kind: string; startsAt: string; endsAt: string; note?: string; force?: boolean }) =>
        post<{ timeOff: TimeOff }>('/api/v1/time-off', body).then((r) => r.timeOff),
      onSettled: refresh,
    }),
    decide: useMutation({
      mutationFn: ({ id, decision, force }: { id: string; decision: 'approve' | 'reject'; force?: boolean }) =>
        post<{ timeOff: TimeOff }>(`/api/v1/time-off/${id}/${decision}`, force ? { force: true } : {}).then((r) => r.timeOff),
      onSettled: refresh,
    }),
  };
}

export function useCalendarFeed() {
  return useQuery({ queryKey: ['calendar-feed'], queryFn: () => get<{ url: string }>('/api/v1/me/calendar-feed') });
}

export function useRotateFeed() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => post<{ url: string }>('/api/v1/me/calendar-feed'),
    onSuccess: (data) => qc.setQueryData(['calendar-feed'], data),
  });
}

/** Refreshes what the schedule screens show when someone changes a technician's schedule. */
export function useScheduleLiveRefresh(): void {
  const qc = useQueryClient();
  useLive('schedule.changed', () => {
    void qc.invalidateQueries({ queryKey: scheduleKey });
    void qc.invalidateQueries({ queryKey: unscheduledKey });
    void qc.invalidateQueries({ queryKey: timeOffKey });
  });
}
