// One workflow per letter (`letter-{id}`), from production to its final status. Its input is the letter id and
// two durations: recipient data stays in PostgreSQL, and a corrected address (the one piece of personal data
// that passes through) is encrypted in history by the payload codec.
//
//   produce → I kø ─(deleted)→ Slettet
//             I kø ─(run)→ Venter → Sendt web | Sendt print | Ikke sendt
//   Sendt *  ─(PRINT_FAILED/SHREDDED within the event window)→ Ikke sendt
//   Ikke sendt ─(correction)→ new version → I kø (or sent at once) ; ─(no correction in time)→ closed
import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
} from '@temporalio/workflow';
import type { LetterActivities, AddressCorrection } from '../activities/letter-activities';
import type { LetterStatus } from '../domain/letter-status';
import { isPermanentFailureType } from '../domain/failure-types';
import { correctAddress, digipostEvent, letterDeleted, letterOutcome, letterState } from './letter-messages';
import { LETTER_STATUS, statusAttribute } from './search-attributes';

// No attempt cap: what fails here for good is non-retryable (activities/failures.ts); anything else is the
// database or Temporal being away, and the letter goes on when they are back.
const { produceLetter, applyCorrection, recordDeliveryFailure, closeLetter, recordPermanentFailure } =
  proxyActivities<LetterActivities>({
    startToCloseTimeout: '1 minute',
    retry: { initialInterval: '1s', maximumInterval: '1 minute', backoffCoefficient: 2 },
  });

// Production as a local activity: run by the worker that runs the workflow task, its result recorded with the
// task's completion, so producing a letter costs Temporal no activity task and no second workflow task (about
// four requests a letter fewer: README "Benchmarks"). It is idempotent and short; a longer outage of the
// database retries on a timer (the SDK's local retry threshold).
const local = proxyLocalActivities<LetterActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1s', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

// Changes of the command sequence, replay-safe for histories started before them (test/letter-replay.test.ts):
/** Version 1 is produced by a local activity. */
const PRODUCE_LOCALLY = 'produce-letter-locally';
/**
 * A failure event kept for a version is forgotten when a correction replaces that version. Workflows started
 * before this went straight from the corrected version's success to recording that stale failure.
 */
const FORGET_FAILURE_ON_CORRECTION = 'forget-failure-on-correction';

// Sends are side-effecting: a short timeout so a dead worker is noticed quickly, capped attempts. Retries are
// safe because the message id is the document uuid of the version.
const { sendAlone } = proxyActivities<LetterActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2s', maximumInterval: '1 minute', backoffCoefficient: 2, maximumAttempts: 10 },
});

const { confirmDelivery } = proxyActivities<LetterActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '10s', backoffCoefficient: 1.5, maximumInterval: '10 minutes' },
});

/**
 * The failure of an activity that failed for good (its data can never be produced or stored). A local
 * activity's failure comes unwrapped, a (remote) activity's as the cause of an ActivityFailure.
 */
function permanentFailure(e: unknown): ApplicationFailure | undefined {
  const cause = e instanceof ActivityFailure ? e.cause : e;
  if (cause instanceof ApplicationFailure && isPermanentFailureType(cause.type)) return cause;
  return undefined;
}

/** Events that mean the letter never reached the recipient. */
const FAILURE_EVENTS = new Set(['PRINT_FAILED', 'SHREDDED']);

export interface LetterWorkflowInput {
  letterId: string;
  /** How long after a success the letter still listens for PRINT_FAILED / SHREDDED (default 14 days). */
  eventWindow?: string | number;
  /** How long a failure waits for a correction before it closes as not sent (default 30 days). */
  correctionWindow?: string | number;
}

