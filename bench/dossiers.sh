#!/usr/bin/env bash
# Dossier benchmark: see bench/README.md.
#
#   bench/dossiers.sh
#   BENCH_DOSSIERS=20000 BENCH_DURATION=3 MOTCUA_BIN=/path/to/motcua bench/dossiers.sh    # a quick run
#
# Environment:
#   BENCH_DOSSIERS=1000000   dossiers made by bench/gen_dossiers.py (plus citizens, events, attachments)
#   BENCH_DURATION=15        seconds of load per endpoint / phase / operation (after a short warm-up)
#   BENCH_CONNECTIONS=32     wrk connections (threads: 2) for the read endpoints
#   BENCH_SUBMIT_CLIENTS=16  concurrent clients submitting dossiers with two 1 MB PDFs
#   BENCH_MIX_CLIENTS=8      closed-loop clients of each JSON API operation
#   BENCH_UPLOAD_MB=100      size of the single big upload
#   BENCH_SKIP_BUILD=1       use the release binary already built
#   MOTCUA_BIN=PATH          benchmark this binary instead (no build)
#   BENCH_STRICT=1           exit 1 when a target is missed
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

N=${BENCH_DOSSIERS:-1000000}
DURATION=${BENCH_DURATION:-15}
CONNS=${BENCH_CONNECTIONS:-32}
SUBMIT_CLIENTS=${BENCH_SUBMIT_CLIENTS:-16}
MIX_CLIENTS=${BENCH_MIX_CLIENTS:-8}
UPLOAD_MB=${BENCH_UPLOAD_MB:-100}
THREADS=2
WARMUP=2
# Targets (issue): lookup p99 under 10 ms at 32 connections; a 100 MB upload raises memory by a few MB.
MAX_LOOKUP_P99_MS=10
MAX_UPLOAD_RSS_MB=8

# The benchmark runs on the SQLite store in a fresh data dir.
unset DATABASE_URL

# shellcheck source=bench/setup.sh
source bench/setup.sh
bench_setup dossiers

SERVER_LOG=$WORK_DIR/server.log  # start_server appends to it; an excerpt goes to $OUT
# The binary may be replaced while this runs (a rebuild): benchmark a copy of it, and say which.
BIN_INFO="\`$BIN\` ($(date -u -r "$BIN" '+%Y-%m-%d %H:%M UTC'), sha256 $(sha256sum "$BIN" | cut -c1-12))"
# SwiftPM bakes the resource bundle's build path into the binary: a debug build is no benchmark.
BUILD_KIND=release
if grep -q -a '/debug/motcua_MotCua.resources' "$BIN"; then BUILD_KIND=debug; fi
cp "$BIN" "$WORK_DIR/motcua"
BIN=$WORK_DIR/motcua
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
CLK_TCK=$(getconf CLK_TCK)

# A big data dir: more time to start (and stop) than start_server/stop_server give by default.
SERVER_READY_SECONDS=120
SERVER_STOP_SECONDS=30

# server_cpu_ticks : utime + stime of the server so far (clock ticks).
server_cpu_ticks() {
  awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$SERVER_PID/stat"
}

save_server_log() {
  { grep -E ' (warning|error|critical) ' "$SERVER_LOG" | head -n 200 || true; echo '--- last lines ---'; tail -n 100 "$SERVER_LOG"; } \
    >"$OUT/server-log-excerpt.txt" 2>/dev/null || true
}

[[ $BUILD_KIND == release ]] || log "warning: $BIN_INFO is a DEBUG build: its figures say little about a release"
echo "== Preparing data ($N dossiers) =="
# First start: migrations, demo catalog and demo staff accounts.
start_server
stop_server
GEN_START=$SECONDS
python3 bench/gen_dossiers.py --data-dir "$DATA_DIR" --dossiers "$N" --motcua-bin "$BIN" --out "$OUT/bench.json" \
  --codes-file "$WORK_DIR/codes.txt" --progress 2>&1 | tee "$OUT/generate.log"
