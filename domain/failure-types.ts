// The ApplicationFailure types our activities and workflows throw, named once here and read by the activities
// (activities/failures.ts), the workflows and the API. Deterministic code only: the workflow bundle imports it.

export const FAILURE = {
  // Permanent: retrying cannot mend these (non-retryable).
  /** The database refused a value (a PostgreSQL data exception: NUL, an unpaired surrogate, out of range). */
  INVALID_DATA: 'InvalidData',
  /** The letter's document cannot be produced from its data (documents/: TemplateError); see templateFailureType. */
  TEMPLATE: 'Template',
  /** Digipost refused a request for good; see digipostFailureType. */
  DIGIPOST: 'Digipost',
  LETTER_NOT_FOUND: 'LetterNotFound',
  RUN_NOT_FOUND: 'RunNotFound',
  NOT_FOUND: 'NotFound',
  /** SvarInn item: asked to acknowledge an item whose files are not stored yet. */
  NOT_STORED: 'NotStored',
  /** SvarInn item: a download that can never succeed (wrong key, corrupt after retries). */
  UNREADABLE: 'Unreadable',
  /** Inbound triage: the archive or mail server refused the decision for good, or it cannot be recorded. */
  TRIAGE_REFUSED: 'TriageRefused',
  /** Inbound triage update: the request is invalid; the API answers 400 naming `details[0]` (the field). */
  INVALID_TRIAGE: 'InvalidTriage',
  /** Inbound triage update: the item is not in a phase that takes a decision; the API answers 409. */
  TRIAGE_NOT_ALLOWED: 'TriageNotAllowed',

  // Retryable: the service or the data comes back.
  /** The database is away, a deadlock, … */
  DATABASE_ERROR: 'DatabaseError',
  /** SvarInn does not answer. */
  SVARINN_UNAVAILABLE: 'SvarInnUnavailable',
  /** A receiving system's stored secrets cannot be decrypted (the key may be put right). */
  SECRETS_UNREADABLE: 'SecretsUnreadable',
  DOWNLOAD_FAILED: 'DownloadFailed',
  STORE_FAILED: 'StoreFailed',
  /** A webhook receiver refused the delivery. */
  WEBHOOK_DESTINATION_REFUSED: 'WebhookDestinationRefused',
  /** Benign: Digipost has not confirmed delivery yet; the retry policy polls again. */
  NOT_DELIVERED_YET: 'NotDeliveredYet',
} as const;

export type FailureType = (typeof FAILURE)[keyof typeof FAILURE];

/** The type of a template's refusal (`Template.INVALID_MERGE_DATA`): permanent. */
export const templateFailureType = (code: string): string => `${FAILURE.TEMPLATE}.${code}`;

/** The type of Digipost's refusal with `code` (`Digipost.BROKER_NOT_AUTHORISED`). */
export const digipostFailureType = (code: string): string => `${FAILURE.DIGIPOST}.${code}`;

/** Digipost's code in a failure type made by digipostFailureType; undefined for any other type. */
export function digipostCodeOf(type: string | undefined | null): string | undefined {
  const prefix = `${FAILURE.DIGIPOST}.`;
  return type?.startsWith(prefix) && type.length > prefix.length ? type.slice(prefix.length) : undefined;
}

/** Whether a failure type (as an ActivityFailure's cause carries it) is one of ours that must not be retried. */
export const isPermanentFailureType = (type: string | undefined | null): boolean =>
  type === FAILURE.INVALID_DATA || (type ?? '').startsWith(`${FAILURE.TEMPLATE}.`);
