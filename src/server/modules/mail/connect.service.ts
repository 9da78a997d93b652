// Runs the IMAP and Graph connectors for a company's mailboxes: one worker per mailbox at a time (a
// lease row), each message through the one pipeline (ingestRawMessage, its own transaction) and only
// then flagged or moved on the server; the mailbox shows its last successful fetch, its last error
// and how many messages wait. A refused Graph authorisation stops the fetching (`auth_error`),
// tells the company's admins once, and waits for a re-authorisation. No network I/O happens inside
// a transaction: each database step is its own short transaction between the server calls.
import { randomUUID } from 'node:crypto';
import type { Ctx, Deps } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import { decryptSecret, encryptSecret } from '../../platform/crypto.js';
import { notFound } from '../../platform/errors.js';
import type { JobDefinition } from '../../platform/jobs.js';
import { notify } from '../notifications/notifications.service.js';
import * as repo from './connect.repo.js';
import { GraphAuthError, GraphClient, type GraphSettings, type TokenStore } from './graph.js';
import {
  type DrainReport,
  describeImapError,
  type ImapSettings,
  type MailSink,
  runImapSession,
  SessionStopped,
  SinkError,
  testImap,
} from './imap.js';
import { ingestRawMessage } from './mail.pipeline.js';

/** Lease kept beyond the session's planned length (a drain of a big mailbox, slow servers). */
const LEASE_SLACK_SECONDS = 300;
/** Backoff after failures: 1, 2, 4 … minutes, at most an hour. */
export const backoffSeconds = (failures: number) => Math.min(3600, 60 * 2 ** Math.max(0, failures - 1));

export type Connector = { kind: 'imap'; settings: ImapSettings } | { kind: 'graph'; client: GraphClient };

/** The mailbox's connector with its secrets decrypted (null for a webhook mailbox). */
export function connectorOf(deps: Pick<Deps, 'config' | 'database'>, row: repo.MailboxRow): Connector | null {
  const secret = deps.config.sessionSecret;
  if (row.type === 'imap') {
    return {
      kind: 'imap',
      settings: {
        host: row.host ?? '',
        port: row.port ?? (row.secure ? 993 : 143),
        secure: row.secure ?? true,
        username: row.username ?? '',
        password: decryptSecret(secret, row.passwordEnc) ?? '',
        folder: row.folder || 'INBOX',
        processedFolder: row.processedFolder || null,
      },
    };
  }
  if (row.type === 'graph') {
    const settings: GraphSettings = {
      tenantId: row.graphTenantId ?? '',
      clientId: row.clientId ?? '',
      clientSecret: decryptSecret(secret, row.clientSecretEnc) ?? '',
      mailbox: row.graphMailbox ?? row.address,
      processedFolder: row.processedFolder || null,
    };
    const store: TokenStore = {
      load: async () => {
        const fresh = await deps.database.withTenant(row.tenantId, ({ tx }) => repo.findMailbox(tx, row.tenantId, row.id));
        return decryptSecret(secret, fresh?.graphTokenEnc ?? null);
      },
      save: (cache, expiresAt) =>
        deps.database.withTenant(row.tenantId, ({ tx }) =>
          repo.saveGraphToken(tx, row.tenantId, row.id, encryptSecret(secret, cache), expiresAt),
        ),
    };
    return {
      kind: 'graph',
      client: new GraphClient(settings, { loginUrl: deps.config.graphLoginUrl, apiUrl: deps.config.graphApiUrl }, store),
    };
  }
  return null;
}

async function mailboxOf(ctx: Ctx, id: number): Promise<repo.MailboxRow> {
  const actor = requireUser(ctx);
  const row = await ctx.deps.database.withTenant(actor.tenantId, ({ tx }) => repo.findMailbox(tx, actor.tenantId, id));
  if (!row) throw notFound('Mailbox');
  return row;
}

/** POST /mailboxes/:id/test: connects and logs in, changes nothing. */
export async function testMailbox(ctx: Ctx, id: number): Promise<{ ok: boolean; error?: string }> {
  const row = await mailboxOf(ctx, id);
  const connector = connectorOf(ctx.deps, row);
  if (!connector) return { ok: true };
  if (connector.kind === 'imap') return testImap(connector.settings);
  // Without the token store: a test leaves the cached token as it was.
  const client = new GraphClient(
    {
      tenantId: row.graphTenantId ?? '',
      clientId: row.clientId ?? '',
      clientSecret: decryptSecret(ctx.deps.config.sessionSecret, row.clientSecretEnc) ?? '',
      mailbox: row.graphMailbox ?? row.address,
      processedFolder: null,
    },
    { loginUrl: ctx.deps.config.graphLoginUrl, apiUrl: ctx.deps.config.graphApiUrl },
    null,
  );
  return client.test();
}

