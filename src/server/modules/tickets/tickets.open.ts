// Opening a ticket: one use case shared by the web form, supply requests, QR reports and the demo.
// It is the busiest write of the product, so it is written as a fixed, small number of statements:
// one read of every reference it checks, the number, the ticket already routed (inserted with its
// final status, so no second version of a row with fifteen index entries), the history, the
// approvals it skipped, then one read of the recipients and one insert each for notifications and
// mails (notify), and one NOTIFY for every live push (sent just before commit).
import { getTableColumns, sql } from 'drizzle-orm';
import { type ApprovalStep, type Priority, type TicketKind, type TicketSource, type TicketStatus, tickets } from '../../db/schema/index.js';
import type { UserActor } from '../../platform/actor.js';
import type { Deps } from '../../platform/context.js';
import { preparedRows, type Scope, type Tx } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { type Notice, notify, type Recipient } from '../notifications/notifications.service.js';
import { audienceOf, publishTicket, who } from './tickets.events.js';
import { maySeeTicket, type Viewer, visibilityOf } from './tickets.policy.js';
import type * as repo from './tickets.repo.js';
import { approverIds, planRoute } from './tickets.routing.js';

export interface NewTicket {
  kind: TicketKind;
  title: string;
  description: string;
  categoryId?: number | null;
  priority: Priority;
  assetIds?: number[];
  projectId?: number | null;
  dueAt?: Date | null;
  assigneeId?: number | null;
  teamId?: number | null;
  requesterId?: number | null;
  tags?: string[];
  watcherIds?: number[];
  source?: TicketSource;
  contact?: { name: string; email?: string | null } | null;
}

/** A new ticket with what its answer needs besides names. */
export interface OpenedTicket {
  row: repo.TicketRow;
  /** The row with the names its answer shows, all known without reading it back. */
  names: repo.TicketWithNames;
  assetIds: number[];
  watcherIds: number[];
  stepCount: number;
}

export const fieldError = (field: string, message: string) => new AppError('validation', message, { fields: { [field]: message } });

interface Ref {
  id: number;
  name: string;
}

interface Facts {
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
}

const json = (v: unknown) => JSON.stringify(v ?? null);

/**
 * Everything `openTicket` checks, routes by, names in its answer and notifies, in one round trip
 * (each part is a lookup by a tenant-leading key).
 */
async function readFacts(
  tx: Tx,
  tenantId: number,
  actor: UserActor | null,
  input: NewTicket,
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
          and (u.id in (${requesterId}::bigint, ${actor?.userId ?? null}::bigint, ${input.assigneeId ?? null}::bigint) or u.id in (select user_id from members))) as people
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
  };
}

const ticketColumns = Object.entries(getTableColumns(tickets));

/** A ticket row read as JSON (`to_jsonb`), typed as Drizzle reads it: camelCase keys, timestamps as dates. */
function ticketFromJson(j: Record<string, unknown>): repo.TicketRow {
  const row: Record<string, unknown> = {};
  for (const [key, column] of ticketColumns) {
    const v = j[column.name] ?? null;
    row[key] = v !== null && column.columnType === 'PgTimestamp' ? new Date(v as string) : v;
  }
  return row as repo.TicketRow;
}

