#!/usr/bin/env bash
# Issue 13's benchmark (fees and payments): the VNPay IPN at 32 connections, first-time notifications (each pays a
# dossier: attempt, charge, receipt number, receipt PDF written with fsync, the dossier's status and history, in one
# transaction) and replays of recorded ones (answered 02), each as req/s and p99 with the ratio to /healthz in the
# same run; then the desk's import of a bank statement of 10 000 lines (9 000 matching), and the same file again.
# See bench/README.md ("Issue 13").
#
#   bench/issue13.sh                          release build, SQLite
#   bench/issue13.sh --postgres               the same on a throwaway PostgreSQL 15 cluster
#   bench/issue13.sh --both                   SQLite, then PostgreSQL
#   MOTCUA_BIN=/tmp/motcua-pay/motcua bench/issue13.sh     a prebuilt (e.g. debug) binary: say so when quoting figures
#
# Environment:
#   BENCH_IPN_DOSSIERS=10000   dossiers with a pending VNPay attempt for the measured first-time IPN run (each
#                              notification pays one; more than the run can use: the script warns when they ran out)
#   BENCH_IPN_WARMUP=1500      more of them for the first-time run's warm-up
#   BENCH_STATEMENT_LINES=10000  lines of the statement (as many dossiers awaiting payment; 90 % of lines match)
#   BENCH_DURATION=10          seconds of each wrk run (after a 2 s warm-up)
#   BENCH_CONNECTIONS=32       wrk connections (2 threads)
#   BENCH_SKIP_STATEMENT=1     no statement import
#   MOTCUA_BIN / BENCH_SKIP_BUILD   as for the other benchmarks (default: build the release binary)
#   BENCH_DATABASE_URL=postgres://…  an existing PostgreSQL server (a fresh database, dropped afterwards)
#
# Output: bench/out/issue13-YYYYMMDD-HHMMSS/ (results.md, rows.tsv, imports.tsv, raw wrk outputs, the import
# pages, seed.json, check.json, server logs) and bench/out/issue13-latest.md. Exits 0 when everything ran, whatever
# the figures; 1 when a run went wrong (an unexpected RspCode, a wrong import summary, a count that does not add up).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

ENGINES=sqlite
case ${1:-} in
  --postgres) ENGINES=postgres ;;
  --both) ENGINES="sqlite postgres" ;;
  "") ;;
  *) die "usage: bench/issue13.sh [--postgres | --both]" ;;
esac
IPN_N=${BENCH_IPN_DOSSIERS:-10000}
IPN_WARMUP_N=${BENCH_IPN_WARMUP:-1500}
STATEMENT_N=${BENCH_STATEMENT_LINES:-10000}
DURATION=${BENCH_DURATION:-10}
CONNS=${BENCH_CONNECTIONS:-32}
THREADS=2
WARMUP=2
AGENCY=000.00.09.H13
DESK_EMAIL=tiepnhan.h13@motcua.demo
PG_VERSION=15
PG_BIN=/usr/lib/postgresql/$PG_VERSION/bin
export MOTCUA_BCRYPT_COST=${MOTCUA_BCRYPT_COST:-10}

unset DATABASE_URL MOTCUA_SMTP_HOST MOTCUA_SMTP_PORT MOTCUA_SMTP_SECURITY MOTCUA_SMTP_USERNAME MOTCUA_SMTP_PASSWORD MOTCUA_VNPAY_FILE

# shellcheck source=bench/setup.sh
source bench/setup.sh
bench_setup issue13
chmod 711 "$WORK_DIR"  # the throwaway cluster runs as postgres and keeps its data in here
OUT=$(cd "$OUT" && pwd)
SERVER_READY_SECONDS=300
SERVER_STOP_SECONDS=30
BIN_INFO="$BIN ($(date -u -r "$BIN" '+%Y-%m-%d %H:%M UTC'), sha256 $(sha256sum "$BIN" | cut -c1-12))"
BUILD=release
if grep -q -a '/debug/motcua_MotCua.resources' "$BIN"; then BUILD=debug; log "warning: $BIN is a DEBUG build"; fi

# The agency's VNPay terminal, as the tests configure it; the gateway's page is never reached (nothing listens on
# port 9) and no query URL is set, so the reconciliation's questions fail at once and change nothing.
VNPAY_FILE=$WORK_DIR/vnpay.json
cat >"$VNPAY_FILE" <<EOF
{"$AGENCY": {"paymentURL": "http://127.0.0.1:9/paymentv2/vpcpay.html", "terminalCode": "CANTHO01", "hashSecret": "K8P2QW9ZR4TX7MNB3VCD6FGH5JLA1SEY"}}
EOF

