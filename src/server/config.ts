// Environment (and .env) → one validated config object. A bad value stops the process with one
// clear line naming the variable.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export type ProcessRole = 'web' | 'worker';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | null;
  smtpUrl: string | null;
  mailFrom: string;
  sessionSecret: string;
  publicUrl: string;
  /** Whether PUBLIC_URL was given; without it publicUrl is a guess from HOST and PORT. */
  publicUrlSet: boolean;
  roles: ProcessRole[];
  logLevel: string;
  uploadLimitBytes: number;
  sessionDays: number;
  rememberDays: number;
  trustProxy: boolean;
  authCacheSeconds: number;
  /** How often live sockets are pinged and re-checked; fixed at 30 s, shorter only in tests. */
  liveHeartbeatMs: number;
  /** Microsoft identity platform and Graph bases (a local stand-in in tests). */
  graphLoginUrl: string;
  graphApiUrl: string;
  /** How long one mailbox fetch job keeps an IMAP IDLE session open for new mail (0: drain and leave). */
  mailIdleSeconds: number;
  /** An external broker (Mosquitto); null: the embedded aedes broker listens on mqttPort. */
  mqttUrl: string | null;
  /** The embedded broker's port (0: any free port, for tests). */
  mqttPort: number;
  /** The address devices are told to connect to (MQTT_PUBLIC_URL, else mqtts://<host of PUBLIC_URL>:<TLS port> with TLS set, mqtt://…:<port> without). */
  mqttPublicUrl: string;
  /**
   * TLS for the embedded broker (MQTT_TLS_CERT and MQTT_TLS_KEY, PEM files): it also listens with TLS
   * on `port` (MQTT_TLS_PORT, default 8883; 0: any free port, for tests). null: no TLS listener.
   */
  mqttTls: { cert: string; key: string; port: number } | null;
  /** MQTT_PLAIN=false: with TLS set, the embedded broker does not listen without TLS. */
  mqttPlain: boolean;
  /** WEBHOOK_ALLOW_PRIVATE: webhooks may target loopback, link-local and private addresses. */
  webhookAllowPrivate: boolean;
  /** The first webhook retry waits this long, then it doubles; fixed at 30 s, shorter only in tests. */
  webhookRetryBaseSeconds: number;
  /** One webhook request's time limit; fixed at 10 s, shorter only in tests. */
  webhookTimeoutMs: number;
  /** Scheduled instance backups go here (BACKUP_DIR); null: no scheduled backups. */
  backupDir: string | null;
  /** The UTC hour of the daily backup. */
  backupHour: number;
  backupKeepDaily: number;
  backupKeepWeekly: number;
  /** Where files live: null for the data directory, or `s3://bucket/prefix` (STORAGE_URL). */
  storageUrl: string | null;
  /** An S3-compatible endpoint (MinIO, Ceph) instead of AWS; path-style addressing for it. */
  s3Endpoint: string | null;
  s3ForcePathStyle: boolean;
  s3Region: string;
  /** The license file (LICENSE_FILE, else <dataDir>/license.json if present). */
  licenseFile: string;
  /** The Ed25519 public key licenses are checked against (base64 SPKI DER): built in, a test key in tests; not from the environment. */
  licensePublicKey: string | null;
  /** The ingest's MQTT client id at an external broker (a persistent session): unique per worker process. */
  mqttClientId: string | null;
  /**
   * The ingest reads $share/steward/steward/+/+ (true: several workers split the load, but a Mosquitto
   * restart can drop readings it acknowledged meanwhile) or a plain steward/+/+ with its persistent
   * session (false: only ONE ingest worker, nothing acknowledged is lost over a broker restart).
   */
  mqttSharedSubscription: boolean;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`${variable}: ${reason}`);
  }
}

const roleList = z
  .string()
  .transform((s) => s.split(',').map((r) => r.trim()).filter(Boolean))
  .pipe(z.array(z.enum(['web', 'worker'])).min(1));

