import { describe, expect, it } from 'vitest';
import { describeInZone, offsetMinutes, vtimezone, weekRange, weekStart, zoneTransitions } from './zones.js';

describe('zones', () => {
  it('finds the DST changes of the four test zones in 2026', () => {
    const year = [new Date('2026-01-01T00:00:00Z'), new Date('2027-01-01T00:00:00Z')] as const;
    const london = zoneTransitions('Europe/London', ...year);
    expect(london.map((t) => t.at.toISOString())).toEqual(['2026-03-29T01:00:00.000Z', '2026-10-25T01:00:00.000Z']);
    expect(london[0]).toMatchObject({ offsetBefore: 0, offsetAfter: 60 });
    const ny = zoneTransitions('America/New_York', ...year);
    expect(ny.map((t) => t.at.toISOString())).toEqual(['2026-03-08T07:00:00.000Z', '2026-11-01T06:00:00.000Z']);
    // Southern hemisphere: summer time ends in April, starts in September/October.
    expect(zoneTransitions('Australia/Sydney', ...year).map((t) => [t.offsetBefore, t.offsetAfter])).toEqual([
      [660, 600],
      [600, 660],
    ]);
    expect(zoneTransitions('Pacific/Auckland', ...year).map((t) => [t.offsetBefore, t.offsetAfter])).toEqual([
      [780, 720],
      [720, 780],
    ]);
    expect(zoneTransitions('UTC', ...year)).toEqual([]);
  });

  it('writes a VTIMEZONE with one observance per change, DTSTART in the old offset', () => {
    const text = vtimezone('Europe/London', new Date('2026-03-01T00:00:00Z'), new Date('2026-12-01T00:00:00Z'));
    expect(text).toContain('TZID:Europe/London');
    expect(text).toContain('BEGIN:DAYLIGHT\r\nDTSTART:20260329T010000\r\nTZOFFSETFROM:+0000\r\nTZOFFSETTO:+0100');
    expect(text).toContain('BEGIN:STANDARD\r\nDTSTART:20261025T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0000');
    const utc = vtimezone('UTC', new Date('2026-03-01T00:00:00Z'), new Date('2026-12-01T00:00:00Z'));
    expect(utc).toContain('TZOFFSETFROM:+0000\r\nTZOFFSETTO:+0000');
    const kolkata = vtimezone('Asia/Kolkata', new Date('2026-03-01T00:00:00Z'), new Date('2026-12-01T00:00:00Z'));
    expect(kolkata).toContain('TZOFFSETTO:+0530');
  });

  it('gives a week spanning a DST change its real length', () => {
    expect(weekStart('2026-03-29')).toBe('2026-03-23');
    const spring = weekRange('2026-03-23', 'Europe/London');
    expect((spring.end.getTime() - spring.start.getTime()) / 3_600_000).toBe(167);
    const autumn = weekRange('2026-10-26', 'America/New_York');
    expect((autumn.end.getTime() - autumn.start.getTime()) / 3_600_000).toBe(169);
    expect(weekRange('2026-06-01', 'UTC').start.toISOString()).toBe('2026-06-01T00:00:00.000Z');
  });

  it('shows one instant in two zones', () => {
    const at = new Date('2026-07-01T23:30:00Z');
    expect(describeInZone(at, 'Europe/London')).toEqual({ date: '2026-07-02', time: '00:30', offset: '+01:00' });
    expect(describeInZone(at, 'America/New_York')).toEqual({ date: '2026-07-01', time: '19:30', offset: '-04:00' });
    expect(offsetMinutes(at, 'Pacific/Auckland')).toBe(720);
  });
});

describe('wall-clock arrays (calendar widget)', () => {
  it('gives offsets at wall clocks, a time in the gap moving forward', async () => {
    const { offsetAtWallClock, wallClockAt } = await import('./zones.js');
    expect(offsetAtWallClock([2026, 2, 29, 0, 30], 'Europe/London')).toBe(0);
    // 01:30 does not exist: it is 02:30 BST = 01:30Z, so the wall clock read as UTC needs no shift.
    expect(offsetAtWallClock([2026, 2, 29, 1, 30], 'Europe/London')).toBe(0);
    expect(offsetAtWallClock([2026, 2, 29, 2, 30], 'Europe/London')).toBe(60);
    expect(offsetAtWallClock([2026, 10, 1, 1, 30], 'America/New_York')).toBe(-240);
    expect(wallClockAt(Date.parse('2026-11-01T06:30:00Z'), 'America/New_York')).toEqual([2026, 10, 1, 1, 30, 0, 0]);
    expect(wallClockAt(Date.parse('2026-11-01T05:30:00Z'), 'America/New_York')).toEqual([2026, 10, 1, 1, 30, 0, 0]);
  });
});

describe('addDaysInZone', () => {
  it('keeps the wall clock across a DST change (a week later is 167 hours)', async () => {
    const { addDaysInZone } = await import('./zones.js');
    const before = new Date('2026-03-23T08:00:00Z'); // 08:00 GMT, Monday before the change
    const after = addDaysInZone(before, 7, 'Europe/London');
    expect(after.toISOString()).toBe('2026-03-30T07:00:00.000Z'); // 08:00 BST
    expect(addDaysInZone(new Date('2026-10-26T12:00:00Z'), -7, 'America/New_York').toISOString()).toBe('2026-10-19T12:00:00.000Z');
    expect(addDaysInZone(new Date('2026-11-02T13:00:00Z'), -7, 'America/New_York').toISOString()).toBe('2026-10-26T12:00:00.000Z');
  });
});
