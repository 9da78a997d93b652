// Thresholds per meter (add, list with their state, delete) and the meter alerts list (API.md
// "IoT meters"). The rules themselves run in triggers.ts.
import type { AcknowledgeBody, MeterAlert, MeterAlertQuery, Threshold, ThresholdBody } from '../../../shared/contracts/meter-alerts.js';
import type { ThresholdTemplate } from '../../db/schema/index.js';
import { writeAudit } from '../../platform/audit.js';
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import { decodeCursor, encodeCursor, iso } from '../http.js';
import { checkTemplateRefs } from '../recurring/recurring.service.js';
import * as repo from './alerts.repo.js';
import { z } from 'zod';

/** Thresholds one meter may have. */
export const MAX_THRESHOLDS = 20;

/** Reading thresholds and alerts needs assets.view or meters.manage (like the meter itself). */
function requireReader(ctx: Ctx) {
  const actor = requireUser(ctx);
  if (!actor.permissions.has('assets.view') && !actor.permissions.has('meters.manage'))
    throw new AppError('forbidden', 'You do not have permission to do this', { permission: 'assets.view' });
  return actor;
}

function toThreshold(t: repo.ThresholdRow, ticketNumber: number | null): Threshold {
  return {
    id: String(t.id),
    meterId: String(t.meterId),
    op: t.op,
    value: t.value,
    forSeconds: t.forSeconds,
    action: t.action,
    template: t.template
      ? {
          title: t.template.title,
          priority: t.template.priority,
          assigneeId: t.template.assigneeId ?? null,
          teamId: t.template.teamId ?? null,
          tasks: t.template.tasks ?? [],
        }
      : null,
    state: t.fired ? 'alerting' : t.excursionStartedAt ? 'pending' : 'within',
    excursionStartedAt: iso(t.excursionStartedAt),
    alertId: t.alertId === null ? null : String(t.alertId),
    lastWorkOrder: ticketNumber,
    lastError: t.lastError,
    createdAt: t.createdAt.toISOString(),
  };
}

export async function listThresholds(ctx: Ctx, meterId: number) {
  const actor = requireReader(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    if (!(await repo.meterById(scope.tx, actor.tenantId, meterId))) throw notFound('Meter');
    const rows = await repo.thresholdsOfMeter(scope.tx, actor.tenantId, meterId);
    const numbers = await repo.ticketNumbers(
      scope.tx,
      actor.tenantId,
      rows.map((r) => r.workOrderId).filter((x): x is number => x !== null),
    );
    return { items: rows.map((r) => toThreshold(r, r.workOrderId ? (numbers.get(r.workOrderId) ?? null) : null)) };
  });
}

export async function createThreshold(ctx: Ctx, meterId: number, body: ThresholdBody) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    if (!(await repo.meterById(scope.tx, actor.tenantId, meterId))) throw notFound('Meter');
    if ((await repo.countThresholds(scope.tx, actor.tenantId, meterId)) >= MAX_THRESHOLDS)
      throw new AppError('validation', `A meter has at most ${MAX_THRESHOLDS} thresholds`, { fields: { value: 'too many thresholds' } });
    let template: ThresholdTemplate | null = null;
    if (body.template) {
      template = {
        title: body.template.title,
        priority: body.template.priority,
        assigneeId: body.template.assigneeId ?? null,
        teamId: body.template.teamId ?? null,
        tasks: body.template.tasks ?? [],
      };
      await checkTemplateRefs(scope, actor.tenantId, {
        assigneeId: template.assigneeId ? Number(template.assigneeId) : null,
        teamId: template.teamId ? Number(template.teamId) : null,
      });
    }
    const row = await repo.insertThreshold(scope.tx, {
      tenantId: actor.tenantId,
      meterId,
      op: body.op,
      value: body.value,
      forSeconds: body.forSeconds,
      action: body.action,
      template,
      createdById: actor.userId,
    });
    await writeAudit(scope, actor, ctx.info.ip, {
      action: 'meter_threshold.created',
      targetType: 'meter',
      targetId: String(meterId),
      details: { thresholdId: String(row.id), op: row.op, value: row.value, forSeconds: row.forSeconds, action: row.action },
    });
    return toThreshold(row, null);
  });
}

