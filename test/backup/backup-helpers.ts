// Helpers of the backup tests: rows in every company table, a company's data as comparable text, and
// archives taken apart and put together again (to alter, truncate or age them).
import { Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { FILE_COLUMNS, SECRET_COLUMNS, SKIPPED_TABLES } from '../../src/server/modules/backup/backup.tables.js';
import { decryptSecret, encryptSecret } from '../../src/server/platform/crypto.js';
import type { Harness } from '../harness.js';
import { multipart } from '../multipart.js';

const q = async <R = Record<string, unknown>>(h: Harness, text: string, values: unknown[] = []) => (await h.deps.database.query<R>(text, values)).rows;

/** The company tables as the catalogue has them (every table with tenant_id, partitions left out). */
export async function tenantTables(h: Harness): Promise<string[]> {
  const rows = await q<{ t: string }>(
    h,
    `select c.relname as t from pg_class c join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
     where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') and not c.relispartition order by 1`,
  );
  return rows.map((r) => r.t);
}

export const FILES = {
  attachment: Buffer.from('%PDF-1.4 attachment bytes \u0000\u0001\u0002 end', 'latin1'),
  asset: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4, 255, 0, 7]),
  inventory: Buffer.from('part datasheet, UTF-8 ✓ ünïcödé'),
};

/**
 * Rows in the tables the demo data leaves empty, with files in storage; a mailbox password sealed
 * with the instance's key. Tables the demo already fills are left as they are.
 */
