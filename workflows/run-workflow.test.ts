// Workflow tests of the run workflow (workflows/run-workflow.ts): the real workflow code, bundled by the SDK and
// run on the Temporal dev server, with stub activities (test/support/workflow-env.ts).
//
// Branches of runWorkflow, and the test that takes each:
//   A  the batch opens → letters submitted → batch committed → deliveries confirmed → run finished
//                                                                           → "a run goes through every step in order"
//   B  Digipost refuses the batch for good (`Digipost.CODE`) → failRun(CODE), nothing else
//                                                                           → "a refused batch: …"
//   C  the batch fails for good with one of our types (no `Digipost.` prefix) → failRun(type)
//                                                                           → "a batch that fails with another type …"
//   D  confirmRunDeliveries fails while letters are still Venter → asked again after deliveryPollInterval
//                                                                           → "letters still Venter are asked about again …"
//   E  a later step fails for good → the workflow fails, the run is neither committed nor finished
//                                                                           → "a submit that fails for good …"
//   (The `BATCH_REFUSED` fallback is for a failure without an ApplicationFailure cause, e.g. a timeout; these
//    are retried without an attempt cap by the policy, so an activity cannot bring it to the workflow.)
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowFailedError } from '@temporalio/client';
import type { RunActivities } from '../activities/run-activities';
import { FAILURE } from '../domain/failure-types';
import { recorded, useWorkflowTestEnv, type CallLog } from '../test/support/workflow-env';
import type { runWorkflow } from './run-workflow';

type Stubs = { [K in keyof RunActivities]: (...args: Parameters<RunActivities[K]>) => unknown };

function stubs(overrides: Partial<Stubs> = {}): Stubs {
  return {
    openRunBatch: async () => undefined,
    submitRunLetters: async () => ({ accepted: 2, refused: 0 }),
    commitRunBatch: async () => undefined,
    confirmRunDeliveries: async () => undefined,
    failRun: async () => undefined,
    finishRun: async () => undefined,
    ...overrides,
  };
}

const env = useWorkflowTestEnv(new URL('./run-workflow.ts', import.meta.url), Object.keys(stubs()), () =>
  runRun(stubs()),
);

/** Runs one run workflow; returns its result and the activity calls (every one about this run). */
function runRun(activities: Stubs) {
  const runId = randomUUID();
  return env.run<typeof runWorkflow>('runWorkflow', runId, [{ runId, deliveryPollInterval: 10 }], activities);
}

describe('run workflow', () => {
  it('a run goes through every step in order', async () => {
    const { result, calls } = await runRun(stubs());
    expect(result).toBeUndefined();
    expect(calls).toEqual([
      ['openRunBatch'],
      ['submitRunLetters'],
      ['commitRunBatch'],
      ['confirmRunDeliveries'],
      ['finishRun'],
    ]);
  });

  it('a refused batch: the run fails with Digipost’s code and nothing is submitted', async () => {
    const { calls } = await runRun(
      stubs({
        openRunBatch: async () => {
          throw ApplicationFailure.nonRetryable('unknown sender', 'Digipost.UNKNOWN_SENDER');
        },
      }),
    );
    expect(calls).toEqual([['openRunBatch'], ['failRun', 'UNKNOWN_SENDER']]);
  });

  it('a batch that fails with another type for good: the run fails with that type', async () => {
    const { calls } = await runRun(
      stubs({
        openRunBatch: async () => {
          throw ApplicationFailure.nonRetryable('no such run', FAILURE.RUN_NOT_FOUND);
        },
      }),
    );
    expect(calls).toEqual([['openRunBatch'], ['failRun', FAILURE.RUN_NOT_FOUND]]);
  });

  it('letters still Venter are asked about again after the delivery poll interval', async () => {
    let asked = 0;
    const { calls } = await runRun(
      stubs({
        confirmRunDeliveries: async () => {
          if (++asked < 3) throw new Error('2 letters still Venter');
        },
      }),
    );
    expect(calls.map((c) => c[0])).toEqual([
      'openRunBatch',
      'submitRunLetters',
      'commitRunBatch',
      'confirmRunDeliveries',
      'confirmRunDeliveries',
      'confirmRunDeliveries',
      'finishRun',
    ]);
  });

  it('a submit that fails for good fails the workflow: the run is neither committed nor finished', async () => {
    const calls: CallLog = [];
    const run = runRun(
      recorded(
        calls,
        stubs({
          submitRunLetters: async () => {
            throw ApplicationFailure.nonRetryable('no such run', FAILURE.RUN_NOT_FOUND);
          },
        }),
      ),
    );
    await expect(run).rejects.toBeInstanceOf(WorkflowFailedError);
    await expect(run).rejects.toMatchObject({ cause: { cause: { type: FAILURE.RUN_NOT_FOUND } } });
    expect(calls.map((c) => c[0])).toEqual(['openRunBatch', 'submitRunLetters']);
  });
});
