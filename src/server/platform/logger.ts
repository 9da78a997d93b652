import pino from 'pino';

export type Logger = pino.Logger;

/** JSON logs; secrets never reach them (cookies, tokens and passwords are redacted). */
export function createLogger(level: string): Logger {
  return pino({
    level,
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
  });
}
