// The report-schedule runner. A pass scans due schedules across companies, then runs each in its own
// company transaction: claim it (FOR UPDATE SKIP LOCKED, still due), insert the run row of the
// occurrence (unique per schedule and occurrence: a second worker or a retry inserts nothing), render
// the report as its creator, queue the mail to every recipient in the outbox, and move the schedule
// to its next occurrence — all committed together, so a crash, a retry or a second worker never mails
// twice nor loses a run. Occurrences missed while no worker ran are not mailed one by one: the latest
// runs, and the run says how many it stood in for. A report that cannot be made (the creator lost the
// permission, a bad parameter) is a failed run with its reason, and the schedule moves on.
import type { Readable } from 'node:stream';
import type { CostReportQuery, ReliabilityQuery, ReportParams, TicketReportQuery } from '../../../shared/contracts/reports.js';
import { nextOccurrence, occurrencesBetween } from '../../../shared/time/recurrence.js';
import type { Deps } from '../../platform/context.js';
import { newToken, sha256 } from '../../platform/crypto.js';
import type { Scope } from '../../platform/db.js';
import type { MailMessage } from '../../platform/mail.js';
import { companyBasics, publicUrlOf } from '../settings/settings.service.js';
import { relativePeriod } from './periods.js';
import { costFile, reliabilityFile, ticketFile } from './reports.exports.js';
import { costReportIn, reliabilityReportIn, type ReportScope, ticketReportIn } from './reports.service.js';
import * as repo from './schedules.repo.js';
import { checkParams, REPORT_PERMISSION, recurrenceOf } from './schedules.service.js';

/** Files up to this size go as attachments; larger ones as a link (a test lowers it). */
export const runnerLimits = { maxAttachmentBytes: 5 * 2 ** 20 };
/** How long a link to a large file works. */
export const LINK_DAYS = 7;
const SCAN_BATCH = 200;
/** At most this many missed occurrences are counted when catching up (the latest still runs). */
const CATCH_UP_COUNT = 10_000;

/** For tests only: runs inside a schedule's transaction after the decision and before commit. */
export const runnerTestHooks: { beforeCommit: ((what: { tenantId: number; scheduleId: number }) => void) | null } = { beforeCommit: null };

export interface RunPassResult {
  runs: number;
  failed: number;
  errors: number;
}

async function toBuffer(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c));
  return Buffer.concat(chunks);
}

interface Rendered {
  buffer: Buffer;
  rows: number;
  from: string;
  to: string;
}

async function render(s: ReportScope, schedule: repo.ScheduleRow, at: Date): Promise<Rendered> {
  const params = schedule.params as ReportParams;
  checkParams(schedule.report, params);
  const { period, ...rest } = params;
  const range = period ? relativePeriod(period, s.zone, at) : {};
  const format = schedule.format;
  if (schedule.report === 'costs') {
    const q = { groupBy: 'month', purchases: 'received', ...rest, ...range, format } as CostReportQuery;
    const r = await costReportIn(s, q);
    return { buffer: await toBuffer(await costFile(format, r)), rows: r.rows.length, from: r.from, to: r.to };
  }
  if (schedule.report === 'tickets') {
    const q = { groupBy: 'status', ...rest, ...range, format } as TicketReportQuery;
    const r = await ticketReportIn(s, q);
    return { buffer: await toBuffer(await ticketFile(format, r)), rows: r.rows.length, from: r.from, to: r.to };
  }
  const q = { ...rest, ...range, format } as ReliabilityQuery;
  const r = await reliabilityReportIn(s, q);
  return { buffer: await toBuffer(await reliabilityFile(format, r)), rows: r.rows.length, from: r.from, to: r.to };
}

const CONTENT_TYPE = { csv: 'text/csv; charset=utf-8', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };
const esc = (v: string) => v.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function reportMail(
  to: string,
  p: {
    company: string;
    name: string;
    from: string;
    to: string;
    rows: number;
    fileName: string;
    attachment?: Buffer;
    link?: string;
    contentType: string;
  },
): MailMessage {
  const lines = [
    `${p.name} for ${p.from} to ${p.to} (${p.rows} ${p.rows === 1 ? 'row' : 'rows'}).`,
    p.link
      ? `The file is too large to attach: download it within ${LINK_DAYS} days at ${p.link}`
      : `The report is attached as ${p.fileName}.`,
    `This report is scheduled in Steward for ${p.company}; its creator or an administrator can change or stop it under Reports → Schedules.`,
  ];
  return {
    template: 'scheduled_report',
    to,
    subject: `${p.name}: ${p.from} – ${p.to}`,
    text: `${lines.join('\n\n')}\n`,
    html: lines.map((l) => `<p>${esc(l).replace(/(https?:\/\/\S+)/g, '<a href="$1">$1</a>')}</p>`).join(''),
    attachments: p.attachment ? [{ name: p.fileName, contentType: p.contentType, content: p.attachment }] : undefined,
  };
}

