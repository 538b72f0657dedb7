// The letter statuses, in the users' own words, and why a letter was not sent, in words an operator understands.
import { LETTER_REASON_TEXT } from './reason-texts';

export const LETTER_STATUS = {
  QUEUED: 'I kø',
  WAITING: 'Venter',
  SENT_DIGITAL: 'Sendt web',
  SENT_PRINT: 'Sendt print',
  NOT_SENT: 'Ikke sendt',
  DELETED: 'Slettet',
  SELF_SEND: 'Til egen utsendelse',
} as const;

export type LetterStatus = keyof typeof LETTER_STATUS;

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
