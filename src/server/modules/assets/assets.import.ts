// CSV import: the file is decoded (UTF-8 or Windows-1252), streamed through csv-parse and written in
// batches of BATCH rows, one tenant transaction each, so a 50,000-row file uses bounded memory. Rows
// with errors are reported (row = CSV line) and skipped; a dry run does all the checks and writes
// nothing. Other tools' words the company does not know (status words, picklist values, suppliers,
// departments, locations) are counted and listed; the user maps each one, and a real import
// remembers the mapping for the company's next import. Check-out columns check the asset out to the
// user they name; the people no active user matches are listed.
import { CsvError, parse } from 'csv-parse';
import { z } from 'zod';
import type { ImportValueKind, ImportValueMapping, ImportValueTarget } from '../../../shared/contracts/assets.js';
import { importValueMapping } from '../../../shared/contracts/assets.js';
import type { AssetStatus, } from '../../db/schema/index.js';
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import type { Scope, Tx } from '../../platform/db.js';
import { AppError, invalid } from '../../platform/errors.js';
import type { UploadPart } from '../attachments/attachments.service.js';
import { checkCustomFields, formatTag, newPublicToken, reserveTagNumbers, } from './assets.fields.js';
import * as q from './assets.queries.js';
import { type ImportExisting, UPDATABLE } from './assets.queries.js';
import { idOfTag, insertHistory } from './assets.repo.js';
import { addMonths, decodeCsv, type ImportField, mapColumns, parseCost, parseDate, parseStatus, type Target } from './assets.import-parse.js';
import { type ImportOptions, checkoutUser, departmentOf, fail, type Insert, loadCaches, mapped, note, pickId, placeOf, prefetch, type Row, type State, unknownValue, vendorOf } from './assets.import-values.js';

export type { ImportOptions };

export const BATCH = 500;

