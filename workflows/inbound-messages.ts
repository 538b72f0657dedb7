// Messages of the inbound item workflow (`svarinn-{forsendelseId}`), shared by the workflow and the API.
// Deterministic code only: it is bundled into the workflow sandbox.
import { ApplicationFailure, defineQuery, defineUpdate } from '@temporalio/workflow';
import { isStorable, UNSTORABLE_MESSAGE } from '../domain/storable';
import { FAILURE } from '../domain/failure-types';

/** What an operator (or an automatic rule) decides for a received item. */
export type TriageRequest =
  | { action: 'archive'; caseNumber?: string; caseId?: string; caseTitle?: string }
  | { action: 'delete'; reason: string }
  | { action: 'forward'; destination: string };

export interface TriageAccepted {
  action: TriageRequest['action'];
}

/** Where the item workflow is: only `triage` accepts a decision. */
export type InboundPhase = 'intake' | 'triage' | 'executing' | 'done';

export const triageUpdate = defineUpdate<TriageAccepted, [TriageRequest]>('triage');
export const phaseQuery = defineQuery<InboundPhase>('phase');

const invalid = (field: string, message: string) =>
  ApplicationFailure.create({
    type: FAILURE.INVALID_TRIAGE,
    message: `${field}: ${message}`,
    details: [field],
  });

/** Checks a decision against the item's receiving system; throws an InvalidTriage failure naming the field. */
export function validateTriage(req: unknown, destinations: readonly string[]): asserts req is TriageRequest {
  if (typeof req !== 'object' || req === null) throw invalid('(body)', 'expected an object');
  const r = req as Record<string, unknown>;
  const text = (field: string, required: boolean) => {
    const v = r[field];
    if (v === undefined && !required) return;
    if (typeof v !== 'string' || v.trim() === '') throw invalid(field, 'expected a non-empty string');
    if (!isStorable(v)) throw invalid(field, UNSTORABLE_MESSAGE);
  };
  switch (r.action) {
    case 'archive':
      text('caseNumber', false);
      text('caseId', false);
      text('caseTitle', false);
      return;
    case 'delete':
      text('reason', true);
      return;
    case 'forward':
      text('destination', true);
      if (!destinations.includes(r.destination as string))
        throw invalid(
          'destination',
          `unknown destination ${String(r.destination)}; this receiving system forwards to: ${
            destinations.join(', ') || '(none configured)'
          }`,
        );
      return;
    default:
      throw invalid('action', "expected 'archive', 'delete' or 'forward'");
  }
}

export function triageNotAllowed(phase: InboundPhase): ApplicationFailure {
  const why: Record<InboundPhase, string> = {
    intake: 'the item is still being received from SvarInn',
    triage: 'the item is waiting for triage',
    executing: 'the item has already been triaged and is being processed',
    done: 'the item has already been triaged',
  };
  return ApplicationFailure.create({ type: FAILURE.TRIAGE_NOT_ALLOWED, message: why[phase] });
}
