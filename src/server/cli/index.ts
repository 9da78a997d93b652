// The `steward` command: serve, worker, migrate, init-db, create-superadmin, create-company, seed-demo, backup, restore.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { configOrExit } from '../config.js';
import { companies, superAdmins } from '../db/schema/index.js';
import { hashPassword } from '../platform/crypto.js';
import { openDatabase } from '../platform/db.js';
import type { Deps } from '../platform/context.js';

const HELP = `Usage: steward <command> [options]

  serve                 run the web server and the job worker (STEWARD_ROLES decides; default both)
  worker                run only the job worker
  migrate               apply database migrations and exit
  init-db [--force]     DESTROY all data and create an empty database (asks unless --force)
  create-superadmin --email E --password P [--name N]
                        create (or reset the password of) an instance operator
  create-company --name N --slug S --email E [--seats 25]
                        create a company and print its one-time signup key
  seed-demo --company SLUG [--password P]
                        add demo users and departments to a company
  simulate-meters [--url mqtt://…] (--company SLUG [--device NAME] | --username KEY --password P [--meters a,b])
                  [--rate N] [--speed N] [--count N]
                        publish realistic meter readings to a running instance (see docs/meters.md)
  cleanup-logs [--dry-run]
                        purge expired audit entries, notifications, sent mail and webhook
                        deliveries by each company's retention settings (--dry-run: count only)
  rebuild-costs [--company SLUG]
                        rebuild the cost report's aggregate from the cost lines (one company or all)
  backup --company SLUG --out FILE [--passphrase P]
                        write one company's archive (secrets left out, or encrypted with P)
  backup --all --out DIR
                        back up the whole instance into a new folder in DIR (pg_dump when on the
                        PATH, else every company's archive; PGlite: its own data directory dump)
  restore --file F --slug S [--replace] [--name N] [--passphrase P]
                        restore a company archive as a new company S (or in place of S: --replace)
  restore --all --dir DIR
                        restore an instance backup folder into an EMPTY database
  license verify FILE   print a license file's payload and validity (exit 0 valid, 1 not)
  storage migrate       copy the local files to the S3 bucket of STORAGE_URL, verified (size, sha256)

Configuration comes from the environment and .env (see README).`;

function fail(message: string): never {
  console.error(`steward: ${message}`);
  process.exit(2);
}

async function withDatabase<T>(fn: (deps: Deps) => Promise<T>): Promise<T> {
  const config = configOrExit();
  const { createDeps } = await import('../runtime.js');
  const deps = await createDeps({ ...config, logLevel: 'warn' });
  try {
    await deps.database.migrate();
    return await fn(deps);
  } finally {
    await deps.database.close();
  }
}

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await rl.question(`${question} [y/N] `);
  rl.close();
  return /^y(es)?$/i.test(answer.trim());
}

