// The visibility rule of tickets.policy (`maySeeTicket`) as SQL, for every query that reads tickets.
import { type SQL, sql } from 'drizzle-orm';
import { tickets } from '../../db/schema/index.js';
import { qualified } from '../../db/qualified.js';
import type { Permission } from '../../../shared/permissions/index.js';
import type { Viewer } from './tickets.policy.js';

/** `maySeeTicket` as the SQL condition of every ticket query (a row of `tickets`, unaliased). */
export function visibleTickets(actor: Viewer): SQL {
  const has = (p: Permission) => actor.permissions.has(p);
  if (has('tickets.view_all')) return sql`true`;
  const me = actor.userId;
  const parts: SQL[] = [
    sql`${tickets.requesterId} = ${me}`,
    sql`${tickets.createdById} = ${me}`,
    sql`${tickets.pendingUserId} = ${me}`,
    sql`exists (select 1 from ticket_watchers w where w.tenant_id = ${qualified(tickets.tenantId)} and w.ticket_id = ${qualified(tickets.id)} and w.user_id = ${me})`,
  ];
  if (has('tickets.approve')) parts.push(sql`${tickets.pendingRoleId} = ${actor.roleId}`);
  if (has('tickets.approve_any')) parts.push(sql`${tickets.status} = 'pending_approval'`);
  if (has('tickets.view_department') && actor.departmentId) parts.push(sql`${tickets.departmentId} = ${actor.departmentId}`);
  if (has('tickets.view_assigned')) {
    parts.push(sql`${tickets.assigneeId} = ${me}`);
    parts.push(
      sql`${qualified(tickets.teamId)} in (select m.team_id from team_members m where m.tenant_id = ${qualified(tickets.tenantId)} and m.user_id = ${me})`,
    );
  }
  return sql`(${sql.join(parts, sql` or `)})`;
}
