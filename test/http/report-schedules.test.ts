// Report schedules and saved reports: permissions and validation over HTTP, and the runner driven
// with an injected clock — one run and one mail per recipient per occurrence, also with two workers,
// after a crash before commit, after days of downtime (the latest occurrence runs, the rest are
// counted), as the creator (who may lose the permission), with large files sent as an expiring link.
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runnerLimits, runnerTestHooks, runReportSchedules } from '../../src/server/modules/reports/schedules.runner.js';
import { createCompany, createUser, roleId, type TestCompany, type TestUser } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { outbox } from '../helpers.js';
import { ok } from '../purchasing-fixtures.js';

describe('report schedules', () => {
  let h: Harness;
  let acme: TestCompany;
  let manager: TestUser;
  let viewer: TestUser;
  let tech: TestUser;
  const run = (q: ReturnType<typeof sql>) => h.deps.database.system(({ tx }) => tx.execute(q));
  const runs = async (id: string) => (await ok(manager.client.get(`/api/v1/report-schedules/${id}/runs`))).items;
  const mailsTo = async (to: string) => (await outbox(h, { to })).filter((m) => m.template === 'scheduled_report');

  beforeAll(async () => {
    h = await harness();
    acme = await createCompany(h);
    manager = await createUser(h, acme, { role: 'Manager' });
    viewer = await createUser(h, acme, { role: 'Viewer' });
    tech = await createUser(h, acme, { role: 'Technician' });
    await ok(manager.client.post('/api/v1/tickets', { kind: 'incident', title: 'Something broke', description: '' }), 201);
  });
  afterAll(() => h.close());
  afterEach(() => {
    runnerTestHooks.beforeCommit = null;
    runnerLimits.maxAttachmentBytes = 5 * 2 ** 20;
  });

  const daily = (extra: Record<string, unknown> = {}) => ({
    report: 'tickets',
    params: { period: 'thisMonth', groupBy: 'status' },
    rrule: 'FREQ=DAILY',
    startsOn: '2026-01-01',
    timezone: 'Europe/London',
    time: '07:30',
    format: 'xlsx',
    recipients: ['boss@acme.test', 'desk@acme.test'],
    ...extra,
  });

  it('needs the permission of its report, and refuses bad rules, zones, parameters and recipients with 400', async () => {
    expect((await viewer.client.post('/api/v1/report-schedules', daily({ report: 'costs', params: {} }))).status).toBe(403);
    expect((await tech.client.post('/api/v1/report-schedules', daily())).status).toBe(403);
    const mine = await viewer.client.post('/api/v1/report-schedules', daily());
    expect(mine.status).toBe(201);
    expect(mine.body.nextRunAt).toBeTruthy();
    expect(mine.body.reportSchedule).toMatchObject({
      report: 'tickets',
      timezone: 'Europe/London',
      time: '07:30',
      active: true,
      lastRun: null,
    });
    for (const [body, field] of [
      [daily({ rrule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=31' }), 'rrule'],
      [daily({ rrule: 'NONSENSE' }), 'rrule'],
      [daily({ timezone: 'Mars/Olympus' }), 'timezone'],
      [daily({ params: { groupBy: 'vendor' } }), 'params.groupBy'],
      [daily({ params: { period: 'lastMonth', from: '2026-01-01' } }), 'params.period'],
      [daily({ recipients: ['not an address'] }), null],
      [daily({ recipients: [] }), null],
      [daily({ time: '25:00' }), null],
    ] as const) {
      const res = await manager.client.post('/api/v1/report-schedules', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation');
      if (field) expect(Object.keys(res.body.error.details.fields ?? {})).toContain(field);
    }
    // The viewer sees the tickets schedule but not cost ones; only its creator or an admin changes it.
    await ok(manager.client.post('/api/v1/report-schedules', daily({ report: 'costs', params: { groupBy: 'department' } })), 201);
    const listed = (await ok(viewer.client.get('/api/v1/report-schedules'))).items;
    expect(listed.every((s: { report: string }) => s.report !== 'costs')).toBe(true);
    expect((await manager.client.patch(`/api/v1/report-schedules/${mine.body.id}`, { time: '08:00' })).status).toBe(403);
    expect((await acme.admin.client.patch(`/api/v1/report-schedules/${mine.body.id}`, { time: '08:00' })).status).toBe(200);
    expect((await viewer.client.delete(`/api/v1/report-schedules/${mine.body.id}`)).status).toBe(204);
  });

  it('runs each occurrence once, as an XLSX attachment to every recipient, also with two workers at once', async () => {
    const s = await ok(
      manager.client.post('/api/v1/report-schedules', daily({ name: 'Desk daily', recipients: ['a1@acme.test', 'a2@acme.test'] })),
      201,
    );
    const at = new Date(Date.parse(s.nextRunAt) + 60_000);
    await Promise.all([runReportSchedules(h.deps, at), runReportSchedules(h.deps, at)]);
    expect(await runReportSchedules(h.deps, at)).toMatchObject({ runs: 0, failed: 0, errors: 0 });
    const history = await runs(s.id);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ occurrence: s.nextRunAt, status: 'sent', skipped: 0, file: { attached: true } });
    for (const to of ['a1@acme.test', 'a2@acme.test']) {
      const mails = await mailsTo(to);
      expect(mails).toHaveLength(1);
      expect(mails[0].subject).toMatch(/^Desk daily: /);
    }
    // The attachment is the report the API answers.
    const [attachment] = (
      await h.deps.database.query<{ content: Buffer; name: string }>(
        `select a.content, a.name from mail_attachments a join mail_outbox m on m.id = a.mail_id where m."to" = 'a1@acme.test'`,
      )
    ).rows;
    expect(attachment.name).toMatch(/^Desk-daily-.*\.xlsx$/);
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(attachment.content) as never);
    const sheet = wb.getWorksheet('Tickets')!;
    const from = history[0].occurrence.slice(0, 8);
    expect(String(sheet.getRow(1).getCell(1).value)).toContain(`Tickets created ${from}01`);
    const next = await ok(manager.client.get(`/api/v1/report-schedules/${s.id}`));
    expect(Date.parse(next.nextRunAt) - Date.parse(s.nextRunAt)).toBe(24 * 3_600_000);
    expect(next.lastRun.status).toBe('sent');
  });

  it('a crash between the decision and the commit loses nothing and doubles nothing', async () => {
    const s = await ok(manager.client.post('/api/v1/report-schedules', daily({ recipients: ['crash@acme.test'] })), 201);
    const at = new Date(Date.parse(s.nextRunAt) + 60_000);
    runnerTestHooks.beforeCommit = () => {
      throw new Error('killed before commit');
    };
    expect((await runReportSchedules(h.deps, at)).errors).toBeGreaterThan(0);
    expect(await runs(s.id)).toHaveLength(0);
    expect(await mailsTo('crash@acme.test')).toHaveLength(0);
    runnerTestHooks.beforeCommit = null;
    await runReportSchedules(h.deps, at);
    await runReportSchedules(h.deps, at);
    expect(await runs(s.id)).toHaveLength(1);
    expect(await mailsTo('crash@acme.test')).toHaveLength(1);
  });

  it('after three days without a worker the latest occurrence runs once and counts the missed ones', async () => {
    const s = await ok(manager.client.post('/api/v1/report-schedules', daily({ recipients: ['late@acme.test'] })), 201);
    const at = new Date(Date.parse(s.nextRunAt) + 3 * 86_400_000 + 60_000);
    await runReportSchedules(h.deps, at);
    const history = await runs(s.id);
    expect(history).toHaveLength(1);
    expect(history[0].skipped).toBe(3);
    expect(Date.parse(history[0].occurrence)).toBe(Date.parse(s.nextRunAt) + 3 * 86_400_000);
    expect(await mailsTo('late@acme.test')).toHaveLength(1);
  });

  it('keeps 07:30 London time across the change to summer time', async () => {
    const s = await ok(
      manager.client.post('/api/v1/report-schedules', daily({ startsOn: '2027-03-27', recipients: ['dst@acme.test'] })),
      201,
    );
    const occ = (await ok(manager.client.get(`/api/v1/report-schedules/${s.id}/occurrences?count=3`))).items;
    expect(occ).toEqual(['2027-03-27T07:30:00.000Z', '2027-03-28T06:30:00.000Z', '2027-03-29T06:30:00.000Z']);
  });

  it('fails the run with its reason when the creator lost the permission, and moves on', async () => {
    const boss = await createUser(h, acme, { role: 'Manager' });
    const s = await ok(
      boss.client.post(
        '/api/v1/report-schedules',
        daily({ report: 'costs', params: { groupBy: 'department' }, recipients: ['gone@acme.test'] }),
      ),
      201,
    );
    await run(sql`update users set role_id = ${await roleId(h, acme, 'Viewer')} where tenant_id = ${acme.id} and id = ${boss.id}`);
    const at = new Date(Date.parse(s.nextRunAt) + 60_000);
    expect((await runReportSchedules(h.deps, at)).failed).toBe(1);
    const [r] = await runs(s.id);
    expect(r).toMatchObject({ status: 'failed', file: null });
    expect(r.error).toMatch(/reports\.financial/);
    expect(await mailsTo('gone@acme.test')).toHaveLength(0);
  });

  it('sends a file over the attachment limit as a link that needs no login and expires', async () => {
    runnerLimits.maxAttachmentBytes = 10;
    const s = await ok(manager.client.post('/api/v1/report-schedules', daily({ format: 'csv', recipients: ['big@acme.test'] })), 201);
    await runReportSchedules(h.deps, new Date(Date.parse(s.nextRunAt) + 60_000));
    const [mail] = await mailsTo('big@acme.test');
    expect(mail.text).toContain('too large to attach');
    const token = /\/api\/v1\/report-files\/([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
    const anonymous = h.client();
    const file = await anonymous.get(`/api/v1/report-files/${token}`);
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toMatch(/text\/csv/);
    expect(String(file.body)).toContain('Tickets created');
    expect((await anonymous.get(`/api/v1/report-files/${token}x`)).status).toBe(404);
    await run(sql`update report_schedule_runs set link_expires_at = now() - interval '1 minute' where tenant_id = ${acme.id}`);
    expect((await anonymous.get(`/api/v1/report-files/${token}`)).status).toBe(404);
  });

  it('pauses without backfill: a resumed schedule runs next from now', async () => {
    const s = await ok(manager.client.post('/api/v1/report-schedules', daily({ recipients: ['pause@acme.test'] })), 201);
    await ok(manager.client.patch(`/api/v1/report-schedules/${s.id}`, { active: false }));
    await runReportSchedules(h.deps, new Date(Date.parse(s.nextRunAt) + 86_400_000));
    expect(await runs(s.id)).toHaveLength(0);
    const resumed = await ok(manager.client.patch(`/api/v1/report-schedules/${s.id}`, { active: true }));
    expect(Date.parse(resumed.nextRunAt)).toBeGreaterThan(Date.now() - 60_000);
  });
});

describe('saved reports', () => {
  let h: Harness;
  let acme: TestCompany;
  let manager: TestUser;
  let viewer: TestUser;

  beforeAll(async () => {
    h = await harness();
    acme = await createCompany(h);
    manager = await createUser(h, acme, { role: 'Manager' });
    viewer = await createUser(h, acme, { role: 'Viewer' });
  });
  afterAll(() => h.close());

  it('are private or shared; cost reports stay with reports.financial; only the owner changes them', async () => {
    const priv = await ok(
      manager.client.post('/api/v1/saved-reports', {
        name: 'My costs',
        report: 'costs',
        params: { groupBy: 'department', period: 'lastMonth' },
      }),
      201,
    );
    const shared = await ok(
      manager.client.post('/api/v1/saved-reports', { name: 'Desk', report: 'tickets', params: { groupBy: 'priority' }, shared: true }),
      201,
    );
    expect(shared.savedReport).toMatchObject({ name: 'Desk', shared: true, mine: true, chart: 'bar' });
    const seen = (await ok(viewer.client.get('/api/v1/saved-reports'))).items.map((r: { name: string }) => r.name);
    expect(seen).toEqual(['Desk']);
    expect((await viewer.client.patch(`/api/v1/saved-reports/${shared.id}`, { name: 'Mine now' })).status).toBe(403);
    expect((await viewer.client.patch(`/api/v1/saved-reports/${priv.id}`, { name: 'x' })).status).toBe(404);
    expect((await viewer.client.post('/api/v1/saved-reports', { name: 'x', report: 'costs' })).status).toBe(403);
    expect(
      (await manager.client.post('/api/v1/saved-reports', { name: 'x', report: 'tickets', params: { groupBy: 'month' } })).status,
    ).toBe(400);
    expect((await ok(manager.client.patch(`/api/v1/saved-reports/${priv.id}`, { shared: true }))).shared).toBe(true);
    expect((await manager.client.delete(`/api/v1/saved-reports/${priv.id}`)).status).toBe(204);
    const other = await createUser(h, await createCompany(h), { role: 'Manager' });
    expect((await other.client.patch(`/api/v1/saved-reports/${shared.id}`, { name: 'x' })).status).toBe(404);
    expect((await ok(other.client.get('/api/v1/saved-reports'))).items).toEqual([]);
  });

  it('keep the chosen fields and a pie chart; a field the report does not return is refused by name', async () => {
    const saved = await ok(
      manager.client.post('/api/v1/saved-reports', {
        name: 'Open by priority',
        report: 'tickets',
        params: { groupBy: 'priority', period: 'thisQuarter' },
        fields: ['count', 'open'],
        chart: 'pie',
      }),
      201,
    );
    expect(saved.savedReport).toMatchObject({ fields: ['count', 'open'], chart: 'pie' });
    const bad = await manager.client.post('/api/v1/saved-reports', { name: 'x', report: 'tickets', fields: ['count', 'labour'] });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'validation', details: { fields: { 'fields.1': expect.any(String) } } });
    const patched = await manager.client.patch(`/api/v1/saved-reports/${saved.id}`, { fields: ['downtimeMinutes'] });
    expect(patched.status).toBe(400);
    expect((await ok(manager.client.patch(`/api/v1/saved-reports/${saved.id}`, { fields: [] }))).fields).toEqual([]);
    const plain = await ok(manager.client.post('/api/v1/saved-reports', { name: 'All', report: 'reliability' }), 201);
    expect(plain.savedReport.fields).toEqual([]);
  });
});
