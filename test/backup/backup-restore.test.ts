// A company with rows in every company table is backed up, restored on an empty instance (a second
// harness, another SESSION_SECRET) and in place of itself (replace), and compared row by row (ids
// kept) and file by file. Damaged, altered, foreign and newer archives are refused with nothing written;
// an older archive lacking a newer column is upgraded (the column gets its default).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreCompany } from '../../src/server/modules/backup/restore.service.js';
import { SKIPPED_TABLES } from '../../src/server/modules/backup/backup.tables.js';
import { createCompany, createSuperAdmin, PASSWORD } from '../factories.js';
import { type Client, type Harness, harness } from '../harness.js';
import { companyFiles, dumpCompany, type Entry, fillEmptyTables, repack, restoreRequest, rowCounts, tenantTables, unpack } from './backup-helpers.js';

const PASSPHRASE = 'correct horse battery staple';

/** Every table equal, row by row; the audit log may end with the entries of the backups made after the snapshot. */
function expectSame(before: Record<string, string[]>, after: Record<string, string[]>) {
  for (const table of Object.keys(before)) {
    if (table !== 'audit_log') {
      expect(after[table], table).toEqual(before[table]);
      continue;
    }
    const n = before[table]?.length ?? 0;
    expect(after[table]?.slice(0, n)).toEqual(before[table]);
    for (const extra of after[table]?.slice(n) ?? []) expect(JSON.parse(extra).action).toBe('company.backed_up');
  }
}

