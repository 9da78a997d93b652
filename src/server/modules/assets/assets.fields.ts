// Field rules of the registry shared by the form, PATCH and the CSV import: typed custom fields per
// category, auto-generated tags (per-company prefix + counter), the public link, "overdue".
import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { companies, counters, type CustomFieldDef } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';

export type CustomValues = Record<string, string | number | null>;

import { isDate } from '../../../shared/contracts/assets.js';

export { isDate };

/** Checks and types values against a category's definitions; returns the values to store or the errors per key. */
export function checkCustomFields(defs: CustomFieldDef[], input: Record<string, unknown>): { values: CustomValues; errors: Record<string, string> } {
  const values: CustomValues = {};
  const errors: Record<string, string> = {};
  const known = new Map(defs.map((d) => [d.key, d]));
  for (const key of Object.keys(input)) if (!known.has(key)) errors[`customFields.${key}`] = 'is not a field of this category';
  for (const def of defs) {
    const raw = input[def.key];
    const empty = raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '');
    if (empty) {
      if (def.required) errors[`customFields.${def.key}`] = 'is required';
      continue;
    }
    const where = `customFields.${def.key}`;
    if (def.type === 'number') {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw.trim()) : Number.NaN;
      if (!Number.isFinite(n)) errors[where] = 'must be a number';
      else values[def.key] = n;
    } else if (def.type === 'date') {
      if (typeof raw !== 'string' || !isDate(raw.trim())) errors[where] = 'must be a date (YYYY-MM-DD)';
      else values[def.key] = raw.trim();
    } else if (def.type === 'choice') {
      const match = typeof raw === 'string' ? def.options?.find((o) => o.toLowerCase() === raw.trim().toLowerCase()) : undefined;
      if (!match) errors[where] = `must be one of: ${(def.options ?? []).join(', ')}`;
      else values[def.key] = match;
    } else if (typeof raw !== 'string' && typeof raw !== 'number') errors[where] = 'must be text';
    else if (String(raw).length > 2000) errors[where] = 'is too long';
    else values[def.key] = String(raw).trim();
  }
  return { values, errors };
}

/** The company's tag prefix (settings.assetTagPrefix, default AST-). */
export async function tagPrefix(tx: Tx, tenantId: number): Promise<string> {
  const [c] = await tx.select({ settings: companies.settings }).from(companies).where(eq(companies.id, tenantId));
  const p = c?.settings?.assetTagPrefix;
  return typeof p === 'string' && p.length <= 20 ? p : 'AST-';
}

/** Reserves `count` consecutive numbers of the asset_tag counter; returns the first. */
export async function reserveTagNumbers(tx: Tx, tenantId: number, count: number): Promise<number> {
  const [row] = await tx
    .insert(counters)
    .values({ tenantId, name: 'asset_tag', last: count })
    .onConflictDoUpdate({ target: [counters.tenantId, counters.name], set: { last: sql`${counters.last} + ${count}` } })
    .returning({ last: counters.last });
  return row.last - count + 1;
}

export const formatTag = (prefix: string, n: number) => `${prefix}${String(n).padStart(5, '0')}`;

/** The next free generated tag (skipping numbers someone typed by hand). */
export async function nextTag(tx: Tx, tenantId: number, taken: (tag: string) => Promise<boolean>): Promise<string> {
  const prefix = await tagPrefix(tx, tenantId);
  for (;;) {
    const tag = formatTag(prefix, await reserveTagNumbers(tx, tenantId, 1));
    if (!(await taken(tag))) return tag;
  }
}

/** 24 random bytes, URL-safe: the key of the public report link. */
export const newPublicToken = () => randomBytes(24).toString('base64url');

export const publicUrl = (base: string, token: string) => `${base}/r/${token}`;

export const today = () => new Date().toISOString().slice(0, 10);

export const isOverdue = (a: { assignedToId: number | null; expectedReturn: string | null }) =>
  a.assignedToId !== null && a.expectedReturn !== null && a.expectedReturn < today();