GEN_WALL=$((SECONDS - GEN_START))
DB_MB=$(du -m "$DATA_DIR/motcua.sqlite" | cut -f1)
start_server
echo "data ready: generator ${GEN_WALL}s, database ${DB_MB} MB; server pid $SERVER_PID on $BASE"

# bench_field EXPR : a value of the generator's JSON (Python expression on `d`).
bench_field() {
  python3 -c "import json, sys; d = json.load(open(sys.argv[1])); print($1)" "$OUT/bench.json"
}
MY_EMAIL=$(bench_field 'd["myDossiersUser"]["email"]')
MY_COUNT=$(bench_field 'd["myDossiersUser"]["dossiers"]')
MY_TOKEN=$(bench_field 'd["myDossiersUser"]["token"]')
PASSWORD=$(bench_field 'd["password"]')
CODE=$(head -n 1 "$WORK_DIR/codes.txt")

# A citizen signs in through the login form, as a browser does.
COOKIE=$(python3 bench/dossier_clients.py login --base "$BASE" --email "$MY_EMAIL" --password "$PASSWORD") ||
  die "the citizen $MY_EMAIL could not sign in"

# http_check PATH [CURL-ARGS...] : the answer must be 200; prints the body.
http_check() {
  local path=$1 status
  shift
  status=$(curl -sS -o "$WORK_DIR/check.out" -w '%{http_code}' --max-time 30 "$@" "$BASE$path" || echo 000)
  [[ $status == 200 ]] || die "GET $path answered $status, expected 200: not benchmarking a broken endpoint"
  cat "$WORK_DIR/check.out"
}
http_check "/api/v1/dossiers/lookup?code=$CODE" | grep -q "\"$CODE\"" || die "the lookup API does not show $CODE"
http_check "/tra-cuu?ma=$CODE" | grep -q "$CODE" || die "the lookup page does not show $CODE"
ROWS=$(http_check /ho-so -H "Cookie: $COOKIE" | grep -o 'href="/ho-so/[0-9]*"' | sort -u | wc -l)
((ROWS > 0)) || die "/ho-so lists no dossier for $MY_EMAIL"
API_ROWS=$(http_check /api/v1/dossiers -H "Authorization: Bearer $MY_TOKEN" |
  python3 -c 'import json, sys; print(len(json.load(sys.stdin)["items"]))')
echo "citizen $MY_EMAIL: $MY_COUNT dossiers; /ho-so lists $ROWS, /api/v1/dossiers $API_ROWS"

# name|path|env for bench/dossiers.lua
ENDPOINTS=(
  "/healthz|/healthz|"
  "lookup API, random real codes|/api/v1/dossiers/lookup?code=|BENCH_CODES=$WORK_DIR/codes.txt"
  "lookup page /tra-cuu, random real codes|/tra-cuu?ma=|BENCH_CODES=$WORK_DIR/codes.txt"
  "my dossiers page /ho-so (session cookie)|/ho-so|BENCH_COOKIE=$COOKIE"
  "my dossiers API /api/v1/dossiers (bearer token)|/api/v1/dossiers|BENCH_AUTH=Bearer $MY_TOKEN"
)

