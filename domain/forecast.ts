// What a run will do with one queued letter, from Digipost's identification of its recipient and its address:
// the same rule the run meets at Digipost (activities/digipost-submit.ts sends with print details when the
// address is complete; Digipost delivers digitally to its users and prints for everyone else).
import { failureReason } from './letter-status';
import { isCompleteAddress, missingAddressParts, type PostalAddress } from './postal-address';

export type Forecast = 'DIGITAL' | 'PRINT' | 'NOT_REACHABLE';

export interface LetterForecast {
  forecast: Forecast;
  reasonCode: string | null;
  reason: string | null;
}

/** Digipost's identification result (digipost-api.md §3): DIGIPOST, IDENTIFIED, UNIDENTIFIED or INVALID. */
export function forecastLetter(identification: string, address: PostalAddress | undefined): LetterForecast {
  if (identification === 'DIGIPOST') return { forecast: 'DIGITAL', reasonCode: null, reason: null };
  if (isCompleteAddress(address))
    return {
      forecast: 'PRINT',
      reasonCode: 'NO_DIGIPOST_MAILBOX',
      reason: 'Mottakeren har ikke Digipost; brevet skrives ut og sendes som papirpost.',
    };
  return {
    forecast: 'NOT_REACHABLE',
    reasonCode: 'INCOMPLETE_ADDRESS',
    reason: failureReason('INCOMPLETE_ADDRESS', `mangler ${missingAddressParts(address).join(', ')}`),
  };
}
