import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, newTotpSecret, otpauthUrl, totpAt, verifyTotp } from './totp.js';

// RFC 6238 appendix B, SHA-1 seed "12345678901234567890" (ASCII).
const SECRET = base32Encode(Buffer.from('12345678901234567890', 'ascii'));

describe('TOTP', () => {
  it('encodes the RFC secret in base32 and back', () => {
    expect(SECRET).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(base32Decode(SECRET).toString('ascii')).toBe('12345678901234567890');
    expect(base32Decode(SECRET.toLowerCase()).toString('ascii')).toBe('12345678901234567890');
    expect(() => base32Decode('GEZ1')).toThrow(/base32/);
  });

  it('matches the RFC 6238 SHA-1 vectors (last six of the eight digits)', () => {
    expect(totpAt(SECRET, 59_000)).toBe('287082'); // 94287082
    expect(totpAt(SECRET, 1_111_111_109_000)).toBe('081804'); // 07081804
    expect(totpAt(SECRET, 1_111_111_111_000)).toBe('050471'); // 14050471
    expect(totpAt(SECRET, 1_234_567_890_000)).toBe('005924'); // 89005924
    expect(totpAt(SECRET, 2_000_000_000_000)).toBe('279037'); // 69279037
    expect(totpAt(SECRET, 20_000_000_000_000)).toBe('353130'); // 65353130
  });

  it('accepts the current step and one either side, nothing else', () => {
    const now = 1_111_111_109_000;
    expect(verifyTotp(SECRET, '081804', now)).toBe(true);
    expect(verifyTotp(SECRET, ' 081804 ', now)).toBe(true);
    expect(verifyTotp(SECRET, totpAt(SECRET, now - 30_000), now)).toBe(true);
    expect(verifyTotp(SECRET, totpAt(SECRET, now + 30_000), now)).toBe(true);
    expect(verifyTotp(SECRET, totpAt(SECRET, now - 60_000), now)).toBe(false);
    expect(verifyTotp(SECRET, totpAt(SECRET, now + 60_000), now)).toBe(false);
    for (const bad of ['', '81804', '0818040', 'abcdef', '08180x']) expect(verifyTotp(SECRET, bad, now)).toBe(false);
  });

  it('makes 160-bit secrets and otpauth links authenticator apps read', () => {
    const s = newTotpSecret();
    expect(s).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(s)).toHaveLength(20);
    expect(newTotpSecret()).not.toBe(s);
    const url = new URL(otpauthUrl(s, 'ada@acme.test'));
    expect(url.protocol).toBe('otpauth:');
    expect(url.searchParams.get('secret')).toBe(s);
    expect(url.searchParams.get('issuer')).toBe('Steward');
    expect(url.searchParams.get('digits')).toBe('6');
    expect(url.searchParams.get('period')).toBe('30');
    expect(decodeURIComponent(url.pathname)).toContain('Steward:ada@acme.test');
  });
});
