import { describe, expect, it } from 'vitest';
import { centsToDecimal, formatMoney, lineCents, orderTotals, scaled, taxCents } from './money.js';

describe('money', () => {
  it('rounds a line half-up to cents, exactly', () => {
    expect(lineCents('3', '0.335')).toBe(101n); // 1.005 → 1.01 (a float gives 1.00)
    expect(lineCents(1.005, 1)).toBe(101n);
    expect(lineCents('2.5', '79.9')).toBe(19975n);
    expect(lineCents('0.001', '0.0049')).toBe(0n);
  });
  it('taxes the subtotal at the rate, half-up', () => {
    expect(taxCents(1000n, '7.5')).toBe(75n);
    expect(taxCents(333n, '19')).toBe(63n); // 63.27 cents
    expect(taxCents(50n, '1')).toBe(1n); // 0.5 cent rounds up
    expect(orderTotals([{ quantity: 3, unitPrice: 19.99 }, { quantity: '1.5', unitPrice: '10.01' }], 8.25)).toEqual({ subtotal: 7499n, tax: 619n, total: 8118n });
  });
  it('parses and prints decimals', () => {
    expect(scaled('12.3456', 2)).toBe(1235n);
    expect(scaled(0.1 + 0.2, 2)).toBe(30n);
    expect(centsToDecimal(123405n)).toBe('1234.05');
    expect(formatMoney(123456789n)).toBe('1,234,567.89');
  });
});