PGDATA="" PG_PID="" PG_URL="" PG_DB=""
# shellcheck disable=SC2317  # reached through the trap
issue13_cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  if [[ -n $SERVER_PID ]]; then stop_pid "$SERVER_PID" 20; SERVER_PID=""; fi
  if [[ -n ${BENCH_DATABASE_URL:-} && -n $PG_DB ]]; then psql_cmd "$PG_URL" -c "DROP DATABASE IF EXISTS $PG_DB" >/dev/null 2>&1; fi
  stop_postgres
  (exit "$rc")
  bench_cleanup
}
trap issue13_cleanup EXIT

ROWS=$OUT/rows.tsv
printf 'engine\twhat\trps\tp50\tp99\terrors\trequests\tcodes\n' >"$ROWS"
IMPORTS=$OUT/imports.tsv
printf 'engine\trun\tlines\tseconds\tlines_per_s\tstatus\tbytes\tsummary\tcpu_s\trss_before_kb\thwm_kb\trss_after_kb\n' >"$IMPORTS"
NOTES=$OUT/notes.md
: >"$NOTES"
PROBLEMS=()

status_field() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
reset_hwm() { echo 5 >"/proc/$SERVER_PID/clear_refs" 2>/dev/null || log "warning: could not reset VmHWM (clear_refs)"; }

# wrk_run RAW URL [VAR=VALUE...] : the warm-up is the caller's; one measured run into RAW.
wrk_run() {
  local raw=$1 url=$2
  shift 2
  env "$@" BENCH_THREADS=$THREADS timeout $((DURATION + 120)) wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --timeout 30s --latency \
    -s bench/issue13_ipn.lua "$url" >"$raw"
}

# codes_of RAW : "00=n 02=m" from the RspCode lines of a run.
codes_of() { awk '/^RspCode / { sub(":", "", $2); printf "%s%s=%s", sep, $2, $3; sep = " " }' "$1"; }
code_count() { awk -v c="$2" '$1 == "RspCode" && $2 == c ":" { print $3; found = 1 } END { if (!found) print 0 }' "$1"; }