/** Opens a ticket inside an open transaction: checked, numbered, routed, recorded, notified, pushed. */
export async function openTicket(
  scope: Scope,
  deps: Deps,
  actor: UserActor | null,
  tenantId: number,
  input: NewTicket,
): Promise<OpenedTicket> {
  const { tx } = scope;
  const requesterId = input.requesterId ?? actor?.userId ?? null;
  const userIds = [...new Set([...(input.assigneeId ? [input.assigneeId] : []), ...(input.watcherIds ?? [])])];
  const assetIds = [...new Set(input.assetIds ?? [])];
  const watcherIds = [...new Set(input.watcherIds ?? [])];
  const facts = await readFacts(tx, tenantId, actor, input, requesterId, userIds, assetIds);
  const category = facts.category;
  if (input.categoryId && (!category || !category.active)) throw fieldError('categoryId', 'no such category');
  if (input.projectId && !facts.project) throw fieldError('projectId', 'no such project');
  if (input.teamId && !facts.team) throw fieldError('teamId', 'no such team');
  if (requesterId && !facts.requester) throw fieldError('requesterId', 'no such user');
  if (facts.usersFound !== userIds.length) throw fieldError('assigneeId', 'no such user');
  if (facts.assetsFound !== assetIds.length) throw fieldError('assetIds', 'no such asset');

  // Route before writing: a creator who may approve skips the chain (seed 003); so do tickets without one.
  const steps = category?.steps ?? [];
  const skipApproval = steps.length === 0 || (actor?.permissions.has('tickets.approve') ?? false);
  const route = skipApproval
    ? { pending: null, skipped: [] }
    : planRoute(steps, 0, { departmentHead: facts.requester?.head ?? null, activeUserIds: new Set(facts.activeApprovers) });
  const pending = route.pending;
  const status: TicketStatus = pending ? 'pending_approval' : 'open';

  const by = actor ? who(actor) : input.contact ? { userId: null, name: input.contact.name } : null;
  const decisions = [
    ...(skipApproval && steps.length > 0
      ? [
          {
            step: 0,
            decision: 'skipped',
            decider_id: actor?.userId ?? null,
            decider_name: actor?.name ?? null,
            comment: 'Created by someone who may approve',
          },
        ]
      : []),
    ...route.skipped.map((s) => ({ step: s.step, decision: 'skipped', decider_id: null, decider_name: null, comment: s.comment })),
  ];
  const teamId = facts.team?.id ?? null;
  // One statement: the number, the ticket (already routed), its two history rows, the approvals it
  // skipped, its asset links and watchers.
  const [written] = await preparedRows<{ t: Record<string, unknown> }>(
    tx,
    'ticket_open_write',
    sql`
    with n as (
      insert into ticket_counters (tenant_id, last) values (${tenantId}, 1)
      on conflict (tenant_id) do update set last = ticket_counters.last + 1 returning last),
    t as (
      insert into tickets (tenant_id, number, kind, title, description, category_id, priority, status, approval_step, pending_role_id,
        pending_user_id, requester_id, contact, created_by_id, assignee_id, team_id, department_id, project_id, due_at, source, tags)
      select ${tenantId}, n.last, ${input.kind}, ${input.title}, ${input.description}, ${input.categoryId ?? null}::bigint, ${input.priority},
        ${status}, ${pending?.step ?? null}::int, ${pending?.pendingRoleId ?? null}::bigint, ${pending?.pendingUserId ?? null}::bigint,
        ${requesterId}::bigint, ${input.contact ? json(input.contact) : null}::jsonb, ${actor?.userId ?? null}::bigint,
        ${input.assigneeId ?? null}::bigint, ${teamId}::bigint, ${facts.requester?.departmentId ?? null}::bigint,
        ${input.projectId ?? null}::bigint, ${input.dueAt?.toISOString() ?? null}::timestamptz, ${input.source ?? 'web'},
        array(select json_array_elements_text(${json(input.tags ?? [])}::json))
      from n
      returning *),
    h as (
      insert into ticket_history (tenant_id, ticket_id, actor_id, actor_name, event, field, before, after)
      select t.tenant_id, t.id, ${by?.userId ?? null}::bigint, ${by?.name ?? null}, e.event, e.field, e.before, e.after
      from t, (values ('created', null, null::jsonb, null::jsonb), ('status_changed', 'status', '"new"'::jsonb, to_jsonb(${status}::text))) as e (event, field, before, after)),
    a as (
      insert into ticket_approvals (tenant_id, ticket_id, step, decision, decider_id, decider_name, comment)
      select t.tenant_id, t.id, d.step, d.decision, d.decider_id, d.decider_name, d.comment
      from t, json_to_recordset(${json(decisions)}::json) as d (step int, decision text, decider_id bigint, decider_name text, comment text)),
    l as (
      insert into ticket_assets (tenant_id, ticket_id, asset_id)
      select t.tenant_id, t.id, x.value::bigint from t, json_array_elements_text(${json(assetIds)}::json) as x),
    w as (
      insert into ticket_watchers (tenant_id, ticket_id, user_id)
      select t.tenant_id, t.id, x.value::bigint from t, json_array_elements_text(${json(watcherIds)}::json) as x)
    select to_jsonb(t) - 'search' as t from t
  `,
  );
  const t = ticketFromJson(written.t);

  const actorId = actor?.userId ?? null;
  const direct = [t.requesterId, t.createdById, t.assigneeId].filter((id): id is number => id !== null);
  const notices: Array<Omit<Notice, 'ticketNumber'>> = [
    {
      event: 'ticket.created',
      recipients: [...direct, ...facts.teamMembers],
      actorId,
      title: `#${t.number} created: ${t.title}`,
      body: `${by?.name ?? 'Someone'} opened #${t.number} "${t.title}" (${status.replace('_', ' ')}).`,
    },
  ];
  if (pending) {
    notices.push({
      event: 'ticket.approval_needed',
      recipients: await approverIds(tx, tenantId, pending),
      actorId,
      title: `#${t.number} needs your approval: ${t.title}`,
      body: `${by?.name ?? 'Someone'} asks for "${t.title}". Approve or reject it in Steward.`,
    });
  }
  if (t.assigneeId) {
    notices.push({
      event: 'ticket.assigned',
      recipients: [t.assigneeId],
      actorId,
      title: `#${t.number} assigned to you: ${t.title}`,
      body: `${by?.name ?? 'Someone'} assigned #${t.number} to you.`,
    });
  }
  // Only those who may see the ticket are told. The people read with the facts are checked here;
  // the approvers (read apart) by audienceOf.
  const stake = { direct, team: facts.teamMembers, watchers: watcherIds };
  const visible = visibilityOf(t, { watcherIds, teamMemberIds: facts.teamMembers });
  const people = facts.people.filter((p) => maySeeTicket(p, visible));
  const asked = [requesterId, actorId, input.assigneeId ?? null, ...facts.teamMembers].filter((id): id is number => id !== null);
  const covers = new Set(asked);
  const others = notices.flatMap((n) => [...n.recipients]).filter((id) => !covers.has(id));
  const audience = new Set([...people.map((p) => p.id), ...(others.length ? await audienceOf(scope, t, stake, others) : [])]);
  await notify(
    scope,
    deps,
    tenantId,
    notices.map((n) => ({ ...n, recipients: [...n.recipients].filter((id) => audience.has(id)), ticketNumber: t.number })),
    { people, covers },
  );
  await publishTicket(scope, t, 'created', stake);
  const ref = (r: Ref | null) => (r ? { id: r.id, name: r.name } : null);
  const dept = facts.requester;
  const names: repo.TicketWithNames = {
    t,
    requester: ref(dept),
    assignee: facts.assignee ? { id: facts.assignee.id, name: facts.assignee.name, color: facts.assignee.color } : null,
    creator: actor ? { id: actor.userId, name: actor.name } : null,
    category: ref(facts.category),
    team: ref(facts.team),
    project: ref(facts.project),
    department: dept?.departmentId ? { id: dept.departmentId, name: dept.departmentName ?? '' } : null,
  };
  return { row: t, names, assetIds: assetIds.sort((a, b) => a - b), watcherIds, stepCount: steps.length };
}
