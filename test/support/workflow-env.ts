// The workflow-test tier: one workflow file, bundled by the SDK once per test file, run on the Temporal dev
// server (the CLI the other tiers start, temporal/dev-server.ts) by one worker whose activities are stubs the
// test controls: each activity call goes to the stubs of the workflow execution that made it, so tests never
// share stubs. Client and worker use the production data converter (payload codec), as every other Temporal
// client here does.
import { randomUUID } from 'node:crypto';
import { freePort } from './free-port';
import { afterAll, beforeAll, expect } from 'vitest';
import { Context } from '@temporalio/activity';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, type Workflow } from '@temporalio/common';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { startDevServer, type DevServer } from '../../temporal/dev-server';
import { dataConverterFor } from '../../temporal/data-converter';
import { loadEnv } from '../../config/env';

type Stubs = Record<string, (...args: never[]) => unknown>;

export interface WorkflowTestEnv {
  client: Client;
  /**
   * Starts `workflowType` with `args` and `stubs` as its activities, lets `drive` talk to it, and returns its
   * result. A run timeout makes a branch that waits where it should not fail instead of hanging the file.
   */
  execute<W extends Workflow>(
    workflowType: string,
    args: Parameters<W>,
    stubs: Stubs,
    drive?: (handle: WorkflowHandle<W>) => Promise<void>,
  ): Promise<Awaited<ReturnType<W>>>;
  stop(): Promise<void>;
}

/** `activityNames`: every activity the workflow file calls (the worker registers these names). */
export async function startWorkflowTestEnv(
  workflowFile: URL,
  activityNames: readonly string[],
): Promise<WorkflowTestEnv> {
  // the worker's INFO lines (state changes, each failed stub) would bury the test output
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // already installed in this process: keep it
  }
  const dataConverter = dataConverterFor(loadEnv());
  const bundling = bundleWorkflowCode({
    workflowsPath: workflowFile.pathname,
    failureConverterPath: dataConverter.failureConverterPath,
    logger: new DefaultLogger('WARN'),
  });
  const byWorkflow = new Map<string, Stubs>();
  const activities = Object.fromEntries(
    activityNames.map((name) => [
      name,
      (...args: never[]) => {
        const stub = byWorkflow.get(Context.current().info.workflowExecution?.workflowId ?? '')?.[name];
        if (!stub) throw ApplicationFailure.nonRetryable(`no stub for ${name}`, 'UnexpectedCall');
        return stub(...args);
      },
    ]),
  );
  let server: DevServer | undefined;
  let connection: Connection | undefined;
  let native: NativeConnection | undefined;
  try {
    server = await startDevServer({
      port: await freePort(),
      // the timer queue reads timers due within this shift late (default 1 s): millisecond windows need less
      dynamicConfig: { 'history.timerProcessorMaxTimeShift': '10ms' },
    });
    connection = await Connection.connect({ address: server.address });
    native = await NativeConnection.connect({ address: server.address });
    const taskQueue = `wf-test-${randomUUID()}`;
    const worker = await Worker.create({
      connection: native,
      taskQueue,
      workflowBundle: await bundling,
      dataConverter,
      activities,
    });
    const running = worker.run();
    const client = new Client({ connection, dataConverter });
    const [conn, nat, srv] = [connection, native, server];
    return {
      client,
      async execute(workflowType, args, stubs, drive) {
        const workflowId = `${workflowType}-test-${randomUUID()}`;
        byWorkflow.set(workflowId, stubs);
        try {
          const handle = await client.workflow.start<Workflow>(workflowType, {
            taskQueue,
            workflowId,
            args: args as unknown[],
            workflowRunTimeout: '10 seconds',
          });
          await drive?.(handle as WorkflowHandle<never>);
          return (await handle.result()) as never;
        } finally {
          byWorkflow.delete(workflowId);
        }
      },
      async stop() {
        worker.shutdown();
        await running;
        await conn.close();
        await nat.close();
        await srv.stop();
      },
    };
  } catch (e) {
    await connection?.close();
    await native?.close();
    await server?.stop();
    throw e;
  }
}

/** One workflow run of a workflow test: its result and the activity calls, each without the business id. */
export interface RecordedRun<W extends Workflow> {
  result: Awaited<ReturnType<W>>;
  calls: unknown[][];
}

/**
 * The preamble of a workflow test file: starts the environment for `workflowFile` before the file's tests, runs
 * `warmUp` there (the worker's first workflow task loads the bundle, about a second: kept out of the tests'
 * time) and stops it after them. `run` starts one workflow whose activities all take its business id `id` as
 * their first argument, checks that every call is about it, and returns the calls without it.
 */
export function useWorkflowTestEnv(
  workflowFile: URL,
  activityNames: readonly string[],
  warmUp: () => Promise<unknown>,
) {
  let env: WorkflowTestEnv | undefined;
  beforeAll(async () => {
    env = await startWorkflowTestEnv(workflowFile, activityNames);
    await warmUp();
  });
  afterAll(() => env?.stop());
  return {
    async run<W extends Workflow>(
      workflowType: string,
      id: string,
      args: Parameters<W>,
      stubs: Stubs,
      drive?: (handle: WorkflowHandle<W>) => Promise<void>,
    ): Promise<RecordedRun<W>> {
      if (!env) throw new Error('the workflow test environment is not started yet');
      const calls: CallLog = [];
      const result = await env.execute<W>(workflowType, args, recorded(calls, stubs), drive);
      expect(calls.every(([, first]) => first === id)).toBe(true);
      return { result, calls: calls.map(([name, , ...rest]) => [name, ...rest]) };
    },
  };
}

/** The calls a set of stub activities received, in order, as `[name, ...args]`. */
export type CallLog = [string, ...unknown[]][];

/** Wraps stub activities so that every call is logged (before the stub runs) in `log`. */
export function recorded<T extends Record<string, (...args: never[]) => unknown>>(log: CallLog, stubs: T): T {
  return Object.fromEntries(
    Object.entries(stubs).map(([name, fn]) => [
      name,
      (...args: never[]) => {
        log.push([name, ...args]);
        return fn(...args);
      },
    ]),
  ) as T;
}

/** A stub for an activity the test does not expect: fails the workflow at once (non-retryable). */
export function unexpected(name: string) {
  return async (): Promise<never> => {
    throw ApplicationFailure.nonRetryable(`unexpected call of ${name}`, 'UnexpectedCall');
  };
}

/** A promise the test settles by hand (a stub that waits for the test, e.g. to hold a workflow in a phase). */
export function gate<T = void>(): { promise: Promise<T>; open(value: T): void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((r) => (open = r));
  return { promise, open };
}