/**
 * POST /mailboxes/:id/reauthorize (a Graph mailbox in `auth_error`, usually after a new client
 * secret was saved): drops the cached token, asks for a new one and reads the inbox; on success the
 * mailbox is fetched again at once.
 */
export async function reauthorizeMailbox(ctx: Ctx, id: number): Promise<{ ok: boolean; error?: string }> {
  const actor = requireUser(ctx);
  const row = await mailboxOf(ctx, id);
  // Not an error of the request: the answer says why nothing was done, as a failed test does.
  if (row.type !== 'graph') return { ok: false, error: 'Only a Microsoft Graph mailbox is authorised; this one needs no re-authorisation' };
  const { database } = ctx.deps;
  await database.withTenant(actor.tenantId, ({ tx }) => repo.saveGraphToken(tx, actor.tenantId, id, null, null));
  const connector = connectorOf(ctx.deps, { ...row, graphTokenEnc: null });
  const result = connector?.kind === 'graph' ? await connector.client.test() : { ok: false, error: 'Not a Graph mailbox' };
  await database.withTenant(actor.tenantId, async (scope) => {
    if (result.ok) {
      await repo.setState(scope.tx, actor.tenantId, id, 'ok');
      await repo.clearError(scope.tx, actor.tenantId, id);
      if (row.active)
        scope.afterCommit(() => ctx.deps.jobs.send(FETCH_JOB, { tenantId: actor.tenantId, mailboxId: id }).catch(() => undefined));
    } else {
      await repo.recordError(scope.tx, actor.tenantId, id, `auth_error: ${result.error ?? 'refused'}`);
    }
  });
  return result;
}

export interface FetchOptions {
  /** Keep an IMAP session open (IDLE / polling) this long after the first drain. */
  watchMs?: number;
  limit?: number;
  signal?: AbortSignal;
  /** Lease owner (a worker's id); a random one by default. */
  owner?: string;
}

export interface FetchOutcome {
  status: 'done' | 'busy' | 'skipped' | 'auth_error' | 'error';
  report?: DrainReport;
  error?: string;
}

