import type { Config } from '../config.js';
import type { Actor, RequestInfo, UserActor } from './actor.js';
import type { AuthCache } from './auth-cache.js';
import type { Database } from './db.js';
import { AppError } from './errors.js';
import type { Jobs } from './jobs.js';
import type { Logger } from './logger.js';
import type { Mailer } from './mail.js';
import type { LicenseStatus } from './license.js';
import type { LiveHub } from './realtime.js';
import type { Storage } from './storage.js';

/** The platform services every module uses, built once per process. */
export interface Deps {
  config: Config;
  database: Database;
  jobs: Jobs;
  mailer: Mailer;
  hub: LiveHub;
  authCache: AuthCache;
  storage: Storage;
  log: Logger;
  /** The license read at start (replaced by an upload in the operator area). */
  license: { status: LicenseStatus };
}

/** What a service call knows: the platform, the caller and the request's origin. */
export interface Ctx {
  deps: Deps;
  actor: Actor | null;
  info: RequestInfo;
}

export function requireUser(ctx: Ctx): UserActor {
  if (ctx.actor?.kind !== 'user') throw new AppError('forbidden', 'This needs a company account');
  return ctx.actor;
}
