// Ticket queries and small helpers shared by the ticket screens, the dashboard and projects.
import { useQuery } from '@tanstack/react-query';
import { get, type Page, type Query } from '../../lib/api';
import { getAll } from '../../lib/lists';
import type { User } from '../../../shared/contracts/users';
import type { Category, Team } from '../../../shared/contracts/categories';
import type { Project } from '../../../shared/contracts/projects';
import type { SavedView } from '../../../shared/contracts/saved-views';
import type { TicketAnswer } from '../../../shared/contracts/tickets';
import type { TicketApproval, TicketAssetList, TicketPerson } from '../../../shared/contracts/tickets-links';
import type { Asset } from '../../../shared/contracts/assets';
import type { TicketSort } from '../../../shared/contracts/enums';

export const ticketsKey = ['tickets'] as const;
export const ticketListKey = ['tickets', 'list'] as const;
export const ticketKey = (number: number | string) => ['ticket', String(number)] as const;
export const categoriesKey = ['categories'] as const;
export const teamsKey = ['teams'] as const;
export const projectsKey = ['projects'] as const;
export const savedViewsKey = ['saved-views'] as const;

/** The ticket list's filter form (the screen's state; the query string is built by filtersToQuery). */
export interface TicketFilterValues {
  status: string[];
  kind: string | null;
  priority: string | null;
  assigneeId: string | null;
  categoryId: string | null;
  teamId: string | null;
  projectId: string | null;
  q: string;
  archived: 'false' | 'true' | 'only';
  sort: TicketSort;
  /** Only tickets past their due date and not done. */
  overdue?: boolean;
  /** Only tickets inside an SLA warning window / that breached an SLA target. */
  slaAtRisk?: boolean;
  slaBreached?: boolean;
}

export const emptyFilters: TicketFilterValues = {
  status: [],
  kind: null,
  priority: null,
  assigneeId: null,
  categoryId: null,
  teamId: null,
  projectId: null,
  q: '',
  archived: 'false',
  sort: 'newest',
};

/** The list filters as the query string of GET /tickets (and of the exports). */
export function filtersToQuery(f: TicketFilterValues): Query {
  return {
    status: f.status.length ? f.status.join(',') : undefined,
    kind: f.kind ?? undefined,
    priority: f.priority ?? undefined,
    assigneeId: f.assigneeId ?? undefined,
    categoryId: f.categoryId ?? undefined,
    teamId: f.teamId ?? undefined,
    projectId: f.projectId ?? undefined,
    q: f.q.trim() || undefined,
    archived: f.archived === 'false' ? undefined : f.archived,
    sort: f.sort === 'newest' ? undefined : f.sort,
    overdue: f.overdue ? 'true' : undefined,
    slaAtRisk: f.slaAtRisk ? 'true' : undefined,
    slaBreached: f.slaBreached ? 'true' : undefined,
  };
}

export function useTicket(number: string | undefined) {
  return useQuery({
    queryKey: ticketKey(number ?? ''),
    enabled: !!number,
    queryFn: () => get<TicketAnswer>(`/api/v1/tickets/${number}`),
  });
}

export function useCategories(enabled = true) {
  return useQuery({
    queryKey: categoriesKey,
    enabled,
    queryFn: () => getAll<Category>('/api/v1/categories'),
  });
}

export function useTeams(enabled = true) {
  return useQuery({ queryKey: teamsKey, enabled, queryFn: () => getAll<Team>('/api/v1/teams') });
}

export function useProjects(enabled = true) {
  return useQuery({
    queryKey: projectsKey,
    enabled,
    retry: false,
    queryFn: () => getAll<Project>('/api/v1/projects'),
  });
}

export function useSavedViews(enabled = true) {
  return useQuery({
    queryKey: savedViewsKey,
    enabled,
    retry: false,
    queryFn: () => getAll<SavedView>('/api/v1/saved-views'),
  });
}

/** People to pick as assignee or approver (needs users.view). */
export function useUserOptions(q: string, enabled = true) {
  return useQuery({
    queryKey: ['users', 'options', q],
    enabled,
    staleTime: 60_000,
    queryFn: () => get<Page<User>>('/api/v1/users', { q: q || undefined, status: 'active', limit: 50 }),
  });
}

export function minutesLabel(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h ? `${h}h ${String(m).padStart(2, '0')}m` : `${m}m`;
}

export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export const ticketAssetsKey = (number: number | string) => ['ticket-assets', String(number)] as const;
export const ticketApprovalKey = (number: number | string) => ['ticket-approval', String(number)] as const;

/** The assets linked to a ticket, with their location. */
export function useTicketAssets(number: number) {
  return useQuery({
    queryKey: ticketAssetsKey(number),
    retry: false,
    queryFn: () => get<TicketAssetList>(`/api/v1/tickets/${number}/assets`),
  });
}

/** The approval chain of a ticket with who decides each step (only fetched when there is one to show). */
export function useTicketApproval(number: number, enabled: boolean) {
  return useQuery({
    queryKey: ticketApprovalKey(number),
    enabled,
    retry: false,
    queryFn: () => get<TicketApproval>(`/api/v1/tickets/${number}/approval`),
  });
}

/** People the ticket forms offer, searched on the server: who may work tickets, or on whose behalf one may open. */
export function useTicketPeople(kind: 'assignees' | 'requesters', q: string, enabled = true) {
  return useQuery({
    queryKey: ['ticket-people', kind, q],
    enabled,
    staleTime: 60_000,
    queryFn: () => get<Page<TicketPerson>>(`/api/v1/tickets/${kind}`, { q: q || undefined, limit: 50 }),
  });
}

/** Assets to pick, searched on the server by tag, name or serial. */
export function useAssetOptions(q: string, enabled = true) {
  return useQuery({
    queryKey: ['assets', 'options', q],
    enabled,
    staleTime: 30_000,
    queryFn: () => get<Page<Asset>>('/api/v1/assets', { q: q || undefined, limit: 30 }),
  });
}

/** Past its due date and still to be done: the flag on the ticket page and in lists. */
export function isOverdue(t: { dueAt: string | null; status: string }, now = Date.now()): boolean {
  if (!t.dueAt || t.status === 'resolved' || t.status === 'closed' || t.status === 'rejected') return false;
  const due = Date.parse(t.dueAt);
  return Number.isFinite(due) && due < now;
}
