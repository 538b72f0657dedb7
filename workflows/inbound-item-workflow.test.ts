// Workflow tests of the inbound item (intake) workflow (workflows/inbound-item-workflow.ts): the real workflow
// code, bundled by the SDK and run on the Temporal dev server, with stub activities
// (test/support/workflow-env.ts). Durations are milliseconds where they are meant to run out and an hour where an
// operator's decision must come first (the decision then ends the wait).
//
// Branches of inboundItemWorkflow, and the test that takes each:
//   intake     A  storeItem fails Unreadable → reportUnreadable, 'UNREADABLE'      → "an unreadable item"
//              B  storeItem fails for good otherwise → the workflow fails          → "any other failure"
//              C  a decision during intake is refused (TriageNotAllowed)           → "no decision during intake"
//   triage     D  an automatic rule without delay decides at once (by: rule)      → "a rule decides at once"
//              E  a rule with a delay: an operator's decision within it wins      → "an operator overrules a rule"
//              F  a rule with a delay: no operator → the rule after the delay     → "a rule decides after its delay"
//              G  no rule: an operator decides before the flag time (no flag)     → "an operator deletes it"
//              H  no rule, nobody decides in time → flagUntriaged, then waits for a decision
//                                                                                  → "untriaged items are flagged"
//              I  a decision accepted before the acknowledgement waits for it    → "an operator overrules a rule"
//              J  an invalid decision is refused naming the field (InvalidTriage) → "invalid decisions"
//   executing  K  recordTriage fails InvalidData → recordTriageFailed, triage again (rules not asked again)
//                                                                                  → "a decision that cannot be stored"
//              L  archive / forward refused (TriageRefused) → recordTriageFailed, triage again
//                                                                                  → "a refused archive", "a refused forward"
//              M  a second decision while executing is refused (TriageNotAllowed) → "a refused archive"
//              N  archive → 'ARCHIVED'; forward → 'FORWARDED'; delete → files purged after the retention
//                 → 'DELETED'                                                      → D, E, G
//              P  recordTriage / archive / forward fails otherwise → the workflow fails
//                                                                                  → "a decision whose recording …"
//   query      O  phase answers intake / triage / executing                        → C, L, M
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowFailedError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { InboundActivities } from '../activities/inbound-activities';
import { FAILURE } from '../domain/failure-types';
import { inboundReason } from '../domain/reason-texts';
import { gate, unexpected, useWorkflowTestEnv } from '../test/support/workflow-env';
import { phaseQuery, triageUpdate, type InboundPhase, type TriageRequest } from './inbound-messages';
import type { inboundItemWorkflow, InboundTimings } from './inbound-item-workflow';

type Handle = WorkflowHandle<typeof inboundItemWorkflow>;
type Stubs = Partial<{
  [K in keyof InboundActivities]: (...args: Parameters<InboundActivities[K]>) => unknown;
}>;

const SHORT = 20; // ms: a duration meant to run out
const HOUR = 3_600_000; // a duration a decision must end

const ARCHIVE_RULE: TriageRequest = { action: 'archive', caseNumber: '2026/17' };

/** The calls of every intake that stores the item: stored, first plan (rules asked), acknowledged. */
const INTAKE_CALLS = [['storeItem'], ['planTriage', { automatic: true }], ['acknowledgeItem']];
const INTAKE = INTAKE_CALLS.map((c) => c[0]);

/** Stored and acknowledged at once, no rule, one forward destination; the executions succeed. */
function stubs(overrides: Stubs = {}): Stubs {
  return {
    storeItem: async () => ({ files: 1 }),
    acknowledgeItem: async () => undefined,
    reportUnreadable: async () => undefined,
    planTriage: async () => ({ destinations: ['postmottak'] }),
    recordTriage: async () => undefined,
    recordTriageFailed: async () => undefined,
    flagUntriaged: async () => undefined,
    archiveItem: async () => ({ journalpostNumber: '2026/17-1' }),
    forwardItem: async () => undefined,
    purgeFiles: unexpected('purgeFiles'),
    ...overrides,
  };
}

