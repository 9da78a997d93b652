// Costs and reports (SPEC §12, API.md "Costs and reports"): the use cases behind the report routes.
// Each report is one grouped query over the period's rows (see costs.queries.ts, desk.queries.ts)
// in the caller's company, read in one tenant transaction; money stays numeric until the answer.
import type {
  CostLine,
  CostLinesQuery,
  CostReport,
  CostReportQuery,
  ReliabilityQuery,
  ReliabilityReport,
  TicketReport,
  TicketReportQuery,
  TicketReportRow,
} from '../../../shared/contracts/reports.js';
import { z } from 'zod';
import { COST_SOURCES, NONE_KEY } from '../../../shared/contracts/reports.js';
import { addDays, dayRange, isDateOnly, todayIn } from '../../../shared/time/index.js';
import { type Ctx, requireUser } from '../../platform/context.js';
import type { Tx } from '../../platform/db.js';
import { invalid } from '../../platform/errors.js';
import { currencyOf } from '../settings/settings.service.js';
import { decodeCursor, encodeCursor } from '../http.js';
import * as costs from './costs.queries.js';
import * as desk from './desk.queries.js';

/** The longest period a report reads at once. */
export const MAX_PERIOD_DAYS = 3700;

export interface ResolvedPeriod {
  from: string;
  to: string;
  start: Date;
  end: Date;
  zone: string;
}

/** `from`/`to` (days in the company zone, `to` inclusive) as instants; defaults: 1 January this year to today. */
export function resolvePeriod(zone: string, from: string | undefined, to: string | undefined, now = new Date()): ResolvedPeriod {
  const today = todayIn(zone, now);
  const t = to ?? today;
  const f = from ?? `${t.slice(0, 4)}-01-01`;
  if (!isDateOnly(f) || !isDateOnly(t)) throw invalid({ from: 'must be a date like 2026-03-31' });
  if (f > t) throw invalid({ from: 'must not be after to' });
  if (addDays(f, MAX_PERIOD_DAYS) < t) throw invalid({ to: `a report covers at most ${MAX_PERIOD_DAYS} days` });
  return { from: f, to: t, start: dayRange(f, zone).start, end: dayRange(t, zone).end, zone };
}

const num = (v: string | number | null | undefined) => (v === null || v === undefined ? 0 : Number(v));
const avg = (v: string | null) => (v === null ? null : Math.round(Number(v) * 10) / 10);

interface LocationParent {
  id: number;
  name: string;
  path: string;
  parentId: number | null;
}

async function parentOf(
  tx: Tx,
  actor: { tenantId: number },
  q: Pick<CostReportQuery, 'groupBy' | 'parentId'>,
): Promise<LocationParent | null> {
  if (q.groupBy !== 'location' || !q.parentId) return null;
  const node = await costs.locationNode(tx, actor.tenantId, Number(q.parentId));
  if (!node) throw invalid({ parentId: 'no such location' });
  return node;
}

/** Every month key (YYYY-MM) of a period, so a chart by month has no gaps. */
function monthsOf(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.slice(0, 7).split('-').map(Number);
  const last = to.slice(0, 7);
  for (;;) {
    const key = `${y}-${String(m).padStart(2, '0')}`;
    out.push(key);
    if (key >= last) return out;
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
}

const NONE_LABEL: Record<string, string> = {
  department: 'No department',
  costCode: 'No cost code',
  asset: 'No asset',
  location: 'No location',
  technician: 'Nobody',
  category: 'No category',
  status: 'None',
  priority: 'None',
  week: 'None',
};

/** Where a report runs: the company's transaction and zone (a request's, or a schedule's). */
export interface ReportScope {
  tx: Tx;
  tenantId: number;
  zone: string;
}

const inCompany = <T>(ctx: Ctx, run: (s: ReportScope) => Promise<T>): Promise<T> => {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, ({ tx }) =>
    run({ tx, tenantId: actor.tenantId, zone: actor.profile.companyTimezone }),
  );
};

export const costReport = (ctx: Ctx, q: CostReportQuery) => inCompany(ctx, (s) => costReportIn(s, q));
export const ticketReport = (ctx: Ctx, q: TicketReportQuery) => inCompany(ctx, (s) => ticketReportIn(s, q));
export const reliabilityReport = (ctx: Ctx, q: ReliabilityQuery) => inCompany(ctx, (s) => reliabilityReportIn(s, q));

