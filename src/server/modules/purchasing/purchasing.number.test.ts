import { describe, expect, it } from 'vitest';
import { renderPattern } from './purchasing.number.js';

describe('PO number pattern', () => {
  it('fills the year in the company zone and pads the sequence', () => {
    const newYearsEveUtc = new Date('2026-12-31T23:30:00Z');
    expect(renderPattern('PO-{YYYY}-{seq:4}', newYearsEveUtc, 'UTC').format(7)).toBe('PO-2026-0007');
    const berlin = renderPattern('PO-{YYYY}-{seq:4}', newYearsEveUtc, 'Europe/Berlin');
    expect(berlin.format(1)).toBe('PO-2027-0001');
    expect(berlin.key).toBe('purchase_order:PO-2027-{seq:4}');
    expect(renderPattern('{YY}{MM}/{seq}', new Date('2026-03-05T12:00:00Z'), 'UTC').format(12345)).toBe('2603/12345');
  });
});