/** One row → the columns to write (throws a message for the row's error). */
async function prepare(scope: Scope, s: State, r: Row, existing: ImportExisting | undefined): Promise<Partial<Insert>> {
  const { tx } = scope;
  const v = r.values;
  // Every value of the row is looked at, so that the dry run counts all the unknown ones; the row's
  // first problem is its error.
  const problems: string[] = [];
  const soft = async <T>(fn: () => T | Promise<T>): Promise<T | undefined> => {
    try {
      return await fn();
    } catch (err) {
      problems.push((err as Error).message);
      return undefined;
    }
  };
  const set: Partial<Insert> = {};
  if (v.name !== undefined) set.name = v.name.slice(0, 200);
  if (!existing && !v.name) throw new Error('name is required');
  if (v.status !== undefined) {
    const known = parseStatus(v.status);
    const target = mapped(s, 'status', v.status);
    if (!known) note(s, 'status', v.status, 'error');
    const status = target && 'status' in target ? target.status : known;
    if (!status) problems.push(unknownValue('status', v.status, 'map it to a status').message);
    else set.status = status as AssetStatus;
  }
  for (const [field, col, word] of [['purchaseDate', 'purchaseDate', 'purchase date'], ['warrantyEnd', 'warrantyEnd', 'warranty end'], ['endOfLife', 'endOfLife', 'end of life']] as const) {
    const raw = v[field];
    if (raw === undefined) continue;
    if (field === 'warrantyEnd' && MONTHS.test(raw)) continue; // months, below
    const d = parseDate(raw);
    if (!d) throw new Error(`${word} "${raw}" is not a date`);
    set[col] = d;
  }
  const monthsRaw = v.warrantyMonths ?? (v.warrantyEnd && MONTHS.test(v.warrantyEnd) ? v.warrantyEnd : undefined);
  if (monthsRaw !== undefined) {
    const months = monthsRaw.replace(/\s*months?$/i, '');
    if (!/^\d{1,3}$/.test(months)) throw new Error(`warranty months "${monthsRaw}" is not a number`);
    const from = set.purchaseDate ?? existing?.purchaseDate;
    if (!from) throw new Error('warranty months need a purchase date');
    set.warrantyEnd = addMonths(from, Number(months));
  }
  if (v.purchaseCost !== undefined) {
    const cost = parseCost(v.purchaseCost);
    if (cost === null || cost < 0) throw new Error(`purchase cost "${v.purchaseCost}" is not an amount`);
    set.purchaseCost = cost.toFixed(2);
  }
  if (v.serial !== undefined) set.serial = v.serial;
  if (v.model !== undefined) set.model = v.model;
  if (v.modelNumber !== undefined) set.modelNumber = v.modelNumber.slice(0, 200);
  if (v.orderNumber !== undefined) set.orderNumber = v.orderNumber.slice(0, 100);
  if (v.notes !== undefined || v.modelNotes !== undefined) {
    set.specifications = [v.notes, v.modelNotes && `Model notes: ${v.modelNotes}`].filter(Boolean).join('\n\n');
  }
  if (v.vendor !== undefined) set.vendorId = await soft(() => vendorOf(scope, s, v.vendor!));
  if (v.category !== undefined) set.categoryId = await soft(() => pickId(tx, s, 'categories', v.category!));
  else if (!existing) problems.push('category is required');
  if (v.manufacturer !== undefined) set.manufacturerId = await soft(() => pickId(tx, s, 'manufacturers', v.manufacturer!));
  if (v.condition !== undefined) set.conditionId = await soft(() => pickId(tx, s, 'conditions', v.condition!));
  if (v.department !== undefined) set.departmentId = await soft(() => departmentOf(s, v.department!));
  // A check-out to a location (Snipe-IT "Checkout Type: location") puts the asset there.
  const where = v.location ?? (v.checkoutType && /^location$/i.test(v.checkoutType.trim()) ? v.checkoutLocation : undefined);
  if (where !== undefined) {
    const place = await soft(() => placeOf(tx, s, where));
    if (place) {
      set.locationId = place.id;
      set.locationPath = place.path;
    }
  }
  // Looked up before the row may fail, so the dry run names everyone it does not find.
  const user = checkoutUser(s, v);
  // The checks below need the category.
  if (problems.length) throw new Error(problems[0]);
  const categoryId = set.categoryId ?? existing!.categoryId;
  if (!existing || set.categoryId !== undefined || Object.keys(r.custom).length) {
    const given = { ...(existing?.customFields ?? {}), ...r.custom };
    const defs = s.defs!.get(categoryId) ?? [];
    const known = Object.fromEntries(Object.entries(given).filter(([k]) => defs.some((d) => d.key === k) || k in r.custom));
    const { values, errors } = checkCustomFields(defs, known);
    const first = Object.entries(errors)[0];
    if (first) throw new Error(`${first[0]} ${first[1]}`);
    set.customFields = values;
  }
  const status = set.status ?? existing?.status;
  if (user && user !== existing?.assignedToId && status !== 'retired' && status !== 'disposed') {
    set.assignedToId = user;
    set.checkedOutAt = new Date();
    set.status = 'in_use';
    s.checkedOut++;
  }
  return set;
}

const MONTHS = /^\d{1,3}(\s*months?)?$/i;

type Existing = ImportExisting;
type Update = { r: Row; existing: Existing; set: Partial<Insert> };

/** JSON with sorted keys, so custom fields compare equal whatever order they were written in. */
const canonical = (v: unknown): string =>
  v && typeof v === 'object' && !Array.isArray(v)
    ? `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`
    : JSON.stringify(v ?? null);

/** The batch's updates in one statement, and their history rows in another (not two statements per row). */
async function updateBatch(tx: Tx, s: State, updates: Update[]) {
  const t = s.actor.tenantId;
  const cols = Object.keys(UPDATABLE) as Array<keyof typeof UPDATABLE>;
  const records = updates.map(({ existing, set }) => Object.fromEntries([['id', existing.id], ...cols.map((c) => [c, c in set ? set[c] : existing[c]])]));
  await q.updateImported(tx, t, records);
  await insertHistory(
    tx,
    updates.map(({ r, existing, set }) => {
      const changes = (Object.keys(set) as Array<keyof typeof UPDATABLE>)
        .filter((k) => k !== 'locationPath' && k !== 'checkedOutAt' && canonical(existing[k]) !== canonical(set[k]))
        .map((k) => ({ field: k, before: existing[k], after: set[k] }));
      return { tenantId: t, assetId: existing.id, actorId: s.actor.userId, actorName: s.actor.name, event: 'updated', changes: [...changes, { field: 'import', before: null, after: `line ${r.line}` }] };
    }),
  );
}

