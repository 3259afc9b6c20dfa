#!/usr/bin/env bash
# Issue 12's benchmark (the paper side): how long the server takes to draw each standard slip as PDF, and the
# tracking book (sổ theo dõi, mẫu 06) of one month of a busy agency (about 10 000 dossiers) as CSV, XLSX and its
# print page: latency, req/s as a ratio to /healthz in the same run, and the server's memory (VmRSS, VmHWM). See
# bench/README.md ("Issue 12").
#
#   bench/issue12.sh                                   release build, SQLite
#   MOTCUA_BIN=.build/debug/motcua bench/issue12.sh    a debug binary (say so when quoting the figures)
#   BENCH_BOOK_DOSSIERS=8000 BENCH_DURATION=3 bench/issue12.sh    a smoke run
#
# Environment:
#   BENCH_SLIP_COUNT=300        renders of each slip form by `motcua bench-slips` (in-process, one after another)
#   BENCH_BOOK_DOSSIERS=46000   dossiers bench/gen_processing.py spreads over the 4 demo agencies in BENCH_BOOK_DAYS
#                               days: the measured agency gets a quarter, most of them accepted (the book's rows)
#   BENCH_BOOK_DAYS=31          the month: the book's range is these days up to today
#   BENCH_DURATION=10           seconds of each wrk run (after a 2 s warm-up)
#   BENCH_CONNECTIONS=2         wrk connections for the book (each answer is megabytes) and its /healthz baseline
#   BENCH_AGENCY=000.00.07.H52  whose demo receptionist downloads the book
#   MOTCUA_BIN / BENCH_SKIP_BUILD   as for the other benchmarks (default: build the release binary)
#
# Output: bench/out/issue12-YYYYMMDD-HHMMSS/ (results.md, slips.tsv, raw wrk outputs, the downloaded book files,
# logs) and bench/out/issue12-latest.md. Exits 0 when everything ran, whatever the figures.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

SLIP_COUNT=${BENCH_SLIP_COUNT:-300}
N=${BENCH_BOOK_DOSSIERS:-46000}
DAYS=${BENCH_BOOK_DAYS:-31}
DURATION=${BENCH_DURATION:-10}
CONNS=${BENCH_CONNECTIONS:-2}
AGENCY=${BENCH_AGENCY:-000.00.07.H52}
THREADS=1
WARMUP=2
export MOTCUA_BCRYPT_COST=${MOTCUA_BCRYPT_COST:-10}
unset DATABASE_URL MOTCUA_SMTP_HOST MOTCUA_SMTP_PORT MOTCUA_SMTP_SECURITY MOTCUA_SMTP_USERNAME MOTCUA_SMTP_PASSWORD

# shellcheck source=bench/setup.sh
source bench/setup.sh
bench_setup issue12
OUT=$(cd "$OUT" && pwd)
SERVER_READY_SECONDS=300
BIN_INFO="$BIN ($(date -u -r "$BIN" '+%Y-%m-%d %H:%M UTC'), sha256 $(sha256sum "$BIN" | cut -c1-12))"
BUILD=release
if grep -q -a '/debug/motcua_MotCua.resources' "$BIN"; then BUILD=debug; log "warning: $BIN is a DEBUG build"; fi
"$BIN" bench-slips --count 1 >/dev/null 2>&1 || die "$BIN has no bench-slips command (a binary of this branch is needed)"
LOAD_BEFORE=$(uptime | sed 's/.*load average/load average/')
T0=$SECONDS

# --- 1. The slips: the renderer alone, in one process ------------------------------------------------
echo "== Slips: $SLIP_COUNT renders of each form (motcua bench-slips) =="
"$BIN" bench-slips --count "$SLIP_COUNT" | tee "$OUT/slips.tsv"

# --- 2. One month of a busy agency -------------------------------------------------------------------
echo "== Data: migrations and demo data, then $N dossiers over $DAYS days (bench/gen_processing.py) =="
start_server
stop_server
python3 bench/gen_processing.py --data-dir "$DATA_DIR" --dossiers "$N" --days "$DAYS" --desk-backlog 0 --agency "$AGENCY" \
  --motcua-bin "$BIN" --out "$OUT/bench.json" --progress >"$OUT/generate.log" 2>&1 ||
  { tail -n 30 "$OUT/generate.log" >&2; die "gen_processing.py failed"; }
