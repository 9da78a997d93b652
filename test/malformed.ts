// Malformed requests for every operation of the OpenAPI document: values that pass a schema (to
// reach the service and the database) and values that break it (NUL, wrong types, huge strings,
// bodies that are not JSON, multipart without a boundary, bad percent-encoding, oversized params).
// Driven only by the document, so routes added later are probed the same way.

/** The subset of JSON Schema that zod's OpenAPI output uses. */
export interface Schema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  additionalProperties?: boolean | Schema;
  default?: unknown;
}

export interface Operation {
  method: string;
  /** OpenAPI path with {params}. */
  path: string;
  pathParams: Array<{ name: string; schema: Schema }>;
  queryParams: Array<{ name: string; schema: Schema }>;
  jsonBody: Schema | null;
}

export interface Probe {
  label: string;
  url: string;
  payload?: string | Buffer;
  headers?: Record<string, string>;
}

interface OpenApiDoc {
  paths: Record<string, Record<string, { parameters?: Array<{ in: string; name: string; schema: Schema }>; requestBody?: { content: Record<string, { schema: Schema }> } }>>;
}

export const NUL = 'a\u0000b';
const HUGE = 'x'.repeat(20_000);
const GARBAGE_SEGMENTS = ['abc', '-1', '%00', '%E0%A4%A', '..%2F..%2Fetc', '0'];

export function operations(doc: OpenApiDoc): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const params = op.parameters ?? [];
      out.push({
        method: method.toUpperCase(),
        path,
        pathParams: params.filter((p) => p.in === 'path'),
        queryParams: params.filter((p) => p.in === 'query'),
        jsonBody: op.requestBody?.content['application/json']?.schema ?? null,
      });
    }
  }
  return out;
}

const STRING_CANDIDATES = ['999999', 'abc', 'categories', 'x'.repeat(32), 'a@example.test', '2026-01-01', '#228be6', 'Europe/Berlin', 'a-b'];

/** A string the schema accepts, as far as one can be found without a regex generator. */
function sampleString(s: Schema): string {
  if (s.enum?.length) return String(s.enum[0]);
  if (s.const !== undefined) return String(s.const);
  if (s.format === 'email') return 'probe@example.test';
  if (s.format === 'date-time') return '2026-01-01T10:00:00.000Z';
  if (s.format === 'date') return '2026-01-01';
  if (s.format === 'uuid') return '01900000-0000-7000-8000-000000000000';
  if (s.format === 'uri') return 'https://example.test/';
  const fits = (v: string) => v.length >= (s.minLength ?? 0) && v.length <= (s.maxLength ?? Infinity) && (!s.pattern || new RegExp(s.pattern, 'u').test(v));
  return STRING_CANDIDATES.find(fits) ?? 'x'.repeat(Math.max(1, s.minLength ?? 1));
}

const typeOf = (s: Schema): string | undefined => {
  const t = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
  if (t) return t;
  if (s.properties) return 'object';
  if (s.items) return 'array';
  if (s.enum?.length) return typeof s.enum[0];
  return undefined;
};

/** The first variant of a union that is not null. */
const concrete = (s: Schema): Schema => {
  const alts = s.anyOf ?? s.oneOf;
  if (alts) return concrete(alts.find((a) => a.type !== 'null') ?? alts[0]);
  if (s.allOf?.length) return concrete(Object.assign({}, ...s.allOf));
  return s;
};

/** A value the schema accepts, every optional property included, so each field reaches the service. */
export function sample(schema: Schema, depth = 0): unknown {
  const s = concrete(schema);
  switch (typeOf(s)) {
    case 'string':
      return sampleString(s);
    case 'integer':
    case 'number':
      return s.enum?.length ? s.enum[0] : Math.max(s.minimum ?? 1, Math.min(1, s.maximum ?? 1));
    case 'boolean':
      return false;
    case 'array':
      return depth > 4 || !s.items ? [] : Array.from({ length: Math.max(1, s.minItems ?? 1) }, () => sample(s.items!, depth + 1));
    case 'object':
      return Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, depth > 4 ? null : sample(v, depth + 1)]));
    default:
      return null;
  }
}

/** A value of the wrong type for the schema. */
function wrongType(schema: Schema): unknown {
  const t = typeOf(concrete(schema));
  return t === 'string' ? { not: 'a string' } : t === 'object' || t === 'array' ? 'not an object' : 'not a number';
}

/** Paths (as key lists) of every string inside a sample value. */
function stringPaths(value: unknown, at: Array<string | number> = []): Array<Array<string | number>> {
  if (typeof value === 'string') return [at];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringPaths(v, [...at, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => stringPaths(v, [...at, k]));
  return [];
}

function replaced(value: unknown, at: Array<string | number>, by: unknown): unknown {
  if (at.length === 0) return by;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
  copy[at[0]] = replaced(copy[at[0]], at.slice(1), by);
  return copy;
}

function mapStrings(value: unknown, fn: (s: string) => unknown): unknown {
  if (typeof value === 'string') return fn(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, fn)]));
  return value;
}