const STATS_MIN_ROWS = 1000;

/**
 * Each asset_history row checks its foreign key to `assets` with a plan that a connection makes once
 * and keeps. Made without statistics (a new table; PGlite never analyzes; autovacuum may be off or
 * behind), that plan may take any index that starts with tenant_id and read the company's whole range
 * for every row: the import slowed down as the table grew (692 rows/s over 50,000 rows on PostgreSQL,
 * most of it in the history insert). ANALYZE between batches, whenever this import has at least
 * doubled the table since its statistics, lets the planner (and the cached plans it invalidates) use
 * (tenant_id, id). It runs as the owner, outside the company's transaction; it reads statistics only.
 */
async function analyzeWhenGrown(ctx: Ctx, s: State, added: number) {
  const db = ctx.deps.database;
  if (!s.stats) s.stats = { rows: await q.assetStatsRows(db), added: 0 };
  s.stats.added += added;
  if (s.stats.added < Math.max(STATS_MIN_ROWS, s.stats.rows)) return;
  try {
    await q.analyzeAssets(db);
    s.stats = { rows: s.stats.rows + s.stats.added, added: 0 };
  } catch (err) {
    ctx.deps.log.warn({ err }, 'analyze assets during the import failed; the import goes on');
    s.stats = { rows: Number.POSITIVE_INFINITY, added: 0 };
  }
}

async function flush(s: State, ctx: Ctx, rows: Row[]) {
  if (!rows.length) return;
  const t = s.actor.tenantId;
  const createdBefore = s.created;
  await ctx.deps.database.withTenant(t, async (scope) => {
    const { tx } = scope;
    if (!s.picks) await loadCaches(tx, s);
    await prefetch(scope, s, rows);
    const tags = rows.map((r) => r.values.tag?.toLowerCase()).filter((x): x is string => !!x);
    const found = await q.assetsByTagKeys(tx, t, tags);
    const byTag = new Map(found.map((a) => [a.tag.toLowerCase(), a]));
    const inserts: Array<{ r: Row; set: Partial<Insert> }> = [];
    const updates: Update[] = [];
    for (const r of rows) {
      const existing = r.values.tag ? byTag.get(r.values.tag.toLowerCase()) : undefined;
      let action = existing ? 'update' : 'create';
      let set: Partial<Insert> = {};
      try {
        set = await prepare(scope, s, r, existing);
        if (existing) updates.push({ r, existing, set });
        else inserts.push({ r, set });
      } catch (err) {
        action = 'error';
        fail(s, r.line, (err as Error).message);
      }
      if (s.preview.length < 20) s.preview.push({ row: r.line, action, ...r.values, ...(Object.keys(r.custom).length ? { customFields: r.custom } : {}) });
    }
    if (updates.length && !s.opts.dryRun) await updateBatch(tx, s, updates);
    s.updated += updates.length;
    if (!inserts.length) return;
    const untagged = inserts.filter((i) => !i.r.values.tag);
    if (untagged.length && !s.opts.dryRun) {
      let next = await reserveTagNumbers(tx, t, untagged.length);
      for (const i of untagged) i.set.tag = formatTag(s.prefix!, next++);
      const generated = untagged.map((i) => i.set.tag!.toLowerCase());
      for (const tag of await q.takenTags(tx, t, generated)) {
        const i = untagged.find((u) => u.set.tag!.toLowerCase() === tag.toLowerCase())!;
        for (;;) {
          i.set.tag = formatTag(s.prefix!, await reserveTagNumbers(tx, t, 1));
          if ((await idOfTag(tx, t, i.set.tag)) === undefined) break;
        }
      }
    }
    if (s.opts.dryRun) {
      s.created += inserts.length;
      return;
    }
    const values = inserts.map(({ r, set }) => ({ ...set, tenantId: t, tag: set.tag ?? r.values.tag!, name: set.name!, categoryId: set.categoryId!, publicToken: newPublicToken() }) as Insert);
    const made = await q.insertImported(tx, values);
    await insertHistory(
      tx,
      made.map((id, i) => ({
        tenantId: t,
        assetId: id,
        actorId: s.actor.userId,
        actorName: s.actor.name,
        event: 'created',
        changes: [
          ...(inserts[i].set.assignedToId ? [{ field: 'assignedToId', before: null, after: inserts[i].set.assignedToId }] : []),
          { field: 'import', before: null, after: `line ${inserts[i].r.line}` },
        ],
      })),
    );
    s.created += made.length;
  });
  if (!s.opts.dryRun && s.created > createdBefore) await analyzeWhenGrown(ctx, s, s.created - createdBefore);
}

