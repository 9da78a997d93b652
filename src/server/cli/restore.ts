// `steward restore --file F --slug S [--replace] [--name N] [--passphrase P]` and `steward restore --all --dir DIR`.
import type { Config } from '../config.js';
import type { Deps } from '../platform/context.js';

export async function restoreCompanyCommand(
  deps: Deps,
  options: { file: string; slug: string; replace: boolean; name?: string; passphrase?: string },
): Promise<string[]> {
  const { restoreCompany } = await import('../modules/backup/restore.service.js');
  const result = await restoreCompany(deps, null, null, options.file, {
    mode: options.replace ? 'replace' : 'new',
    slug: options.slug,
    ...(options.name ? { name: options.name } : {}),
    ...(options.passphrase ? { passphrase: options.passphrase } : {}),
  });
  return [`company ${result.company.name} (${result.company.slug}) restored${options.replace ? ' in place' : ''}`, ...result.notes];
}

export async function restoreAllCommand(config: Config, dir: string): Promise<string> {
  const { restoreInstance } = await import('../modules/backup/backup.instance.js');
  const { createDeps } = await import('../runtime.js');
  const manifest = await restoreInstance(config, dir, () => createDeps({ ...config, logLevel: 'warn' }));
  return `instance restored from ${dir} (${manifest.kind}, ${manifest.companies.length} companies)`;
}
