#!/usr/bin/env bash
# The outbound example from the README, as a case system would do it: start a letter, wait until it is
# produced and queued (I kø), send the run (kjøring), wait for its outcome, then find it again by search.
# Against `npm start` by default; POSTGANG_URL and POSTGANG_KEY point it elsewhere. Needs curl and node.
set -euo pipefail
shopt -s inherit_errexit

BASE="${POSTGANG_URL:-http://localhost:3000}"
AUTH="authorization: Bearer ${POSTGANG_KEY:-demo-local-key}"
CASE="${CASE_ID:-SAK-$RANDOM$RANDOM}"

# One field of a JSON answer on stdin, e.g. `field status` or `field items.0.id`.
field() {
  node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
    const v = process.argv[1].split(".").reduce((o, k) => (o == null ? o : o[k]), JSON.parse(s));
    console.log(v ?? ""); });' "$1"
}

# Calls the API; prints the body, fails (with the body) on an HTTP error.
call() {
  local out
  out=$(curl -sS -w '\n%{http_code}' -H "$AUTH" "$@")
  local code=${out##*$'\n'}
  local body=${out%$'\n'*}
  if [ "$code" -ge 400 ]; then
    echo "HTTP $code: $body" >&2
    return 1
  fi
  printf '%s' "$body"
}

# Waits until the letter's status is one of the given ones (at most about a minute).
await_status() {
  local id=$1 status
  shift
  for _ in $(seq 1 120); do
    status=$(call "$BASE/v1/letters/$id" | field status)
    for want in "$@"; do [ "$status" = "$want" ] && { echo "$status"; return 0; }; done
    sleep 0.5
  done
  echo "letter $id is still $status, expected one of: $*" >&2
  return 1
}

ID=$(call "$BASE/v1/letters" -H 'content-type: application/json' -d @- <<JSON | field id
{ "caseId": "$CASE", "templateCode": "IKV_inkassovarsel",
  "recipient": { "nationalId": "01019010046", "name": "Kari Nordmann",
                 "address": { "lines": ["Storgata 1"], "postalCode": "0155", "city": "OSLO" } },
  "mergeData": { "letterDate": "2026-11-23", "caseNumber": "INK-1", "dueDate": "2026-12-08",
    "creditor": { "name": "Oslo kommune", "orgNumber": "974760673",
                  "address": { "lines": ["Postboks 1"], "postalCode": "0106", "city": "OSLO" } },
    "debtor": { "name": "Kari Nordmann" },
    "claims": [ { "description": "Kommunale avgifter", "amount": 1234.5 } ],
    "fees": [], "total": 1234.5, "kid": "12345678903", "accountNumber": "8601.11.17947" } }
JSON
)
echo "letter $ID (case $CASE) started"
STATUS=$(await_status "$ID" QUEUED)
echo "letter $ID is $STATUS"

RUN=$(call -X POST "$BASE/v1/runs" | field id)
echo "run $RUN sent"
STATUS=$(await_status "$ID" SENT_DIGITAL SENT_PRINT NOT_SENT)
echo "letter $ID is $STATUS"

echo "search by case and status:"
call "$BASE/v1/letters?caseId=$CASE&status=SENT_DIGITAL,SENT_PRINT,NOT_SENT&limit=50"
echo
