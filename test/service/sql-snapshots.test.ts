// The SQL that the main repository queries send, recorded through a Drizzle instance whose client
// answers every statement with no rows: a change in the generated SQL shows up in review as a
// snapshot diff. Also checks that outer columns inside raw subqueries are table-qualified, and that
// the lint (scripts/check-sql.mjs) refuses the bare form.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { drizzle } from 'drizzle-orm/pglite';
import { describe, expect, it } from 'vitest';
import * as schema from '../../src/server/db/schema/index.js';
import { tickets } from '../../src/server/db/schema/index.js';
import type { UserActor } from '../../src/server/platform/actor.js';
import type { Tx } from '../../src/server/platform/db.js';
import { findDepartment, findDepartments } from '../../src/server/modules/departments/departments.repo.js';
import { findMovements, findParts, stockOf } from '../../src/server/modules/inventory/inventory.repo.js';
import { findTreePage } from '../../src/server/modules/locations/locations.repo.js';
import { findOrCreateChain } from '../../src/server/modules/locations/locations.service.js';
import { findMentioned } from '../../src/server/modules/tickets/comments.repo.js';
import { visibleTickets } from '../../src/server/modules/tickets/tickets.policy.js';
import { findUser, findUsers, onlineUsers } from '../../src/server/modules/users/users.repo.js';

/** Runs `fn` against a database that records each statement and returns nothing. */
async function recorded(fn: (tx: Tx) => Promise<unknown>): Promise<Array<{ sql: string; params: unknown[] }>> {
  const log: Array<{ sql: string; params: unknown[] }> = [];
  const client = {
    query: async (text: string, params: unknown[]) => {
      log.push({ sql: text, params });
      return { rows: [], fields: [], affectedRows: 0 };
    },
  };
  const db = drizzle(client as never, { schema, casing: 'snake_case' });
  await fn(db as unknown as Tx);
  return log;
}

const sqlOf = async (fn: (tx: Tx) => Promise<unknown>) => (await recorded(fn)).map((q) => q.sql);

const actor = {
  kind: 'user',
  userId: 7,
  tenantId: 1,
  roleId: 3,
  departmentId: 5,
  permissions: new Set(['tickets.view_department', 'tickets.view_assigned', 'tickets.approve']),
} as unknown as UserActor;

// An alias column compared with a bare quoted name ("id") is the bug this file guards against.
const BARE_OUTER = /\b[a-z]{1,2}\.[a-z_]+ = "[a-z_]+"(?!\.)/;

describe('repository SQL', () => {
  it('departments: head and user count read the outer department row', async () => {
    const [list] = await sqlOf((tx) => findDepartments(tx, 1, { after: ['sales', 3], limit: 50 }));
    expect(list).toContain('u.department_id = "departments"."id"');
    expect(list).toContain('u.tenant_id = "departments"."tenant_id"');
    expect(list).not.toMatch(BARE_OUTER);
    expect(list).toMatchSnapshot();
    expect(await sqlOf((tx) => findDepartment(tx, 1, 9))).toMatchSnapshot();
  });

  it('inventory: stock totals and movement names read the outer row', async () => {
    const [parts] = await sqlOf((tx) => findParts(tx, 1, { q: 'bolt', belowReorder: true, after: ['a', 2], limit: 50 }));
    expect(parts).toContain('s.tenant_id = "parts"."tenant_id" and s.part_id = "parts"."id"');
    expect(parts).not.toMatch(BARE_OUTER);
    expect(parts).toMatchSnapshot();
    const [movements] = await sqlOf((tx) => findMovements(tx, 1, 4, { before: 100, limit: 20 }));
    expect(movements).toContain('l.tenant_id = "stock_movements"."tenant_id" and l.id = "stock_movements"."location_id"');
    expect(movements).toContain('t.tenant_id = "stock_movements"."tenant_id" and t.id = "stock_movements"."ticket_id"');
    expect(movements).not.toMatch(BARE_OUTER);
    expect(movements).toMatchSnapshot();
    expect(await sqlOf((tx) => stockOf(tx, 1, [4, 5]))).toMatchSnapshot();
  });

  it('comments: mentioned users are looked up in the author’s company (who may hear of it is the visibility rule’s)', async () => {
    const [mentioned] = await sqlOf((tx) => findMentioned(tx, 1, ['ana']));
    expect(mentioned).toContain('"users"."tenant_id" = $1');
    expect(mentioned).not.toMatch(BARE_OUTER);
    expect(mentioned).toMatchSnapshot();
  });

  it('tickets: the visibility condition qualifies the ticket in its subqueries', async () => {
    const db = drizzle.mock({ schema, casing: 'snake_case' });
    // In a one-table select list Drizzle drops table names from bare columns; the condition must survive that.
    const { sql } = db.select({ id: tickets.id, visible: visibleTickets(actor) }).from(tickets).toSQL();
    expect(sql).toContain('w.tenant_id = "tickets"."tenant_id" and w.ticket_id = "tickets"."id"');
    expect(sql).not.toMatch(BARE_OUTER);
    expect(sql).toMatchSnapshot();
  });

  it('users and locations', async () => {
    expect(await sqlOf((tx) => findUsers(tx, 1, { q: 'ana', status: 'active', after: ['ana', 3], limit: 50 }))).toMatchSnapshot();
    expect(await sqlOf((tx) => findUser(tx, 1, 3))).toMatchSnapshot();
    expect(await sqlOf((tx) => onlineUsers(tx, 1))).toMatchSnapshot();
    expect(await sqlOf((tx) => findOrCreateChain(tx, 1, ['Site', 'Room'], false))).toMatchSnapshot();
  });

  it('locations: the tree page orders by the chain of names of the outer row, compared byte by byte', async () => {
    const [page] = await sqlOf((tx) => findTreePage(tx, 1, { afterId: 9, limit: 50, q: 'room' }));
    expect(page).toContain('a.tenant_id = "locations"."tenant_id"');
    expect(page).toContain(`trim(both '/' from "locations"."path")`);
    expect(page).toContain('collate "C"');
    expect(page).not.toMatch(BARE_OUTER);
    expect(page).toMatchSnapshot();
  });
});

describe('scripts/check-sql.mjs', () => {
  const script = path.resolve(import.meta.dirname, '../../scripts/check-sql.mjs');

  it('refuses a bare outer column in a raw subquery and accepts the qualified one', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'check-sql-'));
    try {
      const file = (body: string) =>
        `import { sql } from 'drizzle-orm';\nimport { qualified } from '../db/qualified.js';\nimport { departments } from '../db/schema/index.js';\n${body}\n`;
      const q = 'export const n = sql';
      writeFileSync(path.join(dir, 'bad.ts'), file(`${q}\`(select count(*) from users u where u.department_id = \${departments.id})\`;`));
      writeFileSync(path.join(dir, 'good.ts'), file(`${q}\`(select count(*) from users u where u.department_id = \${qualified(departments.id)})\`;`));
      writeFileSync(path.join(dir, 'owned.ts'), file(`${q}\`select \${departments.id} from \${departments} where \${departments.name} = 'x'\`;`));
      const bad = spawnSync(process.execPath, [script, dir], { encoding: 'utf8' });
      expect(bad.status).toBe(1);
      expect(bad.stderr).toContain(`bad.ts:4: \${departments.id} in a raw subquery`);
      expect(bad.stderr).not.toContain('good.ts');
      expect(bad.stderr).not.toContain('owned.ts');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('passes on src/server', () => {
    const run = spawnSync(process.execPath, [script], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});
