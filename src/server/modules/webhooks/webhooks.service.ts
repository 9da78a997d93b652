// Outgoing webhooks (API.md "Data and integrations", Standard Webhooks): a company's endpoints
// with their signing secrets (shown once, sealed at rest, rotatable with an overlap in which both
// signatures are sent), the outbox the domain services write to (emitWebhookEvent, inside their
// transaction), and the delivery job that sends after commit, retries with a doubling backoff for
// 24 h and logs each attempt's answer.
import { randomBytes } from 'node:crypto';
import { Webhook as Signer } from 'standardwebhooks';
import { z } from 'zod';
import type { WebhookDeliveryStatus, WebhookEvent } from '../../../shared/contracts/enums.js';
import type { Webhook, WebhookBody, WebhookDelivery, WebhookPatch } from '../../../shared/contracts/webhooks.js';
import { writeAudit } from '../../platform/audit.js';
import type { Ctx, Deps } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import { decryptSecret, encryptSecret } from '../../platform/crypto.js';
import type { Scope } from '../../platform/db.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { JobDefinition } from '../../platform/jobs.js';
import { cutPage, decodeCursor, iso } from '../http.js';
import { checkUrl, postJson } from './webhooks.net.js';
import * as repo from './webhooks.repo.js';

export type { WebhookEvent };

/** After a rotation the previous secret still signs for this long. */
export const ROTATION_SECONDS = 24 * 3600;
/** Retries stop this long after the event: the delivery is failed. */
export const RETRY_WINDOW_SECONDS = 24 * 3600;
const CLAIM_SECONDS = 60;
const SWEEP_BATCH = 500;
/** The sweep leaves alone rows that came due only just now: their own job is about to run. */
const SWEEP_GRACE_SECONDS = 30;
export const DELIVER_JOB = 'webhooks.deliver';

const keyOf = (deps: Deps) => deps.config.sessionSecret || 'steward-development-secret';
const newSecret = () => `whsec_${randomBytes(24).toString('base64')}`;
const newMessageId = () => `msg_${randomBytes(16).toString('hex')}`;

// Answers -----------------------------------------------------------------------------------------

function toWebhook(row: repo.WebhookRow, last: repo.LastDelivery | undefined): Webhook {
  const rotating = row.previousSecretUntil && row.previousSecretUntil.getTime() > Date.now() ? row.previousSecretUntil : null;
  return {
    id: String(row.id),
    url: row.url,
    events: row.events,
    active: row.active,
    previousSecretUntil: iso(rotating),
    lastDelivery: last ? { status: last.status, at: last.at.toISOString(), responseStatus: last.responseStatus } : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function toDelivery(row: repo.DeliveryRow): WebhookDelivery {
  return {
    id: String(row.id),
    event: row.event,
    status: row.status,
    attempts: row.attempts,
    responseStatus: row.responseStatus,
    responseBody: row.responseBody,
    error: row.lastError,
    nextAttemptAt: row.status === 'pending' || row.status === 'retrying' ? iso(row.nextAttemptAt) : null,
    deliveredAt: iso(row.deliveredAt),
    at: row.createdAt.toISOString(),
  };
}

async function allowedUrl(deps: Deps, url: string): Promise<void> {
  const verdict = await checkUrl(url, deps.config.webhookAllowPrivate);
  if (!verdict.ok)
    throw new AppError('url_not_allowed', `This address is not allowed: ${verdict.reason}`, { fields: { url: verdict.reason } });
}

async function mustFind(scope: Scope, tenantId: number, id: number, lock = false): Promise<repo.WebhookRow> {
  const row = await repo.findWebhook(scope.tx, tenantId, id, lock);
  if (!row) throw notFound('Webhook');
  return row;
}

async function answer(scope: Scope, row: repo.WebhookRow): Promise<Webhook> {
  return toWebhook(row, (await repo.lastDeliveries(scope.tx, row.tenantId, [row.id])).get(row.id));
}

// Endpoints ---------------------------------------------------------------------------------------

const idCursor = z.tuple([z.number().int()]);

export async function listWebhooks(ctx: Ctx, q: { limit: number; cursor?: string }) {
  const actor = requireUser(ctx);
  const after = decodeCursor(q.cursor, idCursor);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const rows = await repo.webhooksPage(scope.tx, actor.tenantId, after?.[0] ?? null, q.limit + 1);
    const { rows: page, nextCursor } = cutPage(rows, q.limit, (r) => [r.id]);
    const last = await repo.lastDeliveries(
      scope.tx,
      actor.tenantId,
      page.map((r) => r.id),
    );
    return { items: page.map((r) => toWebhook(r, last.get(r.id))), nextCursor };
  });
}

