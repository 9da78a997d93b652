// `steward backup --company SLUG --out FILE [--passphrase P]` and `steward backup --all --out DIR`.
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { configOrExit } from '../config.js';
import type { Deps } from '../platform/context.js';

function fail(message: string): never {
  throw new Error(message);
}

export async function backupCompanyCommand(deps: Deps, slug: string, out: string, passphrase: string | undefined): Promise<string> {
  const { companyBackupStream } = await import('../modules/backup/backup.export.js');
  const { companyIdBySlug } = await import('../modules/backup/backup.service.js');
  const id = await companyIdBySlug(deps, slug);
  if (id === null) throw new Error(`no company with slug ${slug}`);
  const partial = `${out}.partial`;
  try {
    await pipeline(companyBackupStream(deps, id, passphrase ? { passphrase } : {}), createWriteStream(partial, { mode: 0o600 }));
    await rename(partial, out);
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  }
  return out;
}

export async function backupAllCommand(deps: Deps, outDir: string): Promise<string> {
  const { backupInstance } = await import('../modules/backup/backup.instance.js');
  const { dir, manifest } = await backupInstance(deps, outDir);
  return `${dir} (${manifest.kind}, ${manifest.companies.length} companies)`;
}

/** The dispatch of `steward backup` and `steward restore` (src/server/cli/index.ts hands over). */
export async function backupCli(
  command: 'backup' | 'restore',
  values: Record<string, string | boolean | undefined>,
  withDatabase: <T>(fn: (deps: Deps) => Promise<T>) => Promise<T>,
): Promise<void> {
  const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  switch (command) {
    case 'backup': {
      if (!values.out) fail('backup: --out is required');
            const out = str('out') as string;
      const slug = str('company');
      if (values.all) console.log(`steward: backup written to ${await withDatabase((deps) => backupAllCommand(deps, out))}`);
      else if (slug) console.log(`steward: backup written to ${await withDatabase((deps) => backupCompanyCommand(deps, slug, out, str('passphrase')))}`);
      else fail('backup: give --company SLUG or --all');
      return;
    }
    case 'restore': {
      const cli = await import('./restore.js');
      if (values.all) {
        const dir = str('dir');
        if (!dir) fail('restore --all: --dir is required');
        console.log(`steward: ${await cli.restoreAllCommand(configOrExit(), dir)}`);
        return;
      }
      const file = str('file');
      const slug = str('slug');
      if (!file || !slug) fail('restore: give --file F --slug S (or --all --dir DIR)');
      const lines = await withDatabase((deps) =>
        cli.restoreCompanyCommand(deps, { file, slug, replace: values.replace === true, name: str('name'), passphrase: str('passphrase') }),
      );
      for (const line of lines) console.log(`steward: ${line}`);
      return;
    }
  }
}