const env = useWorkflowTestEnv(
  new URL('./inbound-item-workflow.ts', import.meta.url),
  Object.keys(stubs({ purgeFiles: async () => undefined })),
  () => runItem(stubs({ planTriage: async () => ({ destinations: [], automatic: ARCHIVE_RULE }) }), {}),
);

/** Runs one item workflow; returns its outcome and the activity calls (without the forsendelse id). */
function runItem(activities: Stubs, timings: Partial<InboundTimings>, drive?: (h: Handle) => Promise<void>) {
  const forsendelseId = randomUUID();
  return env.run<typeof inboundItemWorkflow>(
    'inboundItemWorkflow',
    forsendelseId,
    [
      {
        forsendelseId,
        timings: { flagAfterMs: HOUR, autoTriageDelayMs: 0, deletedRetentionMs: HOUR, ...timings },
      },
    ],
    activities as Record<string, (...args: never[]) => unknown>,
    drive,
  );
}

const decide = (h: Handle, req: TriageRequest) => h.executeUpdate(triageUpdate, { args: [req] });

/** The update's refusal: its ApplicationFailure type and message. */
async function refusal(h: Handle, req: unknown) {
  const e = await decide(h, req as TriageRequest).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (e as WorkflowUpdateFailedError).cause as ApplicationFailure;
  return { type: cause.type, message: cause.message, details: cause.details };
}

