// Housekeeping jobs of the platform: expired sessions, links, API tokens and login counters go.
import { and, isNotNull, lt, or, sql } from 'drizzle-orm';
import { apiTokens, loginThrottle, oneTimeTokens, sessions } from '../db/schema/index.js';
import type { Database } from './db.js';
import type { JobDefinition } from './jobs.js';
import type { Logger } from './logger.js';

export async function purgeExpired(database: Database): Promise<Record<string, number>> {
  return database.system(async ({ tx }) => {
    const s = await tx.delete(sessions).where(lt(sessions.expiresAt, sql`now()`)).returning({ id: sessions.id });
    const t = await tx
      .delete(oneTimeTokens)
      .where(or(lt(oneTimeTokens.expiresAt, sql`now() - interval '1 day'`), and(isNotNull(oneTimeTokens.usedAt), lt(oneTimeTokens.usedAt, sql`now() - interval '1 day'`))))
      .returning({ id: oneTimeTokens.id });
    const a = await tx.delete(apiTokens).where(lt(apiTokens.expiresAt, sql`now()`)).returning({ id: apiTokens.id });
    const l = await tx
      .delete(loginThrottle)
      .where(and(lt(loginThrottle.windowStart, sql`now() - interval '1 day'`), or(sql`${loginThrottle.lockedUntil} is null`, lt(loginThrottle.lockedUntil, sql`now()`))))
      .returning({ key: loginThrottle.key });
    return { sessions: s.length, oneTimeTokens: t.length, apiTokens: a.length, loginThrottle: l.length };
  });
}

export function maintenanceJobs(database: Database, log: Logger): JobDefinition[] {
  return [
    {
      name: 'platform.purge-expired',
      cron: '17 * * * *',
      retryLimit: 2,
      handler: async () => {
        const purged = await purgeExpired(database);
        log.info({ purged }, 'expired sessions and tokens purged');
      },
    },
  ];
}
