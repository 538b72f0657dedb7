// Every reason and error an operator reads, in Norwegian, keyed by its English code: one table. The API keeps
// the codes (and the technical detail) and returns these texts beside them (`reasonText`); the admin panel
// gets the same table as a module (GET /admin/js/texts.js, api/admin.ts) and never shows an API's raw message.

/** Why a letter was not sent (codes are ours or Digipost's). */
export const LETTER_REASON_TEXT: Record<string, string> = {
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

/** A letter failure code in words; a code we do not know is still said in Norwegian. */
export const letterReasonText = (code: string | null | undefined): string | null =>
  code ? (LETTER_REASON_TEXT[code] ?? 'Digipost avviste brevet.') : null;

/**
 * Why an inbound item failed. The stored reason is the text of its code, then the technical detail (the
 * archive's or SvarInn's own words, often English) after « — »: `inboundReason` writes it, `inboundFailureCode`
 * reads the code back.
 */
export const INBOUND_REASON_TEXT = {
  SVARINN_AUTH: 'SvarInn avviste påloggingen.',
  SVARINN_UNAVAILABLE: 'SvarInn svarte ikke.',
  SVARINN_NOT_FOUND: 'SvarInn finner ikke forsendelsen.',
  CORRUPT: 'Forsendelsen er skadet og kan ikke dekrypteres eller pakkes ut.',
  CHECKSUM: 'Filene stemmer ikke med sjekksummene SvarInn oppga.',
  WRONG_KEY:
    'Forsendelsen er kryptert til en annen nøkkel enn mottakersystemets (kontroller sertifikatet i SvarUt).',
  PROTOCOL: 'Forsendelsen har et format som ikke kan leses.',
  STORE_FAILED: 'Uventet feil ved lagring av forsendelsen.',
  INTAKE_FAILED: 'Uventet feil ved mottak av forsendelsen.',
  METADATA_UNREADABLE: 'Metadata fra SvarInn kan ikke leses.',
  ARCHIVE_REFUSED: 'Arkivet avviste journalføringen. Velg en ny behandling, for eksempel en annen sak.',
  NOT_TRIAGED_FOR_ARCHIVE: 'Forsendelsen er ikke behandlet for arkivering.',
  FORWARD_REFUSED: 'E-posttjeneren avviste videresendingen. Velg en ny behandling.',
  FORWARD_DESTINATION_UNKNOWN: 'Videresendingsmottakeren er ikke satt opp for mottakersystemet.',
  FILES_PURGED: 'Filene er slettet etter fristen.',
  DECISION_NOT_STORED: 'Beslutningen kunne ikke lagres. Velg en ny behandling.',
  UNKNOWN: 'Behandlingen feilet.',
} as const;

export type InboundFailureCode = keyof typeof INBOUND_REASON_TEXT;

const DETAIL_SEPARATOR = ' — ';

/** The stored reason of an inbound failure: its Norwegian text, and the technical detail after it. */
export function inboundReason(code: InboundFailureCode, detail?: string): string {
  return detail ? `${INBOUND_REASON_TEXT[code]}${DETAIL_SEPARATOR}${detail}` : INBOUND_REASON_TEXT[code];
}

/** The code of a stored inbound reason (UNKNOWN for one written otherwise, e.g. before the codes). */
export function inboundFailureCode(reason: string | null | undefined): InboundFailureCode | null {
  if (!reason) return null;
  for (const [code, text] of Object.entries(INBOUND_REASON_TEXT))
    if (code !== 'UNKNOWN' && (reason === text || reason.startsWith(text + DETAIL_SEPARATOR)))
      return code as InboundFailureCode;
  return 'UNKNOWN';
}

/** API error codes (api/errors.ts and the routes), as the panel says them (FILE_UNAVAILABLE, NETWORK: the panel's own). */
export const API_ERROR_TEXT: Record<string, string> = {
  VALIDATION_FAILED: 'Noen av feltene er ikke gyldige. Kontroller det du skrev.',
  MALFORMED_JSON: 'Forespørselen kunne ikke leses.',
  REQUEST_TOO_LARGE: 'Forespørselen er for stor.',
  UNSUPPORTED_ENCODING: 'Forespørselen har en tegnkoding som ikke støttes.',
  BAD_REQUEST: 'Forespørselen kunne ikke behandles.',
  NOT_FOUND: 'Finnes ikke (den kan være slettet).',
  METHOD_NOT_ALLOWED: 'Handlingen er ikke tillatt her.',
  UNAUTHENTICATED: 'Du er ikke logget inn. Logg inn på nytt.',
  LOGIN_FAILED: 'Feil brukernavn eller passord.',
  TOO_MANY_LOGINS: 'For mange innloggingsforsøk. Vent litt og prøv igjen.',
  CSRF_HEADER_MISSING: 'Forespørselen ble avvist av sikkerhetshensyn. Last siden på nytt.',
  ORIGIN_NOT_ALLOWED: 'Forespørselen ble avvist av sikkerhetshensyn. Last siden på nytt.',
  FORBIDDEN: 'Du har ikke tilgang til dette.',
  NO_DIGIPOST_AGREEMENT: 'Virksomheten har ingen aktiv Digipost-avtale.',
  QUEUE_EMPTY: 'Det er ingen brev i køen, så det er ingen kjøring å sende.',
  NOT_IN_QUEUE: 'Brevet ligger ikke lenger i køen (det kan allerede være sendt eller slettet).',
  NOT_CORRECTABLE: 'Brevet kan ikke rettes nå: bare brev som ikke er sendt kan rettes.',
  NOT_TRIAGEABLE: 'Forsendelsen kan ikke behandles nå (den kan allerede være behandlet).',
  ORG_NUMBER_TAKEN: 'Organisasjonsnummeret hentes allerede av et annet mottakersystem.',
  PURGED: 'Filen er slettet etter fristen.',
  WEBHOOK_LIMIT: 'Virksomheten har nådd grensen for antall webhooks.',
  UNKNOWN_NAMESPACE: 'Ukjent Temporal-navnerom.',
  CODEC_FAILED: 'Kunne ikke dekode innholdet.',
  INTERNAL: 'Noe gikk galt på serveren. Prøv igjen senere.',
  FILE_UNAVAILABLE: 'Kunne ikke hente filen.',
  NETWORK: 'Får ikke kontakt med serveren. Kontroller nettverket og prøv igjen.',
};

/** What the panel says for an error code it has no text for. */
export const GENERIC_ERROR_TEXT = 'Noe gikk galt. Prøv igjen, eller kontakt brukerstøtte.';
