// Replay safety: histories recorded by the workflows as they were before they set status search attributes
// (test/fixtures/histories, recorded from commit 20cbe81 with the fixture key below) replay without
// non-determinism under today's workflow code. Setting a search attribute adds a command, so it sits behind
// `patched()` (workflows/search-attributes.ts); without the patch these replays fail.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from '@temporalio/worker';
import protoPkg from '@temporalio/proto';
import { parseKeyring } from '../temporal/codec';
import { dataConverterFor } from '../temporal/data-converter';

/** The test-only key the fixtures were recorded with (never used outside these fixtures). */
const FIXTURE_KEYS = 'replay-fixture:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=';
const fixture = (name: string) =>
  protoPkg.temporal.api.history.v1.History.decode(
    readFileSync(fileURLToPath(new URL(`./fixtures/histories/${name}.binpb`, import.meta.url))),
  );

describe('histories from before the status search attributes', () => {
  it.each([
    ['letterDigital', 'a letter sent digitally'],
    ['letterCorrected', 'a letter not sent, corrected and sent in a later run'],
    ['letterDeleted', 'a letter deleted from the queue'],
    ['run', 'a run'],
    ['run2', 'a run of a corrected letter'],
  ])(
    '%s (%s) replays under the current workflow code',
    async (name) => {
      const history = fixture(name);
      expect(history.events?.length).toBeGreaterThan(5);
      await Worker.runReplayHistory(
        {
          workflowsPath: fileURLToPath(new URL('../workflows/index.ts', import.meta.url)),
          dataConverter: dataConverterFor(parseKeyring(FIXTURE_KEYS)),
        },
        history,
      );
    },
    120_000,
  );
});
