import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, ensureSessionSecret, loadConfig, loadDotEnv, testConfig } from './config.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'steward-config-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('has sensible defaults', () => {
    const c = loadConfig({});
    expect(c).toEqual({
      port: 3000,
      host: '0.0.0.0',
      dataDir: path.resolve('./data'),
      databaseUrl: null,
      smtpUrl: null,
      mailFrom: 'Steward <steward@localhost>',
      sessionSecret: '',
      publicUrl: 'http://localhost:3000',
      publicUrlSet: false,
      roles: ['web', 'worker'],
      logLevel: 'info',
      uploadLimitBytes: 25 * 1024 * 1024,
      sessionDays: 1,
      rememberDays: 30,
      trustProxy: false,
      authCacheSeconds: 5,
      liveHeartbeatMs: 30_000,
      graphLoginUrl: 'https://login.microsoftonline.com',
      graphApiUrl: 'https://graph.microsoft.com',
      mailIdleSeconds: 50,
      mqttUrl: null,
      mqttClientId: null,
      mqttPort: 1883,
      mqttPublicUrl: 'mqtt://localhost:1883',
      webhookAllowPrivate: false,
      webhookRetryBaseSeconds: 30,
      webhookTimeoutMs: 10_000,
      backupDir: null,
      backupHour: 2,
      backupKeepDaily: 7,
      backupKeepWeekly: 4,
      storageUrl: null,
      s3Endpoint: null,
      s3ForcePathStyle: false,
      s3Region: 'us-east-1',
      licenseFile: path.resolve('./data/license.json'),
      licensePublicKey: null,
      mqttSharedSubscription: true,
      mqttTls: null,
      mqttPlain: true,
    });
    expect(loadConfig({ WEBHOOK_ALLOW_PRIVATE: 'true' }).webhookAllowPrivate).toBe(true);
    expect(loadConfig({ MQTT_SHARED_SUBSCRIPTION: 'false' }).mqttSharedSubscription).toBe(false);
    expect(() => loadConfig({ MQTT_SHARED_SUBSCRIPTION: 'no' })).toThrow(/MQTT_SHARED_SUBSCRIPTION/);
  });

  it('reads the S3 storage and license settings', () => {
    const c = loadConfig({ STORAGE_URL: 's3://steward-files/prod', S3_ENDPOINT: 'http://minio:9000', LICENSE_FILE: '/etc/steward/license.json' });
    expect(c).toMatchObject({ storageUrl: 's3://steward-files/prod', s3Endpoint: 'http://minio:9000', s3ForcePathStyle: true, licenseFile: '/etc/steward/license.json' });
    expect(loadConfig({ S3_ENDPOINT: 'http://minio:9000', S3_FORCE_PATH_STYLE: 'false' }).s3ForcePathStyle).toBe(false);
    expect(() => loadConfig({ STORAGE_URL: 'https://bucket' })).toThrow(/STORAGE_URL/);
  });

  it('reads the variables', () => {
    const c = loadConfig({
      PORT: '8080',
      HOST: '127.0.0.1',
      DATABASE_URL: 'postgresql://u@db/steward',
      SMTP_URL: 'smtps://mail.example.com',
      PUBLIC_URL: 'https://steward.example.com/',
      STEWARD_ROLES: ' worker ',
      UPLOAD_LIMIT_MB: '1.5',
      TRUST_PROXY: '1',
      LOG_LEVEL: 'warn',
    });
    expect(c).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      databaseUrl: 'postgresql://u@db/steward',
      smtpUrl: 'smtps://mail.example.com',
      publicUrl: 'https://steward.example.com',
      publicUrlSet: true,
      roles: ['worker'],
      uploadLimitBytes: Math.round(1.5 * 1024 * 1024),
      trustProxy: true,
      logLevel: 'warn',
    });
    expect(loadConfig({ HOST: '10.1.2.3', PORT: '81' }).publicUrl).toBe('http://10.1.2.3:81');
    // An empty variable counts as unset.
    expect(loadConfig({ PORT: '' }).port).toBe(3000);
  });

  it('refuses PORT=abc naming PORT', () => {
    const e = configError({ PORT: 'abc' });
    expect(e.variable).toBe('PORT');
    expect(e.message).toMatch(/^PORT: /);
    expect(e.message).toContain('"abc"');
    expect(configError({ PORT: '70000' }).variable).toBe('PORT');
    expect(configError({ PORT: '3.5' }).variable).toBe('PORT');
  });

  it('refuses a DATABASE_URL that is not PostgreSQL', () => {
    const e = configError({ DATABASE_URL: 'mysql://root@localhost/steward' });
    expect(e.variable).toBe('DATABASE_URL');
    expect(e.message).toMatch(/postgres:\/\//);
    expect(configError({ SMTP_URL: 'http://mail' }).variable).toBe('SMTP_URL');
  });

  it('refuses unknown roles in STEWARD_ROLES, and an empty list', () => {
    expect(configError({ STEWARD_ROLES: 'web,foo' }).variable).toBe('STEWARD_ROLES');
    expect(configError({ STEWARD_ROLES: ',' }).variable).toBe('STEWARD_ROLES');
    expect(loadConfig({ STEWARD_ROLES: 'web,worker' }).roles).toEqual(['web', 'worker']);
  });

  it('refuses other bad values by name', () => {
    expect(configError({ SESSION_SECRET: 'short' }).variable).toBe('SESSION_SECRET');
    expect(configError({ PUBLIC_URL: 'not a url' }).variable).toBe('PUBLIC_URL');
    expect(configError({ LOG_LEVEL: 'loud' }).variable).toBe('LOG_LEVEL');
    expect(configError({ TRUST_PROXY: 'yes' }).variable).toBe('TRUST_PROXY');
    expect(configError({ SESSION_DAYS: '0' }).variable).toBe('SESSION_DAYS');
  });

  it('testConfig ignores the process environment', () => {
    const saved = process.env.PORT;
    process.env.PORT = 'abc';
    try {
      expect(testConfig().port).toBe(3000);
      expect(testConfig({ port: 1234 }).port).toBe(1234);
    } finally {
      if (saved === undefined) delete process.env.PORT;
      else process.env.PORT = saved;
    }
  });
});

