// Shapes of the ticket API answers (see /api/v1/openapi.json, "tickets").

export const STATUSES = [
  'new',
  'pending_approval',
  'open',
  'in_progress',
  'on_hold',
  'resolved',
  'closed',
  'rejected',
] as const;
export const KINDS = ['incident', 'request', 'work_order', 'supply'] as const;
export const PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;
export const SORTS = ['newest', 'oldest', 'updated', 'priority', 'due'] as const;

export type TicketStatus = (typeof STATUSES)[number];
export type TicketKind = (typeof KINDS)[number];
export type Priority = (typeof PRIORITIES)[number];
export type TicketSort = (typeof SORTS)[number];

export interface Ref {
  id: string;
  name: string;
}

export interface TicketSummary {
  id: string;
  number: number;
  kind: TicketKind;
  title: string;
  status: TicketStatus;
  priority: Priority;
  category: Ref | null;
  requester: Ref | null;
  contact: { name: string; email?: string | null } | null;
  assignee: (Ref & { color: string | null }) | null;
  team: Ref | null;
  department: Ref | null;
  project: Ref | null;
  dueAt: string | null;
  source: string;
  tags: string[];
  version: number;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

export interface Ticket extends TicketSummary {
  description: string;
  createdBy: Ref | null;
  locationId: string | null;
  scheduledStart: string | null;
  scheduledEnd: string | null;
  customFields: Record<string, unknown>;
  assetIds: string[];
  watcherIds: string[];
  approval: {
    step: number;
    stepCount: number;
    pendingRoleId: string | null;
    pendingUserId: string | null;
  } | null;
  resolvedAt: string | null;
  closedAt: string | null;
  archivedAt: string | null;
}

export interface TicketCan {
  update: boolean;
  changeStatus: boolean;
  transitions: TicketStatus[];
  approve: boolean;
  reject: boolean;
  assign: boolean;
  comment: boolean;
  internalNotes: boolean;
  attach: boolean;
  manageTasks: boolean;
  logTime: boolean;
  delete: boolean;
}

export interface TicketAnswer {
  ticket: Ticket;
  can: TicketCan;
}

export interface Comment {
  id: string;
  body: string;
  internal: boolean;
  author: { id: string | null; name: string };
  mentionIds: string[];
  createdAt: string;
}

export interface HistoryEntry {
  id: string;
  at: string;
  actor: { id: string | null; name: string } | null;
  event: string;
  field: string | null;
  before: unknown;
  after: unknown;
}

export interface ApprovalDecision {
  id: string;
  step: number;
  decision: 'approved' | 'rejected' | 'skipped';
  decider: { id: string | null; name: string } | string | null;
  comment: string | null;
  at: string;
}

export type ApprovalStep = { type: 'role'; roleId: string } | { type: 'user'; userId: string } | { type: 'department_head' };

export interface Category {
  id: string;
  name: string;
  description: string | null;
  approvalSteps: ApprovalStep[];
  defaultTeamId: string | null;
  active: boolean;
  can?: { update: boolean };
}

export interface Team {
  id: string;
  name: string;
  memberIds: string[];
  members: Ref[];
  can?: { update: boolean };
}

export interface Attachment {
  id: string;
  name: string;
  size: number;
  contentType: string;
  createdAt?: string;
  uploadedBy?: Ref | null;
  commentId?: string | null;
  can?: { delete?: boolean };
}

export interface Task {
  id: string;
  title: string;
  done: boolean;
  position: number;
}

export interface Process {
  id: string;
  name: string;
  tasks: string[] | { title: string }[];
}

export interface TimeEntry {
  id: string;
  minutes: number;
  billable: boolean;
  rate?: number | string | null;
  note?: string | null;
  user?: Ref | null;
  createdAt?: string;
}

export interface TimeTotals {
  minutes?: number;
  billableMinutes?: number;
  amount?: number | string;
  cost?: number | string;
}

export interface Project {
  id: string;
  name: string;
  description?: string | null;
  status: 'active' | 'on_hold' | 'done';
  openCount?: number;
  ticketCount?: number;
  counts?: { open?: number; all?: number; total?: number };
  can?: { update?: boolean };
}

/** Saved filter set for the ticket list. */
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
}

export interface SavedView {
  id: string;
  name: string;
  filters: Partial<TicketFilterValues>;
}

export const statusColor: Record<TicketStatus, string> = {
  new: 'blue',
  pending_approval: 'yellow',
  open: 'cyan',
  in_progress: 'indigo',
  on_hold: 'orange',
  resolved: 'green',
  closed: 'gray',
  rejected: 'red',
};

export const priorityColor: Record<Priority, string> = {
  low: 'gray.7',
  medium: 'blue.8',
  high: '#a33a0b',
  urgent: 'red.9',
};

export const OPEN_STATUSES: TicketStatus[] = ['new', 'pending_approval', 'open', 'in_progress', 'on_hold'];
