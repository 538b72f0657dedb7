// Prints the suite's count as one plain line ("vitest: N passed, N failed, N skipped") from vitest's JSON
// report, so that a log read by its closing line states how many tests ran. Used by .ci/run.
//   node scripts/test-summary.mjs .data/ci/vitest.json
import { existsSync, readFileSync } from 'node:fs';
import process from 'node:process';

const file = process.argv[2];
if (!file || !existsSync(file)) {
  process.stdout.write(`vitest: no report at ${file ?? '(no path given)'}\n`);
  process.exit(1);
}
const report = JSON.parse(readFileSync(file, 'utf8'));
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
process.stdout.write(
  `vitest: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped\n`,
);
process.exit(report.numFailedTests === 0 && report.numTotalTests > 0 ? 0 : 1);