/** Runs one claimed schedule inside its transaction. */
async function runSchedule(scope: Scope, deps: Deps, schedule: repo.ScheduleRow, now: Date): Promise<'sent' | 'failed' | 'none'> {
  const rec = recurrenceOf(schedule);
  const first = schedule.nextRunAt as Date;
  const later = occurrencesBetween(rec, first, now, CATCH_UP_COUNT);
  const occurrence = later.at(-1) ?? first;
  const next = nextOccurrence(rec, later.length === CATCH_UP_COUNT ? now : occurrence);
  const basics = await companyBasics(scope.tx, schedule.tenantId);
  let outcome: 'sent' | 'failed' | 'none' = 'none';
  const run = await repo.insertRun(scope.tx, {
    tenantId: schedule.tenantId,
    scheduleId: schedule.id,
    occurrence,
    status: 'failed',
    skipped: later.length ? later.length : 0,
  });
  if (run) {
    let update: Partial<repo.RunRow>;
    const permission = REPORT_PERMISSION[schedule.report];
    if (!(await repo.creatorMay(scope.tx, schedule.tenantId, schedule.createdById, permission))) {
      update = { status: 'failed', error: `The schedule's creator is no longer active or no longer holds ${permission}` };
    } else {
      try {
        // In a savepoint: a query that fails leaves the outer transaction usable for the failed run.
        const r = await scope.tx.transaction((sp) =>
          render({ tx: sp, tenantId: schedule.tenantId, zone: basics.timezone }, schedule, occurrence),
        );
        const fileName = `${schedule.name.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'report'}-${r.from}-${r.to}.${schedule.format}`;
        const contentType = CONTENT_TYPE[schedule.format];
        const attach = r.buffer.length <= runnerLimits.maxAttachmentBytes;
        let link: string | undefined;
        let linkTokenHash: string | null = null;
        if (!attach) {
          const token = newToken();
          linkTokenHash = sha256(token);
          link = `${(await publicUrlOf(scope.tx, deps.config, schedule.tenantId)).replace(/\/$/, '')}/api/v1/report-files/${token}`;
        }
        const mails = schedule.recipients.map((to) =>
          reportMail(to, {
            company: basics.name,
            name: schedule.name,
            from: r.from,
            to: r.to,
            rows: r.rows,
            fileName,
            contentType,
            attachment: attach ? r.buffer : undefined,
            link,
          }),
        );
        const mailIds = await deps.mailer.queueMany(scope, schedule.tenantId, mails);
        update = {
          status: 'sent',
          rows: r.rows,
          fileName,
          fileType: contentType,
          fileSize: r.buffer.length,
          file: attach ? null : r.buffer,
          linkTokenHash,
          linkExpiresAt: attach ? null : new Date(now.getTime() + LINK_DAYS * 86_400_000),
          mailIds,
        };
      } catch (error) {
        update = { status: 'failed', error: (error as Error).message.slice(0, 500) };
      }
    }
    await repo.updateRun(scope.tx, schedule.tenantId, run.id, update);
    outcome = update.status === 'sent' ? 'sent' : 'failed';
  }
  await repo.advance(scope.tx, schedule.tenantId, schedule.id, next);
  runnerTestHooks.beforeCommit?.({ tenantId: schedule.tenantId, scheduleId: schedule.id });
  return outcome;
}

/** One pass at `now` (injected in tests: never real waiting). */
export async function runReportSchedules(deps: Deps, now: Date = new Date()): Promise<RunPassResult> {
  const result: RunPassResult = { runs: 0, failed: 0, errors: 0 };
  let after: repo.DueCursor | null = null;
  for (;;) {
    const cursor: repo.DueCursor | null = after;
    const due: repo.DueCursor[] = await deps.database.system(({ tx }) => repo.dueSchedules(tx, now, cursor, SCAN_BATCH));
    for (const d of due) {
      try {
        const outcome = await deps.database.withTenant(d.tenantId, async (scope) => {
          const schedule = await repo.claimDue(scope.tx, d.tenantId, d.id, now);
          return schedule ? runSchedule(scope, deps, schedule, now) : 'none';
        });
        if (outcome === 'sent') result.runs++;
        if (outcome === 'failed') result.failed++;
      } catch (error) {
        // Nothing of this run committed: the schedule stays due and is tried on the next pass.
        result.errors++;
        deps.log.warn({ err: error, tenantId: d.tenantId, reportScheduleId: d.id }, 'report schedule could not run');
      }
    }
    if (due.length < SCAN_BATCH) return result;
    after = due[due.length - 1];
  }
}