const fields = {
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  STEWARD_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
    .optional(),
  MAIL_FROM: z.string().min(3).default('Steward <steward@localhost>'),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  PUBLIC_URL: z.url('must be a URL such as https://steward.example.com').optional(),
  STEWARD_ROLES: roleList.default(['web', 'worker']),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  UPLOAD_LIMIT_MB: z.coerce.number().positive().max(10240).default(25),
  SESSION_DAYS: z.coerce.number().int().min(1).max(365).default(1),
  REMEMBER_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  TRUST_PROXY: z.enum(['true', 'false', '1', '0']).default('false'),
  AUTH_CACHE_SECONDS: z.coerce.number().int().min(0).max(300).default(5),
  GRAPH_LOGIN_URL: z.url().default('https://login.microsoftonline.com'),
  GRAPH_API_URL: z.url().default('https://graph.microsoft.com'),
  MAIL_IDLE_SECONDS: z.coerce.number().int().min(0).max(600).default(50),
  MQTT_URL: z
    .string()
    .regex(/^mqtts?:\/\//, 'must start with mqtt:// or mqtts://')
    .optional(),
  MQTT_PORT: z.coerce.number().int().min(0).max(65535).default(1883),
  MQTT_PUBLIC_URL: z
    .string()
    .regex(/^mqtts?:\/\//, 'must start with mqtt:// or mqtts://')
    .optional(),
  MQTT_TLS_CERT: z.string().min(1).optional(),
  MQTT_TLS_KEY: z.string().min(1).optional(),
  MQTT_TLS_PORT: z.coerce.number().int().min(0).max(65535).default(8883),
  MQTT_PLAIN: z.enum(['true', 'false', '1', '0']).default('true'),
  WEBHOOK_ALLOW_PRIVATE: z.enum(['true', 'false', '1', '0']).default('false'),
  BACKUP_DIR: z.string().min(1).optional(),
  BACKUP_HOUR: z.coerce.number().int().min(0).max(23).default(2),
  BACKUP_KEEP_DAILY: z.coerce.number().int().min(0).max(366).default(7),
  BACKUP_KEEP_WEEKLY: z.coerce.number().int().min(0).max(520).default(4),
  STORAGE_URL: z
    .string()
    .regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/, 'must be s3://bucket or s3://bucket/prefix')
    .optional(),
  S3_ENDPOINT: z.url('must be a URL such as http://minio:9000').optional(),
  S3_FORCE_PATH_STYLE: z.enum(['true', 'false', '1', '0']).optional(),
  AWS_REGION: z.string().min(1).default('us-east-1'),
  LICENSE_FILE: z.string().min(1).optional(),
  MQTT_CLIENT_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, . _ - (at most 64)')
    .optional(),
  MQTT_SHARED_SUBSCRIPTION: z.enum(['true', 'false', '1', '0']).default('true'),
} as const;

type Env = Record<string, string | undefined>;

/** Reads `.env` from the working directory without overriding variables already set. */
export function loadDotEnv(file = path.resolve('.env'), env: Env = process.env): void {
  if (!existsSync(file)) return;
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m || line.trimStart().startsWith('#')) continue;
    let value = m[2];
    if (/^(['"]).*\1$/.test(value)) value = value.slice(1, -1);
    if (env[m[1]] === undefined) env[m[1]] = value;
  }
}

export function loadConfig(env: Env = process.env): Config {
  const values: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(fields)) {
    const raw = env[name] === '' ? undefined : env[name];
    const parsed = (schema as z.ZodType).safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ConfigError(name, raw === undefined ? 'is required' : `${issue?.message ?? 'invalid'} (got "${raw}")`);
    }
    values[name] = parsed.data;
  }
  const v = values as { [K in keyof typeof fields]: z.infer<(typeof fields)[K]> };
  const dataDir = path.resolve(v.STEWARD_DATA_DIR);
  const port = v.PORT;
  const host = v.HOST;
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  if ((v.MQTT_TLS_CERT === undefined) !== (v.MQTT_TLS_KEY === undefined))
    throw new ConfigError(v.MQTT_TLS_CERT === undefined ? 'MQTT_TLS_CERT' : 'MQTT_TLS_KEY', 'is required with MQTT_TLS_CERT and MQTT_TLS_KEY (both or neither)');
  const mqttTls = v.MQTT_TLS_CERT && v.MQTT_TLS_KEY ? { cert: path.resolve(v.MQTT_TLS_CERT), key: path.resolve(v.MQTT_TLS_KEY), port: v.MQTT_TLS_PORT } : null;
  const mqttPlain = !(v.MQTT_PLAIN === 'false' || v.MQTT_PLAIN === '0');
  if (!mqttPlain && !mqttTls) throw new ConfigError('MQTT_PLAIN', 'can be false only with MQTT_TLS_CERT and MQTT_TLS_KEY set');
  const mqttHost = new URL(v.PUBLIC_URL ?? `http://${shownHost}:${port}`).hostname;
  return {
    port,
    host,
    dataDir,
    databaseUrl: v.DATABASE_URL ?? null,
    smtpUrl: v.SMTP_URL ?? null,
    mailFrom: v.MAIL_FROM,
    sessionSecret: v.SESSION_SECRET ?? '',
    publicUrl: (v.PUBLIC_URL ?? `http://${shownHost}:${port}`).replace(/\/$/, ''),
    publicUrlSet: v.PUBLIC_URL !== undefined,
    roles: v.STEWARD_ROLES as ProcessRole[],
    logLevel: v.LOG_LEVEL,
    uploadLimitBytes: Math.round(v.UPLOAD_LIMIT_MB * 1024 * 1024),
    sessionDays: v.SESSION_DAYS,
    rememberDays: v.REMEMBER_DAYS,
    trustProxy: v.TRUST_PROXY === 'true' || v.TRUST_PROXY === '1',
    authCacheSeconds: v.AUTH_CACHE_SECONDS,
    liveHeartbeatMs: 30_000,
    graphLoginUrl: v.GRAPH_LOGIN_URL.replace(/\/$/, ''),
    graphApiUrl: v.GRAPH_API_URL.replace(/\/$/, ''),
    mailIdleSeconds: v.MAIL_IDLE_SECONDS,
    mqttUrl: v.MQTT_URL ?? null,
    mqttPort: v.MQTT_PORT,
    mqttPublicUrl: (
      v.MQTT_PUBLIC_URL ?? (mqttTls ? `mqtts://${mqttHost}:${mqttTls.port}` : `mqtt://${mqttHost}:${v.MQTT_PORT}`)
    ).replace(/\/$/, ''),
    mqttTls,
    mqttPlain,
    webhookAllowPrivate: v.WEBHOOK_ALLOW_PRIVATE === 'true' || v.WEBHOOK_ALLOW_PRIVATE === '1',
    webhookRetryBaseSeconds: 30,
    webhookTimeoutMs: 10_000,
    backupDir: v.BACKUP_DIR ? path.resolve(v.BACKUP_DIR) : null,
    backupHour: v.BACKUP_HOUR,
    backupKeepDaily: v.BACKUP_KEEP_DAILY,
    backupKeepWeekly: v.BACKUP_KEEP_WEEKLY,
    storageUrl: v.STORAGE_URL ?? null,
    s3Endpoint: v.S3_ENDPOINT ?? null,
    // Path-style by default with a custom endpoint (MinIO and Ceph expect it), virtual-hosted on AWS.
    s3ForcePathStyle: v.S3_FORCE_PATH_STYLE === undefined ? v.S3_ENDPOINT !== undefined : v.S3_FORCE_PATH_STYLE === 'true' || v.S3_FORCE_PATH_STYLE === '1',
    s3Region: v.AWS_REGION,
    licenseFile: path.resolve(v.LICENSE_FILE ?? path.join(dataDir, 'license.json')),
    licensePublicKey: null,
    mqttClientId: v.MQTT_CLIENT_ID ?? null,
    mqttSharedSubscription: v.MQTT_SHARED_SUBSCRIPTION === 'true' || v.MQTT_SHARED_SUBSCRIPTION === '1',
  };
}

/** Without SESSION_SECRET a random one is generated once and kept in the data directory. */
export function ensureSessionSecret(config: Config): Config {
  if (config.sessionSecret) return config;
  mkdirSync(config.dataDir, { recursive: true });
  const file = path.join(config.dataDir, 'session-secret');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  return { ...config, sessionSecret: readFileSync(file, 'utf8').trim() };
}

/** Config for tests and tools: defaults plus overrides, no .env and no process environment. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({ LOG_LEVEL: 'silent', SESSION_SECRET: 'x'.repeat(32) }), ...overrides };
}

/** The configuration from the environment (and .env), or exit 78 with one line naming the bad variable. */
export function configOrExit(): Config {
  loadDotEnv();
  try {
    return ensureSessionSecret(loadConfig());
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`steward: configuration error: ${error.message}`);
      process.exit(78);
    }
    throw error;
  }
}
