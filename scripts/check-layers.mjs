#!/usr/bin/env node
// Fails when a server module breaks the layers of ARCHITECTURE.md ("Rules of the house"):
//
//   sql          SQL lives only in a module's repositories: `<name>.repo.ts`, or a named query file
//                `<name>.queries.ts` when one repository would grow past ~500 lines. Elsewhere in
//                src/server/modules a file may not import drizzle-orm, src/server/db/schema or
//                platform/db (type-only imports are fine: row types and `Scope` carry no SQL), nor call
//                a transaction's query builders (`tx.select(…)`, `scope.tx.insert(…)`, `db.execute(…)`).
//                Demo seeders (`*.demo.ts`, run by `steward seed-demo` only) write fixture rows in bulk
//                the way a migration does and are exempt; one may call another module's seeder or repository.
//   route-db     Routes (`*.routes.ts`) never import the database at all, not even its types.
//   cross-module A module imports another module only through that module's `*.service.ts`; the files
//                directly in modules/ (http.ts, index.ts) are shared by every module.
//   fake-scope   Composing services never fakes a `withTenant`: a service that runs inside a caller's
//                transaction takes the caller's `Scope`.
//   upward       platform/, db/ and src/shared never import a module.
//
// ALLOWLIST names the files that still break a rule and why; an entry that no longer breaks its rule
// fails too, so the list only shrinks.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const repoRoot = path.resolve(import.meta.dirname, '..');
const server = path.join(repoRoot, 'src/server');
const modulesDir = path.join(server, 'modules');

/** file (relative to src/server/modules) → the rules it may still break, with the reason. */
const ALLOWLIST = {};

function walk(dir, out = []) {
  for (const f of readdirSync(dir)) {
    const p = path.join(dir, f);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f)) out.push(p);
  }
  return out;
}

function resolve(from, spec) {
  if (!spec.startsWith('.')) return null;
  const base = path.resolve(path.dirname(from), spec.replace(/\.js$/, ''));
  for (const c of [`${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')]) if (existsSync(c)) return c;
  return base;
}

/** Every import and re-export of a file, and whether it is erased at run time (type-only). */
function importsOf(src) {
  const found = [];
  const re = /^\s*(import|export)\s+(type\s+)?(?:([\s\S]*?)\s+from\s+)?['"]([^'"]+)['"]/gm;
  for (const m of src.matchAll(re)) {
    const clause = m[3] ?? '';
    if (m[1] === 'export' && !/^(\*|\{)/.test(clause.trim())) continue; // `export const x = '…'` is no import
    const named = clause.match(/^\{([\s\S]*)\}$/);
    const allTypes = named ? named[1].split(',').filter((s) => s.trim()).every((s) => /^\s*type\s/.test(s)) : false;
    found.push({ spec: m[4], typeOnly: Boolean(m[2]) || allTypes, line: src.slice(0, m.index).split('\n').length + (m[0].match(/^\s*/)[0].split('\n').length - 1) });
  }
  return found;
}

const QUERY_CALL = /\b(?:tx|trx|db|drizzle)\s*\.\s*(?:select|selectDistinct|selectDistinctOn|insert|update|delete|execute|query|with|\$count|\$with)\b\s*[(.<]/g;
const FAKE_SCOPE = /\bwithTenant\s*:/g;

const isSchema = (target) => target?.startsWith(path.join(server, 'db/schema'));
const isPlatformDb = (target) => target === path.join(server, 'platform/db.ts');
const isDrizzle = (spec) => spec === 'drizzle-orm' || spec.startsWith('drizzle-orm/');
const moduleOf = (file) => {
  const rel = path.relative(modulesDir, file);
  return rel.startsWith('..') || !rel.includes(path.sep) ? null : rel.split(path.sep)[0];
};
const lineAt = (src, index) => src.slice(0, index).split('\n').length;

const violations = [];
const report = (file, rule, line, what) => violations.push({ file, rule, line, what });

/** The rules a file of src/server/modules breaks, judged from its path and source. */
function checkModuleFile(file, src) {
  const base = path.basename(file);
  const mine = moduleOf(file);
  const sqlAllowed = /\.(repo|queries|demo)\.ts$/.test(base);
  const isRoute = /\.routes\.ts$/.test(base) || base === 'http.ts';
  for (const imp of importsOf(src)) {
    const target = resolve(file, imp.spec);
    const database = isDrizzle(imp.spec) || isSchema(target) || isPlatformDb(target);
    if (database && isRoute) report(file, 'route-db', imp.line, `imports ${imp.spec}`);
    else if (database && !sqlAllowed && !imp.typeOnly) report(file, 'sql', imp.line, `imports ${imp.spec}`);
    const other = target && moduleOf(target);
    const seeding = base.endsWith('.demo.ts') && /\.(demo|repo)\.ts$/.test(target);
    if (mine && other && other !== mine && !target.endsWith('.service.ts') && !seeding) report(file, 'cross-module', imp.line, `imports ${imp.spec}`);
  }
  if (!sqlAllowed) for (const m of src.matchAll(QUERY_CALL)) report(file, 'sql', lineAt(src, m.index), `calls ${m[0].replace(/\s+/g, '')}`);
  for (const m of src.matchAll(FAKE_SCOPE)) report(file, 'fake-scope', lineAt(src, m.index), 'replaces withTenant');
}

// `--probe <path>`: judge the source on stdin as if it were that file (no allowlist); for the tests.
const probe = process.argv.indexOf('--probe');
if (probe > 0) {
  checkModuleFile(path.resolve(repoRoot, process.argv[probe + 1]), readFileSync(0, 'utf8'));
  for (const v of violations) console.log(`${v.line} [${v.rule}] ${v.what}`);
  process.exit(violations.length ? 1 : 0);
}

for (const file of walk(modulesDir)) checkModuleFile(file, readFileSync(file, 'utf8'));

for (const dir of ['platform', 'db', '../shared']) {
  for (const file of walk(path.join(server, dir))) {
    for (const imp of importsOf(readFileSync(file, 'utf8'))) {
      const target = resolve(file, imp.spec);
      if (target?.startsWith(modulesDir + path.sep)) report(file, 'upward', imp.line, `imports ${imp.spec}`);
    }
  }
}

let failed = 0;
const used = new Set();
for (const v of violations) {
  const rel = path.relative(modulesDir, v.file);
  if (ALLOWLIST[rel]?.includes(v.rule)) {
    used.add(`${rel}:${v.rule}`);
    continue;
  }
  failed++;
  console.error(`${path.relative(repoRoot, v.file)}:${v.line} [${v.rule}] ${v.what}`);
}
for (const [rel, rules] of Object.entries(ALLOWLIST)) {
  for (const rule of rules) {
    if (used.has(`${rel}:${rule}`)) continue;
    failed++;
    console.error(`scripts/check-layers.mjs: ${rel} no longer breaks [${rule}]; remove it from ALLOWLIST`);
  }
}
if (failed) {
  console.error(`${failed} layer problem(s); see the header of scripts/check-layers.mjs for the rules`);
  process.exit(1);
}
console.log(`layers hold (${Object.keys(ALLOWLIST).length} files allowlisted)`);
