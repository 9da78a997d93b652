// Exact money arithmetic for orders: decimals as scaled BigInts, never floats. A line is
// quantity (3 decimals) × unit price (4 decimals) rounded half-up to cents; tax is
// round(subtotal × rate / 100, 2) half-up (API.md "Conventions").

/** A non-negative decimal ("12.5", 12.5) as an integer scaled by 10^places, rounded half-up beyond it. */
export function scaled(value: string | number, places: number): bigint {
  const s = typeof value === 'number' ? value.toFixed(Math.min(places + 2, 20)) : value.trim();
  const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(s);
  if (!m) throw new Error(`not a decimal: ${value}`);
  const [, sign, whole, frac = ''] = m;
  const digits = BigInt((whole || '0') + frac.padEnd(places, '0').slice(0, places));
  const rest = frac.slice(places);
  const up = rest.length > 0 && rest[0] >= '5' ? 1n : 0n;
  return sign === '-' ? -(digits + up) : digits + up;
}

/** Divides a non-negative scaled integer by 10^shift, rounding half-up. */
function shiftHalfUp(n: bigint, shift: number): bigint {
  const d = 10n ** BigInt(shift);
  return (n + d / 2n) / d;
}

/** Cents of quantity × unit price. */
export function lineCents(quantity: string | number, unitPrice: string | number): bigint {
  return shiftHalfUp(scaled(quantity, 3) * scaled(unitPrice, 4), 5);
}

/** Cents of tax on a subtotal in cents at a percent rate (4 decimals). */
export function taxCents(subtotalCents: bigint, ratePercent: string | number): bigint {
  return shiftHalfUp(subtotalCents * scaled(ratePercent, 4), 6);
}

export function orderTotals(lines: Array<{ quantity: string | number; unitPrice: string | number }>, ratePercent: string | number) {
  const subtotal = lines.reduce((sum, l) => sum + lineCents(l.quantity, l.unitPrice), 0n);
  const tax = taxCents(subtotal, ratePercent);
  return { subtotal, tax, total: subtotal + tax };
}

/** "1234.50" from cents (for numeric columns). */
export function centsToDecimal(cents: bigint): string {
  const neg = cents < 0n;
  const abs = neg ? -cents : cents;
  return `${neg ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

export const centsToNumber = (cents: bigint): number => Number(centsToDecimal(cents));

/** "1,234.50" for documents. */
export function formatMoney(cents: bigint): string {
  const [whole, frac] = centsToDecimal(cents).split('.');
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac}`;
}