export async function costReportIn(s: ReportScope, q: CostReportQuery): Promise<CostReport> {
  const period = resolvePeriod(s.zone, q.from, q.to);
  const actor = { tenantId: s.tenantId };
  const tx = s.tx;
  const parent = await parentOf(tx, actor, q);
  const scope: costs.CostScope = {
    tenantId: actor.tenantId,
    start: period.start,
    end: period.end,
    zone: period.zone,
    purchases: q.purchases,
  };
  // Every grouping from the maintained aggregate (by asset too: its lines' shares, migration 0039);
  // the drill-down and exports read the lines (costLines).
  const sums = await costs.costSumsFromAggregate(tx, { ...scope, from: period.from, to: period.to }, q.groupBy, parent);
  const totalRow = sums.find((r) => r.key === null);
  const keyed = sums.filter((r) => r.key !== null) as Array<costs.CostSums & { key: string }>;
  const ids = keyed.map((r) => Number(r.key)).filter((n) => Number.isInteger(n) && n > 0);
  const labels =
    q.groupBy === 'month' || q.groupBy === 'costCode'
      ? new Map<string, string>()
      : await costs.labelsOf(tx, actor.tenantId, q.groupBy, ids);
  const withChildren = q.groupBy === 'location' ? await costs.locationsWithChildren(tx, actor.tenantId, ids) : new Set<number>();
  const row = (r: costs.CostSums & { key: string }) => ({
    key: r.key,
    label:
      r.key === NONE_KEY
        ? NONE_LABEL[q.groupBy]
        : parent && r.key === String(parent.id)
          ? `${parent.name} (itself)`
          : (labels.get(r.key) ?? r.key),
    labour: num(r.labour),
    parts: num(r.parts),
    purchases: num(r.purchases),
    total: num(r.total),
    ...(q.groupBy === 'location' && r.key !== NONE_KEY && !(parent && r.key === String(parent.id))
      ? { hasChildren: withChildren.has(Number(r.key)) }
      : {}),
  });
  let rows = keyed.map(row);
  if (q.groupBy === 'month') {
    const byKey = new Map(rows.map((r) => [r.key, r]));
    rows = monthsOf(period.from, period.to).map((m) => byKey.get(m) ?? { key: m, label: m, labour: 0, parts: 0, purchases: 0, total: 0 });
  } else {
    rows.sort((a, b) => b.total - a.total || a.label.localeCompare(b.label));
  }
  return {
    rows,
    totals: {
      labour: num(totalRow?.labour),
      parts: num(totalRow?.parts),
      purchases: num(totalRow?.purchases),
      total: num(totalRow?.total),
    },
    currency: await currencyOf(tx, actor.tenantId),
    from: period.from,
    to: period.to,
    groupBy: q.groupBy,
    purchases: q.purchases,
    parent: parent ? { id: String(parent.id), name: parent.name, parentId: parent.parentId ? String(parent.parentId) : null } : null,
  };
}

const toLine = (r: costs.CostLineRow): CostLine => ({
  source: r.source,
  id: String(r.id),
  at: r.at.toISOString(),
  amount: num(r.amount),
  description: r.description,
  quantity: r.quantity === null ? null : Number(r.quantity),
  ticketNumber: r.ticket_number === null ? null : Number(r.ticket_number),
  purchaseOrder: r.po_id ? { id: String(r.po_id), number: r.po_number } : null,
  person: r.person,
});

type LineCursor = [string, string, string];
/** (at, source, id) of the last line shown: the shared keyset cursor of the lists. */
const LINE_CURSOR = z.tuple([z.iso.datetime(), z.enum(COST_SOURCES), z.string().regex(/^\d{1,19}$/)]);
const encodeLineCursor = (r: costs.CostLineRow) => encodeCursor([r.at.toISOString(), r.source, String(r.id)]);
const decodeLineCursor = (cursor: string | undefined): LineCursor | null => decodeCursor(cursor, LINE_CURSOR);

/** The lines behind a cost row (or every line of the period), newest first, page by page. */
export interface CostLineBatches {
  period: ResolvedPeriod;
  pages: AsyncGenerator<CostLine[]>;
}