tail -n 1 "$OUT/generate.log"
field="import json, sys; d = json.load(open(sys.argv[1]));"
PASSWORD=$(python3 -c "$field print(d['password'])" "$OUT/bench.json")
EMAIL=$(python3 -c "$field print(d['demo']['receptionist']['email'])" "$OUT/bench.json")
FROM=$(python3 -c 'import datetime as dt, sys; t = dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).date(); print(t - dt.timedelta(days=int(sys.argv[1]) - 1))' "$DAYS")
TO=$(python3 -c 'import datetime as dt; print(dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).date())')
ROWS_IN_DB=$(python3 - "$DATA_DIR/motcua.sqlite" "$AGENCY" "$FROM" "$TO" <<'EOF'
import datetime as dt, sqlite3, sys
vn = dt.timezone(dt.timedelta(hours=7))
start = int(dt.datetime.fromisoformat(sys.argv[3]).replace(tzinfo=vn).timestamp() * 1000)
end = int((dt.datetime.fromisoformat(sys.argv[4]) + dt.timedelta(days=1)).replace(tzinfo=vn).timestamp() * 1000)
db = sqlite3.connect(sys.argv[1])
print(db.execute("SELECT count(*) FROM dossiers WHERE agency_id = (SELECT id FROM agencies WHERE code = ?) "
                 "AND accepted_at >= ? AND accepted_at < ?", (sys.argv[2], start, end)).fetchone()[0])
EOF
)
echo "the book of $AGENCY from $FROM to $TO: $ROWS_IN_DB dossiers received"
# The book's query as DossierStore+Book.swift sends it, alone (Python's sqlite3, the server stopped): the
# database's share of each download, with its plan.
QUERY_NOTE=$(python3 - "$DATA_DIR/motcua.sqlite" "$AGENCY" "$FROM" "$TO" <<'EOF2'
import datetime as dt, sqlite3, sys, time
vn = dt.timezone(dt.timedelta(hours=7))
start = int(dt.datetime.fromisoformat(sys.argv[3]).replace(tzinfo=vn).timestamp() * 1000)
end = int((dt.datetime.fromisoformat(sys.argv[4]) + dt.timedelta(days=1)).replace(tzinfo=vn).timestamp() * 1000)
sql = """SELECT d.code, p.name AS procedure_name, d.applicant_name, u.address, u.phone, d.accepted_at, d.due_at,
    d.finished_at, d.returned_at,
    (SELECT MIN(h.received_at) FROM dossier_handovers h WHERE h.dossier_id = d.id AND h.step_position = 1) AS sent_at
FROM dossiers d JOIN procedures p ON p.id = d.procedure_id JOIN users u ON u.id = d.applicant_id
WHERE d.agency_id = (SELECT id FROM agencies WHERE code = ?) AND d.accepted_at >= ? AND d.accepted_at < ?
ORDER BY d.accepted_at, d.id"""
db = sqlite3.connect(sys.argv[1])
plan = "; ".join(row[3] for row in db.execute("EXPLAIN QUERY PLAN " + sql, (sys.argv[2], start, end)))
times = []
for _ in range(3):
    t = time.perf_counter(); rows = db.execute(sql, (sys.argv[2], start, end)).fetchall(); times.append(time.perf_counter() - t)
print(f"{len(rows)} rows in {times[0] * 1000:.0f} ms cold, {min(times[1:]) * 1000:.0f} ms warm (plan: {plan})")
EOF2
)
echo "the book's query alone: $QUERY_NOTE"

start_server
echo "server pid $SERVER_PID on $BASE"
COOKIE=$(python3 bench/dossier_clients.py login --base "$BASE" --email "$EMAIL" --password "$PASSWORD") ||
  die "$EMAIL could not sign in"

status_field() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
reset_hwm() { echo 5 >"/proc/$SERVER_PID/clear_refs" 2>/dev/null || log "warning: could not reset VmHWM (clear_refs)"; }

