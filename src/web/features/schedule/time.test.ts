import { describe, expect, it } from 'vitest';
import { spanIn, textOn, timeIn } from './time';

describe('schedule display helpers', () => {
  it('shows an instant on the viewer’s clock, across midnight with both days', () => {
    expect(timeIn('2026-07-01T23:30:00Z', 'Europe/London')).toBe('00:30');
    expect(spanIn('2026-07-01T09:00:00+01:00', '2026-07-01T17:00:00+01:00', 'Europe/London')).toBe('Wed, Jul 1, 09:00–17:00');
    expect(spanIn('2026-07-01T09:00:00+01:00', '2026-07-01T17:00:00+01:00', 'Asia/Tokyo')).toBe('Wed, Jul 1, 17:00–Thu, Jul 2, 01:00');
  });

  it('picks black text on light technician colours and white on dark ones', () => {
    expect(textOn('#fab005')).toBe('#000000');
    expect(textOn('#82c91e')).toBe('#000000');
    expect(textOn('#1864ab')).toBe('#ffffff');
    expect(textOn('#7950f2')).toBe('#ffffff');
    expect(textOn('not a colour')).toBe('#ffffff');
  });
});
