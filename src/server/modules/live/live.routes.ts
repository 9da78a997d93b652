// The live socket: pushes {"type","data"} events of the caller's company (presence, notifications,
// record changes). Presence is kept in the database so every web process sees every user.
import { randomUUID } from 'node:crypto';
import type { WebSocket } from '@fastify/websocket';
import type { FastifyRequest } from 'fastify';
import { liveMessage } from '../../../shared/contracts/live.js';
import type { Actor } from '../../platform/actor.js';
import { checkSession, resolveApiToken, SESSION_COOKIE } from '../../platform/auth.js';
import type { LiveConnection } from '../../platform/realtime.js';
import type { ModulePlugin } from '../http.js';
import { socketClosed, socketOpened, socketsAlive } from './live.service.js';
import { MeterFeed } from '../meters/meters-live.service.js';

function sameHost(origin: string, host: string | undefined): boolean {
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

export const liveRoutes: ModulePlugin = async (app, { deps }) => {
  type Conn = LiveConnection & { connectionId: string; ping(): void; revalidate(): Promise<Actor | null>; close(): void };
  const mine = new Set<Conn>();
  const meterFeed = new MeterFeed(deps);
  app.addHook('onClose', async () => meterFeed.close());

  // A socket lives only as long as its session or token: re-check them whenever sign-in state
  // changed anywhere (logout, deactivation, suspension, role change) and on every heartbeat.
  let recheck: NodeJS.Timeout | null = null;
  const recheckAll = () => {
    for (const conn of mine) {
      conn
        .revalidate()
        .then((actor) => {
          if (actor?.kind !== 'user' || actor.userId !== conn.userId || actor.tenantId !== conn.tenantId) conn.close();
          else {
            conn.roleId = actor.roleId;
            conn.departmentId = actor.departmentId;
            conn.permissions = actor.permissions;
          }
        })
        .catch((err) => app.log.warn({ err }, 'live socket re-check failed'));
    }
  };
  const stopWatching = deps.authCache.onInvalidate(() => {
    if (recheck) return;
    recheck = setTimeout(() => {
      recheck = null;
      recheckAll();
    }, 20);
  });
  app.addHook('onClose', async () => {
    stopWatching();
    if (recheck) clearTimeout(recheck);
  });

  const heartbeat = setInterval(() => {
    recheckAll();
    for (const conn of mine) conn.ping();
    const byTenant = new Map<number, Conn[]>();
    for (const c of mine) byTenant.set(c.tenantId, [...(byTenant.get(c.tenantId) ?? []), c]);
    for (const [tenantId, conns] of byTenant) {
      socketsAlive(deps, tenantId, conns).catch((err) => app.log.warn({ err }, 'presence heartbeat failed'));
    }
  }, deps.config.liveHeartbeatMs);
  heartbeat.unref();
  app.addHook('onClose', async () => clearInterval(heartbeat));

  app.get(
    '/api/v1/live',
    {
      websocket: true,
      config: { access: 'authenticated' },
      schema: { tags: ['live'], summary: 'WebSocket of live events: {"type","data"} (presence, notification, ...)' },
    },
    (socket: WebSocket, req: FastifyRequest) => {
      const actor = req.actor;
      // Browsers send the page's origin; a socket opened from another site is refused.
      const origin = req.headers.origin;
      if (origin && !sameHost(origin, req.headers.host)) {
        socket.close(4403, 'cross-origin socket refused');
        return;
      }
      if (actor?.kind !== 'user') {
        socket.close(4403, 'company users only');
        return;
      }
      const sessionToken = req.cookies?.[SESSION_COOKIE];
      const authz = req.headers.authorization;
      const bearer = typeof authz === 'string' && authz.startsWith('Bearer ') ? authz.slice(7).trim() : null;
      const conn: Conn = {
        // A re-check, not a use: it must not extend the session (an idle open tab still times out)
        // nor mark the token used; only the client's own requests do.
        revalidate: () =>
          bearer
            ? resolveApiToken(deps.database, bearer, { recordUse: false })
            : sessionToken
              ? checkSession(deps.database, sessionToken)
              : Promise.resolve(null),
        close: () => socket.close(4401, 'signed out'),
        roleId: actor.roleId,
        departmentId: actor.departmentId,
        permissions: actor.permissions,
        tenantId: actor.tenantId,
        userId: actor.userId,
        connectionId: randomUUID(),
        send: (message: string) => {
          if (socket.readyState === socket.OPEN) socket.send(message);
        },
        ping: () => {
          if (socket.readyState === socket.OPEN) socket.ping();
        },
      };
      deps.hub.add(conn);
      mine.add(conn);
      socket.send(liveMessage('hello', { userId: String(actor.userId) }));
      socketOpened(deps, actor.tenantId, actor.userId, conn.connectionId).catch((err) => app.log.warn({ err }, 'presence insert failed'));
      socket.on('message', (raw: Buffer) => {
        // Clients may ping with {"type":"ping"}; anything else is ignored.
        if (raw.length < 100 && raw.toString().includes('"ping"')) conn.send(liveMessage('pong', {}));
        else if (raw.length < 8192) meterFeed.message(conn, raw.toString()).catch((err) => app.log.warn({ err }, 'live meters subscribe failed'));
      });
      socket.on('close', () => {
        deps.hub.remove(conn);
        mine.delete(conn);
        meterFeed.drop(conn);
        socketClosed(deps, actor.tenantId, conn.connectionId).catch((err) => app.log.warn({ err }, 'presence delete failed'));
      });
    },
  );
};