ROWS_TSV=$OUT/rows.tsv
printf 'what\tpath\tbytes\trows\tcold_ms\trps\tp50\tp99\terrors\trss_before_kb\thwm_kb\trss_after_kb\n' >"$ROWS_TSV"
BOOK="/mot-cua/so-theo-doi?den-ngay=$TO&tu-ngay=$FROM"
specs=("/healthz|/healthz|" "CSV|$BOOK&dinh-dang=csv|csv" "XLSX|$BOOK&dinh-dang=xlsx|xlsx" "print page (HTML)|$BOOK|html")
i=0
for spec in "${specs[@]}"; do
  IFS='|' read -r name path kind <<<"$spec"
  file=$OUT/book-$i.${kind:-txt}
  header=()
  [[ $path == /healthz ]] || header=(-H "Cookie: $COOKIE")
  rss_before=$(status_field "$SERVER_PID" VmRSS)
  reset_hwm
  # One cold request (nothing of it cached), then the load.
  read -r code cold_s bytes < <(curl -sS -o "$file" -w '%{http_code} %{time_total} %{size_download}\n' --max-time 300 "${header[@]}" "$BASE$path")
  [[ $code == 200 ]] || { head -c 600 "$file" >&2; die "GET $path ($name) answered $code, expected 200"; }
  case $kind in
    csv) rows=$(($(python3 -c 'import csv, sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], encoding="utf-8-sig"))))' "$file") - 1)) ;;
    xlsx) rows=$(python3 -c 'import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1]); sheet = [n for n in z.namelist() if n.startswith("xl/worksheets/")][0]
print(len(re.findall(rb"<row ", z.read(sheet))) - 1)' "$file") ;;
    html) rows=$(grep -o '<tr' "$file" | wc -l); rows=$((rows - 1)) ;;
    *) rows="" ;;
  esac
  raw=$OUT/wrk-$i.txt
  lua_env=(BENCH_CODES= BENCH_AUTH= BENCH_COOKIE=)
  [[ $path == /healthz ]] || lua_env=(BENCH_CODES= BENCH_AUTH= "BENCH_COOKIE=$COOKIE")
  env "${lua_env[@]}" timeout $((WARMUP + 120)) wrk -t"$THREADS" -c"$CONNS" -d"${WARMUP}s" --timeout 60s -s bench/dossiers.lua "$BASE$path" >/dev/null
  env "${lua_env[@]}" timeout $((DURATION + 180)) wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --timeout 60s --latency \
    -s bench/dossiers.lua "$BASE$path" >"$raw"
  read_wrk "$raw" "$path"
  hwm=$(status_field "$SERVER_PID" VmHWM)
  rss_after=$(status_field "$SERVER_PID" VmRSS)
  cold_ms=$(awk -v s="$cold_s" 'BEGIN { printf "%.1f", s * 1000 }')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$path" "$bytes" "$rows" "$cold_ms" "$RPS" "$P50_MS" "$P99_MS" \
    "$ERRORS" "$rss_before" "$hwm" "$rss_after" >>"$ROWS_TSV"
  echo "$name: ${rows:+$rows rows, }$bytes bytes, cold $cold_ms ms; $RPS req/s, p50 $P50_MS ms, p99 $P99_MS ms, $ERRORS errors;" \
    "RSS $rss_before → $rss_after kB, peak (VmHWM) $hwm kB"
  i=$((i + 1))
done
stop_server

# --- The report ---------------------------------------------------------------------------------------
REPORT=$OUT/results.md
{
  echo "## Issue 12: slips as PDF, and the tracking book of one month as CSV, XLSX and print page"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), **$BUILD build** $BIN_INFO, SQLite."
  echo "Load on the machine (2 cores, shared with other sessions): before $LOAD_BEFORE; after $(uptime | sed 's/.*load average/load average/')."
  echo
  echo "### Slip PDF generation (\`motcua bench-slips --count $SLIP_COUNT\`: the renderer in one process, one slip after another)"
  echo
  python3 - "$OUT/slips.tsv" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
names = {"01": "01 receipt (8 documents)", "02": "02 supplement request (4 items)", "03": "03 refusal", "04": "04 apology",
         "05": "05 control slip (7 hand-overs)", "QR SVG": "QR code as SVG (print pages)"}
print("| slip | bytes | mean ms | p50 ms | p95 ms | max ms | slips/s on one core |")
print("|---|---:|---:|---:|---:|---:|---:|")
for r in rows:
    mean = float(r["mean_ms"])
    print(f"| {names.get(r['form'], r['form'])} | {int(r['bytes']):,} | {mean:.2f} | {float(r['p50_ms']):.2f} | {float(r['p95_ms']):.2f} | "
          f"{float(r['max_ms']):.2f} | {1000 / mean:,.0f} |")
EOF
  echo
  echo "### Tracking book of $AGENCY, $FROM to $TO ($ROWS_IN_DB dossiers received; $N generated over $DAYS days in 4 agencies)"
  echo
  echo "wrk -t$THREADS -c$CONNS -d${DURATION}s after a ${WARMUP}s warm-up, signed in as the agency's demo receptionist. Memory from"
  echo "\`/proc/PID/status\`: VmRSS before the endpoint's runs, VmHWM (peak, reset before them through clear_refs) and VmRSS after."
  echo
  python3 - "$ROWS_TSV" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
base = float(rows[0]["rps"])
print("| what | rows | bytes | cold request ms | req/s | ratio to /healthz | p50 ms | p99 ms | errors | RSS before MB | peak MB | RSS after MB |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
mb = lambda kb: f"{int(kb) / 1024:.0f}" if kb else ""
for r in rows:
    rps = float(r["rps"])
    print(f"| {r['what']} | {r['rows']} | {int(r['bytes']):,} | {r['cold_ms']} | {rps:,.1f} | {rps / base:.4f} | {float(r['p50']):.1f} | "
          f"{float(r['p99']):.1f} | {r['errors']} | {mb(r['rss_before_kb'])} | {mb(r['hwm_kb'])} | {mb(r['rss_after_kb'])} |")
EOF
  echo
  echo "The book's query alone (Python sqlite3 on the same file, server stopped): $QUERY_NOTE."
  echo
  echo "Generation: $(tail -n 1 "$OUT/generate.log"). Total time $((SECONDS - T0)) s."
} >"$REPORT"
bench_publish "$REPORT" "Issue 12 results"
