// CSV import: the file is streamed through csv-parse and written in batches of BATCH rows, one
// tenant transaction each, so a 50,000-row file uses bounded memory. Rows with errors are reported
// (row = CSV line) and skipped; a dry run does all the checks and writes nothing.
import { CsvError, parse } from 'csv-parse';
import type { AssetStatus, CustomFieldDef, PicklistName } from '../../db/schema/index.js';
import type { UserActor } from '../../platform/actor.js';
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import type { Tx } from '../../platform/db.js';
import { AppError, invalid } from '../../platform/errors.js';
import type { UploadPart } from '../attachments/attachments.service.js';
import { findOrCreateLocation } from '../locations/locations.service.js';
import { checkCustomFields, formatTag, newPublicToken, reserveTagNumbers, tagPrefix } from './assets.fields.js';
import * as q from './assets.queries.js';
import { type ImportExisting, UPDATABLE } from './assets.queries.js';
import { idOfTag, insertHistory } from './assets.repo.js';
import { addMonths, type ImportField, locationNames, mapColumns, parseCost, parseDate, parseStatus, type Target } from './assets.import-parse.js';

export const BATCH = 500;
const MAX_ERRORS = 1000;

type Insert = Parameters<typeof q.insertImported>[1][number];
type Row = { line: number; values: Partial<Record<ImportField, string>>; custom: Record<string, string> };
export interface ImportOptions { dryRun: boolean; createPicklistValues: boolean; mapping?: Record<string, string> }

interface State {
  actor: UserActor;
  opts: ImportOptions;
  created: number;
  updated: number;
  errors: Array<{ row: number; message: string }>;
  errorCount: number;
  preview: Array<Record<string, unknown>>;
  seenTags: Map<string, number>;
  picks?: Map<PicklistName, Map<string, number>>;
  defs?: Map<number, CustomFieldDef[]>;
  places?: Map<string, { id: number; path: string }>;
  depts?: Map<string, number>;
  prefix?: string;
  fakeId: number;
  /** Rows of `assets` in its statistics, and rows this import added since (see analyzeWhenGrown). */
  stats?: { rows: number; added: number };
}

const fail = (s: State, row: number, message: string) => {
  s.errorCount++;
  if (s.errors.length < MAX_ERRORS) s.errors.push({ row, message });
};

async function loadCaches(tx: Tx, s: State) {
  const t = s.actor.tenantId;
  const { items, locs, depts } = await q.importLookups(tx, t);
  s.picks = new Map([['categories', new Map()], ['manufacturers', new Map()], ['conditions', new Map()]]);
  s.defs = new Map();
  for (const i of items) {
    s.picks.get(i.list)!.set(i.name.toLowerCase(), i.id);
    if (i.list === 'categories') s.defs.set(i.id, i.customFields);
  }
  const byId = new Map(locs.map((l) => [l.id, l]));
  s.places = new Map();
  for (const l of locs) {
    const chain = l.path.split('/').filter(Boolean).map((id) => byId.get(Number(id))?.name.toLowerCase() ?? '?');
    s.places.set(chain.join('/'), { id: l.id, path: l.path });
  }
  s.depts = new Map(depts.map((d) => [d.name.toLowerCase(), d.id]));
  s.prefix = await tagPrefix(tx, t);
}

async function pickId(tx: Tx, s: State, list: PicklistName, name: string): Promise<number> {
  const known = s.picks!.get(list)!.get(name.toLowerCase());
  if (known !== undefined) return known;
  if (!s.opts.createPicklistValues) throw new Error(`unknown ${list.replace(/ies$/, 'y').replace(/s$/, '')} "${name}" (allow createPicklistValues to add it)`);
  let id = --s.fakeId;
  if (!s.opts.dryRun) id = await q.insertPicklistValue(tx, s.actor.tenantId, list, name);
  s.picks!.get(list)!.set(name.toLowerCase(), id);
  if (list === 'categories') s.defs!.set(id, []);
  return id;
}

async function placeOf(tx: Tx, s: State, raw: string): Promise<{ id: number; path: string }> {
  const names = locationNames(raw);
  let parent = null as { id: number; path: string } | null;
  for (let i = 0; i < names.length; i++) {
    const key = names.slice(0, i + 1).map((n) => n.toLowerCase()).join('/');
    let place = s.places!.get(key);
    if (!place) {
      if (!s.opts.createPicklistValues) throw new Error(`unknown location "${raw}" (allow createPicklistValues to add it)`);
      if (s.opts.dryRun) place = { id: --s.fakeId, path: `${parent?.path ?? '/'}${s.fakeId}/` };
      else {
        const made = await findOrCreateLocation(tx, s.actor.tenantId, names[i], parent);
        place = { id: made.id, path: made.path };
      }
      s.places!.set(key, place);
    }
    parent = place;
  }
  if (!parent) throw new Error('the location is empty');
  return parent;
}

