import { describe, expect, it } from 'vitest';
import { nextPrintRun, osloIso, SimClock } from './clock';

describe('print schedule (digipost-api.md §4.5)', () => {
  it('prints the next working day at 08:00 Oslo time when handed in before 20:00', () => {
    // Monday 7 January 2030, 19:59 in Oslo (CET) → Tuesday 08:00 CET
    expect(nextPrintRun(new Date('2030-01-07T18:59:00Z')).toISOString()).toBe('2030-01-08T07:00:00.000Z');
  });
  it('after the 20:00 cut-off, the working day after next', () => {
    expect(nextPrintRun(new Date('2030-01-07T19:00:00Z')).toISOString()).toBe('2030-01-09T07:00:00.000Z');
  });
  it('skips the weekend; summer time is CEST', () => {
    // Friday 14 June 2030 12:00 CEST → Monday 17 June 08:00 CEST
    expect(nextPrintRun(new Date('2030-06-14T10:00:00Z')).toISOString()).toBe('2030-06-17T06:00:00.000Z');
    // Saturday → Monday
    expect(nextPrintRun(new Date('2030-01-12T10:00:00Z')).toISOString()).toBe('2030-01-14T07:00:00.000Z');
  });
  it('writes times with the Oslo offset', () => {
    expect(osloIso(new Date('2030-06-14T10:00:00Z'))).toBe('2030-06-14T12:00:00.000+02:00');
  });
  it('the business clock can be set and advanced', () => {
    const c = new SimClock();
    c.set(new Date('2030-01-01T00:00:00Z'));
    c.advance(3_600_000);
    expect(Math.abs(c.now().getTime() - Date.parse('2030-01-01T01:00:00Z'))).toBeLessThan(1_000);
  });
});
