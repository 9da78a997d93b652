// Wires the platform services for one process: database, jobs, mail, live hub, storage.
import type { Config } from './config.js';
import { mailConnectJobs } from './modules/mail/connect.service.js';
import { graphMailRouter } from './modules/mail/graph-send.js';
import { maintenancePlanJobs } from './modules/maintenance/maintenance.jobs.js';
import { meterJobs } from './modules/meters/meters.jobs.js';
import { recurringJobs } from './modules/recurring/recurring.jobs.js';
import { reportJobs } from './modules/reports/reports.jobs.js';
import { slaJobs } from './modules/sla/sla.service.js';
import { ticketJobs } from './modules/tickets/tickets.jobs.js';
import { retentionJobs } from './modules/retention/retention.service.js';
import { webhookJobs } from './modules/webhooks/webhooks.service.js';
import { AuthCache } from './platform/auth-cache.js';
import type { Deps } from './platform/context.js';
import { type Database, openDatabase } from './platform/db.js';
import { createJobs, type JobDefinition } from './platform/jobs.js';
import { createLogger, type Logger } from './platform/logger.js';
import { createMailer } from './platform/mail.js';
import { maintenanceJobs } from './platform/maintenance.js';
import { LiveHub } from './platform/realtime.js';
import { storageFor } from './platform/storage.js';
import { loadLicense } from './platform/license.js';
import { backupJobs } from './modules/backup/backup.jobs.js';

export async function createDeps(config: Config, opts: { database?: Database; log?: Logger; memory?: boolean } = {}): Promise<Deps> {
  const log = opts.log ?? createLogger(config.logLevel);
  const database = opts.database ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, memory: opts.memory }));
  const jobs = createJobs(database, log);
  const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, database, jobs, log });
  mailer.useRouter(graphMailRouter({ config, database }));
  return {
    config,
    database,
    jobs,
    mailer,
    hub: new LiveHub(),
    authCache: new AuthCache(config.authCacheSeconds * 1000),
    storage: await storageFor(config),
    log,
    license: { status: loadLicense(config.licenseFile, config.licensePublicKey) },
  };
}

/** Every job of every module; the worker role runs them, the web role only enqueues. */
export function jobDefinitions(deps: Deps): JobDefinition[] {
  return [
    ...deps.mailer.jobs(),
    ...maintenanceJobs(deps.database, deps.log),
    ...ticketJobs(deps),
    ...recurringJobs(deps),
    ...maintenancePlanJobs(deps),
    ...slaJobs(deps),
    ...mailConnectJobs(deps),
    ...reportJobs(deps),
    ...meterJobs(deps),
    ...webhookJobs(deps),
    ...retentionJobs(deps),
    ...backupJobs(deps),
  ];
}
