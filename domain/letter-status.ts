// The letter statuses, in the users' own words, and why a letter was not sent, in words an operator understands.
// The one list of letter statuses: the API's enums, the database column type and the panel derive from it.
import { LETTER_REASON_TEXT } from './reason-texts';
import { codesOf } from './vocabulary';

export const LETTER_STATUS = {
  /** Version 1 is being produced (the API answers it; the letter is not yet in the operators' queue). */
  RECEIVED: 'Mottatt',
  QUEUED: 'I kø',
  WAITING: 'Venter',
  SENT_DIGITAL: 'Sendt web',
  SENT_PRINT: 'Sendt print',
  NOT_SENT: 'Ikke sendt',
  DELETED: 'Slettet',
  SELF_SEND: 'Til egen utsendelse',
} as const;

export type LetterStatus = keyof typeof LETTER_STATUS;

export const LETTER_STATUSES = codesOf(LETTER_STATUS);

/** Statuses in which the letter's outcome is known (it may still change: a late PRINT_FAILED, a correction). */
export const FINAL_STATUSES: readonly LetterStatus[] = [
  'SENT_DIGITAL',
  'SENT_PRINT',
  'NOT_SENT',
  'DELETED',
  'SELF_SEND',
];

/** A failure code (ours or Digipost's) in words; unknown codes keep their code visible. */
export function failureReason(code: string, detail?: string): string {
  const words = LETTER_REASON_TEXT[code] ?? `Digipost avviste brevet (${code}).`;
  return detail ? `${words} (${detail})` : words;
}
