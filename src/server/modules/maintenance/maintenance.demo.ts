// Demo recurring work for a fresh install: two recurring tickets (a Monday walk-round with its
// checklist, a monthly server-room check on the second Monday) and three maintenance plans on the
// demo assets: AHU filters every month on a fixed grid (due this week), the forklift service every
// 3 months from completion (its work order already open), and the elevator's yearly inspection.
import { and, eq, inArray } from 'drizzle-orm';
import { assets, teams, users } from '../../db/schema/index.js';
import { addDays, todayIn } from '../../../shared/time/index.js';
import { firstOccurrenceFrom } from '../../../shared/time/recurrence.js';
import type { PlanTrigger } from '../../db/schema/index.js';
import type { Deps } from '../../platform/context.js';
import type { Scope } from '../../platform/db.js';
import { companyTimezone, insertRule } from '../recurring/recurring.repo.js';
import { insertPlan } from './maintenance.repo.js';
import { initialClock, openWorkOrderIn } from './maintenance.service.js';

export async function seedDemoMaintenance(scope: Scope, deps: Deps, tenantId: number, now = new Date()): Promise<void> {
  const quiet: Deps = {
    ...deps,
    mailer: Object.assign(Object.create(deps.mailer) as Deps['mailer'], { queue: async () => 0, queueMany: async () => [] }),
  };
  const { tx } = scope;
  const zone = await companyTimezone(tx, tenantId);
  const today = todayIn(zone, now);
  const [crew] = await tx
    .select({ id: teams.id })
    .from(teams)
    .where(and(eq(teams.tenantId, tenantId), eq(teams.name, 'Facilities crew')));
  const [sven] = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.tenantId, tenantId), eq(users.name, 'Sven Larsen')));
  const tagged = await tx
    .select({ id: assets.id, tag: assets.tag })
    .from(assets)
    .where(and(eq(assets.tenantId, tenantId), inArray(assets.tag, ['AHU-A1', 'FL-02', 'ELV-1'])));
  const asset = (tag: string) => tagged.find((a) => a.tag === tag)?.id;

  const rules = [
    {
      title: 'Weekly building walk-round',
      rrule: 'FREQ=WEEKLY;BYDAY=MO',
      time: '07:30',
      description: 'Walk every floor before opening.',
      tasks: [{ title: 'Emergency exits clear' }, { title: 'Lights and signage' }, { title: 'Leaks or damp' }],
    },
    {
      title: 'Server room check',
      rrule: 'FREQ=MONTHLY;BYDAY=2MO',
      time: '09:00',
      description: 'Temperature, UPS status, door log.',
      tasks: [{ title: 'Read the room temperature' }, { title: 'UPS self-test' }],
    },
  ];
  for (const r of rules) {
    const rec = { rrule: r.rrule, startsOn: today, time: r.time, timezone: zone };
    await insertRule(tx, {
      tenantId,
      title: r.title,
      kind: 'work_order',
      priority: 'medium',
      teamId: crew?.id ?? null,
      description: r.description,
      tasks: r.tasks,
      ...rec,
      active: true,
      nextRunAt: firstOccurrenceFrom(rec, now),
    });
  }

  const plans: Array<{ tag: string; title: string; trigger: PlanTrigger; leadDays: number; tasks: string[]; open?: boolean }> = [
    {
      tag: 'AHU-A1',
      title: 'Replace AHU A1 filters',
      trigger: { type: 'interval', every: 1, unit: 'month', from: 'schedule', startsOn: addDays(today, 3) },
      leadDays: 2,
      tasks: ['Switch the unit off', 'Replace the G4 pre-filters', 'Record the pressure drop'],
    },
    {
      tag: 'FL-02',
      title: 'Forklift FL-02 service',
      trigger: { type: 'interval', every: 3, unit: 'month', from: 'completion', startsOn: today },
      leadDays: 0,
      tasks: ['Check the forks and chains', 'Battery water level', 'Brake test'],
      open: true,
    },
    {
      tag: 'ELV-1',
      title: 'Elevator 1 annual inspection',
      trigger: { type: 'interval', every: 12, unit: 'month', from: 'schedule', startsOn: addDays(today, 45) },
      leadDays: 14,
      tasks: ['Book the inspector', 'Safety gear test', 'File the certificate'],
    },
  ];
  for (const p of plans) {
    const assetId = asset(p.tag);
    if (!assetId) continue;
    const plan = await insertPlan(tx, {
      tenantId,
      assetId,
      title: p.title,
      triggerType: p.trigger.type,
      trigger: p.trigger,
      leadDays: p.leadDays,
      template: {
        priority: 'medium',
        assigneeId: sven ? String(sven.id) : null,
        teamId: crew ? String(crew.id) : null,
        description: '',
        tasks: p.tasks.map((title) => ({ title })),
        parts: [],
      },
      active: true,
      ...initialClock(p.trigger, p.leadDays, zone, now),
    });
    // Quietly: no e-mail to the fictional demo people (in-app notifications stay, as for the other demo tickets).
    if (p.open && plan.nextDueAt) await openWorkOrderIn(scope, quiet, plan, plan.nextDueAt, now, false);
  }
}
