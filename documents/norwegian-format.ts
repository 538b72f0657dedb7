// How amounts, dates and payment numbers are written in Norwegian letters. Amounts are handled in øre
// (integers) so sums are exact.

/** NOK with at most two decimals → øre. The caller has validated the number of decimals. */
export function toOre(nok: number): number {
  return Math.round(nok * 100);
}

/** "1 234,50 kr": space as thousands separator, comma as decimal separator, minus as "-". */
export function formatNok(ore: number): string {
  const sign = ore < 0 ? '-' : '';
  const abs = Math.abs(ore);
  const kroner = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  const decimals = (abs % 100).toString().padStart(2, '0');
  return `${sign}${kroner},${decimals} kr`;
}

/** ISO calendar date "2026-11-23" → "23.11.2026". */
export function formatDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  return `${day}.${month}.${year}`;
}

/** "86011117947" → "8601 11 17947", the grouping printed on Norwegian giros. */
export function formatAccountNumber(digits: string): string {
  return `${digits.slice(0, 4)} ${digits.slice(4, 6)} ${digits.slice(6)}`;
}

/** "974760673" → "974 760 673". */
export function formatOrgNumber(digits: string): string {
  return `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`;
}

/** Whole days from one ISO date to another (positive when `to` is later). */
export function daysBetween(fromIso: string, toIso: string): number {
  return (Date.parse(`${toIso}T00:00:00Z`) - Date.parse(`${fromIso}T00:00:00Z`)) / 86_400_000;
}
