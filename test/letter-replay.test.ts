// Replay safety of the letter workflow: histories recorded by earlier shapes of the workflow
// (test/fixtures/letter-histories, recorded by record.ts there) replay with the code as it is now. A change of
// the command sequence without `patched()` fails here with a nondeterminism error.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { temporal } from '@temporalio/proto';
import { DeterminismViolationError } from '@temporalio/workflow';
import { bundleWorkflowCode, Worker, type WorkflowBundle } from '@temporalio/worker';

const dir = fileURLToPath(new URL('./fixtures/letter-histories/', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
/**
 * v1 (the shape of 2026-12-01, merge of h13) forgot a failure event on a correction without a patch; v0 (before
 * it) kept it. Neither history carries a marker, so only one of them can replay where they differ: the patch
 * (`forget-failure-on-correction`) keeps v0's, which ran longer. A v1 history that took a repeated PRINT_FAILED
 * while Ikke sendt and was then corrected and sent cannot replay: this test says so, so a fix shows here.
 */
const IRRECONCILABLE = new Set(['v1-print-failed-corrected.json']);
const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

describe('letter workflow replay', () => {
  let workflowBundle: WorkflowBundle;
  beforeAll(async () => {
    workflowBundle = await bundleWorkflowCode({ workflowsPath });
  }, 120_000);

  it('has histories of the earlier shapes to replay', () => {
    expect(files.some((f) => f.startsWith('v0-'))).toBe(true);
    expect(files.some((f) => f.startsWith('v1-'))).toBe(true);
  });

  it.each(files)('replays %s with the current code', { timeout: 60_000 }, async (file) => {
    const { workflowId, history } = JSON.parse(readFileSync(dir + file, 'utf8')) as {
      workflowId: string;
      history: Record<string, unknown>;
    };
    const replay = Worker.runReplayHistory(
      { workflowBundle, replayName: file },
      temporal.api.history.v1.History.fromObject(history),
      workflowId,
    );
    if (IRRECONCILABLE.has(file)) await expect(replay).rejects.toThrow(DeterminismViolationError);
    else await replay;
  });
});
