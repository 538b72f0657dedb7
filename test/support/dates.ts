// Fixed instants for tests whose outcome depends on the date: each is a day that once broke, or would break,
// a test that used today's date. Tests iterate over them instead of reading the wall clock, and
// `npm run test:dates` runs the clock-sensitive tests with the process clock set to each (scripts/test-dates.sh).
// The expectations are worked out by hand from digipost-api.md §4.5 (print the next working day at 08:00 Oslo
// time, letters after 20:00 count from the next day), never from the code under test.

export interface TestDate {
  label: string;
  at: Date;
  /** The print run (08:00 Oslo time) of a letter handed to print at `at`. */
  printRun: string;
  /** The print run of a letter sent at `at` with print-if-unread after 3 days, left unread. */
  unreadPrintRun: string;
}

export const TEST_DATES: readonly TestDate[] = [
  {
    label: 'a Tuesday evening before the cut-off (the deadline falls on Friday evening)',
    at: new Date('2026-12-01T18:30:00Z'), // Tue 19:30 CET
    printRun: '2026-12-02T07:00:00.000Z', // Wed 08:00 CET
    unreadPrintRun: '2026-12-07T07:00:00.000Z', // deadline Fri 19:30 → Mon 08:00
  },
  {
    label: 'a Tuesday evening after the 20:00 cut-off',
    at: new Date('2026-12-01T19:30:00Z'), // Tue 20:30 CET
    printRun: '2026-12-03T07:00:00.000Z', // Thu 08:00 CET
    unreadPrintRun: '2026-12-07T07:00:00.000Z', // deadline Fri 20:30 → counts from Sat → Mon
  },
  {
    label: 'a Friday afternoon',
    at: new Date('2026-11-27T13:00:00Z'), // Fri 14:00 CET
    printRun: '2026-11-30T07:00:00.000Z', // Mon 08:00 CET
    unreadPrintRun: '2026-12-01T07:00:00.000Z', // deadline Mon 14:00 → Tue 08:00
  },
  {
    label: 'the day before Maundy Thursday (Easter: Thu, Fri and Mon are public holidays)',
    at: new Date('2026-04-01T08:00:00Z'), // Wed 10:00 CEST
    printRun: '2026-04-07T06:00:00.000Z', // Tue after Easter, 08:00 CEST
    unreadPrintRun: '2026-04-07T06:00:00.000Z', // deadline Sat 10:00 → Tue
  },
  {
    label: 'the last Sunday of March, before the switch to summer time',
    at: new Date('2026-03-29T00:30:00Z'), // Sun 01:30 CET
    printRun: '2026-03-30T06:00:00.000Z', // Mon 08:00 CEST
    unreadPrintRun: '2026-04-07T06:00:00.000Z', // deadline Wed 1 Apr 02:30 CEST → Thu, Fri, Mon are holidays
  },
  {
    label: 'the last Sunday of October, before the switch to winter time',
    at: new Date('2026-10-25T00:30:00Z'), // Sun 02:30 CEST
    printRun: '2026-10-26T07:00:00.000Z', // Mon 08:00 CET
    unreadPrintRun: '2026-10-29T07:00:00.000Z', // deadline Wed 01:30 CET → Thu 08:00
  },
  {
    label: 'the day before Ascension Day',
    at: new Date('2027-05-05T10:00:00Z'), // Wed 12:00 CEST; Ascension Day is Thu 6 May 2027
    printRun: '2027-05-07T06:00:00.000Z', // Fri 08:00 CEST
    unreadPrintRun: '2027-05-10T06:00:00.000Z', // deadline Sat 12:00 → Mon 08:00
  },
];
