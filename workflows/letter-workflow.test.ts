// Workflow tests of the letter workflow (workflows/letter-workflow.ts): the SDK bundles the real workflow code
// and runs it on the Temporal dev server; the activities are stubs this file controls
// (test/support/workflow-env.ts). Windows are milliseconds where they are meant to expire and an hour where a
// signal must arrive inside them (the signal then ends the wait, so no test waits for a long window).
//
// Branches of letterWorkflow, and the test that takes each:
//   production   A  produceLetter succeeds (I kø)                                     → every test below
//                B  produceLetter fails for good (InvalidData / Template.*) → recordPermanentFailure
//                   (PRODUCTION_FAILED), Ikke sendt, open for a correction            → "production fails for good"
//                C  produceLetter fails with another non-retryable type → the workflow fails
//                                                                                     → "any other failure"
//                D  produceLetter says Til egen utsendelse → returns at once         → "self-send"
//   queued       E  letterDeleted while I kø → Slettet                                → "deleted while queued"
//                F  letterDeleted while Venter (in a run) → Slettet                   → "deleted while in a run"
//                G  letterOutcome for the current version while I kø / Venter → moves → "sent, window expires"
//                H  letterOutcome for a later version (the run was quicker than the correction's activity):
//                   kept, taken when the workflow reaches that version               → "an outcome overtakes its version"
//                I  letterOutcome repeated after a later move (not I kø / Venter): ignored
//                                                                                     → "a repeated outcome …: ignored"
//   sent         J  no failure event within the event window → closeLetter(false)    → "sent, window expires"
//                K  PRINT_FAILED / SHREDDED for the current version inside the window → recordDeliveryFailure
//                                                                                     → "PRINT_FAILED inside the window", "SHREDDED …"
//                L  other event types, or events for another version: ignored         → "a repeated outcome …: ignored"
//   not sent     M  no correction within the correction window → closeLetter(true)   → "production fails for good", …
//                N  a correction → applyCorrection → I kø (queued again)              → "a correction racing an outcome"
//                O  a correction that arrived before the Ikke sendt outcome (it races it) is kept
//                                                                                     → "a correction racing an outcome"
//                P  applyCorrection fails for good → recordPermanentFailure (CORRECTION_REFUSED), waits for
//                   the next correction                                               → "a refused correction"
//                Q  applyCorrection fails otherwise → the workflow fails              → "any other failure"
//                R  a repeated failure event for the replaced version is forgotten    → "a repeated PRINT_FAILED"
//   send alone   S  applyCorrection says Venter (send now) → sendAlone → its outcome  → "send now: …; sent at once"
//                T  sendAlone leaves it Venter → confirmDelivery → its outcome        → "send now: …; left Venter, …"
//                U  sendAlone refused → Ikke sendt, waits for a correction            → "send now: …; refused …"
//   query        V  letterState answers status and version                            → "a refused correction"
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { FAILURE } from '../domain/failure-types';
import type { LetterActivities, AddressCorrection } from '../activities/letter-activities';
import type { LetterStatus } from '../domain/letter-status';
import { gate, unexpected, useWorkflowTestEnv } from '../test/support/workflow-env';
import { correctAddress, digipostEvent, letterDeleted, letterOutcome, letterState } from './letter-messages';
import type { letterWorkflow, LetterWorkflowInput } from './letter-workflow';

const SHORT = 20; // ms: a window meant to expire
const LONG = '1 hour'; // a window a signal must end

const correction: AddressCorrection = {
  name: 'Kari Nordmann',
  address: { lines: ['Storgata 2'], postalCode: '0155', city: 'OSLO' },
};

type Stubs = { [K in keyof LetterActivities]: (...args: Parameters<LetterActivities[K]>) => unknown };

/** Every activity unexpected except production (I kø, version 1) and closing. */
function stubs(overrides: Partial<Stubs> = {}): Stubs {
  return {
    produceLetter: async () => ({ status: 'QUEUED', version: 1 }),
    closeLetter: async () => undefined,
    applyCorrection: unexpected('applyCorrection'),
    sendAlone: unexpected('sendAlone'),
    confirmDelivery: unexpected('confirmDelivery'),
    recordDeliveryFailure: unexpected('recordDeliveryFailure'),
    recordPermanentFailure: unexpected('recordPermanentFailure'),
    ...overrides,
  };
}

