// A throwaway Mosquitto with its Dynamic Security plugin (Debian's mosquitto, config from
// /work/shared/testing/mosquitto-dynsec-test.conf), restartable on the same port and directory;
// with `persistence` its queues survive a restart (saved on SIGTERM). Steward's account gets the
// operator's one-time role (docs/meters.md): it may subscribe to steward/#.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const ADMIN_PASSWORD = 'admin-password-1';

export const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const c = createConnection({ port, host: '127.0.0.1' }, () => {
      c.destroy();
      resolve(true);
    });
    c.on('error', () => resolve(false));
  });

export interface Mosquitto {
  port: number;
  /** The broker's process id while it runs (benchmarks read its CPU time), else null. */
  readonly pid: number | null;
  /** mqtt://admin:…@127.0.0.1:port (the dynsec admin, Steward's MQTT_URL). */
  url: string;
  start(): Promise<void>;
  /** SIGTERM (Mosquitto saves its persistence file) and wait for the exit. */
  stop(): Promise<void>;
  close(): Promise<void>;
}

export async function startMosquittoBroker(
  opts: {
    persistence?: boolean;
    /** Mosquitto's per-client queue (default: the checked config's 100000). */
    maxQueued?: number;
    /** Mosquitto's in-flight window per client (default 0: none, as deploy/mosquitto/mosquitto.conf). */
    maxInflight?: number;
  } = {},
): Promise<Mosquitto> {
  const dir = mkdtempSync(path.join(tmpdir(), 'steward-mosq-'));
  const port = await freePort();
  let conf = readFileSync('/work/shared/testing/mosquitto-dynsec-test.conf', 'utf8')
    .replaceAll('@DIR@', dir)
    .replaceAll('@PORT@', String(port));
  // No in-flight limit, as deploy/mosquitto/mosquitto.conf: Steward acknowledges per committed batch
  // and bounds what it holds itself (ingest.ts HIGH_WATER). With a limit, Mosquitto 2.0.11 leaks its
  // in-flight quota under deferred acknowledgements and then drops acknowledged readings (docs/meters.md).
  conf += `\nmax_inflight_messages ${opts.maxInflight ?? 0}\n`;
  if (opts.maxQueued !== undefined) conf += `max_queued_messages ${opts.maxQueued}\n`;
  if (opts.persistence) conf = conf.replace('persistence false', `persistence true\npersistence_location ${dir}/\nautosave_interval 3600`);
  writeFileSync(path.join(dir, 'mosquitto.conf'), conf);
  const dynsecFile = path.join(dir, 'dynsec.json');
  execFileSync('mosquitto_ctrl', ['dynsec', 'init', dynsecFile, 'admin', ADMIN_PASSWORD], { stdio: 'ignore' });
  // The admin may also read steward/# (what deploy/mosquitto/setup.sh grants), written into the file
  // before the start: granted through $CONTROL, Mosquitto drops the admin's own connection when its
  // roles change, and mosquitto_ctrl waits 10 s for the answer that never comes.
  const dynsec = JSON.parse(readFileSync(dynsecFile, 'utf8')) as {
    clients: Array<{ username: string; roles: Array<{ rolename: string }> }>;
    roles: Array<{ rolename: string; acls: Array<{ acltype: string; topic: string; allow: boolean }> }>;
  };
  dynsec.roles.push({ rolename: 'steward-ingest', acls: [{ acltype: 'subscribePattern', topic: 'steward/#', allow: true }] });
  for (const c of dynsec.clients) if (c.username === 'admin') c.roles.push({ rolename: 'steward-ingest' });
  writeFileSync(dynsecFile, JSON.stringify(dynsec, null, 2));
  chmodSync(dir, 0o777);
  chmodSync(dynsecFile, 0o666);
  let child: ChildProcess | null = null;
  const broker: Mosquitto = {
    port,
    get pid() {
      return child?.pid ?? null;
    },
    url: `mqtt://admin:${ADMIN_PASSWORD}@127.0.0.1:${port}`,
    async start() {
      child = spawn('mosquitto', ['-c', path.join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
      for (let i = 0; i < 100 && !(await listening(port)); i++) await new Promise((r) => setTimeout(r, 50));
    },
    async stop() {
      const c = child;
      child = null;
      if (!c || c.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        c.once('exit', () => resolve());
        c.kill('SIGTERM');
      });
    },
    async close() {
      await broker.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await broker.start();
  return broker;
}