export async function importAssets(ctx: Ctx, opts: ImportOptions, parts: () => AsyncIterable<UploadPart>) {
  const actor = requireUser(ctx);
  const s: State = {
    actor, opts: { ...opts }, created: 0, updated: 0, errors: [], errorCount: 0, preview: [], seenTags: new Map(), fakeId: 0,
    vendors: new Map(), people: new Map(), valueMaps: new Map(), unknown: new Map(), made: new Set(), usersNotFound: new Map(), checkedOut: 0,
  };
  let columns: Array<{ header: string; field: Target }> = [];
  let gotFile = false;
  let encoding: 'utf-8' | 'windows-1252' | null = null;
  let remembered: { columns: Record<string, string>; values: ImportValueMapping } = { columns: {}, values: {} };
  let columnMapping: Record<string, string> = {};
  for await (const part of parts()) {
    if (part.type === 'field') {
      if (part.name === 'mapping' && String(part.value).trim()) s.opts.mapping = jsonField(String(part.value), 'mapping', COLUMN_MAPPING, 'must be JSON like {"CSV column": "field"}');
      else if (part.name === 'values' && String(part.value).trim()) {
        s.opts.values = jsonField(String(part.value), 'values', importValueMapping, 'must be JSON like {"status": {"Awaiting imaging": {"status": "in_stock"}}}');
      } else if (part.name === 'createPicklistValues') s.opts.createPicklistValues = String(part.value) === 'true';
      continue;
    }
    if (part.name !== 'file' || gotFile) {
      part.stream.resume();
      continue;
    }
    gotFile = true;
    const customKeys = await ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
      const saved = await q.rememberedMapping(tx, actor.tenantId);
      if (saved) remembered = { columns: saved.columns, values: importValueMapping.catch({}).parse(saved.values) };
      const m = new Map<string, string>();
      for (const d of (await q.categoryFieldDefs(tx, actor.tenantId)).flat()) for (const n of [d.key, d.label]) m.set(n.toLowerCase().replace(/[^a-z0-9]/g, ''), d.key);
      return m;
    });
    // What the user sends now wins over what the company's last import remembered.
    columnMapping = { ...remembered.columns, ...(s.opts.mapping ?? {}) };
    s.opts.values = mergeValues(remembered.values, s.opts.values ?? {});
    for (const [kind, entries] of Object.entries(s.opts.values) as Array<[ImportValueKind, Record<string, ImportValueTarget>]>) {
      s.valueMaps.set(kind, new Map(Object.entries(entries).map(([k, v]) => [k.trim().toLowerCase(), v])));
    }
    // A row the parser cannot read is reported and skipped, like a row with a bad value; a header
    // it cannot read (no record parsed before it) makes the whole file unreadable.
    let parsed = 0;
    let headerError: CsvError | null = null;
    const counted = (record: string[]) => {
      parsed++;
      return record;
    };
    const decoder = decodeCsv();
    const parser = part.stream.pipe(decoder).pipe(
      parse({ bom: true, relax_column_count: true, skip_empty_lines: true, trim: true, info: true, max_record_size: 100_000, skip_records_with_error: true, on_record: counted }),
    );
    parser.on('skip', (err: CsvError & { lines?: number }) => {
      if (parsed === 0) headerError ??= err;
      else fail(s, err.lines ?? 0, `the row cannot be read: ${err.message}`);
    });
    part.stream.on('error', (err) => decoder.destroy(err));
    decoder.on('error', (err) => parser.destroy(err));
    const unreadableHeader = (err: CsvError) => invalid({ file: `the header row cannot be read: ${err.message}` }, 'The CSV header cannot be read');
    let targets: Target[] | null = null;
    let batch: Row[] = [];
    try {
      for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
        // PostgreSQL text cannot hold NUL: refused here, where the dry run and the import both see it.
        if (record.some((cell) => cell.includes('\u0000'))) {
          if (!targets) throw invalid({ file: 'the header row contains the NUL character' }, 'The CSV header cannot be read');
          fail(s, info.lines, 'the row contains the NUL character');
          continue;
        }
        if (!targets) {
          if (headerError) throw unreadableHeader(headerError);
          try {
            encoding = decoder.encoding();
            targets = mapColumns(record, columnMapping, customKeys);
          } catch (err) {
            throw invalid({ mapping: (err as Error).message });
          }
          columns = record.map((header, i) => ({ header, field: targets![i] }));
          if (!targets.includes('name') && !targets.includes('tag')) throw invalid({ file: 'no Name or Asset Tag column found' }, 'The CSV needs at least a Name or an Asset Tag column');
          continue;
        }
        const row: Row = { line: info.lines, values: {}, custom: {} };
        record.forEach((cell, i) => {
          const target = targets![i];
          if (!target || cell === '') return;
          // A repeated column (older exports) fills what the first one left empty; it never overwrites.
          if (target.startsWith('customFields.')) row.custom[target.slice(13)] ??= cell;
          else row.values[target as ImportField] ??= cell;
        });
        const tag = row.values.tag?.toLowerCase();
        if (tag && s.seenTags.has(tag)) {
          fail(s, row.line, `the tag ${row.values.tag} is already on line ${s.seenTags.get(tag)} of this file`);
          continue;
        }
        if (tag) s.seenTags.set(tag, row.line);
        batch.push(row);
        if (batch.length >= BATCH) {
          await flush(s, ctx, batch);
          batch = [];
        }
      }
    } catch (err) {
      if (!(err instanceof CsvError)) throw err;
      fail(s, (err as CsvError & { lines?: number }).lines ?? 0, `the CSV cannot be read from here on: ${err.message}`);
    }
    if (!targets && headerError) throw unreadableHeader(headerError);
    await flush(s, ctx, batch);
    if ((part.stream as { truncated?: boolean }).truncated) throw new AppError('payload_too_large', 'The file is too large to import');
  }
  if (!gotFile) throw invalid({ file: 'is required' }, 'Send the CSV in the multipart field "file"');
  s.errors.sort((a, b) => a.row - b.row);
  const mapping = { columns: columnMapping, values: s.opts.values ?? {} };
  if (!opts.dryRun) await ctx.deps.database.withTenant(actor.tenantId, ({ tx }) => q.saveMapping(tx, actor.tenantId, mapping.columns, mapping.values as never));
  const unknownValues = [...s.unknown.values()].sort((a, b) => a.kind.localeCompare(b.kind) || b.count - a.count || a.value.localeCompare(b.value));
  const usersNotFound = [...s.usersNotFound.values()].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
  return {
    dryRun: opts.dryRun, created: s.created, updated: s.updated, errorCount: s.errorCount, errors: s.errors, preview: s.preview, columns,
    encoding, unknownValues, usersNotFound, checkedOut: s.checkedOut, mapping,
  };
}

const COLUMN_MAPPING = z.record(z.string().max(200), z.string().max(200));

function jsonField<T>(raw: string, field: string, schema: z.ZodType<T>, hint: string): T {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw invalid({ [field]: hint });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalid({ [field]: `${hint}: ${parsed.error.issues[0]?.message ?? 'not valid'}` });
  return parsed.data;
}

function mergeValues(base: ImportValueMapping, over: ImportValueMapping): ImportValueMapping {
  const out: ImportValueMapping = {};
  for (const kind of new Set([...Object.keys(base), ...Object.keys(over)]) as Set<ImportValueKind>) {
    const merged: Record<string, ImportValueTarget> = {};
    // Keys compare case-insensitively: the newer spelling replaces the older.
    for (const [k, v] of [...Object.entries(base[kind] ?? {}), ...Object.entries(over[kind] ?? {})]) {
      for (const old of Object.keys(merged)) if (old.trim().toLowerCase() === k.trim().toLowerCase()) delete merged[old];
      merged[k] = v;
    }
    out[kind] = merged;
  }
  return out;
}
