// Value resolution for the CSV import: the company's picklists, locations, departments, suppliers and
// people cached per import, and each row's words resolved against them (or against the user's mapping),
// counting the values the company does not know yet so a dry run can list them.
import type { ImportValueKind, ImportValueMapping, ImportValueTarget } from '../../../shared/contracts/assets.js';
import type { CustomFieldDef, PicklistName } from '../../db/schema/index.js';
import type { UserActor } from '../../platform/actor.js';
import type { Scope, Tx } from '../../platform/db.js';
import { findOrCreateVendor, vendorIdsByName } from '../inventory/parts.service.js';
import { findOrCreateLocation } from '../locations/locations.service.js';
import { tagPrefix } from './assets.fields.js';
import * as q from './assets.queries.js';
import { referenceExists } from './assets.repo.js';
import { type ImportField, locationNames, } from './assets.import-parse.js';


export const MAX_ERRORS = 1000;

export type Insert = Parameters<typeof q.insertImported>[1][number];
export type Row = { line: number; values: Partial<Record<ImportField, string>>; custom: Record<string, string> };
export interface ImportOptions { dryRun: boolean; createPicklistValues: boolean; mapping?: Record<string, string>; values?: ImportValueMapping }
export type Unknown = { kind: ImportValueKind; value: string; count: number; mappedTo: ImportValueTarget | null; action: 'create' | 'error' };

export interface State {
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
  pickIds?: Set<number>;
  placesById?: Map<number, { id: number; path: string }>;
  deptIds?: Set<number>;
  vendors: Map<string, number>;
  /** Lower-case username, e-mail or name → user id (null: no active user, or several by that name). */
  people: Map<string, number | null>;
  /** The value mapping in force, by kind and lower-case value. */
  valueMaps: Map<ImportValueKind, Map<string, ImportValueTarget>>;
  unknown: Map<string, Unknown>;
  /** Values this import added (or, in a dry run, would add): still unknown to the company for the next rows. */
  made: Set<string>;
  usersNotFound: Map<string, { name: string; count: number }>;
  checkedOut: number;
  prefix?: string;
  fakeId: number;
  /** Rows of `assets` in its statistics, and rows this import added since (see analyzeWhenGrown). */
  stats?: { rows: number; added: number };
}

export const fail = (s: State, row: number, message: string) => {
  s.errorCount++;
  if (s.errors.length < MAX_ERRORS) s.errors.push({ row, message });
};

export async function loadCaches(tx: Tx, s: State) {
  const t = s.actor.tenantId;
  const { items, locs, depts } = await q.importLookups(tx, t);
  s.picks = new Map([['categories', new Map()], ['manufacturers', new Map()], ['conditions', new Map()]]);
  s.defs = new Map();
  for (const i of items) {
    // Only the asset lists (document categories are no asset field).
    s.picks.get(i.list)?.set(i.name.toLowerCase(), i.id);
    if (i.list === 'categories') s.defs.set(i.id, i.customFields);
  }
  const byId = new Map(locs.map((l) => [l.id, l]));
  s.places = new Map();
  for (const l of locs) {
    const chain = l.path.split('/').filter(Boolean).map((id) => byId.get(Number(id))?.name.toLowerCase() ?? '?');
    s.places.set(chain.join('/'), { id: l.id, path: l.path });
  }
  s.placesById = new Map([...s.places.values()].map((p) => [p.id, p]));
  s.depts = new Map(depts.map((d) => [d.name.toLowerCase(), d.id]));
  s.deptIds = new Set(depts.map((d) => d.id));
  s.pickIds = new Set(items.map((i) => i.id));
  s.prefix = await tagPrefix(tx, t);
}

export const KIND_WORD: Record<ImportValueKind, string> = {
  status: 'status', categories: 'category', manufacturers: 'manufacturer', conditions: 'condition', vendors: 'supplier', departments: 'department', locations: 'location',
};

/** The mapping that applies to a value of a kind, if any. */
export const mapped = (s: State, kind: ImportValueKind, raw: string) => s.valueMaps.get(kind)?.get(raw.trim().toLowerCase()) ?? null;