bench_engine() {
  local engine=$1 dir=$OUT/$1 env=() target
  mkdir -p "$dir"
  SERVER_LOG=$dir/server.log
  DATA_DIR=$WORK_DIR/data-$engine
  mkdir -p "$DATA_DIR"
  PORT=$(free_port)
  BASE=http://127.0.0.1:$PORT
  target=(--data-dir "$DATA_DIR")
  if [[ $engine == postgres ]]; then
    if [[ -n ${BENCH_DATABASE_URL:-} ]]; then
      PG_URL=$BENCH_DATABASE_URL
    else
      ensure_postgres
      start_postgres
    fi
    PG_DB=motcua_i13_$$
    psql_cmd "$PG_URL" -c "CREATE DATABASE $PG_DB" >/dev/null
    DB_URL="${PG_URL%/*}/$PG_DB"
    env=(DATABASE_URL="$DB_URL")
    target=(--database-url "$DB_URL")
  fi
  env+=(MOTCUA_VNPAY_FILE="$VNPAY_FILE")

  echo "== $engine: migrations and demo data, one dossier of 2.000596 through the API (the template) =="
  start_server "${env[@]}"
  local desk_password
  desk_password=$(awk -v e="$DESK_EMAIL" '$1 == e { print $2; exit }' "$SERVER_LOG")
  [[ -n $desk_password ]] || die "$engine: no password of $DESK_EMAIL in $SERVER_LOG (demo staff not made?)"
  python3 bench/issue13_setup.py template --base "$BASE" --log "$SERVER_LOG" --out "$dir/template.json" ||
    die "$engine: could not file the template dossier"
  stop_server

  echo "== $engine: seeding $((IPN_WARMUP_N + IPN_N)) dossiers with a pending VNPay attempt and $STATEMENT_N awaiting a transfer =="
  python3 bench/issue13_setup.py seed "${target[@]}" --template "$dir/template.json" --ipn "$IPN_N" --warmup "$IPN_WARMUP_N" \
    --statement "$STATEMENT_N" --work "$dir" || die "$engine: seeding failed"
  echo "- $engine: $(python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print("seeded %s dossiers (clones of the template, %s with a pending VNPay attempt) in %s s; statement lines %s" % (d["lastDossier"] - d["firstDossier"] + 1, d["ipnWarmup"] + d["ipnFirst"], d["seedSeconds"], d["statementKinds"]))' "$dir/seed.json")" >>"$NOTES"

  start_server "${env[@]}"
  echo "server pid $SERVER_PID on $BASE"
  local pid=$SERVER_PID raw

  # /healthz: the baseline.
  timeout $((WARMUP + 60)) wrk -t"$THREADS" -c"$CONNS" -d"${WARMUP}s" "$BASE/healthz" >/dev/null
  raw=$dir/wrk-healthz.txt
  env BENCH_CODES= BENCH_COOKIE= BENCH_AUTH= timeout $((DURATION + 60)) wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --timeout 30s --latency \
    -s bench/dossiers.lua "$BASE/healthz" >"$raw"
  read_wrk "$raw" /healthz
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$engine" "/healthz" "$RPS" "$P50_MS" "$P99_MS" "$ERRORS" "$REQUESTS" "" >>"$ROWS"
  echo "$engine /healthz: $RPS req/s, p50 $P50_MS ms, p99 $P99_MS ms, $ERRORS errors"

  # First-time notifications: a warm-up on its own attempts, then the measured run, each line once.
  BENCH_URLS=$dir/ipn-warmup.txt BENCH_EXPECT=00 BENCH_THREADS=$THREADS timeout $((WARMUP + 120)) \
    wrk -t"$THREADS" -c"$CONNS" -d"${WARMUP}s" --timeout 30s -s bench/issue13_ipn.lua "$BASE" >"$dir/wrk-ipn-warmup.txt"
  raw=$dir/wrk-ipn-first.txt
  wrk_run "$raw" "$BASE" BENCH_URLS="$dir/ipn-first.txt" BENCH_EXPECT=00
  read_wrk "$raw" "the IPN (first-time)"
  local exhausted
  exhausted=$(awk '/^Exhausted:/ { print $2 }' "$raw")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$engine" "IPN, first-time (pays)" "$RPS" "$P50_MS" "$P99_MS" "$ERRORS" "$REQUESTS" "$(codes_of "$raw")" >>"$ROWS"
  echo "$engine IPN first-time: $RPS req/s, p50 $P50_MS ms, p99 $P99_MS ms, $ERRORS errors; RspCode $(codes_of "$raw"); $(grep '^Lines sent' "$raw")"
  if ((ERRORS > 0)); then PROBLEMS+=("$engine: $ERRORS first-time notifications not answered 00 ($(codes_of "$raw"))"); fi
  if [[ ${exhausted:-0} != 0 ]]; then PROBLEMS+=("$engine: the first-time IPN run used up its $IPN_N attempts (raise BENCH_IPN_DOSSIERS)"); fi

  # Replays of recorded notifications (the ones the database holds as paid), walked again and again.
  local replay_lines
  replay_lines=$(python3 bench/issue13_setup.py replays "${target[@]}" --work "$dir") || die "$engine: no replays"
  BENCH_URLS=$dir/ipn-replay.txt BENCH_EXPECT=02 BENCH_CYCLE=1 BENCH_THREADS=$THREADS timeout $((WARMUP + 60)) \
    wrk -t"$THREADS" -c"$CONNS" -d"${WARMUP}s" --timeout 30s -s bench/issue13_ipn.lua "$BASE" >/dev/null
  raw=$dir/wrk-ipn-replay.txt
  wrk_run "$raw" "$BASE" BENCH_URLS="$dir/ipn-replay.txt" BENCH_EXPECT=02 BENCH_CYCLE=1
  read_wrk "$raw" "the IPN (replays)"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$engine" "IPN, replay of a recorded one" "$RPS" "$P50_MS" "$P99_MS" "$ERRORS" "$REQUESTS" "$(codes_of "$raw")" >>"$ROWS"
  echo "$engine IPN replays ($replay_lines recorded notifications): $RPS req/s, p50 $P50_MS ms, p99 $P99_MS ms, $ERRORS errors; RspCode $(codes_of "$raw")"
  if ((ERRORS > 0)); then PROBLEMS+=("$engine: $ERRORS replayed notifications not answered 02 ($(codes_of "$raw"))"); fi

  # /healthz again: how much the machine's other load moved during the runs.
  raw=$dir/wrk-healthz-after.txt
  env BENCH_CODES= BENCH_COOKIE= BENCH_AUTH= timeout $((DURATION + 60)) wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --timeout 30s --latency \
    -s bench/dossiers.lua "$BASE/healthz" >"$raw"
  read_wrk "$raw" /healthz
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$engine" "/healthz (again, after the IPN runs)" "$RPS" "$P50_MS" "$P99_MS" "$ERRORS" "$REQUESTS" "" >>"$ROWS"
  echo "$engine /healthz again: $RPS req/s, p99 $P99_MS ms"

  # The statement import, twice (the second time every line is already recorded or still does not match).
  if [[ ${BENCH_SKIP_STATEMENT:-0} != 1 ]]; then
    local cookie csrf run page code seconds bytes summary before after rss_before hwm rss_after lines
    IFS=$'\t' read -r cookie csrf < <(python3 bench/issue13_setup.py desk --base "$BASE" --email "$DESK_EMAIL" --password "$desk_password") ||
      die "$engine: $DESK_EMAIL could not sign in"
    [[ -n $csrf ]] || die "$engine: no CSRF token for the statement form"
    lines=$(($(wc -l <"$dir/statement.csv") - 1))
    for run in 1 2; do
      page=$dir/import-$run.html
      rss_before=$(status_field "$pid" VmRSS)
      reset_hwm
      before=$(cpu_ticks "$pid")
      read -r code seconds bytes < <(curl -sS -o "$page" -w '%{http_code} %{time_total} %{size_download}\n' --max-time 3600 \
        -H "Cookie: $cookie" -F "file=@$dir/statement.csv;type=text/csv" "$BASE/mot-cua/sao-ke?_csrf=$csrf" || echo "000 0 0")
      after=$(cpu_ticks "$pid")
      hwm=$(status_field "$pid" VmHWM)
      rss_after=$(status_field "$pid" VmRSS)
      summary=$(grep -o 'Đã ghi nhận [0-9]* khoản nộp; [0-9]* dòng không khớp' "$page" | head -n 1 || true)
      local cpu lps
      cpu=$(awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", t / hz }')
      lps=$(awk -v n="$lines" -v s="$seconds" 'BEGIN { printf "%.1f", (s > 0 ? n / s : 0) }')
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$engine" "$run" "$lines" "$seconds" "$lps" "$code" "$bytes" "$summary" \
        "$cpu" "$rss_before" "$hwm" "$rss_after" >>"$IMPORTS"
      echo "$engine statement import $run: HTTP $code in $seconds s ($lps lines/s, server CPU $cpu s), $bytes bytes: $summary;" \
        "RSS $rss_before → $rss_after kB, peak (VmHWM) $hwm kB"
      local want_matched want_unmatched
      want_matched=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["statementKinds"]["match"])' "$dir/seed.json")
      [[ $run == 2 ]] && want_matched=0
      want_unmatched=$((lines - want_matched))
      if [[ $code != 200 || $summary != "Đã ghi nhận $want_matched khoản nộp; $want_unmatched dòng không khớp" ]]; then
        PROBLEMS+=("$engine: statement import $run answered $code \"$summary\", expected \"Đã ghi nhận $want_matched khoản nộp; $want_unmatched dòng không khớp\"")
      fi
    done
  fi
  kill -0 "$pid" 2>/dev/null || die "$engine: the server died (log: $SERVER_LOG)"
  stop_server

  # What the database holds: every notification answered 00 and every matching line paid exactly once. wrk counts
  # only the answers it read: the notifications in flight when a run (the warm-up, the measured run) stopped are
  # recorded by the server too, so there are between N(00) and N(00) + 2 x connections VNPay receipts.
  python3 bench/issue13_setup.py check "${target[@]}" --work "$dir" >"$dir/check.json" || die "$engine: check failed"
  local paid_online paid_attempts pay_events receipts paid_transfer answered want_transfer
  field() { python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2], {}, d))' "$dir/check.json" "$1"; }
  paid_online=$(field 'receiptsByMethod.get("vnpay", 0)')
  paid_attempts=$(field 'attemptsByMethodState.get("vnpay paid", 0)')
  paid_transfer=$(field 'receiptsByMethod.get("transfer", 0)')
  receipts=$(field 'sum(receiptsByMethod.values())')
  pay_events=$(field 'payEvents')
  answered=$(($(code_count "$dir/wrk-ipn-warmup.txt" 00) + $(code_count "$dir/wrk-ipn-first.txt" 00) + $(code_count "$dir/wrk-ipn-replay.txt" 00)))
  want_transfer=0
  [[ ${BENCH_SKIP_STATEMENT:-0} == 1 ]] || want_transfer=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["statementKinds"]["match"])' "$dir/seed.json")
  echo "$engine database after the runs: $(cat "$dir/check.json")"
  echo "- $engine, the database afterwards: $paid_online VNPay receipts ($paid_attempts paid VNPay attempts) for $answered notifications answered 00 (plus those in flight when wrk stopped, at most $((2 * CONNS))); $paid_transfer transfer receipts for $want_transfer matching lines; $pay_events pay events for $receipts receipts; \`$(cat "$dir/check.json")\`" >>"$NOTES"
  if ((paid_online < answered || paid_online > answered + 2 * CONNS)); then
    PROBLEMS+=("$engine: $paid_online VNPay receipts, but $answered notifications were answered 00 (and at most $((2 * CONNS)) in flight)")
  fi
  if ((paid_online != paid_attempts)); then PROBLEMS+=("$engine: $paid_online VNPay receipts for $paid_attempts paid VNPay attempts"); fi
  if ((pay_events != receipts)); then PROBLEMS+=("$engine: $pay_events pay events for $receipts receipts"); fi
  if ((paid_transfer != want_transfer)); then PROBLEMS+=("$engine: $paid_transfer transfer receipts, but $want_transfer statement lines match"); fi
  local failed_queries
  failed_queries=$(grep -c 'Payment status query failed' "$SERVER_LOG" || true)
  echo "- $engine: server log: $failed_queries 'Payment status query failed' warnings (the reconciliation asking about attempts older than 5 min; no query URL is configured), $(grep -c ' error motcua:' "$SERVER_LOG" || true) lines logged at level error" >>"$NOTES"

  if [[ $engine == postgres && -z ${BENCH_DATABASE_URL:-} ]]; then stop_postgres; fi
}

