// What operators build elsewhere is what is tested here. These machines cannot pull base images, so
// this test performs the image's own steps (the final stage of the Dockerfile: a production install,
// package.json, bin/ and dist/ only, the image's start command) in a clean folder, and runs
// compose.yaml's topology as processes: a web process and a worker apart on a fresh PostgreSQL
// database, with Mosquitto (Dynamic Security, set up by deploy/mosquitto/setup.sh) as the broker.
// A device created through the web process publishes to Mosquitto; the worker stores the reading.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ensureServerBuilt, ensureWebBuilt } from '../../scripts/build.mjs';
import { TEST_DB } from '../harness.js';
import { eventually, sleep } from '../helpers.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const HAS_MOSQUITTO = (() => {
  try {
    execFileSync('sh', ['-c', 'command -v mosquitto && command -v mosquitto_ctrl'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

/** The final stage of the Dockerfile: its COPY lines, ENV and CMD. */
function finalStage() {
  const text = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
  const stages = text.split(/^FROM /m).slice(1);
  const last = stages[stages.length - 1];
  const deps = stages.find((s) => /AS deps/.test(s.split('\n')[0])) ?? '';
  const copies = [...last.matchAll(/^COPY (--from=(\S+) )?(\S+) (\S+)$/gm)].map((m) => ({ from: m[2] ?? null, src: m[3], dest: m[4] }));
  const env = Object.fromEntries([...(/^ENV (.*)$/m.exec(last)?.[1] ?? '').matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1], m[2]]));
  const cmd = JSON.parse(/^CMD (.*)$/m.exec(last)?.[1] ?? '[]') as string[];
  const depsInstall = /^RUN (npm ci .*)$/m.exec(deps)?.[1] ?? '';
  return { copies, env, cmd, depsInstall };
}

interface Proc {
  child: ChildProcess;
  output: string[];
}

function run(cmd: string[], cwd: string, env: Record<string, string>): Proc {
  const child = spawn(process.execPath, cmd.slice(1), { cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  child.stdout?.on('data', (d) => output.push(String(d)));
  child.stderr?.on('data', (d) => output.push(String(d)));
  return { child, output };
}

const exited = (p: Proc, ms: number) =>
  new Promise<number | null>((resolve) => {
    if (p.child.exitCode !== null) return resolve(p.child.exitCode);
    const timer = setTimeout(() => resolve(null), ms);
    p.child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });

describe.runIf(TEST_DB === 'postgres' && HAS_MOSQUITTO)('the image and the compose topology, as processes', () => {
  const image = mkdtempSync(path.join(tmpdir(), 'steward-image-'));
  const files = mkdtempSync(path.join(tmpdir(), 'steward-files-'));
  const mqttDir = mkdtempSync(path.join(tmpdir(), 'steward-deploy-mosq-'));
  const dbName = `steward_deploy_${process.pid}_${Date.now().toString(36)}`;
  // Vitest runs a skipped describe's body to collect it: without TEST_DATABASE_URL this must not throw.
  const adminUrl = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
  const dbUrl = (() => {
    const u = new URL(adminUrl);
    u.pathname = `/${dbName}`;
    return u.toString();
  })();
  const mqttPassword = 'deploy-admin-password-1';
  let mqttPort = 0;
  let webPort = 0;
  let broker: ChildProcess | undefined;
  let web: Proc | undefined;
  let worker: Proc | undefined;
  const stage = finalStage();
  let base = '';
  let cookie = '';
  let csrf = '';

  const api = async (method: string, url: string, body?: unknown) => {
    const headers: Record<string, string> = { cookie };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (csrf && method !== 'GET') headers['x-csrf-token'] = csrf;
    const res = await fetch(`${base}${url}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const setCookie = res.headers.getSetCookie();
    if (setCookie.length) cookie = setCookie.map((c) => c.split(';')[0]).join('; ');
    const text = await res.text();
    let json: unknown = text;
    try {
      json = JSON.parse(text);
    } catch {}
    return { status: res.status, body: json as Record<string, any> };
  };

  beforeAll(async () => {
    // The build stage: what `node scripts/build.mjs --force` writes (built here only when outdated).
    await ensureServerBuilt(ROOT, () => {});
    ensureWebBuilt(ROOT, () => {});

    // The final stage, in a clean folder: the production install, then exactly what it copies.
    for (const c of stage.copies) {
      if (c.from === 'deps') continue;
      const src = c.from === 'build' ? c.src.replace(/^\/app\//, '') : c.src;
      cpSync(path.join(ROOT, src), path.join(image, c.dest === './' ? path.basename(src) : c.dest), { recursive: true });
    }
    cpSync(path.join(ROOT, 'package-lock.json'), path.join(image, 'package-lock.json'));
    const [npmCmd, ...npmArgs] = stage.depsInstall.split(/\s+/);
    execFileSync(npmCmd, [...npmArgs, '--prefer-offline'], { cwd: image, stdio: 'ignore', env: { ...process.env, NODE_ENV: 'production' } });

    // Mosquitto with Dynamic Security, set up by the compose file's own script.
    mqttPort = await freePort();
    writeFileSync(
      path.join(mqttDir, 'mosquitto.conf'),
      readFileSync(path.join(ROOT, 'deploy/mosquitto/mosquitto.conf'), 'utf8')
        .replace(/^listener 1883$/m, `listener ${mqttPort} 127.0.0.1`)
        .replace('/usr/lib/mosquitto_dynamic_security.so', '/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so')
        .replaceAll('/mosquitto/data/', `${mqttDir}/`)
        .replace('persistence true', 'persistence false'),
    );
    execFileSync('mosquitto_ctrl', ['dynsec', 'init', path.join(mqttDir, 'dynamic-security.json'), 'admin', mqttPassword], { stdio: 'ignore' });
    chmodSync(mqttDir, 0o777);
    chmodSync(path.join(mqttDir, 'dynamic-security.json'), 0o666);
    broker = spawn('mosquitto', ['-c', path.join(mqttDir, 'mosquitto.conf')], { stdio: 'ignore' });
    execFileSync('sh', [path.join(ROOT, 'deploy/mosquitto/setup.sh')], {
      env: { ...process.env, MQTT_HOST: '127.0.0.1', MQTT_PORT: String(mqttPort), MQTT_ADMIN_PASSWORD: mqttPassword },
      stdio: 'ignore',
    });

    // A fresh database, as the compose file's db service starts.
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${dbName}`);
    await admin.end();

    // compose.yaml's web and worker: their commands and variables, with the hosts of this machine.
    const compose = parse(readFileSync(path.join(ROOT, 'compose.yaml'), 'utf8'), { merge: true }) as {
      services: Record<string, { command?: string[]; environment?: Record<string, string> }>;
    };
    webPort = await freePort();
    base = `http://127.0.0.1:${webPort}`;
    const here: Record<string, string> = {
      DATABASE_URL: dbUrl,
      PUBLIC_URL: base,
      SESSION_SECRET: 'deploy-test-session-secret-0123456789abcdef',
      MQTT_URL: `mqtt://admin:${mqttPassword}@127.0.0.1:${mqttPort}`,
      MQTT_PUBLIC_URL: `mqtt://127.0.0.1:${mqttPort}`,
    };
    const envOf = (service: string) => {
      const declared = compose.services[service].environment ?? {};
      const env: Record<string, string> = { ...stage.env, STEWARD_DATA_DIR: files, HOST: '127.0.0.1', PORT: String(webPort), LOG_LEVEL: 'warn' };
      for (const [key, value] of Object.entries(declared)) env[key] = here[key] ?? String(value);
      return env;
    };
    expect(Object.keys(compose.services.web.environment ?? {}).sort()).toEqual([...Object.keys(here), 'STEWARD_ROLES'].sort());
    web = run(stage.cmd, image, envOf('web'));
    worker = run(compose.services.worker.command ?? [], image, { ...envOf('worker'), PORT: '0' });
  }, 600_000);

  afterAll(async () => {
    for (const p of [web, worker]) {
      if (p && p.child.exitCode === null) {
        p.child.kill('SIGKILL');
        await exited(p, 5000);
      }
    }
    broker?.kill('SIGTERM');
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${dbName} with (force)`).catch(() => {});
    await admin.end();
    for (const dir of [image, files, mqttDir]) rmSync(dir, { recursive: true, force: true });
  });

  it('holds only package.json, bin/, dist/ and the production dependencies', () => {
    expect(existsSync(path.join(image, 'src'))).toBe(false);
    expect(existsSync(path.join(image, 'dist/server/steward.js'))).toBe(true);
    expect(existsSync(path.join(image, 'dist/web/index.html'))).toBe(true);
    for (const dev of ['tsx', 'vite', 'vitest', 'typescript']) expect(existsSync(path.join(image, 'node_modules', dev)), dev).toBe(false);
    expect(stage.cmd).toEqual(['node', 'bin/steward.mjs', 'serve']);
  });

  // Both processes migrate and start on a fresh database on a loaded 2-core machine: minutes, not seconds.
  it('the web process is ready and sees the worker and its broker by their heartbeats', { timeout: 240_000 }, async () => {
    const checks = await eventually(
      async () => {
        const res = await fetch(`${base}/readyz`).catch(() => null);
        if (!res?.ok) return null;
        const body = (await res.json()) as { checks: Record<string, { state: string; detail: string }> };
        return body.checks.workers.state === 'ok' && body.checks.broker.state === 'ok' ? body.checks : null;
      },
      210_000,
      500,
    );
    expect(checks, `web: ${web?.output.join('')}\nworker: ${worker?.output.join('')}`).toBeTruthy();
    expect(checks?.database.detail).toMatch(/^postgres/);
    expect(checks?.broker.detail).toContain('connected to mqtt://admin:***@');
    expect(checks?.broker.detail).not.toContain(mqttPassword);
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<div id="root">/);
  });

  it('a device made through the web process publishes to Mosquitto, and the worker stores the reading', { timeout: 120_000 }, async () => {
    expect((await api('POST', '/api/v1/setup', { company: { name: 'Deploy Co', slug: 'deploy' }, admin: { name: 'Dee Ploy', email: 'dee@deploy.example', password: 'deploy-password-1' }, demoData: false })).status).toBe(201);
    const login = await api('POST', '/api/v1/auth/login', { login: 'dee@deploy.example', password: 'deploy-password-1' });
    expect(login.status).toBe(200);
    csrf = login.body.csrfToken;
    const device = await api('POST', '/api/v1/devices', { name: 'Boiler gateway' });
    expect(device.status).toBe(201);
    const meter = await api('POST', '/api/v1/meters', { deviceId: device.body.device.id, key: 'temp', name: 'Flow temperature', unit: '°C' });
    expect(meter.status).toBe(201);
    const { url, username, password } = device.body.mqtt;
    expect(url).toBe(`mqtt://127.0.0.1:${mqttPort}`);
    const client = await mqtt.connectAsync(url, { username, password, reconnectPeriod: 0, connectTimeout: 5000 });
    try {
      await client.publishAsync(`steward/${username}/temp`, JSON.stringify({ v: 61.5, ts: new Date().toISOString() }), { qos: 1 });
    } finally {
      await client.endAsync();
    }
    const readings = await eventually(async () => {
      const res = await api('GET', `/api/v1/meters/${meter.body.meter?.id ?? meter.body.id}/readings?bucket=raw`);
      return res.body.items?.length ? res.body.items : null;
    }, 30_000);
    expect(readings).toEqual([expect.objectContaining({ v: 61.5 })]);
  });

  it('the worker stops gracefully on SIGTERM, and the web process then reports no worker', { timeout: 120_000 }, async () => {
    worker?.child.kill('SIGTERM');
    expect(await exited(worker as Proc, 20_000)).toBe(0);
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { checks: { workers: { state: string } } };
    expect(body.checks.workers.state).toBe('down');
    web?.child.kill('SIGTERM');
    expect(await exited(web as Proc, 20_000)).toBe(0);
    await sleep(0);
  });
});
