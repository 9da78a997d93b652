// The SQL of webhooks: endpoints, the delivery outbox (insert in the domain transaction, claim,
// record), the delivery log pages and the sweep of due deliveries.
import { and, arrayContains, desc, eq, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import { webhookDeliveries, webhooks } from '../../db/schema/index.js';
import type { WebhookDeliveryStatus } from '../../db/schema/webhooks.js';
import type { Tx } from '../../platform/db.js';

export type WebhookRow = typeof webhooks.$inferSelect;
export type DeliveryRow = typeof webhookDeliveries.$inferSelect;

export interface LastDelivery {
  status: WebhookDeliveryStatus;
  at: Date;
  responseStatus: number | null;
}

export async function webhooksPage(tx: Tx, tenantId: number, after: number | null, limit: number) {
  return tx
    .select()
    .from(webhooks)
    .where(and(eq(webhooks.tenantId, tenantId), after === null ? undefined : lt(webhooks.id, after)))
    .orderBy(desc(webhooks.id))
    .limit(limit);
}

/** The latest delivery of each of these webhooks (one index probe per webhook). */
export async function lastDeliveries(tx: Tx, tenantId: number, ids: number[]): Promise<Map<number, LastDelivery>> {
  if (ids.length === 0) return new Map();
  type Row = { webhook_id: string; status: WebhookDeliveryStatus; created_at: string; response_status: number | null };
  const rows = (await tx.execute(sql`
    select w.id as webhook_id, d.status, d.created_at, d.response_status
    from unnest(${sql.raw(`array[${ids.map(Number).join(',')}]::bigint[]`)}) as w(id)
    cross join lateral (
      select status, created_at, response_status from webhook_deliveries
      where tenant_id = ${tenantId} and webhook_id = w.id order by id desc limit 1
    ) d`)) as unknown as { rows: Row[] };
  return new Map(
    rows.rows.map((r) => [Number(r.webhook_id), { status: r.status, at: new Date(r.created_at), responseStatus: r.response_status }]),
  );
}

export async function findWebhook(tx: Tx, tenantId: number, id: number, lock = false): Promise<WebhookRow | null> {
  const q = tx
    .select()
    .from(webhooks)
    .where(and(eq(webhooks.tenantId, tenantId), eq(webhooks.id, id)));
  const [row] = lock ? await q.for('update') : await q;
  return row ?? null;
}

export async function insertWebhook(tx: Tx, values: typeof webhooks.$inferInsert): Promise<WebhookRow> {
  const [row] = await tx.insert(webhooks).values(values).returning();
  return row;
}

export async function updateWebhook(tx: Tx, tenantId: number, id: number, set: Partial<typeof webhooks.$inferInsert>): Promise<WebhookRow> {
  const [row] = await tx
    .update(webhooks)
    .set({ ...set, updatedAt: sql`now()` })
    .where(and(eq(webhooks.tenantId, tenantId), eq(webhooks.id, id)))
    .returning();
  return row;
}

export async function deleteWebhook(tx: Tx, tenantId: number, id: number): Promise<void> {
  await tx.delete(webhooks).where(and(eq(webhooks.tenantId, tenantId), eq(webhooks.id, id)));
}

/** The company's active webhooks (id and events): the emitter's one query per event without a cache. */
export async function activeHooks(tx: Tx, tenantId: number): Promise<Array<{ id: number; events: string[] }>> {
  return tx
    .select({ id: webhooks.id, events: webhooks.events })
    .from(webhooks)
    .where(and(eq(webhooks.tenantId, tenantId), eq(webhooks.active, true)));
}

/** Active webhooks subscribed to one event. */
export async function subscribedHooks(tx: Tx, tenantId: number, event: string): Promise<number[]> {
  const rows = await tx
    .select({ id: webhooks.id })
    .from(webhooks)
    .where(and(eq(webhooks.tenantId, tenantId), eq(webhooks.active, true), arrayContains(webhooks.events, [event])));
  return rows.map((r) => r.id);
}

export async function insertDeliveries(
  tx: Tx,
  rows: Array<{ tenantId: number; webhookId: number; event: string; messageId: string; payload: string }>,
): Promise<number[]> {
  if (rows.length === 0) return [];
  const out = await tx.insert(webhookDeliveries).values(rows).returning({ id: webhookDeliveries.id });
  return out.map((r) => r.id);
}

export async function deliveriesPage(
  tx: Tx,
  tenantId: number,
  webhookId: number,
  status: WebhookDeliveryStatus | undefined,
  after: number | null,
  limit: number,
): Promise<DeliveryRow[]> {
  return tx
    .select()
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.tenantId, tenantId),
        eq(webhookDeliveries.webhookId, webhookId),
        status ? eq(webhookDeliveries.status, status) : undefined,
        after === null ? undefined : lt(webhookDeliveries.id, after),
      ),
    )
    .orderBy(desc(webhookDeliveries.id))
    .limit(limit);
}

