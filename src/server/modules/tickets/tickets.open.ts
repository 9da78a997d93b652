// Opening a ticket: one use case shared by the web form, supply requests, QR reports and the demo.
// It is the busiest write of the product, so it is written as a fixed, small number of statements:
// one read of every reference it checks, the number, the ticket already routed (inserted with its
// final status, so no second version of a row with fifteen index entries), the history, the
// approvals it skipped, then one read of the recipients and one insert each for notifications and
// mails (notify), and one NOTIFY for every live push (sent just before commit).
import type { Priority, TicketKind, TicketSource, TicketStatus } from '../../db/schema/index.js';
import type { UserActor } from '../../platform/actor.js';
import type { Deps } from '../../platform/context.js';
import type { Scope } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import type { TicketSla } from '../../../shared/contracts/sla.js';
import { type Notice, notify } from '../notifications/notifications.service.js';
import { applySla } from '../sla/sla.service.js';
import { audienceOf, publishTicket, who } from './tickets.events.js';
import { maySeeTicket, visibilityOf } from './tickets.policy.js';
import { readFacts, type Ref, takeNumber, writeTicket } from './open.repo.js';
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
  /** An external requester; `id` names the mail contact it is (e-mail channel). */
  contact?: { id?: string; name: string; email?: string | null } | null;
}

/** A new ticket with what its answer needs besides names. */
export interface OpenedTicket {
  row: repo.TicketRow;
  /** The row with the names its answer shows, all known without reading it back. */
  names: repo.TicketWithNames;
  assetIds: number[];
  watcherIds: number[];
  stepCount: number;
  /** The SLA clock the matching policy started (null when none applies). */
  sla: TicketSla | null;
}

export const fieldError = (field: string, message: string) => new AppError('validation', message, { fields: { [field]: message } });

export interface OpenOptions {
  /**
   * The transaction is the caller's own, begun for this one ticket in a company that exists
   * (committed): its number may be taken outside it (takeNumber, PostgreSQL), so the counter row
   * is not held locked through the rest of the transaction. Not for a transaction that opens
   * several tickets, or that created the company (setup, the demo).
   */
  ownTransaction?: boolean;
}

/** Opens a ticket inside an open transaction: checked, numbered, routed, recorded, notified, pushed. */
export async function openTicket(
  scope: Scope,
  deps: Deps,
  actor: UserActor | null,
  tenantId: number,
  input: NewTicket,
  options: OpenOptions = {},
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
  // The assignee is one who may work tickets (the assignee picker offers no one else).
  if (input.assigneeId && !facts.people.find((p) => p.id === input.assigneeId)?.permissions.has('tickets.update')) {
    throw fieldError('assigneeId', 'may not work tickets');
  }
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
  // Checked and routed: nothing left that refuses the ticket, so the number is taken now.
  const autonomous = options.ownTransaction ? deps.database.autonomous : undefined;
  const number = autonomous ? await takeNumber(autonomous, tenantId) : null;
  const t = await writeTicket(tx, {
    number,
    tenantId,
    kind: input.kind,
    title: input.title,
    description: input.description,
    categoryId: input.categoryId ?? null,
    priority: input.priority,
    status,
    pending: pending
      ? { step: pending.step, pendingRoleId: pending.pendingRoleId ?? null, pendingUserId: pending.pendingUserId ?? null }
      : null,
    requesterId,
    contact: input.contact ?? null,
    createdById: actor?.userId ?? null,
    assigneeId: input.assigneeId ?? null,
    teamId,
    departmentId: facts.requester?.departmentId ?? null,
    projectId: input.projectId ?? null,
    dueAt: input.dueAt ?? null,
    source: input.source ?? 'web',
    tags: input.tags ?? [],
    by,
    decisions,
    assetIds,
    watcherIds,
  });

  const sla = await applySla(scope, deps, t, new Date(), true, facts.slaPolicies);
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
  await publishTicket(scope, t, 'created', stake, undefined, facts.createdHooks);
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
  return { row: t, names, assetIds: assetIds.sort((a, b) => a - b), watcherIds, stepCount: steps.length, sla };
}