export function costLineBatches(ctx: Ctx, q: CostLinesQuery, batchSize = 1000): CostLineBatches {
  const actor = requireUser(ctx);
  const period = resolvePeriod(actor.profile.companyTimezone, q.from, q.to);
  async function* pages(): AsyncGenerator<CostLine[]> {
    // Labour, then parts, then purchases, each newest first: every page reads one source's date index
    // from its cursor, so the export's cost grows with its rows, not with rows × pages.
    for (const source of COST_SOURCES) {
      let after: LineCursor | null = null;
      for (;;) {
        // One short transaction per batch: a large export never holds a transaction or all rows.
        const rows = await ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
          const parent = await parentOf(tx, actor, q);
          const scope: costs.CostScope = { tenantId: actor.tenantId, start: period.start, end: period.end, zone: period.zone, purchases: q.purchases };
          return costs.costLines(tx, scope, q.groupBy, parent, q.key, batchSize, after, source);
        });
        if (rows.length) yield rows.map(toLine);
        if (rows.length < batchSize) break;
        const last = rows[rows.length - 1];
        after = [last.at.toISOString(), last.source, String(last.id)];
      }
    }
  }
  return { period, pages: pages() };
}

export async function costLinePage(ctx: Ctx, q: CostLinesQuery): Promise<{ items: CostLine[]; nextCursor: string | null }> {
  const actor = requireUser(ctx);
  const period = resolvePeriod(actor.profile.companyTimezone, q.from, q.to);
  const limit = q.limit;
  const rows = await ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    const parent = await parentOf(tx, actor, q);
    const scope: costs.CostScope = {
      tenantId: actor.tenantId,
      start: period.start,
      end: period.end,
      zone: period.zone,
      purchases: q.purchases,
    };
    return costs.costLines(tx, scope, q.groupBy, parent, q.key, limit + 1, decodeLineCursor(q.cursor));
  });
  const more = rows.length > limit;
  const shown = more ? rows.slice(0, limit) : rows;
  return { items: shown.map(toLine), nextCursor: more ? encodeLineCursor(shown[shown.length - 1]) : null };
}

const PRIORITY_ORDER = ['urgent', 'high', 'medium', 'low'];
const STATUS_LABEL: Record<string, string> = {
  new: 'New',
  pending_approval: 'Pending approval',
  open: 'Open',
  in_progress: 'In progress',
  on_hold: 'On hold',
  resolved: 'Resolved',
  closed: 'Closed',
  rejected: 'Rejected',
};

export async function ticketReportIn(s: ReportScope, q: TicketReportQuery): Promise<TicketReport> {
  const period = resolvePeriod(s.zone, q.from, q.to);
  const actor = { tenantId: s.tenantId };
  const tx = s.tx;
  const sums = await desk.ticketSums(tx, { tenantId: actor.tenantId, ...period }, q.groupBy, desk.slaReportSource(actor.tenantId));
  const figures = (r: desk.TicketSums) => ({
    count: num(r.count),
    open: num(r.open),
    backlogAgeDaysAvg: avg(r.backlog_age_days),
    firstResponseMinutesAvg: avg(r.first_response_minutes),
    resolutionMinutesAvg: avg(r.resolution_minutes),
    slaMet: num(r.sla_met),
    slaBreached: num(r.sla_breached),
  });
  const keyed = sums.filter((r) => r.key !== null) as Array<desk.TicketSums & { key: string }>;
  const ids = keyed.map((r) => Number(r.key)).filter((n) => Number.isInteger(n) && n > 0);
  const labels =
    q.groupBy === 'category' || q.groupBy === 'technician'
      ? await costs.labelsOf(tx, actor.tenantId, q.groupBy, ids)
      : new Map<string, string>();
  const label = (key: string) =>
    key === NONE_KEY
      ? q.groupBy === 'technician'
        ? 'Unassigned'
        : NONE_LABEL[q.groupBy]
      : q.groupBy === 'status'
        ? (STATUS_LABEL[key] ?? key)
        : q.groupBy === 'priority'
          ? key[0].toUpperCase() + key.slice(1)
          : q.groupBy === 'week'
            ? `Week of ${key}`
            : (labels.get(key) ?? key);
  const rows: TicketReportRow[] = keyed.map((r) => ({ key: r.key, label: label(r.key), ...figures(r) }));
  const order = q.groupBy === 'status' ? Object.keys(STATUS_LABEL) : q.groupBy === 'priority' ? PRIORITY_ORDER : null;
  if (order) rows.sort((a, b) => order.indexOf(a.key) - order.indexOf(b.key));
  else if (q.groupBy === 'week') rows.sort((a, b) => a.key.localeCompare(b.key));
  else rows.sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
  const total = sums.find((r) => r.key === null);
  return {
    rows,
    totals: total
      ? figures(total)
      : {
          count: 0,
          open: 0,
          backlogAgeDaysAvg: null,
          firstResponseMinutesAvg: null,
          resolutionMinutesAvg: null,
          slaMet: 0,
          slaBreached: 0,
        },
    from: period.from,
    to: period.to,
    groupBy: q.groupBy,
  };
}