T0=$SECONDS
LOAD_BEFORE=$(uptime | sed 's/.*load average/load average/')
for engine in $ENGINES; do bench_engine "$engine"; done

# --- The report ---------------------------------------------------------------------------------------

REPORT=$OUT/results.md
{
  echo "## Issue 13: the VNPay IPN and the bank statement import"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), **$BUILD build** $BIN_INFO; $ENGINES."
  echo "wrk -t$THREADS -c$CONNS -d${DURATION}s after a ${WARMUP}s warm-up. Load on the machine (2 cores, shared with other sessions):"
  echo "before $LOAD_BEFORE; after $(uptime | sed 's/.*load average/load average/')."
  echo
  cat "$NOTES"
  echo
  python3 - "$ROWS" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
base = {}
for r in rows:
    if r["what"] == "/healthz" and r["engine"] not in base:
        base[r["engine"]] = float(r["rps"])
print("| engine | what | req/s | ratio to /healthz | p50 ms | p99 ms | p99 ratio to /healthz | requests | answers | errors |")
print("|---|---|---:|---:|---:|---:|---:|---:|---|---:|")
p99base = {r["engine"]: float(r["p99"]) for r in rows if r["what"] == "/healthz"}
for r in rows:
    rps = float(r["rps"])
    ratio = rps / base[r["engine"]] if base.get(r["engine"]) else 0
    p99ratio = float(r["p99"]) / p99base[r["engine"]] if p99base.get(r["engine"]) else 0
    print(f"| {r['engine']} | {r['what']} | {rps:,.1f} | {ratio:.3f} | {float(r['p50']):.1f} | {float(r['p99']):.1f} | {p99ratio:.1f} | "
          f"{int(r['requests']):,} | {r['codes'].replace('=', ': ')} | {r['errors']} |")