/** Counts a row's value that the company does not know (the dry run lists these for mapping). */
export const madeKey = (kind: ImportValueKind, name: string) => `${kind}\u0000${name.trim().toLowerCase()}`;
export const isNew = (s: State, kind: ImportValueKind, name: string, known: unknown) => known === undefined || s.made.has(madeKey(kind, name));

export function note(s: State, kind: ImportValueKind, raw: string, action: 'create' | 'error') {
  const key = madeKey(kind, raw);
  const u = s.unknown.get(key) ?? { kind, value: raw.trim(), count: 0, mappedTo: mapped(s, kind, raw), action };
  u.count++;
  s.unknown.set(key, u);
}

export const unknownValue = (kind: ImportValueKind, raw: string, hint: string) => new Error(`unknown ${KIND_WORD[kind]} "${raw}" (${hint})`);
export const badTarget = (kind: ImportValueKind, raw: string) => new Error(`the mapping of ${KIND_WORD[kind]} "${raw}" names no ${KIND_WORD[kind]} of this company`);

export async function pickId(tx: Tx, s: State, list: Exclude<PicklistName, 'document_categories'>, raw: string): Promise<number> {
  const values = s.picks!.get(list)!;
  const known = values.get(raw.toLowerCase());
  const target = mapped(s, list, raw);
  if (isNew(s, list, raw, known)) note(s, list, raw, target || s.opts.createPicklistValues ? 'create' : 'error');
  if (target && 'id' in target) {
    if (!s.pickIds!.has(Number(target.id))) throw badTarget(list, raw);
    return Number(target.id);
  }
  const name = target && 'name' in target ? target.name : raw;
  const found = values.get(name.toLowerCase());
  if (found !== undefined) return found;
  if (!target && !s.opts.createPicklistValues) throw unknownValue(list, raw, 'map it to a value, or allow new values');
  let id = --s.fakeId;
  if (!s.opts.dryRun) id = await q.insertPicklistValue(tx, s.actor.tenantId, list, name);
  values.set(name.toLowerCase(), id);
  s.made.add(madeKey(list, name));
  s.pickIds!.add(id);
  if (list === 'categories') s.defs!.set(id, []);
  return id;
}

/** Supplier → vendor: found by name, or created (through inventory's vendor service) unless mapped to another. */
export async function vendorOf(scope: Scope, s: State, raw: string): Promise<number> {
  const target = mapped(s, 'vendors', raw);
  const known = s.vendors.get(raw.toLowerCase());
  if (isNew(s, 'vendors', raw, known)) note(s, 'vendors', raw, 'create');
  if (target && 'id' in target) {
    if (!(await referenceExists(scope.tx, 'vendors', s.actor.tenantId, Number(target.id)))) throw badTarget('vendors', raw);
    return Number(target.id);
  }
  const name = target && 'name' in target ? target.name : raw;
  let id = s.vendors.get(name.toLowerCase());
  if (id === undefined) id = (await vendorIdsByName(scope, s.actor.tenantId, [name])).get(name.toLowerCase());
  if (id === undefined) {
    id = s.opts.dryRun ? --s.fakeId : await findOrCreateVendor(scope, s.actor.tenantId, name);
    s.made.add(madeKey('vendors', name));
  }
  s.vendors.set(name.toLowerCase(), id);
  return id;
}

export function departmentOf(s: State, raw: string): number {
  const target = mapped(s, 'departments', raw);
  const known = s.depts!.get(raw.toLowerCase());
  if (known === undefined) note(s, 'departments', raw, 'error');
  if (target && 'id' in target) {
    if (!s.deptIds!.has(Number(target.id))) throw badTarget('departments', raw);
    return Number(target.id);
  }
  const d = target && 'name' in target ? s.depts!.get(target.name.toLowerCase()) : known;
  if (d === undefined) throw target ? badTarget('departments', raw) : unknownValue('departments', raw, 'map it to a department');
  return d;
}