export async function findDelivery(tx: Tx, tenantId: number, webhookId: number, id: number): Promise<DeliveryRow | null> {
  const [row] = await tx
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.tenantId, tenantId), eq(webhookDeliveries.webhookId, webhookId), eq(webhookDeliveries.id, id)));
  return row ?? null;
}

/** A manual retry: due now, counted afresh from now for the 24 h window. */
export async function requeueDelivery(tx: Tx, tenantId: number, id: number): Promise<DeliveryRow> {
  const [row] = await tx
    .update(webhookDeliveries)
    .set({ status: 'pending', nextAttemptAt: sql`now()`, claimedUntil: null })
    .where(and(eq(webhookDeliveries.tenantId, tenantId), eq(webhookDeliveries.id, id)))
    .returning();
  return row;
}

/**
 * Takes a delivery for one attempt (counted now, so a delivery that kills its worker is not retried
 * for ever): pending or retrying, due, nobody holding a live claim. Returns it with its webhook.
 */
export async function claimDelivery(tx: Tx, tenantId: number, id: number, claimSeconds: number) {
  const [row] = await tx
    .update(webhookDeliveries)
    .set({ attempts: sql`${webhookDeliveries.attempts} + 1`, claimedUntil: sql`now() + make_interval(secs => ${claimSeconds})` })
    .where(
      and(
        eq(webhookDeliveries.tenantId, tenantId),
        eq(webhookDeliveries.id, id),
        inArray(webhookDeliveries.status, ['pending', 'retrying']),
        lte(webhookDeliveries.nextAttemptAt, sql`now()`),
        or(isNull(webhookDeliveries.claimedUntil), lt(webhookDeliveries.claimedUntil, sql`now()`)),
      ),
    )
    .returning();
  if (!row) return null;
  const hook = await findWebhook(tx, tenantId, row.webhookId);
  return hook ? { delivery: row, hook } : null;
}

/** The outcome of an attempt; `retryInSeconds` null for delivered or failed. */
export async function recordAttempt(
  tx: Tx,
  tenantId: number,
  id: number,
  attempts: number,
  outcome: {
    status: WebhookDeliveryStatus;
    responseStatus: number | null;
    responseBody: string | null;
    error: string | null;
    retryInSeconds: number | null;
  },
): Promise<void> {
  await tx
    .update(webhookDeliveries)
    .set({
      status: outcome.status,
      responseStatus: outcome.responseStatus,
      responseBody: outcome.responseBody,
      lastError: outcome.error,
      claimedUntil: null,
      nextAttemptAt: outcome.retryInSeconds === null ? null : sql`now() + make_interval(secs => ${outcome.retryInSeconds})`,
      deliveredAt: outcome.status === 'delivered' ? sql`now()` : null,
    })
    .where(and(eq(webhookDeliveries.tenantId, tenantId), eq(webhookDeliveries.id, id), eq(webhookDeliveries.attempts, attempts)));
}

/** Age of a delivery in seconds (the retry window is counted from its creation, or from a manual retry). */
export async function deliveryAgeSeconds(tx: Tx, tenantId: number, id: number): Promise<number> {
  const rows = (await tx.execute(
    sql`select extract(epoch from now() - created_at)::float8 as age from webhook_deliveries where tenant_id = ${tenantId} and id = ${id}`,
  )) as unknown as { rows: Array<{ age: number }> };
  return Number(rows.rows[0]?.age ?? 0);
}

/** Due deliveries of every company (an owner read on the partial index), oldest due first. */
export async function dueDeliveries(tx: Tx, graceSeconds: number, limit: number): Promise<Array<{ tenantId: number; id: number }>> {
  return tx
    .select({ tenantId: webhookDeliveries.tenantId, id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(
      and(
        sql`${webhookDeliveries.status} in ('pending', 'retrying')`,
        lte(webhookDeliveries.nextAttemptAt, sql`now() - make_interval(secs => ${graceSeconds})`),
        or(isNull(webhookDeliveries.claimedUntil), lt(webhookDeliveries.claimedUntil, sql`now()`)),
      ),
    )
    .orderBy(webhookDeliveries.nextAttemptAt)
    .limit(limit);
}
