// One workflow per SvarInn item (`svarinn-{forsendelseId}`): download, decrypt, verify and store it, and only
// then acknowledge it; then triage (an automatic rule, or an operator's decision through the `triage` update)
// and carry the decision out. Its input is the forsendelse id: metadata and files stay in PostgreSQL.
import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  proxyActivities,
  setHandler,
  sleep,
} from '@temporalio/workflow';
import type { InboundActivities, TriageDecision } from '../activities/inbound-activities';
import {
  phaseQuery,
  triageNotAllowed,
  triageUpdate,
  validateTriage,
  type InboundPhase,
} from './inbound-messages';
import { FAILURE } from '../domain/failure-types';
import type { InboundStatus } from '../domain/inbound-status';
import { inboundReason } from '../domain/reason-texts';
import { INBOUND_STATUS, statusAttribute } from './search-attributes';

/** Not personal data: durations from configuration, fixed when the poller starts the item. */
export interface InboundTimings {
  /** Untriaged this long → flagged for operators. */
  flagAfterMs: number;
  /** An automatic rule waits this long for an operator to decide otherwise (0: at once). */
  autoTriageDelayMs: number;
  /** A deleted item's files are purged after this long. */
  deletedRetentionMs: number;
}

export interface InboundItemInput {
  forsendelseId: string;
  timings: InboundTimings;
}

export type InboundOutcome = 'UNREADABLE' | 'ARCHIVED' | 'FORWARDED' | 'DELETED';

const retryForever = { initialInterval: '1s', maximumInterval: '1 minute', backoffCoefficient: 2 };

const { storeItem } = proxyActivities<InboundActivities>({
  startToCloseTimeout: '10 minutes',
  retry: { ...retryForever, nonRetryableErrorTypes: [FAILURE.UNREADABLE] },
});
// Short timeouts: a worker that dies mid-call is noticed quickly, and these calls are idempotent.
const { acknowledgeItem, reportUnreadable } = proxyActivities<InboundActivities>({
  startToCloseTimeout: '15 seconds',
  retry: retryForever,
});
// Unlimited retries on purpose: these only touch our database, and wait out its being away; what can never
// succeed is non-retryable (activities/failures.ts) and handled below.
const { planTriage, recordTriage, recordTriageFailed, flagUntriaged, purgeFiles } =
  proxyActivities<InboundActivities>({ startToCloseTimeout: '30 seconds', retry: retryForever });
const { archiveItem, forwardItem } = proxyActivities<InboundActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { ...retryForever, nonRetryableErrorTypes: [FAILURE.TRIAGE_REFUSED] },
});

function failureOfType(e: unknown, type: string): ApplicationFailure | undefined {
  if (e instanceof ActivityFailure && e.cause instanceof ApplicationFailure && e.cause.type === type)
    return e.cause;
  return undefined;
}

export async function inboundItemWorkflow({
  forsendelseId,
  timings,
}: InboundItemInput): Promise<InboundOutcome> {
  let phase: InboundPhase = 'intake';
  let destinations: string[] = [];
  let decision: TriageDecision | undefined;
  const showStatus: (status: InboundStatus) => void = statusAttribute(INBOUND_STATUS);

  setHandler(phaseQuery, () => phase);
  setHandler(
    triageUpdate,
    (req) => {
      decision = { ...req, by: 'operator' };
      return { action: req.action };
    },
    {
      validator: (req) => {
        if (phase !== 'triage' || decision) throw triageNotAllowed(decision ? 'executing' : phase);
        validateTriage(req, destinations);
      },
    },
  );

  try {
    await storeItem(forsendelseId);
  } catch (e) {
    const unreadable = failureOfType(e, FAILURE.UNREADABLE);
    if (!unreadable) throw e;
    phase = 'done';
    await reportUnreadable(forsendelseId, unreadable.message);
    showStatus('UNREADABLE');
    return 'UNREADABLE';
  }
  // Open for triage before the acknowledgement: the item shows as AWAITING_TRIAGE once acknowledgeItem has
  // written it, which may be before this workflow sees the activity complete (an update delivered in the same
  // task is validated first). A decision that comes meanwhile waits for the acknowledgement.
  const firstPlan = await planTriage(forsendelseId, { automatic: true });
  destinations = firstPlan.destinations;
  phase = 'triage';
  await acknowledgeItem(forsendelseId);
  showStatus('AWAITING_TRIAGE');

  for (let round = 1; ; round++) {
    const plan = round === 1 ? firstPlan : await planTriage(forsendelseId, { automatic: false });
    destinations = plan.destinations;
    phase = 'triage';
    const decided = () => decision !== undefined;
    if (plan.automatic) {
      if (timings.autoTriageDelayMs > 0) await condition(decided, timings.autoTriageDelayMs);
      decision ??= { ...plan.automatic, by: 'rule' };
    }
    if (!decision && !(await condition(decided, timings.flagAfterMs))) {
      await flagUntriaged(forsendelseId);
      await condition(decided);
    }
    const chosen = decision!;
    phase = 'executing';
    try {
      await recordTriage(forsendelseId, chosen);
    } catch (e) {
      const invalid = failureOfType(e, FAILURE.INVALID_DATA);
      if (!invalid) throw e;
      // the decision cannot be stored: open for a new one, with the reason visible
      decision = undefined;
      phase = 'triage';
      await recordTriageFailed(forsendelseId, inboundReason('DECISION_NOT_STORED', invalid.message));
      showStatus('TRIAGE_FAILED');
      continue;
    }
    showStatus(
      chosen.action === 'archive' ? 'ARCHIVING' : chosen.action === 'forward' ? 'FORWARDING' : 'DELETED',
    );
    try {
      if (chosen.action === 'archive') await archiveItem(forsendelseId);
      else if (chosen.action === 'forward') await forwardItem(forsendelseId);
      else {
        phase = 'done';
        await sleep(timings.deletedRetentionMs);
        await purgeFiles(forsendelseId);
      }
    } catch (e) {
      const refused = failureOfType(e, FAILURE.TRIAGE_REFUSED);
      if (!refused) throw e;
      // open for a new decision before the refusal is visible, so an operator reacting to it is accepted
      decision = undefined;
      phase = 'triage';
      await recordTriageFailed(forsendelseId, refused.message);
      showStatus('TRIAGE_FAILED');
      continue;
    }
    if (chosen.action !== 'delete') showStatus(chosen.action === 'archive' ? 'ARCHIVED' : 'FORWARDED');
    phase = 'done';
    await condition(allHandlersFinished);
    return chosen.action === 'archive' ? 'ARCHIVED' : chosen.action === 'forward' ? 'FORWARDED' : 'DELETED';
  }
}
