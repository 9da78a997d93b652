import { describe, expect, it } from 'vitest';
import { relativePeriod } from './periods.js';

describe('relative report periods', () => {
  // 00:30 UTC on 1 March 2026 is still 28 February in New York.
  const at = new Date('2026-03-01T00:30:00Z');
  it('count from the day in the company zone', () => {
    expect(relativePeriod('today', 'America/New_York', at)).toEqual({ from: '2026-02-28', to: '2026-02-28' });
    expect(relativePeriod('today', 'Europe/Berlin', at)).toEqual({ from: '2026-03-01', to: '2026-03-01' });
    expect(relativePeriod('lastMonth', 'America/New_York', at)).toEqual({ from: '2026-01-01', to: '2026-01-31' });
    expect(relativePeriod('lastMonth', 'Europe/Berlin', at)).toEqual({ from: '2026-02-01', to: '2026-02-28' });
  });
  it('knows quarters, weeks (from Monday) and years', () => {
    const day = new Date('2026-05-14T12:00:00Z'); // a Thursday
    expect(relativePeriod('thisQuarter', 'UTC', day)).toEqual({ from: '2026-04-01', to: '2026-05-14' });
    expect(relativePeriod('lastQuarter', 'UTC', day)).toEqual({ from: '2026-01-01', to: '2026-03-31' });
    expect(relativePeriod('lastQuarter', 'UTC', new Date('2026-02-10T12:00:00Z'))).toEqual({ from: '2025-10-01', to: '2025-12-31' });
    expect(relativePeriod('thisWeek', 'UTC', day)).toEqual({ from: '2026-05-11', to: '2026-05-14' });
    expect(relativePeriod('lastWeek', 'UTC', day)).toEqual({ from: '2026-05-04', to: '2026-05-10' });
    expect(relativePeriod('last7Days', 'UTC', day)).toEqual({ from: '2026-05-07', to: '2026-05-13' });
    expect(relativePeriod('lastYear', 'UTC', day)).toEqual({ from: '2025-01-01', to: '2025-12-31' });
    expect(relativePeriod('lastMonth', 'UTC', new Date('2026-01-15T12:00:00Z'))).toEqual({ from: '2025-12-01', to: '2025-12-31' });
  });
});
