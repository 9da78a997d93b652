// `steward rebuild-costs [--company SLUG]`: rebuilds the maintained cost aggregate (cost_daily) of one
// company or of all from their cost lines. The triggers keep it current and a change of the company
// zone rebuilds it by itself; this is for repairs and after loading lines with triggers off.
import type { Deps } from '../platform/context.js';
import { rebuildCosts } from '../modules/reports/reports.service.js';

/** Runs the rebuild and returns the lines to print. */
export async function rebuildCostsCli(deps: Deps, opts: { company?: string } = {}): Promise<string[]> {
  const done = await rebuildCosts(deps, opts.company);
  if (opts.company && done.length === 0) throw new Error(`no company with slug ${opts.company}`);
  return [...done.map((d) => `steward: ${d.slug}: cost aggregate rebuilt (${d.rows} rows)`), `steward: ${done.length} companies rebuilt`];
}