export async function fillEmptyTables(h: Harness, t: number): Promise<void> {
  const st = h.deps.storage;
  await st.put(`test/${t}/attachment.pdf`, Readable.from([FILES.attachment]));
  await st.put(`test/${t}/asset.png`, Readable.from([FILES.asset]));
  await st.put(`test/${t}/part.txt`, Readable.from([FILES.inventory]));
  await st.put(`test/${t}/manual.pdf`, Readable.from([FILES.attachment]));
  const user = `(select min(id) from users where tenant_id = ${t})`;
  const ticket = `(select min(id) from tickets where tenant_id = ${t})`;
  const ticket2 = `(select max(id) from tickets where tenant_id = ${t})`;
  const asset = `(select min(id) from assets where tenant_id = ${t})`;
  const part = `(select min(id) from parts where tenant_id = ${t})`;
  const sealed = encryptSecret(h.deps.config.sessionSecret, 'imap-password-123');
  const statements = [
    `insert into api_tokens (tenant_id, user_id, name, token_hash) values (${t}, ${user}, 'ci', 'apitokenhash-${t}')`,
    `insert into asset_files (tenant_id, asset_id, name, size, content_type, storage_key, uploaded_by_id) values (${t}, ${asset}, 'photo.png', ${FILES.asset.length}, 'image/png', 'test/${t}/asset.png', ${user})`,
    `insert into asset_import_mappings (tenant_id, columns, values) values (${t}, '{"Tag":"tag"}', '{}') on conflict do nothing`,
    `insert into attachments (tenant_id, ticket_id, name, size, content_type, storage_key, uploaded_by_id) values (${t}, ${ticket}, 'doc.pdf', ${FILES.attachment.length}, 'application/pdf', 'test/${t}/attachment.pdf', ${user})`,
    `insert into calendar_feeds (tenant_id, user_id, nonce, token_hash) values (${t}, ${user}, 'n1', 'feedhash-${t}')`,
    `insert into devices (tenant_id, name, asset_id, device_key, secret_hash) values (${t}, 'Boiler sensor', ${asset}, 'dev-${t}-1', 'devsecrethash')`,
    `insert into meters (tenant_id, device_id, key, name, unit, asset_id) values (${t}, (select min(id) from devices where tenant_id = ${t}), 'temp', 'Temperature', '°C', ${asset}) on conflict do nothing`,
    `insert into meter_readings (tenant_id, meter_id, ts, v) values (${t}, (select min(id) from meters where tenant_id = ${t}), '2026-12-01T10:00:00.123456Z', 21.125), (${t}, (select min(id) from meters where tenant_id = ${t}), '2026-12-01T10:01:00Z', 0.1) on conflict do nothing`,
    ...['1m', '1h', '1d'].map(
      (b) => `insert into meter_rollups_${b} (tenant_id, meter_id, bucket, min, max, sum, count) values (${t}, (select min(id) from meters where tenant_id = ${t}), '2026-12-01T10:00:00Z', 0.1, 21.125, 21.225, 2) on conflict do nothing`,
    ),
    `insert into inventory_files (tenant_id, part_id, name, size, content_type, storage_key, uploaded_by_id) values (${t}, ${part}, 'sheet.txt', ${FILES.inventory.length}, 'text/plain', 'test/${t}/part.txt', ${user})`,
    `insert into mail_outbox (tenant_id, "to", subject, text, template, status) values (${t}, 'someone@example.com', 'Hello', 'Body', 'test', 'sent')`,
    `insert into mail_attachments (tenant_id, mail_id, name, content_type, size, content) values (${t}, (select max(id) from mail_outbox where tenant_id = ${t}), 'a.bin', 'application/octet-stream', 3, '\\x00ff10')`,
    `insert into mail_settings (tenant_id) values (${t}) on conflict do nothing`,
    `update mailboxes set password_enc = '${sealed}', webhook_token_hash = 'mbhook-${t}' where tenant_id = ${t}`,
    `insert into mailbox_fetch_state (tenant_id, mailbox_id) values (${t}, (select min(id) from mailboxes where tenant_id = ${t})) on conflict do nothing`,
    `insert into one_time_tokens (tenant_id, user_id, purpose, token_hash, expires_at) values (${t}, ${user}, 'reset', 'otthash-${t}', now() + interval '1 day')`,
    `insert into processes (tenant_id, name, tasks) values (${t}, 'Onboarding', '{"Laptop","Badge"}')`,
    `insert into projects (tenant_id, name) values (${t}, 'Move')`,
    `insert into purchasing_settings (tenant_id) values (${t}) on conflict do nothing`,
    `insert into quick_links (tenant_id, title, url) values (${t}, 'Wiki', 'https://wiki.example.com')`,
    `insert into recurring_ticket_runs (tenant_id, recurring_ticket_id, occurrence, ticket_id) values (${t}, (select min(id) from recurring_tickets where tenant_id = ${t}), '2026-11-30T08:00:00Z', ${ticket})`,
    `insert into report_schedule_runs (tenant_id, schedule_id, occurrence, status, file_name, file_type, file_size, file, link_token_hash, mail_ids) values (${t}, (select min(id) from report_schedules where tenant_id = ${t}), '2026-11-30T08:00:00Z', 'sent', 'r.csv', 'text/csv', 3, '\\x616263', 'linkhash-${t}', array[(select max(id) from mail_outbox where tenant_id = ${t})])`,
    `insert into saved_views (tenant_id, user_id, name, filters) values (${t}, ${user}, 'Mine', '{"status":["open"]}')`,
    `insert into ticket_relations (tenant_id, ticket_id, related_id, reason) values (${t}, ${ticket}, ${ticket2}, 'duplicate')`,
    `insert into ticket_watchers (tenant_id, ticket_id, user_id) values (${t}, ${ticket}, ${user}) on conflict do nothing`,
    `insert into presence (tenant_id, user_id, connection_id) values (${t}, ${user}, 'c1')`,
    `insert into documents (tenant_id, title, category_id, file_name, file_size, content_type, storage_key, created_by_id) values (${t}, 'Boiler manual', (select min(id) from picklist_items where tenant_id = ${t} and list = 'document_categories'), 'manual.pdf', ${FILES.attachment.length}, 'application/pdf', 'test/${t}/manual.pdf', ${user})`,
    `insert into documents (tenant_id, title, url, created_by_id) values (${t}, 'Vendor portal', 'https://vendor.example.com/docs', ${user})`,
    `insert into document_assets (tenant_id, document_id, asset_id) values (${t}, (select min(id) from documents where tenant_id = ${t}), ${asset})`,
    `insert into document_tickets (tenant_id, document_id, ticket_id) values (${t}, (select min(id) from documents where tenant_id = ${t}), ${ticket})`,
    `insert into webhooks (tenant_id, url, events, secret_enc, previous_secret_enc, previous_secret_until) values (${t}, 'https://hooks.example.com/steward', '{"ticket.created"}', '${encryptSecret(h.deps.config.sessionSecret, 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')}', '${encryptSecret(h.deps.config.sessionSecret, 'whsec_b2xkc2VjcmV0b2xkc2VjcmV0b2xkc2VjcmV0')}', now() + interval '1 day')`,
    `insert into webhook_deliveries (tenant_id, webhook_id, event, message_id, payload, status, attempts, response_status, response_body) values (${t}, (select min(id) from webhooks where tenant_id = ${t}), 'ticket.created', 'msg_${t}_1', '{"type":"ticket.created","timestamp":"2026-12-01T10:00:00Z","data":{}}', 'delivered', 1, 200, 'ok')`,
    `insert into meter_thresholds (tenant_id, meter_id, op, value, for_seconds, action) values (${t}, (select min(id) from meters where tenant_id = ${t}), '>', 80, 60, 'alert')`,
    `insert into meter_alerts (tenant_id, kind, device_id, meter_id, message, value, opened_at) values (${t}, 'threshold', (select min(id) from devices where tenant_id = ${t}), (select min(id) from meters where tenant_id = ${t}), 'Temperature above 80', 81.5, now())`,
  ];
  for (const s of statements) {
    try {
      await h.deps.database.exec(s);
    } catch (err) {
      throw new Error(`${s}: ${(err as Error).message}`);
    }
  }
}

