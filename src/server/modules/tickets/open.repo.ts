// The SQL of opening a ticket (tickets.open): one read of every reference it checks, and one
// statement that numbers, inserts (already routed), records and links it. Both prepared by name.
import { getTableColumns, sql } from 'drizzle-orm';
import {
  type ApprovalStep,
  businessHours,
  type Priority,
  slaPolicies,
  type TicketKind,
  type TicketSource,
  type TicketStatus,
  tickets,
} from '../../db/schema/index.js';
import { type Database, preparedRows, type Tx } from '../../platform/db.js';
import type { Recipient } from '../notifications/notifications.service.js';
import type { Viewer } from './tickets.policy.js';
import type { TicketRow } from './tickets.repo.js';

/** The references of a new ticket that `readFacts` looks up. */
export interface FactsQuery {
  categoryId?: number | null;
  teamId?: number | null;
  assigneeId?: number | null;
  projectId?: number | null;
}

const json = (v: unknown) => JSON.stringify(v ?? null);

export interface Ref {
  id: number;
  name: string;
}

export interface Facts {
  category: (Ref & { active: boolean; steps: ApprovalStep[]; defaultTeamId: number | null }) | null;
  requester: (Ref & { departmentId: number | null; departmentName: string | null; head: number | null }) | null;
  assignee: (Ref & { color: string }) | null;
  team: Ref | null;
  project: Ref | null;
  usersFound: number;
  assetsFound: number;
  teamMembers: number[];
  activeApprovers: number[];
  /** The active people the "created" and "assigned" notices may go to, with their preferences and what the visibility rule asks of them. */
  people: Array<Recipient & Viewer>;
  /** The active webhooks subscribed to `ticket.created` (what emitWebhookEvent would read after the insert). */
  createdHooks: number[];
  /** The enabled SLA policies in the order they are tried, each with its calendar (what applySla would read). */
  slaPolicies: Array<{ policy: typeof slaPolicies.$inferSelect; calendar: typeof businessHours.$inferSelect }>;
}

/**
 * Everything `openTicket` checks, routes by, names in its answer and notifies, in one round trip
 * (each part is a lookup by a tenant-leading key).
 */
export async function readFacts(
  tx: Tx,
  tenantId: number,
  actor: { userId: number } | null,
  input: FactsQuery,
  requesterId: number | null,
  userIds: number[],
  assetIds: number[],
): Promise<Facts> {
  const [r] = await preparedRows<Record<string, unknown>>(
    tx,
    'ticket_open_facts',
    sql`
    with cat as (
      select id, name, active, approval_steps, default_team_id from categories where tenant_id = ${tenantId} and id = ${input.categoryId ?? null}::bigint),
    team as (
      select id, name from teams where tenant_id = ${tenantId} and id = coalesce(${input.teamId ?? null}::bigint, (select default_team_id from cat))),
    members as (
      select m.user_id from team_members m, team where m.tenant_id = ${tenantId} and m.team_id = team.id)
    select
      (select json_build_object('id', id, 'name', name, 'active', active, 'steps', approval_steps, 'defaultTeamId', default_team_id) from cat) as category,
      (select json_build_object('id', u.id, 'name', u.name, 'departmentId', u.department_id, 'departmentName', d.name, 'head', d.head_user_id)
         from users u left join departments d on d.tenant_id = u.tenant_id and d.id = u.department_id
        where u.tenant_id = ${tenantId} and u.id = ${requesterId}::bigint) as requester,
      (select json_build_object('id', id, 'name', name, 'color', color) from users where tenant_id = ${tenantId} and id = ${input.assigneeId ?? null}::bigint) as assignee,
      (select json_build_object('id', id, 'name', name) from team) as team,
      (select json_build_object('id', id, 'name', name) from projects where tenant_id = ${tenantId} and id = ${input.projectId ?? null}::bigint) as project,
      (select count(*)::int from users where tenant_id = ${tenantId} and id in (select value::bigint from json_array_elements_text(${json(userIds)}::json))) as users_found,
      (select count(*)::int from assets where tenant_id = ${tenantId} and id in (select value::bigint from json_array_elements_text(${json(assetIds)}::json))) as assets_found,
      (select coalesce(json_agg(user_id), '[]') from members) as team_members,
      (select coalesce(json_agg(u.id), '[]') from users u where u.tenant_id = ${tenantId} and u.status = 'active' and u.id in (
         select (s ->> 'userId')::bigint from cat, jsonb_array_elements(cat.approval_steps) s where s ->> 'type' = 'user')) as active_approvers,
      (select coalesce(json_agg(json_build_object('id', u.id, 'email', u.email, 'preferences', u.preferences, 'roleId', u.role_id,
           'departmentId', u.department_id, 'permissions', r.permissions)), '[]')
         from users u join roles r on r.tenant_id = u.tenant_id and r.id = u.role_id
        where u.tenant_id = ${tenantId} and u.status = 'active'
          and (u.id in (${requesterId}::bigint, ${actor?.userId ?? null}::bigint, ${input.assigneeId ?? null}::bigint) or u.id in (select user_id from members))) as people,
      (select coalesce(json_agg(h.id), '[]') from webhooks h
        where h.tenant_id = ${tenantId} and h.active and h.events @> array['ticket.created']::text[]) as created_hooks,
      (select coalesce(json_agg(json_build_object('policy', to_jsonb(p), 'calendar', to_jsonb(b)) order by p.position, p.id), '[]')
         from sla_policies p join business_hours b on b.tenant_id = p.tenant_id and b.id = p.business_hours_id
        where p.tenant_id = ${tenantId} and p.enabled) as sla_policies
  `,
  );
  return {
    category: r.category as Facts['category'],
    requester: r.requester as Facts['requester'],
    assignee: r.assignee as Facts['assignee'],
    team: r.team as Facts['team'],
    project: r.project as Facts['project'],
    usersFound: Number(r.users_found),
    assetsFound: Number(r.assets_found),
    teamMembers: (r.team_members as unknown[]).map(Number),
    activeApprovers: (r.active_approvers as unknown[]).map(Number),
    people: (r.people as Array<Recipient & { roleId: number; departmentId: number | null; permissions: string[] }>).map((p) => ({
      ...p,
      id: Number(p.id),
      userId: Number(p.id),
      roleId: Number(p.roleId),
      departmentId: p.departmentId === null ? null : Number(p.departmentId),
      permissions: new Set(p.permissions),
    })),
    createdHooks: (r.created_hooks as unknown[]).map(Number),
    slaPolicies: (r.sla_policies as Array<{ policy: Record<string, unknown>; calendar: Record<string, unknown> }>).map((x) => ({
      policy: rowFromJson(slaColumns, x.policy) as typeof slaPolicies.$inferSelect,
      calendar: rowFromJson(hoursColumns, x.calendar) as typeof businessHours.$inferSelect,
    })),
  };
}

