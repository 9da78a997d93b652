// Reminders of meter alerts nobody acknowledged (issue 16; ThingsBoard and MaintainX users expect an
// alert that nobody takes on to come back): with the company setting `meterAlertReminderHours`
// (1–168; unset or 0 is off), an alert still open and unacknowledged that long after its opening
// (or its last reminder) notifies the same people again: holders of meters.manage and the assignee
// of its asset. A worker job runs every minute; each alert is claimed and stamped in one statement,
// so several workers, retries or a restart send each reminder once. Acknowledging or closing an
// alert stops them.
import type { Deps } from '../../platform/context.js';
import { notify } from '../notifications/notifications.service.js';
import * as repo from './alerts.repo.js';
import { groupByRecipient } from './triggers.js';

export const MAX_REMINDER_HOURS = 168;
/** Alerts reminded of per company and run (the rest wait a minute). */
const TAKE = 5_000;
/** A recipient told of more than this many alerts in one run gets one summary. */
const DIGEST = 3;

/** The company's reminder period in hours, 0 when off. */
export function meterAlertReminderHours(settings: Record<string, unknown>): number {
  const v = settings.meterAlertReminderHours;
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= MAX_REMINDER_HOURS ? v : 0;
}

const since = (openedAt: Date, now: Date) => {
  const h = Math.floor((now.getTime() - openedAt.getTime()) / 3_600_000);
  return h < 1 ? 'less than an hour' : h === 1 ? '1 hour' : `${h} hours`;
};

/** One run over every company that has reminders on; answers how many alerts were reminded of. */
export async function remindOpenAlerts(deps: Deps, now: Date = new Date()): Promise<number> {
  const companies = await deps.database.system(({ tx }) => repo.companiesWithReminders(tx));
  let reminded = 0;
  for (const { tenantId, hours } of companies) {
    try {
      reminded += await deps.database.withTenant(tenantId, async (scope) => {
        const due = await repo.claimReminders(scope.tx, tenantId, hours, now, TAKE);
        if (due.length === 0) return 0;
        const byRecipient = await groupByRecipient(scope, tenantId, due);
        const notices: Parameters<typeof notify>[3] & unknown[] = [];
        for (const [userId, alerts] of byRecipient) {
          if (alerts.length > DIGEST) {
            const names = alerts.slice(0, 10).map((a) => a.message);
            notices.push({
              event: 'meter.alert',
              recipients: [userId],
              actorId: null,
              ticketNumber: null,
              title: `${alerts.length} meter alerts still open`,
              body: `Nobody has acknowledged these alerts yet: ${names.join('; ')}${alerts.length > names.length ? `; and ${alerts.length - names.length} more` : ''}. Acknowledge them on the Meter alerts page once someone is on it.`,
            });
            continue;
          }
          for (const a of alerts)
            notices.push({
              event: 'meter.alert',
              recipients: [userId],
              actorId: null,
              ticketNumber: null,
              title: `Still open: ${a.message}`,
              body: `This alert has been open for ${since(a.openedAt, now)} and nobody has acknowledged it. Acknowledge it on the Meter alerts page once someone is on it; reminders come every ${hours} h until then.`,
            });
        }
        await notify(scope, deps, tenantId, notices);
        return due.length;
      });
    } catch (err) {
      deps.log.warn({ err, tenantId }, 'meter alert reminders failed for a company');
    }
  }
  return reminded;
}
