import { describe, expect, it } from 'vitest';
import { nextPrintRun, norwegianPublicHolidays, osloIso, SimClock } from './clock';
import { TEST_DATES } from '../../test/support/dates';

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
  it.each(TEST_DATES)('the next print run from $label', ({ at, printRun }) => {
    expect(nextPrintRun(at).toISOString()).toBe(printRun);
  });
  it("Norway's public holidays: Easter and Whitsun move, the fixed days do not", () => {
    expect([...norwegianPublicHolidays(2026)].sort()).toEqual([
      '2026-01-01',
      '2026-04-02', // Maundy Thursday
      '2026-04-03', // Good Friday
      '2026-04-05', // Easter Sunday
      '2026-04-06', // Easter Monday
      '2026-05-01',
      '2026-05-14', // Ascension Day
      '2026-05-17',
      '2026-05-24', // Whit Sunday
      '2026-05-25', // Whit Monday
      '2026-12-25',
      '2026-12-26',
    ]);
    expect(norwegianPublicHolidays(2027).has('2027-03-28')).toBe(true); // Easter Sunday 2027
    expect(norwegianPublicHolidays(2030).has('2030-04-21')).toBe(true); // Easter Sunday 2030
  });
  it('skips public holidays: Christmas, New Year and 17 May', () => {
    // Thursday 24 December 2026 10:00 CET: 25 Dec (Fri) is a holiday, then the weekend → Monday 28th
    expect(nextPrintRun(new Date('2026-12-24T09:00:00Z')).toISOString()).toBe('2026-12-28T07:00:00.000Z');
    // Thursday 31 December 2026 → 1 January is a holiday (Fri) → Monday 4 January 2027
    expect(nextPrintRun(new Date('2026-12-31T09:00:00Z')).toISOString()).toBe('2027-01-04T07:00:00.000Z');
    // Friday 14 May 2027 → Monday 17 May is a holiday → Tuesday 18 May 08:00 CEST
    expect(nextPrintRun(new Date('2027-05-14T09:00:00Z')).toISOString()).toBe('2027-05-18T06:00:00.000Z');
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