echo "== Reads: wrk -t$THREADS -c$CONNS -d${DURATION}s --latency (warm-up ${WARMUP}s each) =="
RESULTS=()
i=0
for spec in "${ENDPOINTS[@]}"; do
  IFS='|' read -r name path setting <<<"$spec"
  i=$((i + 1))
  raw="$OUT/wrk-$i.txt"
  lua_env=(BENCH_CODES= BENCH_COOKIE= BENCH_AUTH=)
  [[ -n $setting ]] && lua_env+=("$setting")
  env "${lua_env[@]}" timeout $((WARMUP + 30)) wrk -t"$THREADS" -c"$CONNS" -d"${WARMUP}s" --timeout 10s -s bench/dossiers.lua "$BASE$path" >/dev/null
  ticks=$(server_cpu_ticks)
  env "${lua_env[@]}" timeout $((DURATION + 60)) wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --timeout 10s --latency \
    -s bench/dossiers.lua "$BASE$path" >"$raw"
  ticks=$(($(server_cpu_ticks) - ticks))
  read_wrk "$raw" "$path"
  cpu=$(awk -v t="$ticks" -v hz="$CLK_TCK" -v n="$REQUESTS" 'BEGIN { printf "%.3f", (n > 0 ? t * 1000 / hz / n : 0) }')
  RESULTS+=("$name|$path|$RPS|$P50_MS|$P99_MS|$ERRORS|$cpu")
  echo "$name: $RPS req/s, p50 $P50_MS ms, p99 $P99_MS ms, $ERRORS errors, server CPU $cpu ms/request"
done

echo "== Submissions: $SUBMIT_CLIENTS clients, two 1 MB PDFs per dossier, ${DURATION}s =="
timeout $((DURATION + 300)) python3 bench/dossier_clients.py submit --base "$BASE" --bench "$OUT/bench.json" \
  --pid "$SERVER_PID" --clients "$SUBMIT_CLIENTS" --duration "$DURATION" --out "$OUT/submit.json" --md "$OUT/submit.md" \
  >/dev/null || die "the submission phase failed"
cat "$OUT/submit.md"

echo "== JSON API operations: $MIX_CLIENTS closed-loop clients, ${DURATION}s each =="
timeout $((DURATION * 6 + 300)) python3 bench/dossier_clients.py api-mix --base "$BASE" --bench "$OUT/bench.json" \
  --pid "$SERVER_PID" --db "$DATA_DIR/motcua.sqlite" --clients "$MIX_CLIENTS" --duration "$DURATION" \
  --out "$OUT/api-mix.json" --md "$OUT/api-mix.md" >/dev/null || die "the API operations phase failed"
cat "$OUT/api-mix.md"

echo "== One ${UPLOAD_MB} MB upload (server restarted with MOTCUA_MAX_FILE_MB=$((UPLOAD_MB + 20))) =="
stop_server
start_server MOTCUA_MAX_FILE_MB=$((UPLOAD_MB + 20)) MOTCUA_MAX_DOSSIER_MB=$((UPLOAD_MB * 2))
timeout 600 python3 bench/dossier_clients.py upload --base "$BASE" --bench "$OUT/bench.json" --pid "$SERVER_PID" \
  --work "$WORK_DIR" --size-mb "$UPLOAD_MB" --out "$OUT/upload.json" --md "$OUT/upload.md" >/dev/null ||
  die "the big upload failed"
cat "$OUT/upload.md"
save_server_log

