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

/**
 * When a letter handed to print at `at` goes out (§4.5): letters in before 20:00 Oslo time go to print the next
 * working day, later ones the working day after. Working days are Monday to Friday (public holidays are not
 * modelled). The print run is at 08:00 Oslo time on that day.
 */
export function nextPrintRun(at: Date): Date {
  const f = osloFields(at);
  let day = new Date(Date.UTC(f.year, f.month, f.day + (f.hour >= PRINT_CUTOFF_HOUR ? 1 : 0)));
  do day = new Date(day.getTime() + 86_400_000);
  while (day.getUTCDay() === 0 || day.getUTCDay() === 6);
  return osloInstant(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), PRINT_RUN_HOUR);
}

/** Midnight Oslo time of the day of `at`: the postmark date of a letter printed at `at`. */
export function osloMidnight(at: Date): Date {
  const f = osloFields(at);
  return osloInstant(f.year, f.month, f.day, 0);
}
