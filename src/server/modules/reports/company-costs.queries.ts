// The operator's costs by client company: one set-based statement over cost_daily (the maintained
// aggregate, docs/decisions/0007-cost-aggregate.md) for every company at once. Only the 'department'
// dimension is read: each cost line is counted once under each dimension, so one of them adds up to a
// company's total. Runs in a system (owner) transaction: it reads every tenant.
import { sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db.js';
import { rowsOf } from './costs.queries.js';

export interface CompanyCostSums {
  id: string | number;
  name: string;
  slug: string;
  currency: string | null;
  labour: string;
  parts: string;
  purchases: string;
  total: string;
}

/** Every company with its sums over [from, to] (days in each company's zone), by total descending. */
export async function companyCostSums(
  tx: Tx,
  p: { from: string; to: string; purchases: 'received' | 'ordered' },
): Promise<CompanyCostSums[]> {
  const purchases = p.purchases === 'received' ? 'received' : 'ordered';
  return rowsOf<CompanyCostSums>(
    tx,
    sql`
    select co.id, co.name, co.slug,
           case when jsonb_typeof(co.settings -> 'currency') = 'string' then nullif(co.settings ->> 'currency', '') end as currency,
           coalesce(s.labour, 0)::numeric(20, 2)::text as labour,
           coalesce(s.parts, 0)::numeric(20, 2)::text as parts,
           coalesce(s.purchases, 0)::numeric(20, 2)::text as purchases,
           coalesce(s.total, 0)::numeric(20, 2)::text as total
      from companies co
      left join (
        select c.tenant_id,
               sum(c.amount) filter (where c.source = 'labour') as labour,
               sum(c.amount) filter (where c.source = 'parts') as parts,
               sum(c.amount) filter (where c.source = ${purchases}) as purchases,
               sum(c.amount) as total
          from cost_daily c
         where c.dim = 'department' and c.day >= ${p.from}::date and c.day <= ${p.to}::date
           and c.source in ('labour', 'parts', ${purchases})
         group by c.tenant_id
      ) s on s.tenant_id = co.id
     order by coalesce(s.total, 0) desc, co.name, co.id`,
  );
}
