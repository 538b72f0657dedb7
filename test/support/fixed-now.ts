// Setup file (vitest.config.ts): with POSTGANG_TEST_NOW set, the test process's clock starts at that instant
// and runs on from there, so a test that reads today's date sees a fixed, chosen day. `npm run test:dates`
// runs the clock-sensitive tests this way once per date of test/support/dates.ts. Without the variable it
// does nothing. Timers stay real: only `Date` is replaced.
import { vi } from 'vitest';

const at = process.env.POSTGANG_TEST_NOW;
if (at) {
  const now = new Date(at);
  if (Number.isNaN(now.getTime())) throw new Error(`POSTGANG_TEST_NOW=${at} is not a date`);
  vi.useFakeTimers({ toFake: ['Date'], now, shouldAdvanceTime: true });
}