const JSON_HEADERS = { 'content-type': 'application/json' };
const json = (label: string, url: string, value: unknown): Probe => ({ label, url, payload: JSON.stringify(value), headers: JSON_HEADERS });

function fillPath(op: Operation, value: (p: { name: string; schema: Schema }) => string): string {
  let url = op.path;
  for (const p of op.pathParams) url = url.replace(`{${p.name}}`, value(p));
  return url;
}

/** Every malformed request for one operation. */
export function probes(op: Operation): Probe[] {
  const valid = fillPath(op, (p) => encodeURIComponent(String(sample(p.schema))));
  const out: Probe[] = [];
  const withBody = op.method !== 'GET' && op.method !== 'DELETE';
  const minimal = op.jsonBody ? JSON.stringify(sample(op.jsonBody)) : undefined;
  const minimalProbe = (label: string, url: string): Probe => ({ label, url, payload: minimal, headers: minimal ? JSON_HEADERS : undefined });

  // Path parameters: oversized (beyond the router's limit and beyond the schema's) and garbage.
  for (const p of op.pathParams) {
    const other = (q: { name: string; schema: Schema }) => encodeURIComponent(String(sample(q.schema)));
    out.push(minimalProbe(`:${p.name} 5000 chars`, fillPath(op, (q) => (q === p ? '9'.repeat(5000) : other(q)))));
    out.push(minimalProbe(`:${p.name} 90 chars`, fillPath(op, (q) => (q === p ? '9'.repeat(90) : other(q)))));
    for (const g of GARBAGE_SEGMENTS) out.push(minimalProbe(`:${p.name}=${g}`, fillPath(op, (q) => (q === p ? g : other(q)))));
  }

  // Query parameters: NUL, wrong type, huge, repeated; the whole query string 16 KB; bad percent-encoding.
  for (const q of op.queryParams) {
    const name = encodeURIComponent(q.name);
    out.push(minimalProbe(`?${q.name}=NUL`, `${valid}?${name}=a%00b`));
    out.push(minimalProbe(`?${q.name}=wrong type`, `${valid}?${name}=${typeOf(concrete(q.schema)) === 'string' ? '%5B%5D' : 'abc'}`));
    out.push(minimalProbe(`?${q.name}=huge`, `${valid}?${name}=${'x'.repeat(5000)}`));
    out.push(minimalProbe(`?${q.name} twice`, `${valid}?${name}=1&${name}=2`));
    out.push(minimalProbe(`?${q.name}=bad percent-encoding`, `${valid}?${name}=%E0%A4%A`));
  }
  out.push(minimalProbe('16 KB query string', `${valid}?${op.queryParams[0]?.name ?? 'q'}=${'y'.repeat(16 * 1024)}`));
  out.push(minimalProbe('bad percent-encoding in the path', `${valid}/%E0%A4%A`));

  if (withBody) {
    out.push({ label: 'no body', url: valid });
    out.push({ label: 'JSON content type, empty body', url: valid, payload: '', headers: JSON_HEADERS });
    out.push({ label: 'malformed JSON', url: valid, payload: '{"a":', headers: JSON_HEADERS });
    out.push({ label: 'wrong content type', url: valid, payload: 'hello', headers: { 'content-type': 'text/plain' } });
    out.push({ label: 'unknown content type', url: valid, payload: 'a=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    out.push({ label: 'multipart without boundary', url: valid, payload: '--x\r\n\r\nhello\r\n--x--\r\n', headers: { 'content-type': 'multipart/form-data' } });
    out.push({
      label: 'multipart cut off',
      url: valid,
      payload: '--b\r\nContent-Disposition: form-data; name="file"; filename="a\u0000.csv"\r\n\r\nName\r\nx',
      headers: { 'content-type': 'multipart/form-data; boundary=b' },
    });
    for (const v of [null, [], 'a string', 42, {}]) out.push(json(`body ${JSON.stringify(v)}`, valid, v));
    out.push(json('prototype poisoning', valid, JSON.parse('{"__proto__":{"x":1},"constructor":{"prototype":{"x":1}}}')));
  }
  if (op.jsonBody) {
    const body = sample(op.jsonBody);
    const props = concrete(op.jsonBody).properties ?? {};
    out.push(json('every field of the wrong type', valid, Object.fromEntries(Object.entries(props).map(([k, v]) => [k, wrongType(v)]))));
    out.push(json('every string huge', valid, mapStrings(body, () => HUGE)));
    out.push(json('every string NUL', valid, mapStrings(body, (s) => `${s}\u0000`)));
    for (const at of stringPaths(body)) out.push(json(`NUL in body.${at.join('.')}`, valid, replaced(body, at, NUL)));
    out.push(json('NUL in a property name', valid, { ...(body as object), 'a\u0000': 'x' }));
  }
  return out;
}