export async function getWebhook(ctx: Ctx, id: number): Promise<Webhook> {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => answer(scope, await mustFind(scope, actor.tenantId, id)));
}

export async function createWebhook(ctx: Ctx, body: WebhookBody): Promise<{ webhook: Webhook; secret: string }> {
  const actor = requireUser(ctx);
  // DNS before the transaction: no network I/O while it is open.
  await allowedUrl(ctx.deps, body.url);
  const secret = newSecret();
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const row = await repo.insertWebhook(scope.tx, {
      tenantId: actor.tenantId,
      url: body.url,
      events: [...new Set(body.events)],
      active: body.active ?? true,
      secretEnc: encryptSecret(keyOf(ctx.deps), secret),
    });
    await writeAudit(scope, actor, ctx.info.ip, {
      action: 'webhook.created',
      targetType: 'webhook',
      targetId: String(row.id),
      details: { url: row.url, events: row.events, active: row.active },
    });
    return { webhook: toWebhook(row, undefined), secret };
  });
}

export async function updateWebhook(ctx: Ctx, id: number, patch: WebhookPatch): Promise<Webhook> {
  const actor = requireUser(ctx);
  if (patch.url !== undefined) await allowedUrl(ctx.deps, patch.url);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const before = await mustFind(scope, actor.tenantId, id, true);
    const row = await repo.updateWebhook(scope.tx, actor.tenantId, id, {
      ...(patch.url !== undefined ? { url: patch.url } : {}),
      ...(patch.events !== undefined ? { events: [...new Set(patch.events)] } : {}),
      ...(patch.active !== undefined ? { active: patch.active } : {}),
    });
    await writeAudit(scope, actor, ctx.info.ip, {
      action: 'webhook.updated',
      targetType: 'webhook',
      targetId: String(id),
      details: { before: { url: before.url, events: before.events, active: before.active }, after: patch },
    });
    return answer(scope, row);
  });
}

export async function deleteWebhook(ctx: Ctx, id: number): Promise<void> {
  const actor = requireUser(ctx);
  await ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const row = await mustFind(scope, actor.tenantId, id, true);
    await repo.deleteWebhook(scope.tx, actor.tenantId, id);
    await writeAudit(scope, actor, ctx.info.ip, {
      action: 'webhook.deleted',
      targetType: 'webhook',
      targetId: String(id),
      details: { url: row.url },
    });
  });
}

/** A new secret (shown this once); the old one keeps signing beside it for ROTATION_SECONDS. */
export async function rotateSecret(ctx: Ctx, id: number): Promise<{ webhook: Webhook; secret: string }> {
  const actor = requireUser(ctx);
  const secret = newSecret();
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const before = await mustFind(scope, actor.tenantId, id, true);
    const row = await repo.updateWebhook(scope.tx, actor.tenantId, id, {
      secretEnc: encryptSecret(keyOf(ctx.deps), secret),
      previousSecretEnc: before.secretEnc,
      previousSecretUntil: new Date(Date.now() + ROTATION_SECONDS * 1000),
    });
    await writeAudit(scope, actor, ctx.info.ip, {
      action: 'webhook.secret_rotated',
      targetType: 'webhook',
      targetId: String(id),
      details: { previousValidUntil: row.previousSecretUntil?.toISOString() ?? null },
    });
    return { webhook: await answer(scope, row), secret };
  });
}

// The delivery log ---------------------------------------------------------------------------------

export async function listDeliveries(ctx: Ctx, webhookId: number, q: { limit: number; cursor?: string; status?: WebhookDeliveryStatus }) {
  const actor = requireUser(ctx);
  const after = decodeCursor(q.cursor, idCursor);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    await mustFind(scope, actor.tenantId, webhookId);
    const rows = await repo.deliveriesPage(scope.tx, actor.tenantId, webhookId, q.status, after?.[0] ?? null, q.limit + 1);
    const { rows: page, nextCursor } = cutPage(rows, q.limit, (r) => [r.id]);
    return { items: page.map(toDelivery), nextCursor };
  });
}

