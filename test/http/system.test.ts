// The operator's view of the instance: /readyz names each dependency with detail, the system page
// lists the processes by their heartbeats (version, roles, jobs run, broker) and the job queues, and
// /metrics carries queue depths, job outcomes, mail deliveries and meter ingest.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerProcess, startHeartbeat } from '../../src/server/modules/system/system.service.js';
import { jobDefinitions } from '../../src/server/runtime.js';
import { VERSION } from '../../src/server/version.js';
import { createCompany, createSuperAdmin, type TestCompany, type TestUser } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { eventually } from '../helpers.js';

describe('instance health', () => {
  let h: Harness;
  let acme: TestCompany;
  let operator: TestUser;
  beforeAll(async () => {
    h = await harness();
    acme = await createCompany(h);
    operator = await createSuperAdmin(h);
  });
  afterAll(async () => {
    await h.deps.jobs.stop();
    await h.close();
  });

  it('names every dependency on /readyz; without a worker heartbeat, the workers check is down but the instance is ready', async () => {
    const res = await h.client().get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body.checks.database).toEqual({ state: 'ok', detail: expect.stringContaining('every migration applied') });
    expect(res.body.checks.workers.state).toBe('down');
    expect(res.body.checks.workers.detail).toMatch(/no worker process/);
    expect(res.body.checks.mail.state).toMatch(/^(ok|off)$/);
    expect(res.body.checks.broker.detail).toBeTruthy();
  });

  it('shows a worker by its heartbeat, with its broker, on /readyz and the system page; a stopped one is shown stopped', async () => {
    const me = registerProcess(h.deps, ['worker'], {
      broker: () => ({ kind: 'embedded', state: 'ok', detail: 'embedded MQTT broker on port 1883' }),
      ingest: () => ({ stored: 12, dropped: 3 }),
    });
    const stop = await startHeartbeat(h.deps, me, 200);
    const ready = await h.client().get('/readyz');
    expect(ready.body.checks.workers.state).toBe('ok');
    expect(ready.body.checks.broker).toEqual({ state: 'ok', detail: 'embedded MQTT broker on port 1883' });

    const page = await operator.client.get('/api/v1/admin/system');
    expect(page.status).toBe(200);
    expect(page.body.version).toBe(VERSION);
    const row = page.body.processes.find((p: { id: string }) => p.id === me.id);
    expect(row).toMatchObject({ roles: ['worker'], version: VERSION, state: 'running', pid: process.pid });
    expect(Array.isArray(page.body.queues)).toBe(true);

    const metrics = await h.client().get('/metrics');
    expect(metrics.raw.body).toMatch(/^steward_meter_readings_total\{outcome="stored"\} 12$/m);
    expect(metrics.raw.body).toMatch(/^steward_meter_readings_total\{outcome="dropped"\} 3$/m);
    expect(metrics.raw.body).toMatch(/^# TYPE steward_mail_deliveries_total counter$/m);
    expect(metrics.raw.body).toMatch(/^# TYPE steward_job_queue_depth gauge$/m);
    expect(metrics.raw.body).toMatch(/^# TYPE steward_webhook_deliveries_total counter$/m);

    await stop();
    const after = await eventually(async () => {
      const res = await operator.client.get('/api/v1/admin/system');
      return res.body.processes.find((p: { id: string; state: string }) => p.id === me.id && p.state === 'stopped') ?? null;
    });
    expect(after).toMatchObject({ state: 'stopped' });
  });

  it('counts queued jobs per queue', async () => {
    await h.deps.jobs.start(jobDefinitions(h.deps), false);
    await h.deps.jobs.send('mail.deliver', { id: -1 }, { startAfter: 3600 });
    const page = await operator.client.get('/api/v1/admin/system');
    const queue = page.body.queues.find((q: { name: string }) => q.name === 'mail.deliver');
    expect(queue?.queued).toBeGreaterThanOrEqual(1);
    const metrics = await h.client().get('/metrics');
    expect(metrics.raw.body).toMatch(/^steward_job_queue_depth\{queue="mail.deliver",state="created"\} [1-9]/m);
  });

  it('keeps the system page to operators', async () => {
    expect((await h.client().get('/api/v1/admin/system')).status).toBe(401);
    expect((await acme.admin.client.get('/api/v1/admin/system')).status).toBe(403);
  });
});
