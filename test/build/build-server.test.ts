// The production build (scripts/build.mjs): a checkout rebuilds dist/server exactly when its sources
// changed, so `git pull && npm start` never runs stale code, and the bundle finds its migrations and
// the PGlite init script beside it as the sources do.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureServerBuilt } from '../../scripts/build.mjs';

const root = mkdtempSync(path.join(tmpdir(), 'steward-build-'));
const write = (file: string, text: string) => {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), text);
};

// A miniature of the real layout: the CLI entry lazily imports a module that reads the migrations
// folder and the init script by paths relative to itself, as platform/db.ts does.
write('package.json', JSON.stringify({ name: 'mini', version: '1.2.3', type: 'module' }));
write('tsconfig.json', JSON.stringify({ compilerOptions: { module: 'nodenext', target: 'es2022', strict: true } }));
write(
  'src/server/cli/index.ts',
  "export async function main(): Promise<string> {\n  const { where } = await import('../platform/db.js');\n  return where();\n}\n",
);
write(
  'src/server/platform/db.ts',
  "import { existsSync } from 'node:fs';\nimport { fileURLToPath } from 'node:url';\n" +
    "export const where = () => [new URL('../db/migrations/meta/_journal.json', import.meta.url), new URL('./pglite-init.mjs', import.meta.url)]" +
    ".map((u) => existsSync(fileURLToPath(u))).join(',') + ' v1';\n",
);
write('src/server/platform/pglite-init.mjs', '// init\n');
write('src/server/db/migrations/meta/_journal.json', '{"entries":[]}');
write('src/server/platform/db.test.ts', '// tests are not part of the build\n');

/** Runs the bundle's main() in a fresh Node process, as `node bin/steward.mjs` would. */
const run = async () => {
  const entry = pathToFileURL(path.join(root, 'dist/server/steward.js')).href;
  const script = `const { main } = await import(${JSON.stringify(entry)}); process.stdout.write(await main());`;
  return execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
};

describe('server build', () => {
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('builds a missing dist/server whose bundle finds the migrations and the init script', async () => {
    expect(await ensureServerBuilt(root, () => {})).toBe(true);
    expect(await run()).toBe('true,true v1');
    expect(JSON.parse(readFileSync(path.join(root, 'dist/server/build.json'), 'utf8')).digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not rebuild while the sources are unchanged, even when their times change', async () => {
    const future = new Date(Date.now() + 3_600_000);
    utimesSync(path.join(root, 'src/server/cli/index.ts'), future, future);
    expect(await ensureServerBuilt(root, () => {})).toBe(false);
    write('src/server/platform/db.test.ts', '// a changed test does not touch the build\n');
    expect(await ensureServerBuilt(root, () => {})).toBe(false);
  });

  it('rebuilds after a source changes (an upgrade), and the new code runs', async () => {
    const db = path.join(root, 'src/server/platform/db.ts');
    writeFileSync(db, readFileSync(db, 'utf8').replace("' v1'", "' v2'"));
    // An older mtime than the build's, as a checkout or an extracted archive may leave it.
    const past = new Date(Date.now() - 86_400_000);
    utimesSync(db, past, past);
    expect(await ensureServerBuilt(root, () => {})).toBe(true);
    expect(await run()).toBe('true,true v2');
  });

  it('rebuilds when the version changes', async () => {
    write('package.json', JSON.stringify({ name: 'mini', version: '1.2.4', type: 'module' }));
    expect(await ensureServerBuilt(root, () => {})).toBe(true);
  });
});
