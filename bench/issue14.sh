#!/usr/bin/env bash
# Issue 14: the yearly statistics page of the whole installation over N dossiers (default 1 000 000, all
# submitted in the last 365 days, so nearly all fall in the current year): the first answer after start
# (cold: nothing cached, counted from the day counters) and warm load at 32 connections beside /healthz.
#
#   bench/issue14.sh                       # uses .build/release/motcua if newer than the sources, else .build/debug/motcua
#   MOTCUA_BIN=path BENCH_DOSSIERS=200000 BENCH_DURATION=10 bench/issue14.sh
#
# Runs on loopback only; the server is stopped by its PID at the end. Results in bench/out/issue14-<time>/.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${BENCH_DOSSIERS:-1000000}
DURATION=${BENCH_DURATION:-10}
BIN=${MOTCUA_BIN:-.build/debug/motcua}
PORT=${BENCH_PORT:-18931}
BASE=http://127.0.0.1:$PORT
OUT=bench/out/issue14-$(date -u +%Y%m%d-%H%M%S)
DATA=$OUT/data
mkdir -p "$DATA"
SERVER_PID=""
stop() { if [[ -n $SERVER_PID ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""; fi; }
trap stop EXIT
start() {
  "$BIN" serve --host 127.0.0.1 --port "$PORT" --data-dir "$DATA" >>"$OUT/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 600); do curl -sf "$BASE/readyz" >/dev/null && return 0; sleep 0.5; done
  echo "server not ready" >&2; exit 1
}
start; stop
START=$SECONDS
python3 bench/gen_dossiers.py --data-dir "$DATA" --dossiers "$N" --days 365 --motcua-bin "$BIN" --out "$OUT/bench.json" >"$OUT/generate.log" 2>&1
echo "generated $N dossiers in $((SECONDS - START)) s (with the statistics triggers): $(tail -n 1 "$OUT/generate.log")" | tee "$OUT/results.md"
YEAR=$(TZ=Asia/Ho_Chi_Minh date +%Y)
start
{
  echo "counters: $(sqlite3 "$DATA/motcua.sqlite" 'SELECT COUNT(*) FROM dossier_day_counts') day rows for $(sqlite3 "$DATA/motcua.sqlite" 'SELECT COUNT(*) FROM dossiers') dossiers"
  echo "cold /thong-ke?nam=$YEAR (first request after start): $(curl -s -o "$OUT/page.html" -w '%{http_code} %{time_total}s' "$BASE/thong-ke?nam=$YEAR")"
  echo "cold /api/v1/statistics?year=$YEAR&quarter=4: $(curl -s -o /dev/null -w '%{http_code} %{time_total}s' "$BASE/api/v1/statistics?year=$YEAR&quarter=4")"
  echo "cold /thong-ke/000.00.07.H52?nam=$YEAR: $(curl -s -o /dev/null -w '%{http_code} %{time_total}s' "$BASE/thong-ke/000.00.07.H52?nam=$YEAR")"
  echo "page says: $(grep -o '[0-9.]* hồ sơ trực tuyến năm [0-9]*, năm [0-9]*: [0-9.]*' "$OUT/page.html" | head -1)"
} | tee -a "$OUT/results.md"
for target in "/healthz" "/thong-ke?nam=$YEAR" "/api/v1/statistics?year=$YEAR"; do
  wrk -t2 -c32 -d2s "$BASE$target" >/dev/null 2>&1 || true
  wrk -t2 -c32 -d"${DURATION}s" --latency "$BASE$target" >"$OUT/wrk-$(echo "$target" | tr -c 'a-z0-9' '_').txt" 2>&1
  f="$OUT/wrk-$(echo "$target" | tr -c 'a-z0-9' '_').txt"
  echo "warm $target: $(grep 'Requests/sec' "$f" | awk '{print $2}') req/s, p50 $(grep ' 50%' "$f" | awk '{print $2}'), p99 $(grep ' 99%' "$f" | awk '{print $2}'), non-2xx: $(grep -c 'Non-2xx' "$f" || true)" | tee -a "$OUT/results.md"
done
echo "binary: $BIN ($(file -b "$BIN" | cut -c1-40))" | tee -a "$OUT/results.md"
