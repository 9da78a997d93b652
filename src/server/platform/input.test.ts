import { describe, expect, it } from 'vitest';
import { findNul } from './input.js';

describe('findNul', () => {
  it('finds a NUL in a nested string or key and names its path', () => {
    expect(findNul({ a: { b: ['x', 'y\u0000'] } })).toBe('a.b.1');
    expect(findNul({ ['k\u0000']: 1 })).toBe('k\u0000');
    expect(findNul('plain')).toBeNull();
  });

  it('leaves raw bytes alone (a webhook MIME body may hold any byte)', () => {
    expect(findNul(Buffer.from([0, 1, 2, 0]))).toBeNull();
    expect(findNul(new Uint8Array([0]).buffer)).toBeNull();
    expect(findNul({ text: 'ok', raw: Buffer.alloc(4) })).toBeNull();
  });
});