const ticketColumns = Object.entries(getTableColumns(tickets));
const slaColumns = Object.entries(getTableColumns(slaPolicies));
const hoursColumns = Object.entries(getTableColumns(businessHours));

/** A row read as JSON (`to_jsonb`), as Drizzle reads it: camelCase keys, timestamps as dates. */
function rowFromJson(columns: Array<[string, { name: string; columnType: string }]>, j: Record<string, unknown>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [key, column] of columns) {
    const v = j[column.name] ?? null;
    row[key] = v !== null && column.columnType === 'PgTimestamp' ? new Date(v as string) : v;
  }
  return row;
}

const ticketFromJson = (j: Record<string, unknown>): TicketRow => rowFromJson(ticketColumns, j) as TicketRow;

type Autonomous = NonNullable<Database['autonomous']>;
type Waiter = { tenantId: number; resolve: (n: number) => void; reject: (error: unknown) => void };
const waiting = new WeakMap<Autonomous, Waiter[]>();

/**
 * The next ticket number of a company, taken outside the caller's transaction (Database.autonomous,
 * PostgreSQL): the counter row is locked for that one statement, not from the ticket's insert to its
 * commit, so the tickets of one company no longer open one at a time (decision 0008). The numbers
 * asked for in one turn of the event loop are taken in one statement. A transaction that rolls back
 * after this leaves its number unused (a gap); callers take it only once the ticket is checked.
 */
export function takeNumber(run: Autonomous, tenantId: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let queue = waiting.get(run);
    if (!queue) {
      queue = [];
      waiting.set(run, queue);
      setImmediate(() => void takeWaiting(run));
    }
    queue.push({ tenantId, resolve, reject });
  });
}

async function takeWaiting(run: Autonomous): Promise<void> {
  const queue = waiting.get(run) ?? [];
  waiting.delete(run);
  const counts = new Map<number, number>();
  for (const w of queue) counts.set(w.tenantId, (counts.get(w.tenantId) ?? 0) + 1);
  try {
    const rows = await run<{ tenant_id: string; last: number }>(
      `insert into ticket_counters (tenant_id, last)
       select t, k from unnest($1::bigint[], $2::int[]) as u (t, k)
       on conflict (tenant_id) do update set last = ticket_counters.last + excluded.last
       returning tenant_id, last`,
      [[...counts.keys()], [...counts.values()]],
    );
    const next = new Map(rows.map((r) => [Number(r.tenant_id), Number(r.last) - (counts.get(Number(r.tenant_id)) ?? 0) + 1]));
    for (const w of queue) {
      const n = next.get(w.tenantId);
      if (n === undefined) {
        w.reject(new Error(`no ticket number taken for company ${w.tenantId}`));
        continue;
      }
      next.set(w.tenantId, n + 1);
      w.resolve(n);
    }
  } catch (error) {
    for (const w of queue) w.reject(error);
  }
}