export async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === 'license') process.exit((await import('./license.js')).licenseCommand(rest));
  if (command === 'storage') process.exit(await (await import('./storage.js')).storageCommand(rest));
  const { values } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      email: { type: 'string' },
      password: { type: 'string' },
      name: { type: 'string' },
      slug: { type: 'string' },
      seats: { type: 'string' },
      company: { type: 'string' },
      force: { type: 'boolean' },
      url: { type: 'string' },
      device: { type: 'string' },
      username: { type: 'string' },
      meters: { type: 'string' },
      rate: { type: 'string' },
      speed: { type: 'string' },
      count: { type: 'string' },
      'dry-run': { type: 'boolean' },
      out: { type: 'string' },
      file: { type: 'string' },
      dir: { type: 'string' },
      all: { type: 'boolean' },
      replace: { type: 'boolean' },
      passphrase: { type: 'string' },
      // bin/steward.mjs builds the web client first when given this (npm start).
      'build-if-needed': { type: 'boolean' },
    },
  });

  switch (command) {
    case 'serve':
    case 'worker': {
      // The database opens (PGlite: reading and compiling its WebAssembly) while the rest of the
      // server's modules load: a restart serves its first page ~0.4 s sooner (docs/PERFORMANCE.md).
      const config = configOrExit();
      const database = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      database.catch(() => {}); // reported where start() awaits it
      const { serve } = await import('../main.js');
      return serve(command === 'worker' ? ['worker'] : undefined, config, database);
    }
    case 'migrate':
      await withDatabase(async () => {});
      console.log('steward: migrations applied');
      return;
    case 'init-db': {
      if (!values.force && !(await confirm('This deletes ALL data of this Steward database. Continue?'))) {
        fail('init-db needs confirmation (run with --force in scripts)');
      }
      const config = configOrExit();
      if (config.databaseUrl) {
        const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
        await db.exec('DROP SCHEMA IF EXISTS public CASCADE; DROP SCHEMA IF EXISTS drizzle CASCADE; DROP SCHEMA IF EXISTS pgboss CASCADE; CREATE SCHEMA public;');
        await db.close();
      } else {
        rmSync(path.join(config.dataDir, 'db'), { recursive: true, force: true });
      }
      await withDatabase(async () => {});
      console.log('steward: the database is empty and migrated');
      return;
    }
    case 'create-superadmin': {
      const input = z
        .object({ email: z.email(), password: z.string().min(10, 'password must be at least 10 characters'), name: z.string().min(1).default('Operator') })
        .safeParse({ email: values.email, password: values.password, name: values.name });
      if (!input.success) fail(`create-superadmin: ${input.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      const passwordHash = await hashPassword(input.data.password);
      await withDatabase((deps) =>
        deps.database.system(async ({ tx }) => {
          const [existing] = await tx.select().from(superAdmins).where(eq(sql`lower(${superAdmins.email})`, input.data.email.toLowerCase()));
          if (existing) await tx.update(superAdmins).set({ passwordHash, name: input.data.name }).where(eq(superAdmins.id, existing.id));
          else await tx.insert(superAdmins).values({ email: input.data.email, name: input.data.name, passwordHash });
        }),
      );
      console.log(`steward: super admin ${input.data.email} is ready; log in at the usual login page`);
      return;
    }
    case 'create-company': {
      const input = z
        .object({ name: z.string().min(1), slug: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/), contactEmail: z.email(), seats: z.coerce.number().int().min(1).default(25) })
        .safeParse({ name: values.name, slug: values.slug, contactEmail: values.email, seats: values.seats });
      if (!input.success) fail(`create-company: ${input.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      const { createCompanyWithKey } = await import('../modules/companies/companies.service.js');
      const result = await withDatabase((deps) => createCompanyWithKey(deps, null, input.data));
      console.log(`steward: company ${result.company.name} (${result.company.slug}) created`);
      console.log(`signup key (shown once): ${result.signupKey}`);
      return;
    }
    case 'seed-demo': {
      if (!values.company) fail('seed-demo: --company SLUG is required');
      const password = values.password ?? 'demo-password';
      if (password.length < 10) fail('seed-demo: --password must be at least 10 characters');
      const { seedDemoData } = await import('../modules/companies/companies.demo.js');
      await withDatabase(async (deps) => {
        await deps.database.system(async (scope) => {
          const [company] = await scope.tx.select().from(companies).where(eq(companies.slug, values.company!));
          if (!company) fail(`seed-demo: no company with slug ${values.company}`);
          await seedDemoData(scope, deps, company.id, password);
        });
      });
      console.log(`steward: demo data added; demo users log in with the password "${password}"`);
      return;
    }
    case 'simulate-meters':
      return (await import('./simulate-meters.js')).simulateMeters(values);
    case 'cleanup-logs': {
      const { cleanupLogs } = await import('./cleanup-logs.js');
      const { lines } = await withDatabase((deps) => cleanupLogs(deps, { dryRun: values['dry-run'] }));
      for (const line of lines) console.log(line);
      return;
    }
    case 'rebuild-costs':
      for (const line of await withDatabase(async (deps) => (await import('./rebuild-costs.js')).rebuildCostsCli(deps, { company: values.company }))) console.log(line);
      return;
    case 'backup':
    case 'restore':
      try {
        return await (await import('./backup.js')).backupCli(command, values, withDatabase);
      } catch (error) {
        const e = error as { code?: string; message?: string; details?: unknown };
        fail(e.code ? `${command}: ${e.message} ${JSON.stringify(e.details ?? {})}` : `${command}: ${e.message ?? String(error)}`);
      }
      return;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(HELP);
      return;
    default:
      fail(`unknown command "${command}"\n\n${HELP}`);
  }
}
