// The simulator's business clock (digipost-api.md §4.5, §8, §9): print runs, event times, 30-day expiry and
// delivery times follow it, so tests can move time instead of waiting. Request and response `Date` headers
// stay on wall-clock time, as real clients check them against their own clock (§1.2, §1.4).
export class SimClock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  set(at: Date): void {
    this.offsetMs = at.getTime() - Date.now();
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

const OSLO = 'Europe/Oslo';
const offsetFormat = new Intl.DateTimeFormat('en-US', { timeZone: OSLO, timeZoneName: 'shortOffset' });

/** Minutes Oslo is ahead of UTC at instant `d` (60 in winter, 120 in summer). */
export function osloOffsetMinutes(d: Date): number {
  const name = offsetFormat.formatToParts(d).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d+)(?::(\d+))?/.exec(name);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

/** Oslo wall-clock fields of instant `d`. */
function osloFields(d: Date) {
  const local = new Date(d.getTime() + osloOffsetMinutes(d) * 60_000);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth(),
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    weekday: local.getUTCDay(),
  };
}

/** The instant of Oslo wall-clock time `hour`:00 on the given date. */
function osloInstant(year: number, month: number, day: number, hour: number): Date {
  const guess = Date.UTC(year, month, day, hour);
  const first = guess - osloOffsetMinutes(new Date(guess)) * 60_000;
  return new Date(guess - osloOffsetMinutes(new Date(first)) * 60_000);
}

/** `2024-05-02T10:00:01.000+02:00`, the way Digipost writes times (Oslo offset, milliseconds). */
export function osloIso(d: Date): string {
  const off = osloOffsetMinutes(d);
  const local = new Date(d.getTime() + off * 60_000).toISOString().slice(0, 23);
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

export const PRINT_CUTOFF_HOUR = 20;
export const PRINT_RUN_HOUR = 8;

/** Easter Sunday of `year` (Gregorian; the anonymous algorithm), as a UTC date. */
function easterSunday(year: number): Date {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return new Date(Date.UTC(year, month - 1, day));
}

const holidayCache = new Map<number, Set<string>>();

/**
 * Norway's public holidays of `year` as `yyyy-mm-dd` (helligdager, plus 1 and 17 May): New Year's Day,
 * Maundy Thursday, Good Friday, Easter Sunday and Monday, 1 May, 17 May, Ascension Day, Whit Sunday and
 * Monday, Christmas Day and Boxing Day. Posten prints and delivers on none of them.
 */
export function norwegianPublicHolidays(year: number): Set<string> {
  let days = holidayCache.get(year);
  if (!days) {
    const easter = easterSunday(year).getTime();
    const fromEaster = (n: number) => new Date(easter + n * 86_400_000).toISOString().slice(0, 10);
    const fixed = (m: number, d: number) => new Date(Date.UTC(year, m - 1, d)).toISOString().slice(0, 10);
    days = new Set([
      fixed(1, 1),
      ...[-3, -2, 0, 1, 39, 49, 50].map(fromEaster),
      fixed(5, 1),
      fixed(5, 17),
      fixed(12, 25),
      fixed(12, 26),
    ]);
    holidayCache.set(year, days);
  }
  return days;
}

/** A day (UTC midnight of an Oslo calendar date) on which Posten prints: Monday to Friday, not a holiday. */
function isWorkingDay(day: Date): boolean {
  const weekday = day.getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  return !norwegianPublicHolidays(day.getUTCFullYear()).has(day.toISOString().slice(0, 10));
}

/**
 * When a letter handed to print at `at` goes out (§4.5): letters in before 20:00 Oslo time go to print the next
 * working day, later ones the working day after. Working days are Monday to Friday except Norway's public
 * holidays. The print run is at 08:00 Oslo time on that day.
 */
export function nextPrintRun(at: Date): Date {
  const f = osloFields(at);
  let day = new Date(Date.UTC(f.year, f.month, f.day + (f.hour >= PRINT_CUTOFF_HOUR ? 1 : 0)));
  do day = new Date(day.getTime() + 86_400_000);
  while (!isWorkingDay(day));
  return osloInstant(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), PRINT_RUN_HOUR);
}

/** Midnight Oslo time of the day of `at`: the postmark date of a letter printed at `at`. */
export function osloMidnight(at: Date): Date {
  const f = osloFields(at);
  return osloInstant(f.year, f.month, f.day, 0);
}