const hours = (minutes: number) => Math.round((minutes / 60) * 100) / 100;

export async function reliabilityReportIn(s: ReportScope, q: ReliabilityQuery): Promise<ReliabilityReport> {
  const period = resolvePeriod(s.zone, q.from, q.to);
  const actor = { tenantId: s.tenantId };
  const tx = s.tx;
  // Hours the period has had so far: a period that ends in the future counts up to now.
  const now = Date.now();
  const periodMinutes = Math.max(0, (Math.min(period.end.getTime(), now) - period.start.getTime()) / 60_000);
  {
    const rows = await desk.assetReliability(tx, { tenantId: actor.tenantId, ...period }, q.categoryId ? Number(q.categoryId) : null);
    const figures = (downtime: number, failures: number, assets: number) => ({
      downtimeMinutes: Math.round(downtime),
      failures,
      mtbfHours: failures ? hours((periodMinutes * assets - downtime) / failures) : null,
      mttrHours: failures ? hours(downtime / failures) : null,
    });
    const perAsset = rows.map((r) => ({
      assetId: r.asset_id,
      tag: r.tag,
      name: r.name,
      category: r.category_name ? { id: r.category_id, name: r.category_name } : null,
      ...figures(num(r.downtime_minutes), num(r.failures), 1),
    }));
    perAsset.sort((a, b) => b.downtimeMinutes - a.downtimeMinutes || b.failures - a.failures || a.tag.localeCompare(b.tag));
    const byCategory = new Map<string, { label: string; downtime: number; failures: number }>();
    for (const r of rows) {
      const c = byCategory.get(r.category_id) ?? { label: r.category_name ?? '?', downtime: 0, failures: 0 };
      c.downtime += num(r.downtime_minutes);
      c.failures += num(r.failures);
      byCategory.set(r.category_id, c);
    }
    const counts = await desk.assetsPerCategory(tx, actor.tenantId, [...byCategory.keys()].map(Number));
    const categories = [...byCategory.entries()]
      .map(([id, c]) => ({
        categoryId: id,
        label: c.label,
        assets: counts.get(id) ?? 0,
        ...figures(c.downtime, c.failures, counts.get(id) ?? 1),
      }))
      .sort((a, b) => b.downtimeMinutes - a.downtimeMinutes || a.label.localeCompare(b.label));
    return { rows: perAsset, categories, from: period.from, to: period.to };
  }
}

/**
 * The cost aggregate around a restore: paused while the restore deletes and writes the company's rows
 * (in whatever order the archive has them), then rebuilt from the restored lines in the same
 * transaction. cost_daily is derived, so the archive leaves it out (backup.tables.ts).
 */
export const pauseCostAggregate = (tx: Tx) => costs.pauseCostAggregate(tx);
export async function rebuildCostAggregate(tx: Tx, tenantId: number): Promise<number> {
  await costs.resumeCostAggregate(tx);
  return costs.rebuildCostAggregate(tx, tenantId);
}

/**
 * `steward rebuild-costs`: each company's cost aggregate from its lines, one transaction a company
 * (writers of that company wait on its rows meanwhile). Not needed in normal operation (the triggers
 * keep it, a zone change rebuilds by trigger); for repairs and after bulk loads with triggers off.
 */
export async function rebuildCosts(deps: Pick<Ctx['deps'], 'database'>, slug?: string): Promise<Array<{ slug: string; rows: number }>> {
  const list = await deps.database.system(({ tx }) => costs.companiesToRebuild(tx, slug));
  const out: Array<{ slug: string; rows: number }> = [];
  for (const c of list) out.push({ slug: c.slug, rows: await deps.database.withTenant(c.id, ({ tx }) => costs.rebuildCostAggregate(tx, c.id)) });
  return out;
}
