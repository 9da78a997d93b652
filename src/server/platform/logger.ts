import pino from 'pino';

export type Logger = pino.Logger;

/** An error of a failed query (Drizzle's DrizzleQueryError): the SQL with its parameter values. */
interface QueryError extends Error {
  query: string;
  params: unknown[];
}

const isQueryError = (err: unknown): err is QueryError =>
  err instanceof Error && typeof (err as QueryError).query === 'string' && Array.isArray((err as QueryError).params);

/**
 * Errors as pino serialises them, without the parameters of a failed query: they hold what users
 * typed (passwords, personal data), and Drizzle writes them into the message and the stack too.
 */
export function serializeError(err: unknown): unknown {
  const out = pino.stdSerializers.err(err as Error) as unknown as Record<string, unknown>;
  if (!out || typeof out !== 'object') return out;
  const leaks: string[] = [];
  const seen = new Set<unknown>();
  for (let e: unknown = err; e instanceof Error && !seen.has(e); e = e.cause) {
    seen.add(e);
    if (isQueryError(e)) leaks.push(`\nparams: ${e.params}`);
  }
  if (leaks.length === 0) return out;
  delete out.params;
  for (const key of ['message', 'stack'] as const) {
    const value = out[key];
    if (typeof value !== 'string') continue;
    let text = value;
    for (const leak of leaks) text = text.split(leak).join('\nparams: [redacted]');
    out[key] = text;
  }
  return out;
}

/** JSON logs; secrets never reach them (cookies, tokens, passwords and query parameters are redacted). */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      serializers: { err: serializeError },
      redact: {
        paths: [
          'req.headers.cookie',
          'req.headers.authorization',
          'req.headers["x-csrf-token"]',
          'res.headers["set-cookie"]',
          '*.password',
          '*.token',
          '*.key',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