export async function letterWorkflow({
  letterId,
  eventWindow = '14 days',
  correctionWindow = '30 days',
}: LetterWorkflowInput): Promise<{ status: LetterStatus; version: number }> {
  let status: LetterStatus;
  let version: number;
  const showStatus: (status: LetterStatus) => void = statusAttribute(LETTER_STATUS);
  try {
    const produce = patched(PRODUCE_LOCALLY) ? local.produceLetter : produceLetter;
    ({ status, version } = await produce(letterId));
  } catch (e) {
    const failure = permanentFailure(e);
    if (!failure) throw e;
    // its data cannot make a document: on the failure list with the reason, open for a correction
    ({ status, version } = await recordPermanentFailure(letterId, 'PRODUCTION_FAILED', failure.message));
  }
  let deleted = false;
  let sentAlone = false;
  let failure: { type: string; detail?: string } | undefined;
  let correction: AddressCorrection | undefined;

  setHandler(letterState, () => ({ status, version }));
  setHandler(letterDeleted, () => void (deleted = true));
  // An outcome for a version this workflow has not reached yet (the run was quicker than the activity that
  // produced the version) waits here until it has.
  const ahead = new Map<number, LetterStatus>();
  // Outcomes come at least once (temporal/letter-signals.ts): one is taken only while the letter waits for
  // it, so a repeated one arriving after a later move (a PRINT_FAILED) changes nothing. (Workflows started
  // before this took it anyway; that changed `status` only where the loop sets it again before reading it, so
  // their commands are the same and no patch is needed: test/letter-replay.test.ts replays such histories.)
  setHandler(letterOutcome, (o) => {
    if (o.version === version && (status === 'QUEUED' || status === 'WAITING')) status = o.status;
    else if (o.version > version) ahead.set(o.version, o.status);
  });
  setHandler(digipostEvent, (e) => {
    if (e.version === version && FAILURE_EVENTS.has(e.type)) failure = { type: e.type, detail: e.detail };
  });
  // Kept whatever this workflow's status: the database moves first (the API checked it says Ikke sendt), and
  // the signal may overtake the outcome that tells this workflow so.
  setHandler(correctAddress, (c) => void (correction = c));

  for (;;) {
    showStatus(status);
    if (status === 'SELF_SEND') return { status, version };
    if (status === 'WAITING' && sentAlone) {
      // sent on its own and not delivered at once: ask document status until Digipost has delivered it
      status = await confirmDelivery(letterId);
      sentAlone = false;
      continue;
    }
    if (status === 'QUEUED' || status === 'WAITING') {
      // queued for a run, or in one: the run and the API move the letter on with signals
      await condition(() => deleted || (status !== 'QUEUED' && status !== 'WAITING'));
      if (deleted) {
        showStatus('DELETED');
        return { status: 'DELETED', version };
      }
      continue;
    }
    if (status === 'SENT_DIGITAL' || status === 'SENT_PRINT') {
      if (!(await condition(() => failure !== undefined, eventWindow))) {
        await closeLetter(letterId, false);
        return { status, version };
      }
      const reported = failure!;
      failure = undefined;
      status = await recordDeliveryFailure(letterId, reported.type, reported.detail);
      continue;
    }
    // NOT_SENT: wait for a corrected address
    if (!(await condition(() => correction !== undefined, correctionWindow))) {
      await closeLetter(letterId, true);
      return { status, version };
    }
    const corrected = correction!;
    correction = undefined;
    try {
      ({ version, status } = await applyCorrection(letterId, version, corrected));
    } catch (e) {
      const refused = permanentFailure(e);
      if (!refused) throw e;
      // this correction cannot be used: the reason is shown, and the letter waits for the next one
      await recordPermanentFailure(letterId, 'CORRECTION_REFUSED', refused.message);
      continue;
    }
    if (patched(FORGET_FAILURE_ON_CORRECTION)) failure = undefined; // a repeated event for the version replaced
    status = ahead.get(version) ?? status;
    if (status === 'WAITING') {
      status = await sendAlone(letterId);
      sentAlone = true;
    }
  }
}
