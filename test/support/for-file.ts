// The preamble of a test file that needs a running system: started before the file's tests, stopped after them
// (after the file's own `afterAll` hooks, which run first).
import { afterAll, beforeAll } from 'vitest';

/**
 * Returns an object that stands for what `start` gives once it has started, in hooks and tests; touching it at
 * the file's top level, before it is started, throws.
 */
export function startedForFile<T extends { stop(): Promise<void> }>(
  what: string,
  start: () => Promise<T>,
): T {
  let started: T | undefined;
  beforeAll(async () => {
    started = await start();
  }, 180_000);
  afterAll(async () => {
    await started?.stop();
  });
  return new Proxy({} as T, {
    get(_target, key) {
      if (!started) throw new Error(`${what} is not started yet (reading ${String(key)})`);
      return Reflect.get(started, key, started) as unknown;
    },
  });
}
