// Field rules of the registry shared by the form, PATCH and the CSV import: typed custom fields per
// category, auto-generated tags (per-company prefix + counter), the public link, "overdue".
import { randomBytes } from 'node:crypto';
import type { CustomFieldDef } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';
import { reserveTagNumbers, tagPrefix } from './assets.repo.js';
import { isOverdue as isPastDue } from '../../../shared/time/index.js';

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

export { reserveTagNumbers, tagPrefix } from './assets.repo.js';

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

/** A checked-out asset is overdue once its return day has passed in the company's zone. */
export const isOverdue = (a: { assignedToId: number | null; expectedReturn: string | null }, zone: string) =>
  a.assignedToId !== null && isPastDue(a.expectedReturn, zone);

