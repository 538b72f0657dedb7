#!/usr/bin/env bash
# Runs the tests that could depend on today's date (those of the clients, simulators, documents and domain that
# run in one process: a test that spawns a process cannot share its fake clock) once per fixed date of
# test/support/dates.ts, each in another time zone,
# with the test process's clock set to that date (test/support/fixed-now.ts). A test that reads the wall
# clock where it should use a fixed one fails here on some date, not on some Tuesday in CI.
set -euo pipefail
cd "$(dirname "$0")/.."
DATES=$(node --import tsx -e "import('./test/support/dates.ts').then(m => console.log(m.TEST_DATES.map(d => d.at.toISOString()).join(' ')))")
# The SvarInn client's contract test is left out: it takes about two minutes a run (key generation, retries),
# and its times all come from the in-process simulator; the SvarInn CMS and listing tests are in.
FILES=(simulators/digipost/clock.test.ts simulators/digipost/server.test.ts integrations/digipost/client-simulator.test.ts
  integrations/svarinn/cms.test.ts integrations/svarinn/forsendelse.test.ts simulators/svarinn integrations/archive
  simulators/archive documents domain)
ZONES=(Europe/Oslo UTC America/New_York Pacific/Auckland Asia/Kolkata Europe/Oslo UTC)
i=0
for at in $DATES; do
  tz="${ZONES[$((i % ${#ZONES[@]}))]}"; i=$((i + 1))
  echo "::: tests as if it were $at (TZ=$tz)"
  POSTGANG_TEST_NOW="$at" TZ="$tz" npx vitest run --reporter=dot "${FILES[@]}" "$@"
done
