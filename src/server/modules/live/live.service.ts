// Presence of the live socket: who has Steward open, pushed to the company whenever it changes.
import type { LiveData } from '../../../shared/contracts/live.js';
import type { Deps } from '../../platform/context.js';
import type { Scope } from '../../platform/db.js';
import { publishLive } from '../../platform/realtime.js';
import { onlineUsers } from '../users/users.service.js';
import * as repo from './live.repo.js';

async function announcePresence(deps: Deps, tenantId: number, change: (scope: Scope) => Promise<unknown>) {
  await deps.database.withTenant(tenantId, async (scope) => {
    await change(scope);
    const online = await onlineUsers(scope.tx, tenantId);
    const data: LiveData['presence'] = { online: online.map((u) => ({ id: String(u.id), name: u.name, color: u.color })) };
    await publishLive(scope, { tenantId, type: 'presence', data });
  });
}

export const socketOpened = (deps: Deps, tenantId: number, userId: number, connectionId: string) =>
  announcePresence(deps, tenantId, ({ tx }) => repo.seeConnections(tx, tenantId, [{ userId, connectionId }]));

export const socketClosed = (deps: Deps, tenantId: number, connectionId: string) =>
  announcePresence(deps, tenantId, ({ tx }) => repo.dropConnection(tx, tenantId, connectionId));

/** The heartbeat of this process's sockets of one company: seen now (a lost row comes back), stale rows swept. */
export const socketsAlive = (deps: Deps, tenantId: number, conns: Array<{ userId: number; connectionId: string }>) =>
  deps.database.withTenant(tenantId, async ({ tx }) => {
    await repo.seeConnections(tx, tenantId, conns);
    await repo.sweepConnections(tx, tenantId);
  });
