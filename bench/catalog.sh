#!/usr/bin/env bash
# Catalog benchmark: see bench/README.md.
#
#   bench/catalog.sh
#
# Environment:
#   BENCH_PROCEDURES=10000   synthetic procedures imported on top of the demo catalog
#   BENCH_DURATION=15        seconds of load per endpoint (after a 2 s warm-up)
#   BENCH_CONNECTIONS=32     wrk connections (threads: 2)
#   BENCH_SKIP_BUILD=1       use the release binary already built
#   MOTCUA_BIN=PATH          benchmark this binary instead (no build)
#   BENCH_STRICT=1           exit 1 when an endpoint misses the targets
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

N=${BENCH_PROCEDURES:-10000}
DURATION=${BENCH_DURATION:-15}
CONNS=${BENCH_CONNECTIONS:-32}
THREADS=2
WARMUP=2
# Targets (issue): every catalog endpoint >= 40% of /healthz req/s, p99 < 20 ms at 32 connections.
MIN_RATIO=0.40
MAX_P99_MS=20

# The benchmark runs on the SQLite store in a fresh data dir.
unset DATABASE_URL

# shellcheck source=bench/setup.sh
source bench/setup.sh
bench_setup catalog

echo "== Preparing data ($N synthetic procedures) =="
t0=$SECONDS
# First start: migrations and the shipped demo catalog.
# shellcheck disable=SC2119  # start_server takes VAR=VALUE arguments; none here
start_server
stop_server
python3 bench/gen_catalog.py "$N" "$WORK_DIR/catalog.json"
timeout 600 "$BIN" import-catalog --data-dir "$DATA_DIR" "$WORK_DIR/catalog.json" >"$OUT/import.log" 2>&1 \
  || { tail -n 40 "$OUT/import.log" >&2; die "import-catalog failed (log: $OUT/import.log)"; }
# shellcheck disable=SC2119
start_server
echo "data ready in $((SECONDS - t0))s; server pid $SERVER_PID on $BASE"

# http_status PATH : prints the HTTP status of a GET (no redirects followed).
http_status() {
  curl -sS -o /dev/null --max-time 10 -w '%{http_code}' "$BASE$1" || echo 000
}

require_200() {
  local status
  status=$(http_status "$1")
  [[ $status == 200 ]] || die "GET $1 answered $status, expected 200: not benchmarking a broken endpoint"
}

# The synthetic procedures must be visible, or the benchmark measures the demo catalog only.
require_200 "/thu-tuc/000.00.99.H99/9.000000"

# A real procedure page: the first hit of the search API, else a demo procedure.
PROCEDURE_PATH=$(curl -fsS --max-time 10 "$BASE/api/v1/procedures?q=thi+tuyen+cong+chuc&perPage=1" 2>/dev/null |
  python3 -c '
import json, sys, urllib.parse
try:
    doc = json.load(sys.stdin)
except ValueError:
    sys.exit(0)
items = doc
if isinstance(doc, dict):
    items = next((doc[k] for k in ("items", "data", "procedures", "results") if isinstance(doc.get(k), list)), [])
if items and isinstance(items[0], dict) and items[0].get("agencyCode") and items[0].get("code"):
    agency, code = (urllib.parse.quote(str(items[0][k]), safe="") for k in ("agencyCode", "code"))
    print("/thu-tuc/" + agency + "/" + code)
' || true)
if [[ -z $PROCEDURE_PATH ]]; then
  log "search API gave no procedure: using the demo procedure page"
  PROCEDURE_PATH=/thu-tuc/000.00.08.H06/1.005384
fi

ENDPOINTS=(
  "/healthz"
  "/thu-tuc?q=c%C3%B4ng+ch%E1%BB%A9c"
  "$PROCEDURE_PATH"
  "/api/v1/procedures?q=cong+chuc"
  # Every request a different URL (bench/uncached.lua): the cost of rendering, with no cache hit.
  "uncached:/thu-tuc"
  "uncached:/api/v1/procedures"
)
for path in "${ENDPOINTS[@]}"; do require_200 "${path#uncached:}"; done

echo "== Load: wrk -t$THREADS -c$CONNS -d${DURATION}s --latency (warm-up ${WARMUP}s each) =="
RESULTS=()
i=0
for path in "${ENDPOINTS[@]}"; do
  i=$((i + 1))
  raw="$OUT/wrk-$i.txt"
  target=("$BASE$path")
  [[ $path == uncached:* ]] && target=(-s bench/uncached.lua "$BASE${path#uncached:}")
  timeout $((WARMUP + 30)) wrk -t"$THREADS" -c"$CONNS" -d"${WARMUP}s" "${target[@]}" >/dev/null
  timeout $((DURATION + 60)) wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency "${target[@]}" >"$raw"
  read_wrk "$raw" "$path"
  parsed="$RPS $P99_MS $ERRORS"
  RESULTS+=("$path $parsed")
  echo "$path: $parsed (req/s p99-ms errors)"
done

read -r _ BASE_RPS _ _ <<<"${RESULTS[0]}"
TABLE="$OUT/results.md"
{
  echo "# Catalog benchmark $STAMP"
  echo
  echo "$N synthetic procedures + demo catalog, SQLite, wrk -t$THREADS -c$CONNS -d${DURATION}s on $(nproc) cores."
  echo
  echo "| endpoint | req/s | p99 (ms) | ratio to /healthz req/s | errors |"
  echo "|---|---:|---:|---:|---:|"
  for r in "${RESULTS[@]}"; do
    read -r path rps p99 errors <<<"$r"
    ratio=$(awk -v a="$rps" -v b="$BASE_RPS" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
    # shellcheck disable=SC2016  # backticks are Markdown
    printf '| `%s` | %.0f | %.2f | %s | %d |\n' "$path" "$rps" "$p99" "$ratio" "$errors"
  done
} >"$TABLE"

# Verdict against the targets, for the catalog endpoints (not the baseline).
MISSES=()
for r in "${RESULTS[@]:1}"; do
  read -r path rps p99 errors <<<"$r"
  awk -v a="$rps" -v b="$BASE_RPS" -v m="$MIN_RATIO" 'BEGIN { exit !(a / b >= m) }' ||
    MISSES+=("$path: req/s below $(awk -v m="$MIN_RATIO" 'BEGIN { print m * 100 }')% of /healthz")
  awk -v p="$p99" -v m="$MAX_P99_MS" 'BEGIN { exit !(p < m) }' || MISSES+=("$path: p99 ${p99} ms >= ${MAX_P99_MS} ms")
  [[ $errors -eq 0 ]] || MISSES+=("$path: $errors errors")
done
{
  echo
  bench_verdict "every catalog endpoint >= 40% of /healthz req/s, p99 < ${MAX_P99_MS} ms, no errors."
} >>"$TABLE"

bench_publish "$TABLE" "raw wrk outputs and server log"

bench_strict_exit
