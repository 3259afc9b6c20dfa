#!/usr/bin/env bash
# API fuzzing of MotCua: schemathesis against a real `motcua serve`, checked against the portal's own
# OpenAPI document (/api/openapi.yaml). Fails on any 5xx and on any response the document does not
# describe (status, content type, headers, body schema), plus schemathesis' other checks (`--checks all`).
#
#   tests/api/run.sh [SCHEMATHESIS-ARGS...]     e.g. --seed 42, --max-failures 1, --phases coverage
#
# Installs what it needs when missing: a venv in .venv/ (shared with the browser suite) with
# tests/api/requirements.txt. Starts the server on a free port of 127.0.0.1 with a temp data dir
# (SQLite, demo catalog), signs up a citizen (e-mail verified with the link the server logs) and makes
# two API tokens over the HTML forms (tests/api/tokens.py), revokes one, then runs schemathesis twice:
#   1. with the valid token, loading the document from the server (every phase, `--mode all`);
#   2. with the revoked token, from the same document: every operation under /api/ must answer the
#      documented 401.
# The server is stopped by its PID at the end, whatever happens. The last line says how many test
# cases ran; the exit status is schemathesis' (the first non-zero one; 124 when out of time).
#
# Environment:
#   MOTCUA_BIN      the motcua binary to serve (default: $(swift build --show-bin-path)/motcua)
#   FUZZ_EXAMPLES   test cases per operation and phase (default 40)
#   FUZZ_TIMEOUT    seconds for both schemathesis runs together (default 300)
#   FUZZ_DOCUMENT   check against this file instead of the served document (e.g. the edited
#                   Sources/MotCua/Resources/openapi.yaml, before the binary is built again)
#   PYTHON          interpreter for a new venv (default python3)
# Settings: tests/api/schemathesis.toml (failures found and Hypothesis' example database go to
# .build/api-fuzz/; inputs that failed before are tried first on the next run).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

VENV=.venv
REQS=tests/api/requirements.txt
EXAMPLES=${FUZZ_EXAMPLES:-40}
BUDGET=${FUZZ_TIMEOUT:-300}

t0=$SECONDS
ensure_venv_requirements api "$REQS" "schemathesis requests"
if ((SECONDS - t0 > 1)); then log "API fuzzing set up in $((SECONDS - t0))s"; fi

ensure_motcua_bin

# Nothing in the work tree: no __pycache__, and Hypothesis' own cache (Unicode tables, …) under .build/.
export PYTHONDONTWRITEBYTECODE=1 HYPOTHESIS_STORAGE_DIRECTORY=$PWD/.build/api-fuzz/hypothesis
unset DATABASE_URL
WORK=$(mktemp -d -t motcua-api-fuzz.XXXXXX)
SERVER_PID=""
# shellcheck disable=SC2317  # reached through the trap
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  # schemathesis and the tail of its output, while run_within runs them
  if [[ -n $RUN_PID ]]; then stop_pid "$RUN_PID" 10; fi
  if [[ -n $RUN_TAIL_PID ]]; then stop_pid "$RUN_TAIL_PID" 2; fi
  if [[ -n $SERVER_PID ]]; then stop_pid "$SERVER_PID" 10; fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The server's warnings and errors (a 5xx logs its cause there), else the end of its log.
server_log_tail() {
  echo "-- server log: warnings and errors (last 30) --"
  grep -aE '^[^ ]+ (warning|error|critical) ' "$WORK/server.log" | tail -n 30 || tail -n 15 "$WORK/server.log" || true
}

PORT=$(free_port)
URL="http://127.0.0.1:$PORT"
"$MOTCUA_BIN" serve --host 127.0.0.1 --port "$PORT" --data-dir "$WORK/data" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
if ! wait_for_url "$URL/readyz" 60 "$SERVER_PID"; then
  server_log_tail
  die "the server did not become ready"
fi
log "server $MOTCUA_BIN up on $URL (pid $SERVER_PID)"

read -r TOKEN REVOKED < <("$VENV/bin/python" tests/api/tokens.py "$URL" "$WORK/server.log") || true
if [[ ${TOKEN:-} != mct_* || ${REVOKED:-} != mct_* ]]; then
  server_log_tail
  die "could not make the API tokens"
fi
# The document as served; the second run loads it from here, since with a revoked token the server
# refuses to serve it (401, as documented).
if [[ -n ${FUZZ_DOCUMENT:-} ]]; then
  cp "$FUZZ_DOCUMENT" "$WORK/openapi.yaml" || die "no document at $FUZZ_DOCUMENT"
  SOURCE=("$WORK/openapi.yaml" --url "$URL")
  log "checking against $FUZZ_DOCUMENT, not the served document"
else
  curl -fsS --max-time 10 "$URL/api/openapi.yaml" -o "$WORK/openapi.yaml" || die "could not fetch $URL/api/openapi.yaml"
  SOURCE=("$URL/api/openapi.yaml")
fi

DEADLINE=$((SECONDS + BUDGET))
CASES=()
RC=0

# fuzz NAME LOG SCHEMATHESIS-ARGS... : one schemathesis run under what is left of the time budget (at least
# 10 s), in the background so that a SIGTERM to this script is handled at once (the trap stops it).
fuzz() {
  local name=$1 out=$2 rc=0 n
  shift 2
  echo
  echo "== schemathesis: $name =="
  run_within "$DEADLINE" 10 "$out" "$VENV/bin/schemathesis" --config-file tests/api/schemathesis.toml run "$@" \
    --checks all --max-examples "$EXAMPLES" "${EXTRA_ARGS[@]}" || rc=$?
  if [[ $rc -eq 124 || $rc -eq 137 ]]; then echo "!! $name: stopped after the time budget (FUZZ_TIMEOUT=$BUDGET s)"; fi
  # schemathesis' summary, e.g. "290 generated, 290 passed, 2 skipped" or "81 generated, 5 found ..."
  n=$(grep -aoE '[0-9]+ generated' "$out" | tail -n1 | grep -oE '[0-9]+' || true)
  CASES+=("${n:-?} $name")
  if [[ $RC -eq 0 && $rc -ne 0 ]]; then RC=$rc; fi
}

EXTRA_ARGS=("$@")
fuzz "valid token" "$WORK/valid.log" "${SOURCE[@]}" -H "Authorization: Bearer $TOKEN"
# Every operation under /api/ answers 401 here: schemathesis' "authentication failed" warning is expected.
fuzz "revoked token" "$WORK/revoked.log" "$WORK/openapi.yaml" --url "$URL" -H "Authorization: Bearer $REVOKED" \
  --warnings off

if ! kill -0 "$SERVER_PID" 2>/dev/null; then
  echo "!! the server exited during the fuzzing"
  if [[ $RC -eq 0 ]]; then RC=1; fi
fi
if [[ $RC -ne 0 ]]; then server_log_tail; fi
total=0
for c in "${CASES[@]}"; do
  n=${c%% *}
  if [[ $n == "?" ]]; then total="?"; break; fi
  total=$((total + n))
done
parts=$(printf '%s, ' "${CASES[@]}")
echo
echo "API fuzzing: $total test cases (${parts%, }), exit $RC, $((SECONDS - t0))s"
exit "$RC"