/** Everything the one statement of opening writes. */
export interface TicketWrite {
  tenantId: number;
  kind: TicketKind;
  title: string;
  description: string;
  categoryId: number | null;
  priority: Priority;
  status: TicketStatus;
  pending: { step: number; pendingRoleId: number | null; pendingUserId: number | null } | null;
  requesterId: number | null;
  contact: { name: string; email?: string | null } | null;
  createdById: number | null;
  assigneeId: number | null;
  teamId: number | null;
  departmentId: number | null;
  projectId: number | null;
  dueAt: Date | null;
  source: TicketSource;
  tags: string[];
  /** Who the history rows name. */
  by: { userId: number | null; name: string } | null;
  /** The approval steps skipped at creation. */
  decisions: Array<{ step: number; decision: string; decider_id: number | null; decider_name: string | null; comment: string | null }>;
  assetIds: number[];
  watcherIds: number[];
  /** The number already taken (takeNumber); null: taken from the counter row in this statement. */
  number?: number | null;
}

/**
 * One statement: the number, the ticket (already routed), its two history rows, the approvals it
 * skipped, its asset links and watchers. Answers the row as written.
 */
export async function writeTicket(tx: Tx, w: TicketWrite): Promise<TicketRow> {
  const taken = w.number ?? null;
  // The number from the counter row (locked until this transaction ends), or the one given.
  const n =
    taken === null
      ? sql`n as (
      insert into ticket_counters (tenant_id, last) values (${w.tenantId}, 1)
      on conflict (tenant_id) do update set last = ticket_counters.last + 1 returning last),`
      : sql`n as (select ${taken}::int as last),`;
  const [written] = await preparedRows<{ t: Record<string, unknown> }>(
    tx,
    taken === null ? 'ticket_open_write' : 'ticket_open_write_numbered',
    sql`
    with ${n}
    t as (
      insert into tickets (tenant_id, number, kind, title, description, category_id, priority, status, approval_step, pending_role_id,
        pending_user_id, requester_id, contact, created_by_id, assignee_id, team_id, department_id, project_id, due_at, source, tags)
      select ${w.tenantId}, n.last, ${w.kind}, ${w.title}, ${w.description}, ${w.categoryId}::bigint, ${w.priority},
        ${w.status}, ${w.pending?.step ?? null}::int, ${w.pending?.pendingRoleId ?? null}::bigint, ${w.pending?.pendingUserId ?? null}::bigint,
        ${w.requesterId}::bigint, ${w.contact ? json(w.contact) : null}::jsonb, ${w.createdById}::bigint,
        ${w.assigneeId}::bigint, ${w.teamId}::bigint, ${w.departmentId}::bigint,
        ${w.projectId}::bigint, ${w.dueAt?.toISOString() ?? null}::timestamptz, ${w.source},
        array(select json_array_elements_text(${json(w.tags)}::json))
      from n
      returning *),
    h as (
      insert into ticket_history (tenant_id, ticket_id, actor_id, actor_name, event, field, before, after)
      select t.tenant_id, t.id, ${w.by?.userId ?? null}::bigint, ${w.by?.name ?? null}, e.event, e.field, e.before, e.after
      from t, (values ('created', null, null::jsonb, null::jsonb), ('status_changed', 'status', '"new"'::jsonb, to_jsonb(${w.status}::text))) as e (event, field, before, after)),
    a as (
      insert into ticket_approvals (tenant_id, ticket_id, step, decision, decider_id, decider_name, comment)
      select t.tenant_id, t.id, d.step, d.decision, d.decider_id, d.decider_name, d.comment
      from t, json_to_recordset(${json(w.decisions)}::json) as d (step int, decision text, decider_id bigint, decider_name text, comment text)),
    l as (
      insert into ticket_assets (tenant_id, ticket_id, asset_id)
      select t.tenant_id, t.id, x.value::bigint from t, json_array_elements_text(${json(w.assetIds)}::json) as x),
    w as (
      insert into ticket_watchers (tenant_id, ticket_id, user_id)
      select t.tenant_id, t.id, x.value::bigint from t, json_array_elements_text(${json(w.watcherIds)}::json) as x)
    select to_jsonb(t) - 'search' as t from t
  `,
  );
  return ticketFromJson(written.t);
}
