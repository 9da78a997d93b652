// Document search on PostgreSQL at scale: 200,000 documents in company 1 (and as many spread over 9
// others), the list endpoint's query (search on title and file name, first page of 50) run through
// Steward's repo in a tenant transaction, beside the raw limit of the same machine: the first page of
// the company's documents by id with no search (an index range scan), and the search as it ran
// before migration 0030 (plain ilike under row-level security).
//
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/steward_bench_documents node --import tsx bench/documents.ts
import pg from 'pg';
import { listDocuments } from '../src/server/modules/documents/documents.repo.js';
import { openDatabase } from '../src/server/platform/db.js';
import { assertLoopback, fmt, inTenant, insertCompanies, intEnv, recreateWithMigrations } from './load.js';

const URL_ = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/steward_bench_documents';
const DOCS = intEnv('BENCH_DOCUMENTS', 200_000, 1000, 10_000_000);
const RUNS = intEnv('BENCH_RUNS', 30, 1, 10_000);

async function main() {
  assertLoopback(URL_);
  await recreateWithMigrations(URL_);
  const pool = new pg.Pool({ connectionString: URL_, max: 2 });
  const q = (text: string, values: unknown[] = []) => pool.query(text, values);
  await insertCompanies(q, 10);
  const t0 = Date.now();
  await q(
    `insert into documents (tenant_id, title, file_name, file_size, content_type, storage_key)
     select 1 + (g % 10) * (case when g <= $1 then 0 else 1 end),
            (array['Boiler','Chiller','Pump','Elevator','Fire alarm','Generator','Travel','Safety','Onboarding','Lease'])[1 + g % 10]
              || ' ' || (array['manual','policy','how-to','contract','certificate'])[1 + (g / 10) % 5] || ' ' || g,
            'doc-' || g || '.pdf', 1000 + g % 5000, 'application/pdf', 't1/documents/' || md5(g::text)
     from generate_series(1, $1 * 2) g`,
    [DOCS],
  );
  await q('analyze documents');
  process.stderr.write(`generated ${DOCS * 2} documents in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);

  const database = await openDatabase({ databaseUrl: URL_, dataDir: '/tmp', poolSize: 2 });
  const time = async (label: string, fn: () => Promise<unknown>) => {
    await fn();
    const ms: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const s = performance.now();
      await fn();
      ms.push(performance.now() - s);
    }
    ms.sort((a, b) => a - b);
    console.log(`| ${label} | ${fmt(ms[Math.floor(ms.length / 2)])} | ${fmt(ms[Math.floor(ms.length * 0.95)])} |`);
  };
  console.log('| query (company 1, 200k of 400k documents, first page of 50) | median ms | p95 ms |\n| --- | --- | --- |');
  await time('raw limit: first page by id, no search (raw pg, index range scan)', () =>
    q('select id, title from documents where tenant_id = 1 order by id desc limit 51'),
  );
  await time('Steward list, no search', () => database.withTenant(1, ({ tx }) => listDocuments(tx, 1, { before: null, take: 51 })));
  await time('Steward search q=boiler (common word, ~10% of rows)', () =>
    database.withTenant(1, ({ tx }) => listDocuments(tx, 1, { q: 'boiler', before: null, take: 51 })),
  );
  await time('Steward search q=123456 (rare: a few rows)', () =>
    database.withTenant(1, ({ tx }) => listDocuments(tx, 1, { q: '123456', before: null, take: 51 })),
  );
  await time('Steward search q=zzz (no match)', () =>
    database.withTenant(1, ({ tx }) => listDocuments(tx, 1, { q: 'zzz', before: null, take: 51 })),
  );
  // Before migration 0030: the same search as plain ilike under row-level security (raw, in a tenant transaction).
  const client = await pool.connect();
  await time('before 0030: q=123456 as ilike under RLS (raw pg)', () =>
    inTenant(client, 1, () =>
      client.query(
        "select id from documents where tenant_id = 1 and (title ilike '%123456%' or file_name ilike '%123456%') order by id desc limit 51",
      ),
    ),
  );
  client.release();
  await database.close();
  await pool.end();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
