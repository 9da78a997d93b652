// The operator's costs by client company (issue 15 item 1): every company of the instance with its
// labour, parts and purchases over a period, from the maintained aggregate, in one system transaction.
import { DEFAULT_CURRENCY } from '../../../shared/locale.js';
import type { CompanyCosts, CompanyCostsQuery } from '../../../shared/contracts/company-costs.js';
import { addDays, isDateOnly } from '../../../shared/time/index.js';
import type { Ctx } from '../../platform/context.js';
import { invalid } from '../../platform/errors.js';
import { companyCostSums } from './company-costs.queries.js';
import { MAX_PERIOD_DAYS } from './reports.service.js';

export async function companyCosts(ctx: Ctx, q: CompanyCostsQuery): Promise<CompanyCosts> {
  if (!isDateOnly(q.from) || !isDateOnly(q.to)) throw invalid({ from: 'must be a date like 2026-03-31' });
  if (q.from > q.to) throw invalid({ from: 'must not be after to' });
  if (addDays(q.from, MAX_PERIOD_DAYS) < q.to) throw invalid({ to: `a report covers at most ${MAX_PERIOD_DAYS} days` });
  const rows = await ctx.deps.database.system(({ tx }) => companyCostSums(tx, q));
  return {
    rows: rows.map((r) => ({
      companyId: String(r.id),
      name: r.name,
      slug: r.slug,
      currency: r.currency ?? DEFAULT_CURRENCY,
      // Exact numeric(20,2) sums from SQL, converted once (as the company cost report does).
      labour: Number(r.labour),
      parts: Number(r.parts),
      purchases: Number(r.purchases),
      total: Number(r.total),
    })),
    from: q.from,
    to: q.to,
    purchases: q.purchases,
  };
}

const CSV_COLUMNS = ['companyId', 'name', 'slug', 'currency', 'labour', 'parts', 'purchases', 'total'] as const;

/** The rows as CSV, amounts with two places (RFC 4180 quoting; a cell starting like a formula is prefixed with '). */
export function companyCostsCsv(report: CompanyCosts): string {
  const cell = (x: string | number) => {
    const v = typeof x === 'number' ? x.toFixed(2) : x;
    const safe = /^[=+\-@\t\r]/.test(v) && !/^-?\d/.test(v) ? `'${v}` : v;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  const lines = [CSV_COLUMNS.join(','), ...report.rows.map((r) => CSV_COLUMNS.map((c) => cell(r[c])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}
