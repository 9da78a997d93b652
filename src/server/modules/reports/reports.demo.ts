// Demo data for the reports: labour on the demo tickets over the last six months (technicians at
// their rates, some billable), cost codes, two breakdowns with downtime on a demo asset, a shared
// saved report and a monthly cost report mailed to finance. Deterministic: the same every time.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { reportSchedules, roles, savedReports, ticketAssets, tickets, timeEntries, users } from '../../db/schema/index.js';
import type { Deps } from '../../platform/context.js';
import type { Scope } from '../../platform/db.js';
import { firstOccurrenceFrom } from '../../../shared/time/recurrence.js';

const CODES = ['FAC-100', 'FAC-200', 'IT-300', null] as const;
const RATES = ['45.00', '62.50', '85.00'] as const;

export async function seedDemoReports(scope: Scope, _deps: Deps, tenantId: number): Promise<void> {
  const tx = scope.tx;
  const techs = await tx
    .select({ id: users.id })
    .from(users)
    .innerJoin(roles, and(eq(roles.tenantId, users.tenantId), eq(roles.id, users.roleId)))
    .where(and(eq(users.tenantId, tenantId), inArray(roles.name, ['Technician', 'Manager'])))
    .orderBy(asc(users.id));
  const [admin] = await tx
    .select({ id: users.id, email: users.email })
    .from(users)
    .innerJoin(roles, and(eq(roles.tenantId, users.tenantId), eq(roles.id, users.roleId)))
    .where(and(eq(users.tenantId, tenantId), eq(roles.name, 'Admin')))
    .orderBy(asc(users.id))
    .limit(1);
  const list = await tx
    .select({ id: tickets.id, kind: tickets.kind, createdAt: tickets.createdAt })
    .from(tickets)
    .where(eq(tickets.tenantId, tenantId))
    .orderBy(asc(tickets.id))
    .limit(40);
  if (!techs.length || !list.length) return;

  const now = Date.now();
  const day = 86_400_000;
  const entries: Array<typeof timeEntries.$inferInsert> = [];
  list.forEach((t, i) => {
    const count = 1 + (i % 3);
    for (let k = 0; k < count; k++) {
      // Spread over the last ~180 days, never before the ticket was opened.
      const at = Math.max(t.createdAt.getTime() + 3_600_000, now - ((i * 37 + k * 11) % 180) * day - k * 3_600_000);
      entries.push({
        tenantId,
        ticketId: t.id,
        userId: techs[(i + k) % techs.length].id,
        minutes: 30 + ((i * 7 + k * 13) % 8) * 15,
        billable: (i + k) % 4 === 0,
        rate: RATES[(i + k) % RATES.length],
        note: k === 0 ? 'On site' : 'Follow-up',
        spentOn: new Date(Math.min(at, now - 3_600_000)),
      });
    }
  });
  await tx.insert(timeEntries).values(entries);
  for (const [i, t] of list.entries()) {
    const code = CODES[i % CODES.length];
    if (code)
      await tx
        .update(tickets)
        .set({ costCode: code })
        .where(and(eq(tickets.tenantId, tenantId), eq(tickets.id, t.id)));
  }

  // Two breakdowns of the first asset a work order names: down 4 h 30 min 40 days ago, 2 h last week.
  const [withAsset] = await tx
    .select({ ticketId: ticketAssets.ticketId, assetId: ticketAssets.assetId })
    .from(ticketAssets)
    .innerJoin(tickets, and(eq(tickets.tenantId, ticketAssets.tenantId), eq(tickets.id, ticketAssets.ticketId)))
    .where(and(eq(ticketAssets.tenantId, tenantId), eq(tickets.kind, 'work_order')))
    .orderBy(asc(ticketAssets.ticketId))
    .limit(1);
  if (withAsset) {
    const start = new Date(now - 40 * day);
    await tx
      .update(tickets)
      .set({ failure: true, downtimeStartedAt: start, downtimeEndedAt: new Date(start.getTime() + 270 * 60_000) })
      .where(and(eq(tickets.tenantId, tenantId), eq(tickets.id, withAsset.ticketId)));
    const second = list.find((t) => t.kind === 'work_order' && t.id !== withAsset.ticketId);
    if (second) {
      await tx.insert(ticketAssets).values({ tenantId, ticketId: second.id, assetId: withAsset.assetId }).onConflictDoNothing();
      const s2 = new Date(now - 6 * day);
      await tx
        .update(tickets)
        .set({ failure: true, downtimeStartedAt: s2, downtimeEndedAt: new Date(s2.getTime() + 120 * 60_000) })
        .where(and(eq(tickets.tenantId, tenantId), eq(tickets.id, second.id)));
    }
  }

  if (!admin) return;
  await tx.insert(savedReports).values({
    tenantId,
    name: 'Costs by department, last month',
    report: 'costs',
    params: { groupBy: 'department', period: 'lastMonth' },
    chart: 'bar',
    shared: true,
    ownerId: admin.id,
  });
  const [company] = await tx
    .execute(sql`select timezone from companies where id = ${tenantId}`)
    .then((r) => (r as unknown as { rows: Array<{ timezone: string }> }).rows);
  const zone = company?.timezone ?? 'UTC';
  const rec = { rrule: 'FREQ=MONTHLY;BYMONTHDAY=1', startsOn: '2026-01-01', time: '07:00', timezone: zone };
  await tx.insert(reportSchedules).values({
    tenantId,
    name: 'Monthly costs for finance',
    report: 'costs',
    params: { groupBy: 'department', period: 'lastMonth' },
    ...rec,
    format: 'xlsx',
    recipients: [admin.email],
    active: true,
    nextRunAt: firstOccurrenceFrom(rec, new Date()),
    createdById: admin.id,
  });
}