/** Sends a delivery again now (any status); its retries go on from there. */
export async function retryDelivery(ctx: Ctx, webhookId: number, deliveryId: number): Promise<{ delivery: WebhookDelivery }> {
  const actor = requireUser(ctx);
  const row = await ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    await mustFind(scope, actor.tenantId, webhookId);
    const found = await repo.findDelivery(scope.tx, actor.tenantId, webhookId, deliveryId);
    if (!found) throw notFound('Delivery');
    const queued = await repo.requeueDelivery(scope.tx, actor.tenantId, deliveryId);
    await writeAudit(scope, actor, ctx.info.ip, {
      action: 'webhook.delivery_retried',
      targetType: 'webhook',
      targetId: String(webhookId),
      details: { deliveryId: String(deliveryId), event: found.event, status: found.status },
    });
    scope.afterCommit(() => queueJobs(ctx.deps, [{ tenantId: actor.tenantId, id: deliveryId }]));
    return queued;
  });
  return { delivery: toDelivery(row) };
}

// Emission (the outbox) ----------------------------------------------------------------------------

let defaultDeps: Deps | null = null;

/** The process's platform, for queueing deliveries after commit (set by the routes and the job list). */
export function registerWebhooks(deps: Deps): void {
  defaultDeps = deps;
}

/**
 * Records an event for the company's active webhooks subscribed to it, in the caller's transaction
 * (so it happens exactly when the change commits), and queues their delivery after commit. One
 * query when nobody subscribes, and `data` (a value or a function building it) is then not built.
 * `data` is the record as the API answers it (no secrets).
 */
/** Delivery attempts of this process since it started, by outcome (for /metrics). */
export const deliveryCounts = { delivered: 0, retrying: 0, failed: 0 };

export async function emitWebhookEvent(
  scope: Scope,
  type: WebhookEvent,
  data: unknown | (() => Promise<unknown>),
  /** The subscribed hooks, when the caller read them earlier in this transaction (one round trip fewer). */
  known?: number[],
): Promise<void> {
  const tenantId = scope.tenantId;
  if (tenantId === null) return;
  const hooks = known ?? (await repo.subscribedHooks(scope.tx, tenantId, type));
  if (hooks.length === 0) return;
  const value = typeof data === 'function' ? await (data as () => Promise<unknown>)() : data;
  const payload = JSON.stringify({ type, timestamp: new Date().toISOString(), data: value });
  const ids = await repo.insertDeliveries(
    scope.tx,
    hooks.map((webhookId) => ({ tenantId, webhookId, event: type, messageId: newMessageId(), payload })),
  );
  const deps = defaultDeps;
  if (deps)
    scope.afterCommit(() =>
      queueJobs(
        deps,
        ids.map((id) => ({ tenantId, id })),
      ),
    );
}

/** emitWebhookEvent for many events of one type at once (one hooks lookup, one insert): a sweep's alerts. */
export async function emitWebhookEvents(scope: Scope, type: WebhookEvent, items: unknown[]): Promise<void> {
  const tenantId = scope.tenantId;
  if (tenantId === null || items.length === 0) return;
  const hooks = await repo.subscribedHooks(scope.tx, tenantId, type);
  if (hooks.length === 0) return;
  const rows = items.flatMap((data) => {
    const payload = JSON.stringify({ type, timestamp: new Date().toISOString(), data });
    return hooks.map((webhookId) => ({ tenantId, webhookId, event: type, messageId: newMessageId(), payload }));
  });
  const ids: number[] = [];
  for (let i = 0; i < rows.length; i += 1000) ids.push(...(await repo.insertDeliveries(scope.tx, rows.slice(i, i + 1000))));
  const deps = defaultDeps;
  if (deps)
    scope.afterCommit(() =>
      queueJobs(
        deps,
        ids.map((id) => ({ tenantId, id })),
      ),
    );
}

async function queueJobs(deps: Deps, rows: Array<{ tenantId: number; id: number }>): Promise<void> {
  try {
    await deps.jobs.sendMany(
      DELIVER_JOB,
      rows.map((r) => ({ data: r, singletonKey: `webhook-${r.tenantId}-${r.id}` })),
    );
  } catch (err) {
    // The sweep queues it once it is due.
    deps.log.debug({ err: String(err) }, 'webhook delivery not queued; the sweep will pick it up');
  }
}

// Delivery -----------------------------------------------------------------------------------------

/** The wait before the next attempt after `attempts` failures: base, then doubling; null once past the window. */
export function retryDelaySeconds(
  attempts: number,
  ageSeconds: number,
  baseSeconds = 30,
  windowSeconds = RETRY_WINDOW_SECONDS,
): number | null {
  const delay = baseSeconds * 2 ** Math.max(0, attempts - 1);
  return ageSeconds + delay > windowSeconds ? null : delay;
}

