// The letter statuses, in the users' own words, and why a letter was not sent, in words an operator understands.

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

const REASONS: Record<string, string> = {
  INCOMPLETE_ADDRESS:
    'Mottakeren har ikke Digipost, og postadressen er ufullstendig, så brevet kan ikke skrives ut. Rett adressen.',
  UNKNOWN_RECIPIENT:
    'Mottakeren har ikke Digipost og brevet hadde ingen fullstendig postadresse for utskrift. Rett adressen.',
  UNKNOWN_USER: 'Digipost kjenner ikke mottakeren. Kontroller fødselsnummeret eller rett adressen.',
  INVALID_RECIPIENT_PRINT_ADDRESS: 'Digipost avviste postadressen for utskrift. Rett adressen.',
  INVALID_RETURN_ADDRESS: 'Digipost avviste returadressen. Kontroller avsenderoppsettet.',
  NOT_APPROVED_FOR_PRINT: 'Avsenderen er ikke godkjent for utskrift hos Digipost.',
  INVALID_PDF_CONTENT: 'Dokumentet oppfyller ikke Digiposts krav til utskrift (PDF-en ble avvist).',
  PRINT_FAILED: 'Utskriften feilet hos Digipost. Kontroller adressen og send på nytt.',
  SHREDDED: 'Brevet kunne ikke leveres og ble makulert. Rett adressen og send på nytt.',
  UNKNOWN_BATCH: 'Kjøringen finnes ikke lenger hos Digipost.',
  BROKER_NOT_AUTHORIZED:
    'Digipost tillater ikke at vi sender på vegne av denne avsenderen. Kontroller avsender-ID og fullmakt.',
  UNKNOWN_SENDER: 'Digipost kjenner ikke avsender-ID-en. Kontroller avsenderoppsettet.',
  BATCH_REFUSED: 'Digipost avviste kjøringen.',
  NOT_CORRECTED: 'Ikke rettet innen fristen; brevet er avsluttet som ikke sendt.',
  PRODUCTION_FAILED:
    'Dokumentet kunne ikke lages av brevdataene. Rett adressen, eller lag brevet på nytt med riktige data.',
  CORRECTION_REFUSED: 'Rettelsen kunne ikke brukes. Send en ny rettelse med en gyldig adresse.',
};

/** A failure code (ours or Digipost's) in words; unknown codes keep their code visible. */
export function failureReason(code: string, detail?: string): string {
  const words = REASONS[code] ?? `Digipost avviste brevet (${code}).`;
  return detail ? `${words} (${detail})` : words;
}