/** The user a row's check-out columns name, or null (reported) when none matches; undefined when the row names nobody. */
export function checkoutUser(s: State, v: Row['values']): number | null | undefined {
  if (v.checkoutType && !/^user$/i.test(v.checkoutType.trim())) return undefined;
  const full = [v.checkoutFirstName, v.checkoutLastName].filter(Boolean).join(' ');
  const keys = [v.checkoutUsername, v.checkoutEmail, full, v.checkoutName].filter((k): k is string => !!k && !!k.trim());
  if (!keys.length) return undefined;
  for (const k of keys) {
    const id = s.people.get(k.trim().toLowerCase());
    if (id) return id;
  }
  const label = [full || v.checkoutName, v.checkoutUsername, v.checkoutEmail].filter(Boolean).join(' · ') || keys[0];
  const entry = s.usersNotFound.get(label.toLowerCase()) ?? { name: label, count: 0 };
  entry.count++;
  s.usersNotFound.set(label.toLowerCase(), entry);
  return null;
}

export const personKeys = (v: Row['values']) =>
  [v.checkoutUsername, v.checkoutEmail, [v.checkoutFirstName, v.checkoutLastName].filter(Boolean).join(' '), v.checkoutName]
    .filter((k): k is string => !!k && !!k.trim())
    .map((k) => k.trim().toLowerCase());

/** Reads the users and vendors a batch names that are not cached yet (one query each). */
export async function prefetch(scope: Scope, s: State, rows: Row[]) {
  const t = s.actor.tenantId;
  const keys = [...new Set(rows.flatMap((r) => personKeys(r.values)))].filter((k) => !s.people.has(k));
  if (keys.length) {
    const found = await q.usersMatching(scope.tx, t, keys);
    const byKey = new Map<string, Set<number>>();
    for (const u of found) {
      for (const k of [u.username, u.email, u.name]) {
        if (!k) continue;
        const key = k.toLowerCase();
        byKey.set(key, (byKey.get(key) ?? new Set()).add(u.id));
      }
    }
    // A name two people share identifies neither.
    for (const k of keys) s.people.set(k, byKey.get(k)?.size === 1 ? [...byKey.get(k)!][0] : null);
  }
  const names = [...new Set(rows.flatMap((r) => (r.values.vendor ? [r.values.vendor] : [])).flatMap((n) => {
    const target = mapped(s, 'vendors', n);
    return target && 'name' in target ? [n, target.name] : [n];
  }))].filter((n) => !s.vendors.has(n.toLowerCase()));
  if (names.length) for (const [k, id] of await vendorIdsByName(scope, t, names)) s.vendors.set(k, id);
}

export async function placeOf(tx: Tx, s: State, given: string): Promise<{ id: number; path: string }> {
  const target = mapped(s, 'locations', given);
  const known = s.places!.get(locationNames(given).map((n) => n.toLowerCase()).join('/'));
  if (isNew(s, 'locations', locationNames(given).join('/'), known)) note(s, 'locations', given, target || s.opts.createPicklistValues ? 'create' : 'error');
  if (target && 'id' in target) {
    const place = s.placesById!.get(Number(target.id));
    if (!place) throw badTarget('locations', given);
    return place;
  }
  const raw = target && 'name' in target ? target.name : given;
  const create = s.opts.createPicklistValues || Boolean(target);
  const names = locationNames(raw);
  let parent = null as { id: number; path: string } | null;
  for (let i = 0; i < names.length; i++) {
    const key = names.slice(0, i + 1).map((n) => n.toLowerCase()).join('/');
    let place = s.places!.get(key);
    if (!place) {
      if (!create) throw unknownValue('locations', raw, 'map it to a location, or allow new values');
      if (s.opts.dryRun) place = { id: --s.fakeId, path: `${parent?.path ?? '/'}${s.fakeId}/` };
      else {
        const made = await findOrCreateLocation(tx, s.actor.tenantId, names[i], parent);
        place = { id: made.id, path: made.path };
      }
      s.places!.set(key, place);
      s.placesById!.set(place.id, place);
      s.made.add(madeKey('locations', names.slice(0, i + 1).join('/')));
    }
    parent = place;
  }
  if (!parent) throw new Error('the location is empty');
  return parent;
}