/** The Standard Webhooks headers; during a rotation both signatures, space-separated. */
export function signatureHeaders(secrets: string[], messageId: string, at: Date, body: string): Record<string, string> {
  const signatures = secrets.map((s) => new Signer(s).sign(messageId, at, body));
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signatures.join(' '),
  };
}

/**
 * One attempt at one delivery: claim (a short transaction), POST outside any transaction, record the
 * answer (another). Returns the status it left the delivery in, or null when it was not due or taken.
 */
export async function deliverOne(deps: Deps, tenantId: number, id: number): Promise<WebhookDeliveryStatus | null> {
  const key = keyOf(deps);
  const claimed = await deps.database.withTenant(tenantId, async (scope) => {
    const c = await repo.claimDelivery(scope.tx, tenantId, id, CLAIM_SECONDS);
    if (!c) return null;
    return { ...c, age: await repo.deliveryAgeSeconds(scope.tx, tenantId, id) };
  });
  if (!claimed) return null;
  const { delivery, hook, age } = claimed;
  let outcome: { ok: boolean; status: number | null; body: string | null; error: string | null };
  if (!hook.active) {
    outcome = { ok: false, status: null, body: null, error: 'the webhook is inactive' };
  } else {
    const secrets = [decryptSecret(key, hook.secretEnc)];
    if (hook.previousSecretEnc && hook.previousSecretUntil && hook.previousSecretUntil.getTime() > Date.now()) {
      secrets.push(decryptSecret(key, hook.previousSecretEnc));
    }
    const usable = secrets.filter((s): s is string => !!s);
    if (usable.length === 0) {
      outcome = { ok: false, status: null, body: null, error: 'the secret cannot be read (SESSION_SECRET changed?)' };
    } else {
      const headers = signatureHeaders(usable, delivery.messageId, new Date(), delivery.payload);
      const r = await postJson(hook.url, delivery.payload, headers, {
        timeoutMs: deps.config.webhookTimeoutMs,
        allowPrivate: deps.config.webhookAllowPrivate,
      });
      outcome = { ok: r.status !== null && r.status >= 200 && r.status < 300, status: r.status, body: r.body, error: r.error };
    }
  }
  const retryIn = outcome.ok || !hook.active ? null : retryDelaySeconds(delivery.attempts, age, deps.config.webhookRetryBaseSeconds);
  const status: WebhookDeliveryStatus = outcome.ok ? 'delivered' : retryIn === null ? 'failed' : 'retrying';
  deliveryCounts[status === 'delivered' ? 'delivered' : status === 'failed' ? 'failed' : 'retrying']++;
  await deps.database.withTenant(tenantId, ({ tx }) =>
    repo.recordAttempt(tx, tenantId, id, delivery.attempts, {
      status,
      responseStatus: outcome.status,
      responseBody: outcome.body,
      error: outcome.error?.slice(0, 500) ?? null,
      retryInSeconds: retryIn,
    }),
  );
  if (!outcome.ok)
    deps.log.info(
      { webhookId: hook.id, deliveryId: id, attempts: delivery.attempts, status: outcome.status, err: outcome.error },
      'webhook delivery failed',
    );
  if (retryIn !== null) {
    await deps.jobs
      .send(DELIVER_JOB, { tenantId, id }, { startAfter: Math.ceil(retryIn) })
      .catch(() => deps.log.debug({ deliveryId: id }, 'webhook retry not queued; the sweep will pick it up'));
  }
  return status;
}

/** Queues deliveries that are due and have no job (a crash between commit and enqueue, a lost retry job, a dead worker's claim). */
export async function sweepDeliveries(deps: Deps): Promise<number> {
  const due = await deps.database.system(({ tx }) => repo.dueDeliveries(tx, SWEEP_GRACE_SECONDS, SWEEP_BATCH));
  if (due.length > 0) await queueJobs(deps, due);
  return due.length;
}

export function webhookJobs(deps: Deps): JobDefinition[] {
  registerWebhooks(deps);
  return [
    {
      name: DELIVER_JOB,
      retryLimit: 0,
      concurrency: 4,
      batchSize: 4,
      expireInSeconds: 120,
      handler: async (data) => {
        const { tenantId, id } = data as { tenantId: number; id: number };
        await deliverOne(deps, tenantId, id);
      },
    },
    { name: 'webhooks.sweep', cron: '* * * * *', retryLimit: 0, handler: async () => void (await sweepDeliveries(deps)) },
  ];
}