describe('loadDotEnv', () => {
  it('loads .env without overriding variables that are set', () => {
    const dir = tempDir();
    const file = path.join(dir, '.env');
    writeFileSync(
      file,
      [
        '# a comment',
        'PORT=5000',
        'export HOST="127.0.0.2"',
        "MAIL_FROM='Desk <desk@x.test>'",
        'EMPTY_ONE=',
        'not a line',
        '  LOG_LEVEL = debug  ',
      ].join('\n'),
    );
    const env: Record<string, string | undefined> = { PORT: '4000', EMPTY_ONE: 'kept' };
    loadDotEnv(file, env);
    expect(env).toEqual({ PORT: '4000', HOST: '127.0.0.2', MAIL_FROM: 'Desk <desk@x.test>', EMPTY_ONE: 'kept', LOG_LEVEL: 'debug' });
    expect(loadConfig(env)).toMatchObject({ port: 4000, host: '127.0.0.2', logLevel: 'debug' });
  });

  it('does nothing without a file', () => {
    const env: Record<string, string | undefined> = {};
    loadDotEnv(path.join(tempDir(), 'missing.env'), env);
    expect(env).toEqual({});
  });
});

describe('ensureSessionSecret', () => {
  it('generates a secret once, keeps it in the data directory, and reuses it', () => {
    const dataDir = path.join(tempDir(), 'nested', 'data');
    const first = ensureSessionSecret(loadConfig({ STEWARD_DATA_DIR: dataDir }));
    expect(first.sessionSecret).toMatch(/^[0-9a-f]{64}$/);
    const file = path.join(dataDir, 'session-secret');
    expect(readFileSync(file, 'utf8').trim()).toBe(first.sessionSecret);
    expect(statSync(file).mode & 0o077).toBe(0);
    const second = ensureSessionSecret(loadConfig({ STEWARD_DATA_DIR: dataDir }));
    expect(second.sessionSecret).toBe(first.sessionSecret);
  });

  it('leaves a configured secret alone and writes nothing', () => {
    const dataDir = path.join(tempDir(), 'data');
    const secret = 's'.repeat(40);
    const c = ensureSessionSecret(loadConfig({ STEWARD_DATA_DIR: dataDir, SESSION_SECRET: secret }));
    expect(c.sessionSecret).toBe(secret);
    expect(() => statSync(path.join(dataDir, 'session-secret'))).toThrow();
  });
});
