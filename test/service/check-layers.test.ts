// scripts/check-layers.mjs (run by `npm run lint`): the tree passes, and each rule refuses what it names.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const script = path.resolve(import.meta.dirname, '../../scripts/check-layers.mjs');
const run = (args: string[], input?: string) => spawnSync(process.execPath, [script, ...args], { input, encoding: 'utf8' });
/** The rules a source breaks when it sits at `file`. */
const rulesOf = (file: string, src: string) => {
  const r = run(['--probe', file], src);
  return [...r.stdout.matchAll(/\[([a-z-]+)\]/g)].map((m) => m[1]);
};

describe('check-layers', () => {
  it('passes on the tree as it is (with its allowlist)', () => {
    const r = run([]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('refuses the database in a route, even its types', () => {
    expect(rulesOf('src/server/modules/roles/probe.routes.ts', "import type { Tx } from '../../platform/db.js';\n")).toEqual(['route-db']);
    expect(rulesOf('src/server/modules/roles/probe.routes.ts', "import { roles } from '../../db/schema/index.js';\n")).toEqual(['route-db']);
  });

  it('refuses SQL outside repositories and query files, and allows it in them', () => {
    const query = "import type { Scope } from '../../platform/db.js';\nexport const f = (scope: Scope) => scope.tx\n  .select()\n  .from(x);\n";
    expect(rulesOf('src/server/modules/roles/probe.service.ts', query)).toEqual(['sql']);
    expect(rulesOf('src/server/modules/roles/probe.service.ts', "import { and, eq } from 'drizzle-orm';\n")).toEqual(['sql']);
    expect(rulesOf('src/server/modules/roles/probe.service.ts', "import type { RoleRow } from '../../db/schema/index.js';\n")).toEqual([]);
    expect(rulesOf('src/server/modules/roles/probe.repo.ts', `import { eq } from 'drizzle-orm';\n${query}`)).toEqual([]);
    expect(rulesOf('src/server/modules/roles/probe.queries.ts', `import { eq } from 'drizzle-orm';\n${query}`)).toEqual([]);
  });

  it('lets a module reach another only through its service', () => {
    expect(rulesOf('src/server/modules/roles/probe.service.ts', "import { findUser } from '../users/users.repo.js';\n")).toEqual(['cross-module']);
    expect(rulesOf('src/server/modules/roles/probe.service.ts', "import { type UserDto } from '../users/users.dto.js';\n")).toEqual(['cross-module']);
    expect(rulesOf('src/server/modules/roles/probe.service.ts', "import { listUsers } from '../users/users.service.js';\nimport { ctxOf } from '../http.js';\n")).toEqual([]);
    expect(rulesOf('src/server/modules/roles/roles.demo.ts', "import { seedDemoAssets } from '../assets/assets.demo.js';\n")).toEqual([]);
  });

  it('refuses a stand-in withTenant', () => {
    const fake = 'const database = { ...ctx.deps.database, withTenant: async (_id, fn) => fn(scope) };\n';
    expect(rulesOf('src/server/modules/roles/probe.service.ts', fake)).toEqual(['fake-scope']);
  });
});