/** Deletes a threshold; its open alert is closed (the alert stays in the history). */
export async function deleteThreshold(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  await ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const row = await repo.findThreshold(scope.tx, actor.tenantId, id, true);
    if (!row) throw notFound('Threshold');
    if (row.alertId) await repo.closeAlert(scope.tx, actor.tenantId, row.alertId, new Date(), null);
    await repo.deleteThreshold(scope.tx, actor.tenantId, id);
    await writeAudit(scope, actor, ctx.info.ip, {
      action: 'meter_threshold.deleted',
      targetType: 'meter',
      targetId: String(row.meterId),
      details: { thresholdId: String(id), op: row.op, value: row.value },
    });
  });
}

/** Who may acknowledge an alert: holders of meters.manage and the person its asset is assigned to. */
function mayAcknowledge(actor: { userId: number; permissions: ReadonlySet<string> }, r: repo.AlertWithNames): boolean {
  return actor.permissions.has('meters.manage') || (r.assigneeId !== null && r.assigneeId === actor.userId);
}

function toAlert(r: repo.AlertWithNames, actor: { userId: number; permissions: ReadonlySet<string> }): MeterAlert {
  const a = r.a;
  return {
    id: String(a.id),
    kind: a.kind,
    deviceId: String(a.deviceId),
    deviceName: r.deviceName,
    meterId: a.meterId === null ? null : String(a.meterId),
    meterName: r.meterName,
    unit: r.unit,
    thresholdId: a.thresholdId === null ? null : String(a.thresholdId),
    message: a.message,
    value: a.value,
    ticket: r.ticketNumber,
    openedAt: a.openedAt.toISOString(),
    closedAt: iso(a.closedAt),
    closedValue: a.closedValue,
    open: a.closedAt === null,
    acknowledgedAt: iso(a.acknowledgedAt),
    acknowledgedBy:
      a.acknowledgedAt && a.acknowledgedByName !== null
        ? { id: a.acknowledgedById === null ? null : String(a.acknowledgedById), name: a.acknowledgedByName }
        : null,
    acknowledgeNote: a.acknowledgeNote,
    canAcknowledge: a.acknowledgedAt === null && mayAcknowledge(actor, r),
  };
}

/** Alerts newest first (keyset by id), filtered by state, kind, meter or device; with the open count (the badge). */
export async function listAlerts(ctx: Ctx, q: MeterAlertQuery) {
  const actor = requireReader(ctx);
  const before = decodeCursor(q.cursor, z.tuple([z.number().int()]));
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const rows = await repo.alertsPage(
      scope.tx,
      actor.tenantId,
      {
        status: q.status === 'all' ? undefined : q.status,
        kind: q.kind,
        meterId: q.meterId ? Number(q.meterId) : undefined,
        deviceId: q.deviceId ? Number(q.deviceId) : undefined,
        acknowledged: q.acknowledged,
      },
      before?.[0] ?? null,
      q.limit + 1,
    );
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    const counts = await repo.openAlertCounts(scope.tx, actor.tenantId);
    return {
      items: page.map((r) => toAlert(r, actor)),
      nextCursor: rows.length > q.limit && last ? encodeCursor([last.a.id]) : null,
      openCount: counts.open,
      unacknowledgedCount: counts.unacknowledged,
    };
  });
}

/**
 * Acknowledges an alert: someone has seen it and is on it (open or already closed). Allowed to
 * holders of meters.manage and to the person the alert's asset is assigned to (the two who are told
 * of it). The first acknowledgement stays; acknowledging again answers the alert as it is.
 */
export async function acknowledgeAlert(ctx: Ctx, id: number, body: AcknowledgeBody): Promise<MeterAlert> {
  const actor = requireReader(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const found = await repo.findAlert(scope.tx, actor.tenantId, id);
    if (!found) throw notFound('Alert');
    if (!mayAcknowledge(actor, found))
      throw new AppError('forbidden', 'You do not have permission to do this', { permission: 'meters.manage' });
    const note = body.note ? body.note : null;
    // Already acknowledged (the first one stays): the alert as it is.
    if (!(await repo.acknowledgeAlert(scope.tx, actor.tenantId, id, { id: actor.userId, name: actor.name }, note)))
      return toAlert(found, actor);
    await writeAudit(scope, actor, ctx.info.ip, {
      action: 'meter_alert.acknowledged',
      targetType: 'device',
      targetId: String(found.a.deviceId),
      details: { alertId: String(id), kind: found.a.kind, ...(note ? { note } : {}) },
    });
    const now = await repo.findAlert(scope.tx, actor.tenantId, id);
    return toAlert(now ?? found, actor);
  });
}
