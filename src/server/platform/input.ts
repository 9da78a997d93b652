// Input no route may see: PostgreSQL text and jsonb cannot hold the NUL character, so a NUL that
// reached a query failed there as a 500. One hook refuses it in every path parameter, query
// parameter and JSON body (keys included) before any route's schema or handler runs.
import type { FastifyInstance } from 'fastify';
import { AppError } from './errors.js';

export const NUL_MESSAGE = 'must not contain the NUL character';

/** The dotted path of the first string (or key) holding a NUL, '' for the value itself, or null. */
export function findNul(value: unknown, depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? '' : null;
  // Deeper than any schema here; a pathological nesting is left to the schema to refuse.
  if (value === null || typeof value !== 'object' || depth > 64) return null;
  // Raw bodies (a webhook's MIME, an upload) are bytes, not fields: walking them entry by entry
  // cost a property per byte on every request.
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return null;
  for (const [key, item] of Object.entries(value)) {
    if (key.includes('\u0000')) return key;
    const inner = findNul(item, depth + 1);
    if (inner !== null) return inner ? `${key}.${inner}` : key;
  }
  return null;
}

export function registerInputGuards(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const parts = [
      ['params', request.params],
      ['querystring', request.query],
      ['body', request.body],
    ] as const;
    for (const [where, value] of parts) {
      const at = findNul(value);
      if (at === null) continue;
      throw new AppError('validation', 'Some fields are not valid', { fields: { [at || where]: NUL_MESSAGE }, in: where });
    }
  });
}