/** One row → the columns to write (throws a message for the row's error). */
async function prepare(tx: Tx, s: State, r: Row, existing: ImportExisting | undefined): Promise<Partial<Insert>> {
  const v = r.values;
  const set: Partial<Insert> = {};
  if (v.name !== undefined) set.name = v.name.slice(0, 200);
  if (!existing && !v.name) throw new Error('name is required');
  if (v.status !== undefined) {
    const status = parseStatus(v.status);
    if (!status) throw new Error(`unknown status "${v.status}"`);
    set.status = status as AssetStatus;
  }
  for (const [field, col] of [['purchaseDate', 'purchaseDate'], ['warrantyEnd', 'warrantyEnd']] as const) {
    const raw = v[field];
    if (raw === undefined) continue;
    if (field === 'warrantyEnd' && /^\d{1,3}$/.test(raw)) continue; // months, below
    const d = parseDate(raw);
    if (!d) throw new Error(`${field === 'purchaseDate' ? 'purchase date' : 'warranty end'} "${raw}" is not a date`);
    set[col] = d;
  }
  const months = v.warrantyMonths ?? (v.warrantyEnd && /^\d{1,3}$/.test(v.warrantyEnd) ? v.warrantyEnd : undefined);
  if (months !== undefined) {
    if (!/^\d{1,3}$/.test(months)) throw new Error(`warranty months "${months}" is not a number`);
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
  if (v.notes !== undefined) set.specifications = v.notes;
  if (v.category !== undefined) set.categoryId = await pickId(tx, s, 'categories', v.category);
  else if (!existing) throw new Error('category is required');
  if (v.manufacturer !== undefined) set.manufacturerId = await pickId(tx, s, 'manufacturers', v.manufacturer);
  if (v.condition !== undefined) set.conditionId = await pickId(tx, s, 'conditions', v.condition);
  if (v.department !== undefined) {
    const d = s.depts!.get(v.department.toLowerCase());
    if (d === undefined) throw new Error(`unknown department "${v.department}"`);
    set.departmentId = d;
  }
  if (v.location !== undefined) {
    const place = await placeOf(tx, s, v.location);
    set.locationId = place.id;
    set.locationPath = place.path;
  }
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
  return set;
}

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
        .filter((k) => k !== 'locationPath' && canonical(existing[k]) !== canonical(set[k]))
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
  await ctx.deps.database.withTenant(t, async ({ tx }) => {
    if (!s.picks) await loadCaches(tx, s);
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
        set = await prepare(tx, s, r, existing);
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
      made.map((id, i) => ({ tenantId: t, assetId: id, actorId: s.actor.userId, actorName: s.actor.name, event: 'created', changes: [{ field: 'import', before: null, after: `line ${inserts[i].r.line}` }] })),
    );
    s.created += made.length;
  });
  if (!s.opts.dryRun && s.created > createdBefore) await analyzeWhenGrown(ctx, s, s.created - createdBefore);
}

export async function importAssets(ctx: Ctx, opts: ImportOptions, parts: () => AsyncIterable<UploadPart>) {
  const actor = requireUser(ctx);
  const s: State = { actor, opts: { ...opts }, created: 0, updated: 0, errors: [], errorCount: 0, preview: [], seenTags: new Map(), fakeId: 0 };
  let columns: Array<{ header: string; field: Target }> = [];
  let gotFile = false;
  for await (const part of parts()) {
    if (part.type === 'field') {
      if (part.name === 'mapping' && String(part.value).trim()) {
        try {
          s.opts.mapping = JSON.parse(String(part.value));
        } catch {
          throw invalid({ mapping: 'must be JSON like {"CSV column": "field"}' });
        }
      } else if (part.name === 'createPicklistValues') s.opts.createPicklistValues = String(part.value) === 'true';
      continue;
    }
    if (part.name !== 'file' || gotFile) {
      part.stream.resume();
      continue;
    }
    gotFile = true;
    const customKeys = await ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
      const m = new Map<string, string>();
      for (const d of (await q.categoryFieldDefs(tx, actor.tenantId)).flat()) for (const n of [d.key, d.label]) m.set(n.toLowerCase().replace(/[^a-z0-9]/g, ''), d.key);
      return m;
    });
    // A row the parser cannot read is reported and skipped, like a row with a bad value; a header
    // it cannot read (no record parsed before it) makes the whole file unreadable.
    let parsed = 0;
    let headerError: CsvError | null = null;
    const counted = (record: string[]) => {
      parsed++;
      return record;
    };
    const parser = part.stream.pipe(
      parse({ bom: true, relax_column_count: true, skip_empty_lines: true, trim: true, info: true, max_record_size: 100_000, skip_records_with_error: true, on_record: counted }),
    );
    parser.on('skip', (err: CsvError & { lines?: number }) => {
      if (parsed === 0) headerError ??= err;
      else fail(s, err.lines ?? 0, `the row cannot be read: ${err.message}`);
    });
    part.stream.on('error', (err) => parser.destroy(err));
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
            targets = mapColumns(record, s.opts.mapping ?? {}, customKeys);
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
          if (target.startsWith('customFields.')) row.custom[target.slice(13)] = cell;
          else row.values[target as ImportField] = cell;
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
  return { dryRun: opts.dryRun, created: s.created, updated: s.updated, errorCount: s.errorCount, errors: s.errors, preview: s.preview, columns };
}
