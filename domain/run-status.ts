// The run (kjøring) statuses, in the operators' own words. The one list: the run workflow's search attribute, the
// runs table's column type, the API's enum and the admin panel (GET /admin/js/vocabulary.js) derive from it.
import { codesOf } from './vocabulary';

export const RUN_STATUS = {
  /** The batch is being opened and filled at Digipost. */
  SENDING: 'Sendes til Digipost',
  /** The batch is committed; its letters wait for Digipost's confirmation. */
  COMMITTED: 'Venter hos Digipost',
  /** Every letter's outcome is known. */
  DONE: 'Ferdig',
  /** Digipost refused the whole batch: its letters are Ikke sendt. */
  FAILED: 'Avvist av Digipost',
} as const;

export type RunStatus = keyof typeof RUN_STATUS;

export const RUN_STATUSES = codesOf(RUN_STATUS);

/** Nothing more happens to a run in these statuses. */
export const FINAL_RUN_STATUSES: readonly RunStatus[] = ['DONE', 'FAILED'];
