// The error codes are one closed list: every code has its HTTP status, and a code that is not listed
// does not compile (the @ts-expect-error below fails `tsc --noEmit` the day AppError accepts any string).
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/shared/contracts/errors.js';
import { AppError } from '../../src/server/platform/errors.js';

describe('error codes', () => {
  it('gives every listed code an HTTP status (4xx, or 500 for internal)', () => {
    for (const code of ERROR_CODES) {
      const status = new AppError(code, 'x').status;
      expect(status, code).toBeGreaterThanOrEqual(400);
      expect(status, code).toBeLessThan(code === 'internal' ? 501 : 500);
    }
    expect(new AppError('validation', 'x').status).toBe(400);
    expect(new AppError('stale_version', 'x').status).toBe(409);
    expect(new AppError('insufficient_stock', 'x').status).toBe(422);
  });

  it('refuses a code that is not in the list at compile time', () => {
    // @ts-expect-error 'no_such_code' is not an ErrorCode
    const err = new AppError('no_such_code', 'x');
    // At run time the unknown code has no status: nothing silently turns it into a 422.
    expect(err.status).toBeUndefined();
  });

  it('lists each code once', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
  });
});