export async function rowCounts(h: Harness, t: number): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of await tenantTables(h)) {
    out[table] = (await q<{ n: number }>(h, `select count(*)::int as n from "${table}" where tenant_id = $1`, [t]))[0]?.n ?? 0;
  }
  return out;
}

const SEALED = Object.entries(SECRET_COLUMNS).flatMap(([k, c]) => (c.kind === 'secret' && c.sealed ? [k] : []));
export const STORAGE_PREFIX = /^restored\/[0-9a-f]+\//;

/**
 * Every row of the company in every table (and its company row) as JSON text in key order: sealed
 * secrets opened with the instance's key, generated columns left out, the restore's storage prefix
 * taken off. `options.mask` replaces columns (secrets left out of an archive) with a marker.
 */
export async function dumpCompany(h: Harness, t: number, options: { mask?: string[]; skipCompanyColumns?: string[] } = {}): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  const tables = ['companies', ...(await tenantTables(h)).filter((x) => !SKIPPED_TABLES[x])];
  for (const table of tables) {
    const cols = (
      await q<{ c: string }>(
        h,
        `select a.attname as c from pg_attribute a where a.attrelid = $1::regclass and a.attnum > 0 and not a.attisdropped and a.attgenerated = '' order by a.attnum`,
        [table],
      )
    ).map((r) => r.c);
    const pk = (
      await q<{ c: string }>(
        h,
        `select a.attname as c from pg_index x join pg_attribute a on a.attrelid = x.indrelid and a.attnum = any(x.indkey) where x.indrelid = $1::regclass and x.indisprimary`,
        [table],
      )
    ).map((r) => r.c);
    const order = (pk.length ? pk : cols).map((c) => `"${c}"`).join(', ');
    const where = table === 'companies' ? 'id = $1' : 'tenant_id = $1';
    const rows = await q<{ j: Record<string, unknown> }>(
      h,
      `select json_build_object(${cols.map((c) => `'${c}', "${c}"`).join(', ')}) as j from "${table}" where ${where} order by ${order}`,
      [t],
    );
    out[table] = rows.map(({ j }) => {
      const row = typeof j === 'string' ? (JSON.parse(j) as Record<string, unknown>) : j;
      for (const key of SEALED) {
        const [tt, c] = key.split('.') as [string, string];
        if (tt === table && typeof row[c] === 'string') row[c] = `opened:${decryptSecret(h.deps.config.sessionSecret, row[c] as string)}`;
      }
      for (const c of ['storage_key', 'raw_key']) if (typeof row[c] === 'string') row[c] = (row[c] as string).replace(STORAGE_PREFIX, '');
      for (const m of options.mask ?? []) {
        const [tt, c] = m.split('.') as [string, string];
        if (tt === table && c in row) row[c] = '<masked>';
      }
      if (table === 'companies') for (const c of options.skipCompanyColumns ?? []) delete row[c];
      return JSON.stringify(row);
    });
  }
  return out;
}

/** The company's stored files: storage key (restore prefix taken off) → bytes. */
export async function companyFiles(h: Harness, t: number): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  // Every column the backup knows holds a storage key (a new one is caught by the registry test).
  for (const [table, col] of FILE_COLUMNS.map((c) => c.split('.') as [string, string])) {
    for (const { k } of await q<{ k: string }>(h, `select ${col} as k from ${table} where tenant_id = $1 and ${col} is not null`, [t])) {
      const chunks: Buffer[] = [];
      try {
        for await (const c of h.deps.storage.get(k)) chunks.push(c as Buffer);
      } catch {
        continue;
      }
      out.set(k.replace(STORAGE_PREFIX, ''), Buffer.concat(chunks));
    }
  }
  return out;
}

export interface Entry {
  name: string;
  body: Buffer;
}

export async function unpack(archive: Buffer): Promise<Entry[]> {
  const extract = tar.extract();
  const entries: Entry[] = [];
  const done = (async () => {
    for await (const e of extract) {
      const chunks: Buffer[] = [];
      for await (const c of e) chunks.push(c as Buffer);
      entries.push({ name: e.header.name, body: Buffer.concat(chunks) });
    }
  })();
  extract.end(gunzipSync(archive));
  await done;
  return entries;
}

export async function repack(entries: Entry[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const read = (async () => {
    for await (const c of pack) chunks.push(c as Buffer);
  })();
  for (const e of entries) pack.entry({ name: e.name, size: e.body.length }, e.body);
  pack.finalize();
  await read;
  return gzipSync(Buffer.concat(chunks));
}

export function restoreRequest(archive: Buffer, fields: Record<string, string>) {
  return multipart([{ filename: 'backup.tar.gz', content: archive, contentType: 'application/gzip' }], fields);
}