# --- Report -------------------------------------------------------------------------------------------
IFS='|' read -r _ _ BASE_RPS _ <<<"${RESULTS[0]}"
MISSES=()
REPORT="$OUT/report.md"
{
  echo "# Dossier benchmark $STAMP"
  echo
  echo "SQLite, $(nproc) cores (wrk, the Python clients and the server share them), $BUILD_KIND binary $BIN_INFO."
  echo "Load average (1, 5, 15 min) before the run: $LOAD_BEFORE; after: $(cut -d' ' -f1-3 /proc/loadavg)."
  if [[ $BUILD_KIND != release ]]; then
    echo
    echo "**This is a debug build: the figures below say little about a release build.**"
  fi
  echo
  echo "## Data"
  echo
  bench_field '"{:,} dossiers ({:,} drafts), {:,} history entries, {:,} attachments, {:,} citizens, {:,} code sequences; by status: {}".format(d["counts"]["dossiers"], d["counts"]["drafts"], d["counts"]["events"], d["counts"]["attachments"], d["counts"]["users"], d["counts"]["sequences"], ", ".join(k + ": " + format(v, ",") for k, v in d["counts"]["byStatus"].items()))'
  echo
  bench_field '"Generated by bench/gen_dossiers.py in {} s ({} s of it making the indexes): {:,} rows/s, {:,} dossiers/s.".format(d["seconds"], d["indexSeconds"], d["rowsPerSecond"], d["dossiersPerSecond"])'
  echo "Wall time of the generator step ${GEN_WALL} s; database file ${DB_MB} MB."
  echo
  echo "## Reads: wrk -t$THREADS -c$CONNS -d${DURATION}s"
  echo
  echo "The citizen of \"my dossiers\" has $MY_COUNT dossiers; the page lists $ROWS and the API $API_ROWS (at most 100)."
  echo "Lookups pick one of $(wc -l <"$WORK_DIR/codes.txt") real codes at random for every request (no misses: they are throttled per IP)."
  echo
  echo "| endpoint | req/s | p50 (ms) | p99 (ms) | ratio to /healthz req/s | server CPU ms/request | errors |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  for r in "${RESULTS[@]}"; do
    IFS='|' read -r name path rps p50 p99 errors cpu <<<"$r"
    ratio=$(awk -v a="$rps" -v b="$BASE_RPS" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
    # shellcheck disable=SC2016  # backticks are Markdown
    printf '| %s `%s` | %.0f | %.2f | %.2f | %s | %s | %d |\n' "$name" "$path" "$rps" "$p50" "$p99" "$ratio" "$cpu" "$errors"
    [[ $errors -eq 0 ]] || MISSES+=("$name: $errors errors")
    if [[ $name == lookup* ]]; then
      awk -v p="$p99" -v m="$MAX_LOOKUP_P99_MS" 'BEGIN { exit !(p < m) }' ||
        MISSES+=("$name: p99 $p99 ms, not under $MAX_LOOKUP_P99_MS ms")
    fi
  done
  echo
  lookup_verdict="met"
  for m in "${MISSES[@]}"; do [[ $m == *"not under"* ]] && lookup_verdict="missed"; done
  echo "Lookup p99 under $MAX_LOOKUP_P99_MS ms at $CONNS connections: **$lookup_verdict**. With $CONNS connections in a"
  echo "closed loop the mean latency is $CONNS ÷ req/s (Little's law): a p99 under $MAX_LOOKUP_P99_MS ms needs well over"
  echo "$((CONNS * 1000 / MAX_LOOKUP_P99_MS)) req/s on these shared cores, so other load on the machine weighs on it."
  echo
  cat "$OUT/submit.md"
  echo
  cat "$OUT/api-mix.md"
  echo
  cat "$OUT/upload.md"
} >"$REPORT"

UPLOAD_RISE=$(python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(max(d["rssIncreaseKB"], d["hwmIncreaseKB"] or 0) / 1024)' "$OUT/upload.json")
awk -v r="$UPLOAD_RISE" -v m="$MAX_UPLOAD_RSS_MB" 'BEGIN { exit !(r <= m) }' ||
  MISSES+=("${UPLOAD_MB} MB upload raised the server's memory by ${UPLOAD_RISE} MB")
SUBMIT_ERRORS=$(python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(d["errors"] + d["dossiers"] - d["distinctCodes"])' "$OUT/submit.json")
[[ $SUBMIT_ERRORS -eq 0 ]] || MISSES+=("submissions: $SUBMIT_ERRORS errors or repeated codes")
{
  echo
  echo "## Verdict"
  echo
  bench_verdict "lookup p99 < $MAX_LOOKUP_P99_MS ms, no errors, the big upload within $MAX_UPLOAD_RSS_MB MB of memory."
} >>"$REPORT"

bench_publish "$REPORT" "report, raw wrk outputs, JSON figures and a server log excerpt"

bench_strict_exit
