// What a sent letter costs (README "Price lists"): Digipost's price for its channel by the tenant's price list,
// plus the administration fee per sent measure. Pure: the lists are read in db/prices.ts, the charge and the
// credit for a failed print are written with the letter's move in db/transitions.ts.
import { sheetsFor } from '../documents/page-layout';

/** Prices in øre (1/100 NOK), per tenant; Digipost's prices change, so they are configuration. */
export interface PriceList {
  digitalPerLetter: number;
  printPerLetter: number;
  printPerExtraSheet: number;
  /** The administration fee per sent measure (NOK 1 = 100 øre). */
  adminFeePerLetter: number;
}

/**
 * The price of one sent letter. `pages`: the pages of each document of the message, the primary first, then
 * its attachments; in print each document starts on a fresh sheet (duplex, at least one sheet each), so their
 * sheets add up.
 */
export function priceLetter(
  prices: PriceList,
  channel: 'DIGIPOST' | 'PRINT',
  pages: readonly number[],
): { sheets: number; postage: number; adminFee: number } {
  const sheets = channel === 'PRINT' ? pages.reduce((s, p) => s + Math.max(1, sheetsFor(p)), 0) : 0;
  const postage =
    channel === 'PRINT'
      ? prices.printPerLetter + (sheets - 1) * prices.printPerExtraSheet
      : prices.digitalPerLetter;
  return { sheets, postage, adminFee: prices.adminFeePerLetter };
}

/**
 * Digipost's events saying a printed letter never reached its recipient (digipost-api.md, document events).
 * The print-failed rule: its postage is credited, the administration fee stands (the measure was produced and
 * sent); the credit is its own ledger row dated when the failure was recorded, so a period already exported
 * stays as it was and the credit shows in the period it happened.
 */
export const creditsPostage = (failureCode: string | null | undefined): boolean =>
  failureCode === 'PRINT_FAILED' || failureCode === 'SHREDDED';

/** The Europe/Oslo calendar day of an instant, YYYY-MM-DD: the day a letter is billed by. */
export function osloDay(at: Date): string {
  return at.toLocaleDateString('sv-SE', { timeZone: 'Europe/Oslo' });
}