/** One fetch of one mailbox under its lease: drain, record the status, release. */
export async function fetchMailbox(deps: Deps, tenantId: number, mailboxId: number, opts: FetchOptions = {}): Promise<FetchOutcome> {
  const owner = opts.owner ?? randomUUID();
  const watchMs = opts.watchMs ?? 0;
  const leaseSeconds = Math.ceil(watchMs / 1000) + LEASE_SLACK_SECONDS;
  const { database } = deps;
  const claimed = await database.withTenant(tenantId, async ({ tx }) => {
    const row = await repo.findMailbox(tx, tenantId, mailboxId);
    if (!row) return null;
    const lease = await repo.claimLease(tx, tenantId, mailboxId, owner, leaseSeconds);
    return lease ? { row, lease } : { row, lease: null };
  });
  if (!claimed) return { status: 'skipped' };
  if (!claimed.lease) return { status: 'busy' };
  const { row, lease } = claimed;
  const release = (state: repo.MailboxConnState, failures: number, retry: number | null) =>
    database.withTenant(tenantId, ({ tx }) =>
      repo.releaseLease(tx, tenantId, mailboxId, owner, { state, failures, retryAfterSeconds: retry }),
    );
  const connector = row.active && lease.state !== 'auth_error' ? connectorOf(deps, row) : null;
  if (!connector) {
    await release(lease.state, lease.failures, null);
    return { status: 'skipped' };
  }

  const sink: MailSink = (raw, serverRef) => ingestRawMessage(deps, { tenantId, mailboxId, raw, serverRef });
  const onDrain = async (report: DrainReport) => {
    await database.withTenant(tenantId, async ({ tx }) => {
      await repo.recordFetched(tx, tenantId, mailboxId, report.waiting);
      await repo.extendLease(tx, tenantId, mailboxId, owner, leaseSeconds);
    });
  };
  // A long drain keeps its lease alive and its waiting count current; a lost lease ends it.
  const onProgress = (waiting: number) =>
    database.withTenant(tenantId, async ({ tx }) => {
      const kept = await repo.extendLease(tx, tenantId, mailboxId, owner, leaseSeconds);
      if (kept) await repo.recordWaiting(tx, tenantId, mailboxId, waiting);
      return kept;
    });
  try {
    let report: DrainReport;
    if (connector.kind === 'imap') {
      report = await runImapSession(connector.settings, sink, { watchMs, limit: opts.limit, signal: opts.signal, onDrain, onProgress });
    } else {
      report = await connector.client.drain(sink, { limit: opts.limit, signal: opts.signal, onProgress });
      await onDrain(report);
    }
    await release('ok', 0, null);
    return { status: 'done', report };
  } catch (err) {
    // Another worker holds the mailbox now: it records the status.
    if (err instanceof SessionStopped) return { status: 'busy' };
    const message = err instanceof SinkError || err instanceof GraphAuthError ? err.message : describeImapError(err);
    if (err instanceof GraphAuthError) {
      await database.withTenant(tenantId, async (scope) => {
        await repo.recordError(scope.tx, tenantId, mailboxId, `auth_error: ${message}`);
        await repo.releaseLease(scope.tx, tenantId, mailboxId, owner, {
          state: 'auth_error',
          failures: lease.failures + 1,
          retryAfterSeconds: null,
        });
        if (lease.state !== 'auth_error') {
          await notify(scope, deps, tenantId, {
            event: 'mail.auth_error',
            recipients: await repo.settingsManagerIds(scope.tx, tenantId),
            actorId: null,
            ticketNumber: null,
            title: `Mailbox ${row.address} lost its authorisation`,
            body: `Steward can no longer read ${row.address} through Microsoft Graph: ${message}\nSave a valid client secret (or grant consent again) and choose "Re-authorise" on the mailbox.`,
          });
        }
      });
      return { status: 'auth_error', error: message };
    }
    const failures = lease.failures + 1;
    await database.withTenant(tenantId, async ({ tx }) => {
      await repo.recordError(tx, tenantId, mailboxId, message);
      await repo.releaseLease(tx, tenantId, mailboxId, owner, { state: 'error', failures, retryAfterSeconds: backoffSeconds(failures) });
    });
    deps.log.warn({ err, tenantId, mailboxId }, 'mailbox fetch failed');
    return { status: 'error', error: message };
  }
}

export const FETCH_JOB = 'mail.fetch';
export const SCHEDULE_JOB = 'mail.fetch-due';

/** Queues a fetch of every due mailbox (one job per mailbox; the lease keeps it to one worker). */
export async function scheduleDueMailboxes(deps: Deps): Promise<number> {
  const due = await deps.database.system(({ tx }) => repo.dueMailboxes(tx));
  await deps.jobs.sendMany(
    FETCH_JOB,
    due.map((m) => ({ data: { tenantId: m.tenantId, mailboxId: m.id }, singletonKey: `${m.tenantId}:${m.id}` })),
  );
  return due.length;
}

export function mailConnectJobs(deps: Deps): JobDefinition[] {
  const watchMs = deps.config.mailIdleSeconds * 1000;
  return [
    {
      name: SCHEDULE_JOB,
      cron: '* * * * *',
      retryLimit: 0,
      expireInSeconds: 120,
      handler: async () => {
        await scheduleDueMailboxes(deps);
      },
    },
    {
      name: FETCH_JOB,
      // A failed fetch is recorded on the mailbox with its own backoff; the schedule tries again.
      retryLimit: 0,
      // One job per mailbox queued or running (the lease guards across processes too); several
      // mailboxes at once, each session mostly waiting on its server.
      policy: 'stately',
      concurrency: 4,
      expireInSeconds: Math.ceil(watchMs / 1000) + LEASE_SLACK_SECONDS,
      handler: async (data: unknown) => {
        const { tenantId, mailboxId } = data as { tenantId: number; mailboxId: number };
        if (!Number.isInteger(tenantId) || !Number.isInteger(mailboxId)) return;
        await fetchMailbox(deps, tenantId, mailboxId, { watchMs });
      },
    },
  ];
}