describe('company backup and restore', () => {
  let h1: Harness;
  let h2: Harness;
  let admin: Client;
  let tenant: number;
  let before: Record<string, string[]>;
  let filesBefore: Map<string, Buffer>;
  let encrypted: Buffer;
  let plain: Buffer;

  beforeAll(async () => {
    h1 = await harness();
    admin = h1.client();
    const res = await admin.post('/api/v1/setup', {
      company: { name: 'Demo Corp', slug: 'demo' },
      admin: { name: 'Ada Admin', email: 'ada@demo.test', password: PASSWORD },
      demoData: true,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    tenant = Number(res.body.company.id);
    await fillEmptyTables(h1, tenant);
    expect((await admin.login('ada@demo.test', PASSWORD)).status).toBe(200);
    before = await dumpCompany(h1, tenant);
    filesBefore = await companyFiles(h1, tenant);
    h2 = await harness({ sessionSecret: 'y'.repeat(32) });
  });
  afterAll(async () => {
    await h1?.close();
    await h2?.close();
  });

  it('has data in every company table (a new table needs rows here before this passes)', async () => {
    const counts = await rowCounts(h1, tenant);
    const empty = Object.entries(counts).filter(([t, n]) => n === 0 && !SKIPPED_TABLES[t]);
    expect(empty).toEqual([]);
    expect(filesBefore.size).toBeGreaterThanOrEqual(3);
  });

  it('downloads an archive with a manifest; secrets left out and listed, or encrypted with the passphrase', async () => {
    const res = await admin.request('POST', '/api/v1/company/backup', {});
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/gzip');
    expect(String(res.headers['content-disposition'])).toMatch(/attachment; filename="steward-demo-.*\.tar\.gz"/);
    plain = res.raw.rawPayload;
    const entries = await unpack(plain);
    const manifest = JSON.parse((entries.find((e) => e.name === 'manifest.json') as Entry).body.toString());
    expect(manifest.format).toBe('steward-company-backup');
    expect(manifest.schemaVersion).toBeGreaterThan(20);
    expect(manifest.secrets.mode).toBe('left-out');
    const left = manifest.secrets.toReEnter.map((s: { table: string; column: string }) => `${s.table}.${s.column}`);
    expect(left).toEqual(expect.arrayContaining(['mailboxes.password_enc', 'devices.secret_hash', 'api_tokens.token_hash']));
    const tables = manifest.tables.map((t: { name: string }) => t.name);
    for (const t of await tenantTables(h1)) if (!SKIPPED_TABLES[t]) expect(tables).toContain(t);
    const tickets = manifest.tables.find((t: { name: string }) => t.name === 'tickets');
    expect(tickets.rows).toBe(before.tickets?.length);
    expect(manifest.files).toHaveLength(filesBefore.size);
    // No secret in the plain archive.
    expect(plain.includes('imap-password-123')).toBe(false);
    expect(entries.some((e) => e.body.includes('imap-password-123') || e.body.includes('devsecrethash'))).toBe(false);

    const enc = await admin.post('/api/v1/company/backup', { passphrase: PASSPHRASE });
    expect(enc.status).toBe(200);
    encrypted = enc.raw.rawPayload;
    const m2 = JSON.parse(((await unpack(encrypted)).find((e) => e.name === 'manifest.json') as Entry).body.toString());
    expect(m2.secrets.mode).toBe('encrypted');
    expect(m2.secrets.toReEnter).toEqual([]);
    expect(m2.secrets.kdf.name).toBe('scrypt');
    const audit = await admin.get('/api/v1/audit?action=company.backed_up');
    expect(audit.status).toBe(200);
  });

  it('is refused to users without every permission and to operators', async () => {
    const op = await createSuperAdmin(h1);
    expect((await op.client.post('/api/v1/company/backup', {})).status).toBe(403);
    expect((await admin.post('/api/v1/company/backup', { passphrase: 'short' })).status).toBe(400);
  });

  it('restores on an empty instance identical to the original: every row with its id, every file byte by byte', async () => {
    const op = await createSuperAdmin(h2);
    const wrong = restoreRequest(encrypted, { mode: 'new', slug: 'demo', passphrase: 'not the passphrase' });
    const bad = await op.client.request('POST', '/api/v1/admin/companies/restore', wrong.body, wrong.headers);
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('bad_archive');
    expect(bad.body.error.message).toMatch(/passphrase/);

    // As `steward restore` does on a new instance: the operator's sign-in above wrote audit entry 1
    // (the audit log is keyed by id alone), so it is removed first to leave the instance empty.
    await h2.deps.database.exec('delete from audit_log');
    const dir = await mkdtemp(path.join(tmpdir(), 'steward-restore-test-'));
    await writeFile(path.join(dir, 'a.tar.gz'), encrypted);
    const result = await restoreCompany(h2.deps, null, null, path.join(dir, 'a.tar.gz'), { mode: 'new', slug: 'demo', passphrase: PASSPHRASE });
    await rm(dir, { recursive: true, force: true });
    expect(result.company).toEqual({ id: tenant, name: 'Demo Corp', slug: 'demo' });
    expect(result.notes.filter((n) => n.includes('moved up'))).toEqual([]);
    expectSame(before, await dumpCompany(h2, tenant));
    // cost_daily is derived, so the archive leaves it out: the restore rebuilt it from the lines, equal to the original.
    const costDaily = async (h: Harness) =>
      (await h.deps.database.query('select dim, day::text, source, key, amount::text, lines from cost_daily where tenant_id = $1 order by 1, 2, 3, 4', [tenant])).rows;
    expect((await costDaily(h1)).length).toBeGreaterThan(0);
    expect(await costDaily(h2)).toEqual(await costDaily(h1));
    const filesAfter = await companyFiles(h2, tenant);
    expect([...filesAfter.keys()].sort()).toEqual([...filesBefore.keys()].sort());
    for (const [k, b] of filesBefore) expect(filesAfter.get(k)?.equals(b), k).toBe(true);
    // The restored users sign in with their passwords; new rows get new ids past the restored ones.
    const ada = h2.client();
    expect((await ada.login('ada@demo.test', PASSWORD)).status).toBe(200);
    const created = await ada.post('/api/v1/tickets', { title: 'After the restore', kind: 'incident' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  });

  it('refuses users that exist on the instance with 409 users_exist listing them', async () => {
    const op = await createSuperAdmin(h2);
    const { body, headers } = restoreRequest(plain, { mode: 'new', slug: 'demo-two', name: 'Demo Two' });
    const res = await op.client.request('POST', '/api/v1/admin/companies/restore', body, headers);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('users_exist');
    expect(res.body.error.details.emails).toContain('ada@demo.test');
    expect((await h2.deps.database.query(`select 1 from companies where slug = 'demo-two'`)).rows).toHaveLength(0);
  });

  it('refuses damaged, altered, foreign and newer archives with 422 bad_archive, writing nothing', async () => {
    const op = await createSuperAdmin(h2);
    const entries = await unpack(plain);
    const manifestOf = (list: Entry[]) => JSON.parse((list.find((e) => e.name === 'manifest.json') as Entry).body.toString());
    const withManifest = (change: (m: Record<string, unknown>) => void) => {
      const m = manifestOf(entries);
      change(m);
      return repack(entries.map((e) => (e.name === 'manifest.json' ? { name: e.name, body: Buffer.from(JSON.stringify(m)) } : e)));
    };
    const tampered = entries.map((e) => (e.name.startsWith('tables/users.') ? { name: e.name, body: Buffer.from(e.body.toString().replace('Ada Admin', 'Eve Admin')) } : e));
    const cases: Array<[string, Buffer, RegExp]> = [
      ['not gzip', Buffer.from('this is not an archive at all'), /gzip/],
      ['truncated', plain.subarray(0, Math.floor(plain.length / 2)), /truncated|ends/],
      ['checksum', await repack(tampered), /checksum/],
      ['foreign', await withManifest((m) => (m.format = 'other-tool-backup')), /not a Steward/],
      ['newer', await withManifest((m) => (m.schemaVersion = (m.schemaVersion as number) + 1)), /newer/],
      ['no manifest', await repack(entries.filter((e) => e.name !== 'manifest.json')), /manifest/],
      ['extra entry', await repack([...entries, { name: 'tables/evil.00001.ndjson', body: Buffer.from('{}\n') }]), /not listed/],
    ];
    const companiesBefore = (await h2.deps.database.query('select id from companies')).rows.length;
    for (const [what, archive, message] of cases) {
      const { body, headers } = restoreRequest(archive, { mode: 'new', slug: `bad-${what.replace(/ /g, '-')}` });
      const res = await op.client.request('POST', '/api/v1/admin/companies/restore', body, headers);
      expect(res.status, what).toBe(422);
      expect(res.body.error.code, what).toBe('bad_archive');
      expect(res.body.error.message, what).toMatch(message);
    }
    expect((await h2.deps.database.query('select id from companies')).rows.length).toBe(companiesBefore);
  });

  it('refuses an archive whose rows refer to rows it lacks (every foreign key is checked before the commit)', async () => {
    const h3 = await harness();
    try {
      const op = await createSuperAdmin(h3);
      const entries = await unpack(plain);
      const m = JSON.parse((entries.find((e) => e.name === 'manifest.json') as Entry).body.toString());
      const { sha256hex } = await import('../../src/server/modules/backup/backup.archive.js');
      // A comment of a ticket that is not in the archive, with checksums that match (a buggy or forged archive).
      const comments = m.tables.find((t: { name: string }) => t.name === 'ticket_comments');
      const part = comments.parts[0];
      const e = entries.find((x) => x.name === part.name) as Entry;
      const lines = e.body.toString().split('\n').filter(Boolean);
      const row = JSON.parse(lines[0] as string);
      row.ticket_id = 987654321;
      lines[0] = JSON.stringify(row);
      const body = Buffer.from(`${lines.join('\n')}\n`);
      part.size = body.length;
      part.sha256 = sha256hex(body);
      comments.sha256 = sha256hex(comments.parts.map((p: { sha256: string }) => p.sha256).join(''));
      const archive = await repack(
        entries.map((x) => (x.name === 'manifest.json' ? { name: x.name, body: Buffer.from(JSON.stringify(m)) } : x.name === part.name ? { name: x.name, body } : x)),
      );
      const req = restoreRequest(archive, { mode: 'new', slug: 'dangling' });
      const res = await op.client.request('POST', '/api/v1/admin/companies/restore', req.body, req.headers);
      expect(res.status, JSON.stringify(res.body)).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(JSON.stringify(res.body.error)).toMatch(/ticket_comments|foreign key/);
      expect((await h3.deps.database.query(`select 1 from companies where slug = 'dangling'`)).rows).toHaveLength(0);
      expect((await h3.deps.database.query('select 1 from ticket_comments')).rows).toHaveLength(0);
    } finally {
      await h3.close();
    }
  });

  it('upgrades an archive of an older schema: a column it lacks gets its default', async () => {
    const h3 = await harness();
    try {
      const op = await createSuperAdmin(h3);
      const entries = await unpack(plain);
      const m = JSON.parse((entries.find((e) => e.name === 'manifest.json') as Entry).body.toString());
      m.schemaVersion -= 1;
      const vendors = m.tables.find((t: { name: string }) => t.name === 'vendors');
      vendors.columns = vendors.columns.filter((c: string) => c !== 'payment_terms');
      const { sha256hex } = await import('../../src/server/modules/backup/backup.archive.js');
      const changed = new Map<string, Buffer>();
      for (const p of vendors.parts) {
        const e = entries.find((x) => x.name === p.name) as Entry;
        const lines = e.body
          .toString()
          .split('\n')
          .filter(Boolean)
          .map((l) => {
            const row = JSON.parse(l);
            delete row.payment_terms;
            return JSON.stringify(row);
          });
        const body = Buffer.from(`${lines.join('\n')}\n`);
        changed.set(p.name, body);
        p.size = body.length;
        p.sha256 = sha256hex(body);
      }
      vendors.sha256 = sha256hex(vendors.parts.map((p: { sha256: string }) => p.sha256).join(''));
      const archive = await repack(
        entries.map((e) => (e.name === 'manifest.json' ? { name: e.name, body: Buffer.from(JSON.stringify(m)) } : { name: e.name, body: changed.get(e.name) ?? e.body })),
      );
      // Another company's mail holds the archive's first mail id: the restored mails move up, and the
      // ids a scheduled report's run keeps of its mails (an array, no foreign key) follow them.
      const other = await createCompany(h3);
      const mails = m.tables.find((t: { name: string }) => t.name === 'mail_outbox');
      await h3.deps.database.exec(
        `insert into mail_outbox (id, tenant_id, "to", subject, text, template, status) overriding system value values (${mails.minId}, ${other.id}, 'x@example.com', 'S', 'B', 'test', 'sent')`,
      );
      const { body, headers } = restoreRequest(archive, { mode: 'new', slug: 'old-demo' });
      const res = await op.client.request('POST', '/api/v1/admin/companies/restore', body, headers);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.notes.join('\n')).toMatch(/vendors: payment_terms/);
      const rows = (await h3.deps.database.query<{ payment_terms: string | null; n: number }>('select payment_terms, count(*)::int as n from vendors group by 1')).rows;
      expect(rows).toHaveLength(1);
      expect(rows[0]?.n).toBe(before.vendors?.length);
      const restored = Number(res.body.company.id);
      const runs = (
        await h3.deps.database.query<{ ids: string[]; own: boolean }>(
          `select mail_ids::text[] as ids, mail_ids <@ array(select id from mail_outbox where tenant_id = ${restored}) as own from report_schedule_runs where tenant_id = ${restored}`,
        )
      ).rows;
      const original = before.report_schedule_runs?.map((r) => (JSON.parse(r).mail_ids as number[]).map(Number)) ?? [];
      expect(runs.length).toBe(original.length);
      expect(runs.every((r) => r.own && r.ids.length > 0)).toBe(true);
      expect(runs.flatMap((r) => r.ids.map(Number))).not.toEqual(original.flat());
    } finally {
      await h3.close();
    }
  });

  it('replaces the company in place: identical again, sessions ended, old files gone', async () => {
    const op = await createSuperAdmin(h1);
    // A change after the backup that the replace undoes.
    await h1.deps.database.exec(`update tickets set title = 'changed after the backup' where tenant_id = ${tenant}`);
    const { body, headers } = restoreRequest(encrypted, { mode: 'replace', slug: 'demo', passphrase: PASSPHRASE });
    const res = await op.client.request('POST', '/api/v1/admin/companies/restore', body, headers);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expectSame(before, await dumpCompany(h1, tenant));
    const filesAfter = await companyFiles(h1, tenant);
    for (const [k, b] of filesBefore) expect(filesAfter.get(k)?.equals(b), k).toBe(true);
    expect((await admin.get('/api/v1/me')).status).toBe(401);
    const keys = (await h1.deps.database.query<{ k: string }>(`select storage_key as k from attachments where tenant_id = ${tenant}`)).rows;
    for (const { k } of keys) expect(k).toMatch(/^restored\//);
  });
});
