// Field schemas every module's contract shares: ids, pagination, names, e-mail, the error body.
import { z } from 'zod';
import { ERROR_CODES } from './errors.js';
import { THEMES } from './enums.js';

/** Ids travel as strings in JSON; in the database they are bigints. */
export const idString = z.string().regex(/^[1-9][0-9]{0,17}$/, 'must be an id');
export const idParam = z.object({ id: idString });

export const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export type ListQuery = z.infer<typeof listQuery>;
/** A list a picker searches: `q` matches the name (case-insensitive, anywhere in it). */
export const searchListQuery = listQuery.extend({ q: z.string().trim().max(200).optional() });
export type SearchListQuery = z.infer<typeof searchListQuery>;

/** One page of a keyset-paginated list. */
export const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const errorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()) }),
});
export type ErrorBody = z.infer<typeof errorBody>;
export const errorCode = z.enum(ERROR_CODES);

/** `{ id, name }` of a related record, or null. */
export const ref = z.object({ id: z.string(), name: z.string() });
export type Ref = z.infer<typeof ref>;

export const password = z.string().min(10, 'must be at least 10 characters').max(200);
export const email = z
  .email('must be an e-mail address')
  .max(254)
  .transform((s) => s.trim());
export const name = z.string().trim().min(1, 'is required').max(200);
export const username = z
  .string()
  .trim()
  .min(2)
  .max(60)
  .regex(/^[a-zA-Z0-9._-]+$/, 'letters, digits, dot, dash and underscore only');
export const slug = z
  .string()
  .trim()
  .min(2)
  .max(60)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'lower-case letters, digits and dashes');
export const theme = z.enum(THEMES);
export const timezone = z
  .string()
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'is not a known time zone');
export const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #228be6');
/** Query-string booleans: `?unread=true`. */
export const queryBool = z.enum(['true', 'false']).transform((v) => v === 'true');

/**
 * Single-object answers carry the object under its name and, for clients that read it flat, its
 * fields at the top level too: `{"role": {...}, "id": ..., "name": ...}`.
 */
export function wrapped<K extends string, S extends z.ZodObject>(key: K, schema: S) {
  return schema.extend({ [key]: schema } as { [P in K]: S });
}