describe('inbound item workflow', () => {
  it('an unreadable item is reported and ends the intake', async () => {
    const { result, calls } = await runItem(
      stubs({
        storeItem: async () => {
          throw ApplicationFailure.nonRetryable('wrong key', FAILURE.UNREADABLE);
        },
      }),
      {},
    );
    expect(result).toBe('UNREADABLE');
    expect(calls).toEqual([['storeItem'], ['reportUnreadable', 'wrong key']]);
  });

  it('any other failure of the intake fails the workflow', async () => {
    const run = runItem(
      stubs({
        storeItem: async () => {
          throw ApplicationFailure.nonRetryable('no such item', FAILURE.NOT_FOUND);
        },
      }),
      {},
    );
    await expect(run).rejects.toBeInstanceOf(WorkflowFailedError);
    await expect(run).rejects.toMatchObject({ cause: { cause: { type: FAILURE.NOT_FOUND } } });
  });

  it('no decision during intake: refused as not allowed, and the item goes on', async () => {
    const storing = gate();
    const { result, calls } = await runItem(
      stubs({
        storeItem: async () => {
          await storing.promise;
          return { files: 1 };
        },
        planTriage: async () => ({ destinations: [], automatic: ARCHIVE_RULE }),
      }),
      {},
      async (h) => {
        expect(await h.query(phaseQuery)).toBe('intake');
        expect(await refusal(h, { action: 'delete', reason: 'spam' })).toMatchObject({
          type: FAILURE.TRIAGE_NOT_ALLOWED,
          message: 'the item is still being received from SvarInn',
        });
        storing.open();
      },
    );
    expect(result).toBe('ARCHIVED');
    expect(calls.map((c) => c[0])).toEqual([...INTAKE, 'recordTriage', 'archiveItem']);
  });

  it('a rule decides at once when it has no delay, and the item is archived', async () => {
    const { result, calls } = await runItem(
      stubs({ planTriage: async () => ({ destinations: [], automatic: ARCHIVE_RULE }) }),
      { autoTriageDelayMs: 0 },
    );
    expect(result).toBe('ARCHIVED');
    expect(calls).toEqual([
      ...INTAKE_CALLS,
      ['recordTriage', { ...ARCHIVE_RULE, by: 'rule' }],
      ['archiveItem'],
    ]);
  });

  it('a rule decides after its delay when no operator does', async () => {
    const { result, calls } = await runItem(
      stubs({ planTriage: async () => ({ destinations: ['postmottak'], automatic: ARCHIVE_RULE }) }),
      { autoTriageDelayMs: SHORT },
    );
    expect(result).toBe('ARCHIVED');
    expect(calls).toContainEqual(['recordTriage', { ...ARCHIVE_RULE, by: 'rule' }]);
    expect(calls.map((c) => c[0])).not.toContain('flagUntriaged');
  });

  it('an operator overrules a rule within its delay, even before the acknowledgement; forwarded', async () => {
    const acknowledging = gate();
    const { result, calls } = await runItem(
      stubs({
        planTriage: async () => ({ destinations: ['postmottak'], automatic: ARCHIVE_RULE }),
        acknowledgeItem: async () => {
          await acknowledging.promise;
        },
      }),
      { autoTriageDelayMs: HOUR },
      async (h) => {
        // open for triage while SvarInn is still being told: the decision waits for the acknowledgement
        await untilPhase(h, 'triage');
        expect(await decide(h, { action: 'forward', destination: 'postmottak' })).toEqual({
          action: 'forward',
        });
        acknowledging.open();
      },
    );
    expect(result).toBe('FORWARDED');
    expect(calls).toEqual([
      ...INTAKE_CALLS,
      ['recordTriage', { action: 'forward', destination: 'postmottak', by: 'operator' }],
      ['forwardItem'],
    ]);
  });

  it('an operator deletes it: recorded, and the files are purged after the retention', async () => {
    const { result, calls } = await runItem(
      stubs({ purgeFiles: async () => undefined }),
      { deletedRetentionMs: SHORT },
      async (h) => {
        await untilPhase(h, 'triage');
        await decide(h, { action: 'delete', reason: 'feilsendt' });
      },
    );
    expect(result).toBe('DELETED');
    expect(calls).toEqual([
      ...INTAKE_CALLS,
      ['recordTriage', { action: 'delete', reason: 'feilsendt', by: 'operator' }],
      ['purgeFiles'],
    ]);
  });

  it('untriaged items are flagged, and a later decision is still carried out', async () => {
    const flagged = gate();
    const { result, calls } = await runItem(
      stubs({ flagUntriaged: async () => flagged.open() }),
      { flagAfterMs: SHORT },
      async (h) => {
        await flagged.promise;
        await decide(h, { action: 'archive' });
      },
    );
    expect(result).toBe('ARCHIVED');
    expect(calls.map((c) => c[0])).toEqual([...INTAKE, 'flagUntriaged', 'recordTriage', 'archiveItem']);
  });

  it('invalid decisions are refused naming the field; a valid one is then taken', async () => {
    const { result } = await runItem(stubs(), {}, async (h) => {
      await untilPhase(h, 'triage');
      const refused = await Promise.all([
        refusal(h, { action: 'forward', destination: 'elsewhere' }),
        refusal(h, { action: 'delete', reason: ' ' }),
        refusal(h, { action: 'shred' }),
      ]);
      expect(refused).toMatchObject([
        { type: FAILURE.INVALID_TRIAGE, details: ['destination'] },
        { type: FAILURE.INVALID_TRIAGE, details: ['reason'] },
        { type: FAILURE.INVALID_TRIAGE, details: ['action'] },
      ]);
      await decide(h, { action: 'forward', destination: 'postmottak' });
    });
    expect(result).toBe('FORWARDED');
  });

  it('a decision that cannot be stored: the reason is shown and an operator decides again', async () => {
    let records = 0;
    const failed = gate();
    const { result, calls } = await runItem(
      stubs({
        planTriage: async (_id, { automatic }) =>
          automatic
            ? { destinations: ['postmottak'], automatic: ARCHIVE_RULE }
            : { destinations: ['postmottak'] },
        recordTriage: async () => {
          if (++records === 1) throw ApplicationFailure.nonRetryable('value too long', FAILURE.INVALID_DATA);
        },
        recordTriageFailed: async () => failed.open(),
      }),
      {},
      async (h) => {
        await failed.promise;
        await decide(h, { action: 'forward', destination: 'postmottak' });
      },
    );
    expect(result).toBe('FORWARDED');
    expect(calls).toEqual([
      ...INTAKE_CALLS,
      ['recordTriage', { ...ARCHIVE_RULE, by: 'rule' }],
      ['recordTriageFailed', inboundReason('DECISION_NOT_STORED', 'value too long')],
      ['planTriage', { automatic: false }],
      ['recordTriage', { action: 'forward', destination: 'postmottak', by: 'operator' }],
      ['forwardItem'],
    ]);
  });

  it('a refused archive: no second decision while executing, then triage again and forwarded', async () => {
    const archiving = gate();
    const refusedShown = gate();
    const { result, calls } = await runItem(
      stubs({
        archiveItem: async () => {
          await archiving.promise;
          throw ApplicationFailure.nonRetryable(
            'the archive refused the case number',
            FAILURE.TRIAGE_REFUSED,
          );
        },
        recordTriageFailed: async () => refusedShown.open(),
      }),
      {},
      async (h) => {
        await untilPhase(h, 'triage');
        await decide(h, { action: 'archive', caseNumber: '2026/17' });
        await untilPhase(h, 'executing');
        expect(await refusal(h, { action: 'delete', reason: 'spam' })).toMatchObject({
          type: FAILURE.TRIAGE_NOT_ALLOWED,
          message: 'the item has already been triaged and is being processed',
        });
        archiving.open();
        await refusedShown.promise;
        await decide(h, { action: 'forward', destination: 'postmottak' });
      },
    );
    expect(result).toBe('FORWARDED');
    expect(calls.map((c) => c[0])).toEqual([
      ...INTAKE,
      'recordTriage',
      'archiveItem',
      'recordTriageFailed',
      'planTriage',
      'recordTriage',
      'forwardItem',
    ]);
    expect(calls).toContainEqual(['recordTriageFailed', 'the archive refused the case number']);
  });

  it('a refused forward: the reason is shown, and an operator decides again; archived', async () => {
    const refusedShown = gate();
    const { result, calls } = await runItem(
      stubs({
        forwardItem: async () => {
          throw ApplicationFailure.nonRetryable(
            'the mail server refused the address',
            FAILURE.TRIAGE_REFUSED,
          );
        },
        recordTriageFailed: async () => refusedShown.open(),
      }),
      {},
      async (h) => {
        await untilPhase(h, 'triage');
        await decide(h, { action: 'forward', destination: 'postmottak' });
        await refusedShown.promise;
        await decide(h, ARCHIVE_RULE);
      },
    );
    expect(result).toBe('ARCHIVED');
    expect(calls.map((c) => c[0])).toEqual([
      ...INTAKE,
      'recordTriage',
      'forwardItem',
      'recordTriageFailed',
      'planTriage',
      'recordTriage',
      'archiveItem',
    ]);
    expect(calls).toContainEqual(['recordTriageFailed', 'the mail server refused the address']);
  });

  it.each(['recordTriage', 'archiveItem'] as const)(
    'a decision whose recording or execution fails otherwise fails the workflow (%s)',
    async (failing) => {
      const run = runItem(
        stubs({
          planTriage: async () => ({ destinations: [], automatic: ARCHIVE_RULE }),
          [failing]: async () => {
            throw ApplicationFailure.nonRetryable('no such item', FAILURE.NOT_FOUND);
          },
        }),
        {},
      );
      await expect(run).rejects.toBeInstanceOf(WorkflowFailedError);
      await expect(run).rejects.toMatchObject({ cause: { cause: { type: FAILURE.NOT_FOUND } } });
    },
  );
});

/** Waits until the workflow's phase query answers `phase` (the query is the workflow's own word for it). */
async function untilPhase(h: Handle, phase: InboundPhase) {
  while ((await h.query(phaseQuery)) !== phase) await new Promise((r) => setTimeout(r, 5));
}
