// The ApplicationFailure types activities throw for failures that retrying cannot mend, named once here and
// read by the activities (activities/failures.ts), the workflows and the API. Deterministic code only: the
// workflow bundle imports it.

export const FAILURE = {
  /** The database refused a value (a PostgreSQL data exception: NUL, an unpaired surrogate, out of range). */
  INVALID_DATA: 'InvalidData',
  /** The letter's document cannot be produced from its data (documents/: TemplateError). */
  TEMPLATE: 'Template',
  LETTER_NOT_FOUND: 'LetterNotFound',
  RUN_NOT_FOUND: 'RunNotFound',
  NOT_FOUND: 'NotFound',
  /** SvarInn item: a download that can never succeed (wrong key, corrupt after retries). */
  UNREADABLE: 'Unreadable',
  /** Inbound triage: the archive or mail server refused the decision for good, or it cannot be recorded. */
  TRIAGE_REFUSED: 'TriageRefused',
} as const;

export type FailureType = (typeof FAILURE)[keyof typeof FAILURE];

/** Whether a failure type (as an ActivityFailure's cause carries it) is one of ours that must not be retried. */
export const isPermanentFailureType = (type: string | undefined | null): boolean =>
  type === FAILURE.INVALID_DATA || (type ?? '').startsWith(`${FAILURE.TEMPLATE}.`);
