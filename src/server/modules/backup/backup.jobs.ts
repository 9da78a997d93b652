// The daily instance backup into BACKUP_DIR (docs/backup.md) and its retention: which of the
// backups there stay (the newest of each recent day and ISO week) and which are removed.
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Deps } from '../../platform/context.js';
import type { JobDefinition } from '../../platform/jobs.js';
import { BACKUP_NAME, backupInstance } from './backup.instance.js';

/**
 * Which backups retention removes: the newest of each of the last `daily` days that have one and the
 * newest of each of the last `weekly` ISO weeks stay; so do names that are not backups.
 */
export function backupsToRemove(names: string[], daily: number, weekly: number): string[] {
  const backups = names
    .filter((n) => BACKUP_NAME.test(n))
    .sort()
    .reverse();
  const keep = new Set<string>();
  const days = new Set<string>();
  const weeks = new Set<string>();
  for (const n of backups) {
    const [, y, m, d] = BACKUP_NAME.exec(n) as RegExpExecArray;
    const day = `${y}-${m}-${d}`;
    if (!days.has(day) && days.size < daily) {
      days.add(day);
      keep.add(n);
    }
    const week = isoWeek(new Date(`${day}T00:00:00Z`));
    if (!weeks.has(week) && weeks.size < weekly) {
      weeks.add(week);
      keep.add(n);
    }
  }
  return backups.filter((n) => !keep.has(n));
}

function isoWeek(d: Date): string {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const day = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - day);
  const year = t.getUTCFullYear();
  const week = Math.ceil(((t.getTime() - Date.UTC(year, 0, 1)) / 86400000 + 1) / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** A backup into BACKUP_DIR, then retention. */
export async function scheduledBackup(deps: Deps): Promise<{ dir: string; removed: string[] }> {
  const outDir = deps.config.backupDir as string;
  await mkdir(outDir, { recursive: true, mode: 0o700 });
  const { dir } = await backupInstance(deps, outDir);
  const removed = backupsToRemove(await readdir(outDir), deps.config.backupKeepDaily, deps.config.backupKeepWeekly);
  for (const n of removed) await rm(path.join(outDir, n), { recursive: true, force: true });
  return { dir, removed };
}

/** The daily instance backup (off without BACKUP_DIR). */
export function backupJobs(deps: Deps): JobDefinition[] {
  if (!deps.config.backupDir) return [];
  return [
    {
      name: 'backup.instance',
      cron: `0 ${deps.config.backupHour} * * *`,
      retryLimit: 2,
      retryDelay: 600,
      expireInSeconds: 6 * 60 * 60,
      policy: 'stately',
      handler: async () => {
        const result = await scheduledBackup(deps);
        deps.log.info(result, 'instance backup written');
      },
    },
  ];
}