EOF
  if [[ $(wc -l <"$IMPORTS") -gt 1 ]]; then
    echo
    echo "Statement import (\`POST /mot-cua/sao-ke\`, the demo receptionist of $AGENCY, one request timed end to end by curl;"
    echo "server CPU from /proc/PID/stat; memory from /proc/PID/status, VmHWM reset before each import through clear_refs):"
    echo
    python3 - "$IMPORTS" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
print("| engine | run | lines | seconds | lines/s | server CPU s | HTTP | page bytes | summary | RSS before MB | peak MB | RSS after MB |")
print("|---|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|")
mb = lambda kb: f"{int(kb) / 1024:.0f}" if kb else ""
for r in rows:
    run = "first" if r["run"] == "1" else "the same file again"
    print(f"| {r['engine']} | {run} | {int(r['lines']):,} | {float(r['seconds']):.1f} | {float(r['lines_per_s']):.1f} | {r['cpu_s']} | "
          f"{r['status']} | {int(r['bytes']):,} | {r['summary']} | {mb(r['rss_before_kb'])} | {mb(r['hwm_kb'])} | {mb(r['rss_after_kb'])} |")
EOF
  fi
  echo
  if ((${#PROBLEMS[@]} == 0)); then
    echo "Every first-time notification was answered 00 and paid once, every replay 02, the imports said what the statement holds."
  else
    echo "Problems:"
    printf -- '- %s\n' "${PROBLEMS[@]}"
  fi
  echo
  echo "Total time $((SECONDS - T0)) s."
} >"$REPORT"
bench_publish "$REPORT" "Issue 13 results"
if ((${#PROBLEMS[@]} > 0)); then exit 1; fi