/** Production that waits until the test has sent its signals, so all of them are handled before any window. */
function heldProduction() {
  const held = gate();
  return {
    produceLetter: async () => {
      await held.promise;
      return { status: 'QUEUED' as const, version: 1 };
    },
    release: () => held.open(),
  };
}

const outcome = (status: LetterStatus, version = 1) => [{ status, version }] as const;

const env = useWorkflowTestEnv(new URL('./letter-workflow.ts', import.meta.url), Object.keys(stubs()), () =>
  runLetter(stubs({ produceLetter: async () => ({ status: 'SELF_SEND', version: 1 }) }), {}),
);

/** Runs one letter workflow with `activities`; returns its result and the calls (without the letter id). */
function runLetter(
  activities: Stubs,
  input: Omit<LetterWorkflowInput, 'letterId'>,
  drive?: (h: WorkflowHandle<typeof letterWorkflow>) => Promise<void>,
) {
  const letterId = randomUUID();
  return env.run<typeof letterWorkflow>(
    'letterWorkflow',
    letterId,
    [{ letterId, ...input }],
    activities,
    drive,
  );
}

const names = (calls: unknown[][]) => calls.map((c) => c[0]);

describe('letter workflow', () => {
  it('self-send: returns at once after production', async () => {
    const { result, calls } = await runLetter(
      stubs({ produceLetter: async () => ({ status: 'SELF_SEND', version: 1 }) }),
      { eventWindow: LONG, correctionWindow: LONG },
    );
    expect(result).toEqual({ status: 'SELF_SEND', version: 1 });
    expect(names(calls)).toEqual(['produceLetter']);
  });

  it('deleted while queued: Slettet, without another activity', async () => {
    const { result, calls } = await runLetter(
      stubs(),
      { eventWindow: LONG, correctionWindow: LONG },
      async (h) => {
        await h.signal(letterDeleted);
      },
    );
    expect(result).toEqual({ status: 'DELETED', version: 1 });
    expect(names(calls)).toEqual(['produceLetter']);
  });

  it('deleted while in a run (Venter): Slettet', async () => {
    const { result } = await runLetter(stubs(), { eventWindow: LONG, correctionWindow: LONG }, async (h) => {
      await h.signal(letterOutcome, ...outcome('WAITING'));
      await h.signal(letterDeleted);
    });
    expect(result).toEqual({ status: 'DELETED', version: 1 });
  });

  it('sent, window expires: the outcome moves the letter and it closes as sent', async () => {
    const { result, calls } = await runLetter(
      stubs(),
      { eventWindow: SHORT, correctionWindow: LONG },
      async (h) => {
        await h.signal(letterOutcome, ...outcome('WAITING'));
        await h.signal(letterOutcome, ...outcome('SENT_DIGITAL'));
      },
    );
    expect(result).toEqual({ status: 'SENT_DIGITAL', version: 1 });
    expect(calls).toEqual([['produceLetter'], ['closeLetter', false]]);
  });

  for (const type of ['PRINT_FAILED', 'SHREDDED']) {
    it(`${type} inside the window: recorded as a delivery failure, then closed uncorrected`, async () => {
      const { result, calls } = await runLetter(
        stubs({ recordDeliveryFailure: async () => 'NOT_SENT' }),
        { eventWindow: LONG, correctionWindow: SHORT },
        async (h) => {
          await h.signal(letterOutcome, ...outcome('SENT_PRINT'));
          await h.signal(digipostEvent, { type, version: 1, detail: 'returned' });
        },
      );
      expect(result).toEqual({ status: 'NOT_SENT', version: 1 });
      expect(calls).toEqual([
        ['produceLetter'],
        ['recordDeliveryFailure', type, 'returned'],
        ['closeLetter', true],
      ]);
    });
  }

  it('a repeated outcome after a later move, events that are not failures or are for another version: ignored', async () => {
    const { produceLetter, release } = heldProduction();
    const { result, calls } = await runLetter(
      stubs({ produceLetter }),
      { eventWindow: SHORT, correctionWindow: LONG },
      async (h) => {
        await h.signal(letterOutcome, ...outcome('SENT_PRINT'));
        await h.signal(letterOutcome, ...outcome('NOT_SENT'));
        await h.signal(digipostEvent, { type: 'PRINTED', version: 1 });
        await h.signal(digipostEvent, { type: 'PRINT_FAILED', version: 2 });
        release();
      },
    );
    expect(result).toEqual({ status: 'SENT_PRINT', version: 1 });
    expect(calls).toEqual([['produceLetter'], ['closeLetter', false]]);
  });

  it('production fails for good: on the failure list, then closed uncorrected', async () => {
    const { result, calls } = await runLetter(
      stubs({
        produceLetter: async () => {
          throw ApplicationFailure.nonRetryable('missing field x', `${FAILURE.TEMPLATE}.MISSING_FIELD`);
        },
        recordPermanentFailure: async () => ({ status: 'NOT_SENT', version: 1 }),
      }),
      { eventWindow: LONG, correctionWindow: SHORT },
    );
    expect(result).toEqual({ status: 'NOT_SENT', version: 1 });
    expect(calls).toEqual([
      ['produceLetter'],
      ['recordPermanentFailure', 'PRODUCTION_FAILED', 'missing field x'],
      ['closeLetter', true],
    ]);
  });

  it('any other failure of production or of a correction fails the workflow', async () => {
    const notFound = async () => {
      throw ApplicationFailure.nonRetryable('no such letter', FAILURE.LETTER_NOT_FOUND);
    };
    const production = runLetter(stubs({ produceLetter: notFound }), {
      eventWindow: LONG,
      correctionWindow: LONG,
    });
    await expect(production).rejects.toBeInstanceOf(WorkflowFailedError);
    // production is a local activity: its failure is the workflow's cause itself, not wrapped in an ActivityFailure
    await expect(production).rejects.toMatchObject({ cause: { type: FAILURE.LETTER_NOT_FOUND } });

    const corrected = runLetter(
      stubs({ applyCorrection: notFound }),
      { eventWindow: LONG, correctionWindow: LONG },
      async (h) => {
        await h.signal(letterOutcome, ...outcome('NOT_SENT'));
        await h.signal(correctAddress, correction);
      },
    );
    await expect(corrected).rejects.toMatchObject({ cause: { cause: { type: FAILURE.LETTER_NOT_FOUND } } });
  });

  it('a correction racing an outcome: sent before the Ikke sendt outcome, it is kept and applied', async () => {
    const { result, calls } = await runLetter(
      stubs({ applyCorrection: async () => ({ version: 2, status: 'QUEUED' }) }),
      { eventWindow: SHORT, correctionWindow: LONG },
      async (h) => {
        await h.signal(letterOutcome, ...outcome('WAITING'));
        await h.signal(correctAddress, correction); // the API moved the database first
        await h.signal(letterOutcome, ...outcome('NOT_SENT'));
        await h.signal(letterOutcome, ...outcome('SENT_DIGITAL', 2));
      },
    );
    expect(result).toEqual({ status: 'SENT_DIGITAL', version: 2 });
    expect(calls).toEqual([['produceLetter'], ['applyCorrection', 1, correction], ['closeLetter', false]]);
  });

  it('an outcome overtakes its version: kept until the correction has produced that version', async () => {
    const correcting = gate();
    const correctionCalled = gate();
    const { result, calls } = await runLetter(
      stubs({
        applyCorrection: async () => {
          correctionCalled.open();
          await correcting.promise;
          return { version: 2, status: 'QUEUED' };
        },
      }),
      { eventWindow: SHORT, correctionWindow: LONG },
      async (h) => {
        await h.signal(letterOutcome, ...outcome('NOT_SENT'));
        await h.signal(correctAddress, correction);
        await correctionCalled.promise;
        // the run sent version 2 before the workflow heard that version 2 exists
        await h.signal(letterOutcome, ...outcome('SENT_PRINT', 2));
        correcting.open();
      },
    );
    expect(result).toEqual({ status: 'SENT_PRINT', version: 2 });
    expect(calls).toEqual([['produceLetter'], ['applyCorrection', 1, correction], ['closeLetter', false]]);
  });

  it('a refused correction: the reason is recorded and the next correction is applied', async () => {
    const refusedRecorded = gate();
    const secondApplying = gate();
    const second: AddressCorrection = {
      address: { lines: ['Kirkeveien 3'], postalCode: '0368', city: 'OSLO' },
    };
    let corrections = 0;
    const { result, calls } = await runLetter(
      stubs({
        applyCorrection: async () => {
          if (++corrections === 1)
            throw ApplicationFailure.nonRetryable('value too long', FAILURE.INVALID_DATA);
          secondApplying.open();
          return { version: 2, status: 'QUEUED' };
        },
        recordPermanentFailure: async () => {
          refusedRecorded.open();
          return { status: 'NOT_SENT', version: 1 };
        },
      }),
      { eventWindow: LONG, correctionWindow: LONG },
      async (h) => {
        await h.signal(letterOutcome, ...outcome('NOT_SENT'));
        await h.signal(correctAddress, correction);
        await refusedRecorded.promise;
        expect(await h.query(letterState)).toEqual({ status: 'NOT_SENT', version: 1 });
        await h.signal(correctAddress, second);
        // deleted while the correction is applied: kept, and the letter ends as Slettet with version 2
        await secondApplying.promise;
        await h.signal(letterDeleted);
      },
    );
    expect(result).toEqual({ status: 'DELETED', version: 2 });
    expect(calls).toEqual([
      ['produceLetter'],
      ['applyCorrection', 1, correction],
      ['recordPermanentFailure', 'CORRECTION_REFUSED', 'value too long'],
      ['applyCorrection', 1, second],
    ]);
  });

  it('a repeated PRINT_FAILED for the replaced version is forgotten after the correction', async () => {
    const failureRecorded = gate();
    const { result, calls } = await runLetter(
      stubs({
        recordDeliveryFailure: async () => {
          failureRecorded.open();
          return 'NOT_SENT';
        },
        applyCorrection: async () => ({ version: 2, status: 'QUEUED' }),
      }),
      { eventWindow: SHORT, correctionWindow: LONG },
      async (h) => {
        // the event first: taken for the current version whatever the status, so the short window cannot win
        await h.signal(digipostEvent, { type: 'PRINT_FAILED', version: 1 });
        await h.signal(letterOutcome, ...outcome('SENT_PRINT'));
        await failureRecorded.promise;
        await h.signal(digipostEvent, { type: 'PRINT_FAILED', version: 1 }); // at least once: again
        await h.signal(correctAddress, correction);
        await h.signal(letterOutcome, ...outcome('SENT_PRINT', 2));
      },
    );
    expect(result).toEqual({ status: 'SENT_PRINT', version: 2 });
    expect(names(calls)).toEqual([
      'produceLetter',
      'recordDeliveryFailure',
      'applyCorrection',
      'closeLetter',
    ]);
  });

  // the correction before the Ikke sendt outcome (kept), so neither short window can end the wait for it
  for (const c of [
    { when: 'sent at once', sent: 'SENT_DIGITAL', final: 'SENT_DIGITAL', confirms: [] },
    {
      when: 'left Venter, confirmed later',
      sent: 'WAITING',
      final: 'SENT_PRINT',
      confirms: ['confirmDelivery'],
    },
    {
      when: 'refused by Digipost, waits again and closes uncorrected',
      sent: 'NOT_SENT',
      final: 'NOT_SENT',
      confirms: [],
    },
  ] as const) {
    it(`send now: a correction that says Venter is sent alone; ${c.when}`, async () => {
      const { result, calls } = await runLetter(
        stubs({
          applyCorrection: async () => ({ version: 2, status: 'WAITING' }),
          sendAlone: async () => c.sent,
          confirmDelivery: async () => c.final,
        }),
        { eventWindow: SHORT, correctionWindow: SHORT },
        async (h) => {
          await h.signal(correctAddress, correction);
          await h.signal(letterOutcome, ...outcome('NOT_SENT'));
        },
      );
      expect(result).toEqual({ status: c.final, version: 2 });
      expect(calls).toEqual([
        ['produceLetter'],
        ['applyCorrection', 1, correction],
        ['sendAlone'],
        ...c.confirms.map((name) => [name]),
        ['closeLetter', c.final === 'NOT_SENT'],
      ]);
    });
  }
});
