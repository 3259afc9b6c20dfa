#!/usr/bin/env bash
# Issue 16's benchmark: items 1–5 on SQLite and on PostgreSQL, one table. See bench/README.md ("Issue 16").
#
#   bench/issue16.sh                                  release build, everything (about 15–25 min on 2 cores)
#   MOTCUA_BIN=/tmp/motcua bench/issue16.sh           another binary (an older one: unknown query
#                                                     parameters are ignored, missing features show as errors)
#   BENCH_ITEMS=1,2 BENCH_ENGINES=sqlite bench/issue16.sh     a subset
#
#   1. lists: "my dossiers" API and page of an applicant with 200 dossiers, the staff list API and page of an
#      agency with 250 000 dossiers, /healthz in the same run (wrk -t2 -c32)
#   2. the lookup page /tra-cuu?ma= and the catalog page /thu-tuc, anonymous
#   3. the 64-connection mixed load (bench/mixed.sh) on SQLite: p99 of each write step
#   4. the mixed load on PostgreSQL: one process direct, then nginx in front of 1, 2 and 3 processes; CPU per
#      request of each part (portal processes, PostgreSQL, nginx, wrk)
#   5. 32 connections logging in at once while /healthz and the lookup page are measured
#
# Environment:
#   BENCH_ITEMS=1,2,3,4,5       which items
#   BENCH_ENGINES=sqlite,postgres
#   BENCH_DURATION=10           seconds of each wrk run (after a 2 s warm-up; the mixed loads and the logins too)
#   BENCH_CONNECTIONS=32        connections of the read runs and of the logins
#   BENCH_DOSSIERS=300000       dossiers generated (bench/gen_dossiers.py) for items 1, 2 and 5
#   BENCH_AGENCY_DOSSIERS=250000  of them, in the staff's agency (000.00.08.H06)
#   BENCH_MY_DOSSIERS=200       dossiers of the applicant whose lists are measured
#   MOTCUA_BCRYPT_COST=10       bcrypt cost of the servers (and so of every password made here)
#   MOTCUA_BIN / BENCH_SKIP_BUILD   as for the other benchmarks (default: build the release binary)
#   BENCH_DATABASE_URL=postgres://…   use this PostgreSQL server (fresh databases, dropped afterwards)
#                               instead of a throwaway PostgreSQL 15 cluster; BENCH_PG_PID its postmaster
#                               (for its CPU time)
#
# Output: bench/out/issue16-YYYYMMDD-HHMMSS/ (results.md with the table, rows.tsv, raw wrk outputs, the
# mixed loads' own folders, server logs) and bench/out/issue16-latest.md; the table goes to stdout.
# Exits 0 when everything ran (whatever the figures), 1 when something could not run.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

ITEMS=,${BENCH_ITEMS:-1,2,3,4,5},
ENGINES=,${BENCH_ENGINES:-sqlite,postgres},
DURATION=${BENCH_DURATION:-10}
CONNS=${BENCH_CONNECTIONS:-32}
N=${BENCH_DOSSIERS:-300000}
AGENCY_N=${BENCH_AGENCY_DOSSIERS:-250000}
MY_N=${BENCH_MY_DOSSIERS:-200}
export MOTCUA_BCRYPT_COST=${MOTCUA_BCRYPT_COST:-10}
THREADS=2
WARMUP=2
AGENCY=000.00.08.H06
STAFF_EMAIL=i16.tiepnhan@bench.motcua.vn
STAFF_PASSWORD=Tiep-nhan-i16-2026
PG_VERSION=15
PG_BIN=/usr/lib/postgresql/$PG_VERSION/bin

has_item() { [[ $ITEMS == *",$1,"* ]]; }
has_engine() { [[ $ENGINES == *",$1,"* ]]; }

# Fresh data, no SMTP.
unset DATABASE_URL MOTCUA_SMTP_HOST MOTCUA_SMTP_PORT MOTCUA_SMTP_SECURITY MOTCUA_SMTP_USERNAME MOTCUA_SMTP_PASSWORD

# shellcheck source=bench/setup.sh
source bench/setup.sh
bench_setup issue16
# The throwaway cluster runs as postgres and must reach its folder in here.
chmod 711 "$WORK_DIR"
OUT=$(cd "$OUT" && pwd)
T_START=$SECONDS

BIN_INFO="$BIN ($(date -u -r "$BIN" '+%Y-%m-%d %H:%M UTC'), sha256 $(sha256sum "$BIN" | cut -c1-12))"
BUILD_KIND=release
if grep -q -a '/debug/motcua_MotCua.resources' "$BIN"; then BUILD_KIND=debug; fi
[[ $BUILD_KIND == release ]] || log "warning: $BIN is a DEBUG build: its figures say little about a release"
CLK_TCK=$(getconf CLK_TCK)
SERVER_READY_SECONDS=180
SERVER_STOP_SECONDS=30

PGDATA=""
PG_PID=""
PG_URL=""
OTHER_SAMPLER=""
PG_DBS=()
# shellcheck disable=SC2317  # reached through the trap
issue16_cleanup() {
  local rc=$? db
  trap - EXIT INT TERM
  set +e
  if [[ -n $SERVER_PID ]]; then stop_pid "$SERVER_PID" 20; SERVER_PID=""; fi
  if [[ -n $OTHER_SAMPLER ]]; then kill "$OTHER_SAMPLER" 2>/dev/null; fi
  if [[ -n ${BENCH_DATABASE_URL:-} ]]; then
    for db in "${PG_DBS[@]}"; do psql_cmd "$PG_URL" -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1; done
  fi
  stop_postgres
  (exit "$rc")
  bench_cleanup
}
trap issue16_cleanup EXIT


need_postgres() {
  [[ -n $PG_URL ]] && return 0
  if [[ -n ${BENCH_DATABASE_URL:-} ]]; then
    PG_URL=$BENCH_DATABASE_URL
    PG_CPU_PID=${BENCH_PG_PID:-}
  else
    ensure_postgres
    start_postgres
    PG_CPU_PID=$PG_PID
  fi
  log "PostgreSQL $(psql_cmd "$PG_URL" -c 'SHOW server_version' | cut -d' ' -f1) at $PG_URL"
}
PG_CPU_PID=""

# --- CPU and memory from /proc ------------------------------------------------------------------------

# ticks PID : utime + stime (clock ticks).
ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
# tree_ticks PID : PID's own, its reaped children's and its live children's CPU (PostgreSQL's backends).
tree_ticks() {
  local pid=$1 total child
  [[ -n $pid && -r /proc/$pid/stat ]] || { echo 0; return; }
  total=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 + $14 + $15 }' "/proc/$pid/stat")
  for child in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do
    total=$((total + $(ticks "$child")))
  done
  echo "$total"
}
# rss_mb PID : VmRSS in MB.
rss_mb() { awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo ""; }
per_request() { awk -v t="$1" -v hz="$CLK_TCK" -v n="$2" 'BEGIN { printf "%.3f", (n > 0 ? t * 1000 / hz / n : 0) }'; }

# --- The table: one row per (engine, item, endpoint) in rows.tsv; bench/issue16_report.py renders it ----

ROWS=$OUT/rows.tsv
printf 'id\tengine\titem\tendpoint\trps\tp50\tp99\terrors\tcpu\trss\tref\ttargets\tnote\n' >"$ROWS"
# row ID ENGINE ITEM ENDPOINT RPS P50 P99 ERRORS CPU RSS REF TARGETS NOTE
row() {
  local IFS=$'\t'
  echo "$*" >>"$ROWS"
}

# --- Items 1, 2 and 5: one server with BENCH_DOSSIERS dossiers ---------------------------------------

# bench_wrk NAME LUA_ENV... -- ARGS... : one wrk run with a warm-up; raw output in $OUT/wrk-NAME.txt.
run_wrk() {
  local raw=$1 conns=$2 threads=$3 path=$4
  shift 4
  env "$@" timeout $((WARMUP + 30)) wrk -t"$threads" -c"$conns" -d"${WARMUP}s" --timeout 10s -s bench/dossiers.lua "$BASE$path" >/dev/null
  env "$@" timeout $((DURATION + 60)) wrk -t"$threads" -c"$conns" -d"${DURATION}s" --timeout 10s --latency \
    -s bench/dossiers.lua "$BASE$path" >"$raw"
}

reads_engine() {
  local engine=$1 env=() db="" gen_target=() url=""
  local dir=$OUT/$engine
  mkdir -p "$dir"
  DATA_DIR=$WORK_DIR/data-$engine
  mkdir -p "$DATA_DIR"
  SERVER_LOG=$dir/server.log
  PORT=$(free_port)
  BASE=http://127.0.0.1:$PORT
  if [[ $engine == postgres ]]; then
    need_postgres
    db=motcua_i16_$$
    psql_cmd "$PG_URL" -c "CREATE DATABASE $db" >/dev/null
    PG_DBS+=("$db")
    url="${PG_URL%/*}/$db"
    env=(DATABASE_URL="$url")
    gen_target=(--database-url "$url" --files-dir "$DATA_DIR/files")
  else
    gen_target=(--data-dir "$DATA_DIR")
  fi
  echo "== $engine: $N dossiers, $AGENCY_N of them in $AGENCY, an applicant with about $MY_N =="
  start_server "${env[@]}"
  stop_server
  env "${env[@]}" "$BIN" create-user --data-dir "$DATA_DIR" --email "$STAFF_EMAIL" --name "Cán bộ tiếp nhận (issue 16)" \
    --role receptionist --agency "$AGENCY" --password "$STAFF_PASSWORD" >"$dir/create-user.log" 2>&1 ||
    { cat "$dir/create-user.log" >&2; die "create-user failed"; }
  local t0=$SECONDS share
  share=$(awk -v a="$AGENCY_N" -v n="$N" 'BEGIN { s = a / n; if (s > 1) s = 1; printf "%.4f", s }')
  env "${env[@]}" PATH="$PG_BIN:$PATH" python3 bench/gen_dossiers.py "${gen_target[@]}" --dossiers "$N" \
    --users $((N / MY_N)) --my-dossiers "$MY_N" --agency "$AGENCY" --agency-share "$share" \
    --motcua-bin "$BIN" --out "$dir/bench.json" --codes-file "$WORK_DIR/codes-$engine.txt" >"$dir/generate.log" 2>&1 ||
    { tail -n 30 "$dir/generate.log" >&2; die "gen_dossiers.py failed on $engine"; }
  local gen_s=$((SECONDS - t0))
  if [[ $engine == postgres ]]; then psql_cmd "$url" -c "VACUUM ANALYZE" >/dev/null; fi
  tail -n 1 "$dir/generate.log"
  # The logins of item 5 come with X-Forwarded-For addresses of their own (an older binary ignores this).
  start_server "${env[@]}" MOTCUA_TRUSTED_PROXIES=127.0.0.1
  echo "data ready in ${gen_s}s; server pid $SERVER_PID on $BASE"

  local field="import json, sys; d = json.load(open(sys.argv[1]));"
  local my_email my_count my_token password staff_token agency_count
  my_email=$(python3 -c "$field print(d['myDossiersUser']['email'])" "$dir/bench.json")
  my_count=$(python3 -c "$field print(d['myDossiersUser']['dossiers'])" "$dir/bench.json")
  my_token=$(python3 -c "$field print(d['myDossiersUser']['token'])" "$dir/bench.json")
  password=$(python3 -c "$field print(d['password'])" "$dir/bench.json")
  staff_token=$(python3 -c "$field print(next(s['token'] for s in d['staff'] if s['email'] == sys.argv[2]))" \
    "$dir/bench.json" "$STAFF_EMAIL")
  if [[ $engine == postgres ]]; then
    agency_count=$(psql_cmd "$url" -c "SELECT count(*) FROM dossiers d JOIN agencies a ON a.id = d.agency_id WHERE a.code = '$AGENCY' AND d.submitted_at IS NOT NULL")
  else
    agency_count=$(python3 -c "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT count(*) FROM dossiers d JOIN agencies a ON a.id = d.agency_id WHERE a.code = ? AND d.submitted_at IS NOT NULL\", (sys.argv[2],)).fetchone()[0])" \
      "$DATA_DIR/motcua.sqlite" "$AGENCY")
  fi
  local my_cookie staff_cookie code
  my_cookie=$(python3 bench/dossier_clients.py login --base "$BASE" --email "$my_email" --password "$password") ||
    die "the applicant $my_email could not sign in"
  staff_cookie=$(python3 bench/dossier_clients.py login --base "$BASE" --email "$STAFF_EMAIL" --password "$STAFF_PASSWORD") ||
    die "the receptionist could not sign in"
  code=$(head -n 1 "$WORK_DIR/codes-$engine.txt")

  # What each endpoint answers, checked once (a 200 with the expected content), with its size.
  local status size
  check() {
    local label=$1 path=$2 expect=$3
    shift 3
    status=$(curl -sS -o "$WORK_DIR/check.out" -w '%{http_code}' --max-time 60 "$@" "$BASE$path" || echo 000)
    size=$(wc -c <"$WORK_DIR/check.out")
    [[ $status == 200 ]] || die "$engine: GET $path ($label) answered $status, expected 200"
    grep -q -- "$expect" "$WORK_DIR/check.out" || die "$engine: GET $path ($label) does not contain $expect"
  }
  local my_api_n staff_api_n
  check "my API" "/api/v1/dossiers?limit=20" '"items"' -H "Authorization: Bearer $my_token"
  my_api_n=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["items"]))' "$WORK_DIR/check.out")
  check "staff API" "/api/v1/staff/dossiers?limit=50" '"items"' -H "Authorization: Bearer $staff_token"
  staff_api_n=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["items"]))' "$WORK_DIR/check.out")
  check "my page" /ho-so 'href="/ho-so/' -H "Cookie: $my_cookie"
  check "staff page" /mot-cua 'href="/mot-cua/ho-so/' -H "Cookie: $staff_cookie"
  check "lookup page" "/tra-cuu?ma=$code" "$code"
  check "catalog page" /thu-tuc 'href="/thu-tuc/'
  {
    echo "- $engine: $N dossiers generated in ${gen_s}s; the applicant $my_email has $my_count dossiers (the API answered $my_api_n items for ?limit=20);"
    echo "  the agency $AGENCY has $agency_count submitted dossiers (the staff API answered $staff_api_n items for ?limit=50)"
  } >>"$OUT/notes.md"

  # name|path|lua setting|item|targets
  local specs=()
  if has_item 1 || has_item 2; then specs+=("/healthz|/healthz||1|"); fi
  if has_item 1; then
    specs+=("my dossiers API (applicant, $my_count dossiers)|/api/v1/dossiers?limit=20|BENCH_AUTH=Bearer $my_token|1|ratio>=0.25;p99<20;errors=0"
      "my dossiers page /ho-so|/ho-so|BENCH_COOKIE=$my_cookie|1|ratio>=0.20;p99<20;errors=0"
      "staff list API ($agency_count in the agency)|/api/v1/staff/dossiers?limit=50|BENCH_AUTH=Bearer $staff_token|1|ratio>=0.25;p99<20;errors=0"
      "staff list page /mot-cua|/mot-cua|BENCH_COOKIE=$staff_cookie|1|ratio>=0.20;p99<20;errors=0")
  fi
  if has_item 2; then
    specs+=("lookup page /tra-cuu?ma= (random real codes)|/tra-cuu?ma=|BENCH_CODES=$WORK_DIR/codes-$engine.txt|2|ratio>=0.30;errors=0"
      "catalog page /thu-tuc|/thu-tuc||2|errors=0")
  fi
  local spec name path setting item targets i=0 t pg_t raw cpu pg_cpu note lua_env
  for spec in "${specs[@]}"; do
    IFS='|' read -r name path setting item targets <<<"$spec"
    i=$((i + 1))
    raw=$dir/wrk-$i.txt
    lua_env=(BENCH_CODES= BENCH_COOKIE= BENCH_AUTH=)
    [[ -n $setting ]] && lua_env+=("$setting")
    t=$(ticks "$SERVER_PID")
    pg_t=$(tree_ticks "$PG_CPU_PID")
    run_wrk "$raw" "$CONNS" "$THREADS" "$path" "${lua_env[@]}"
    t=$(($(ticks "$SERVER_PID") - t))
    pg_t=$(($(tree_ticks "$PG_CPU_PID") - pg_t))
    read_wrk "$raw" "$path"
    cpu=$(per_request "$t" "$REQUESTS")
    note=""
    if [[ $engine == postgres && -n $PG_CPU_PID ]]; then note="PostgreSQL $(per_request "$pg_t" "$REQUESTS") ms CPU/req"; fi
    row "$engine-$item-$i" "$engine" "$item" "$name \`$path\`" "$RPS" "$P50_MS" "$P99_MS" "$ERRORS" "$cpu" \
      "$(rss_mb "$SERVER_PID")" "$( [[ $path == /healthz ]] && echo - || echo "$engine-1-1")" "$targets" "$note"
    echo "$engine $name: $RPS req/s, p50 $P50_MS ms, p99 $P99_MS ms, $ERRORS errors, CPU $cpu ms/req"
  done

  if has_item 5; then logins_storm "$engine" "$dir" "$code"; fi
  stop_server
  if [[ $engine == postgres ]]; then
    explain_postgres "$url" "$dir" "$my_email"
  else
    explain_sqlite "$DATA_DIR/motcua.sqlite" "$dir" "$my_email"
  fi
}

# Item 5: CONNS connections log in at once (the right password: wrong ones are throttled after 30 per IP);
# meanwhile /healthz and the lookup page, 8 connections each.
logins_storm() {
  local engine=$1 dir=$2 code=$3 jar=$WORK_DIR/jar.txt page csrf field
  page=$(curl -sS -c "$jar" --max-time 30 "$BASE/dang-nhap")
  field=$(grep -o 'name="_csrf" value="[^"]*"' <<<"$page" | head -n1 | sed 's/.*value="//; s/"$//')
  csrf=$(awk '$6 == "motcua_csrf" { print $7 }' "$jar")
  [[ -n $field && -n $csrf ]] || die "$engine: no CSRF field or cookie on /dang-nhap"
  # One form body per citizen with a token (64, same password), each from an address of its own: 32 people
  # signing in at once, not one address guessing (the per-address and per-account limits stay out of it).
  python3 - "$dir/bench.json" "$field" >"$WORK_DIR/login-bodies.txt" <<'EOF'
import json, sys, urllib.parse
d = json.load(open(sys.argv[1]))
for c in d["citizens"]:
    print(urllib.parse.urlencode({"_csrf": sys.argv[2], "email": c["email"], "password": d["password"]}))
EOF
  echo "== $engine: $CONNS connections logging in for $((DURATION + 4))s; /healthz and the lookup page measured meanwhile =="
  local t pg_t
  t=$(ticks "$SERVER_PID")
  pg_t=$(tree_ticks "$PG_CPU_PID")
  BENCH_METHOD=POST BENCH_BODIES="$WORK_DIR/login-bodies.txt" BENCH_XFF=1 BENCH_THREADS=$THREADS \
    BENCH_COOKIE="motcua_csrf=$csrf" BENCH_OK=303,503 \
    timeout $((DURATION + 60)) wrk -t"$THREADS" -c"$CONNS" -d"$((DURATION + 4))s" --timeout 10s --latency \
    -s bench/statuses.lua "$BASE/dang-nhap" >"$dir/wrk-logins.txt" &
  local login_pid=$!
  sleep 2
  BENCH_CODES= BENCH_COOKIE= BENCH_AUTH= timeout $((DURATION + 30)) wrk -t1 -c8 -d"${DURATION}s" --timeout 10s --latency \
    -s bench/dossiers.lua "$BASE/healthz" >"$dir/wrk-logins-healthz.txt" &
  local h_pid=$!
  BENCH_CODES=$WORK_DIR/codes-$engine.txt BENCH_COOKIE= BENCH_AUTH= timeout $((DURATION + 30)) wrk -t1 -c8 -d"${DURATION}s" \
    --timeout 10s --latency -s bench/dossiers.lua "$BASE/tra-cuu?ma=" >"$dir/wrk-logins-lookup.txt" &
  local l_pid=$!
  wait "$h_pid" "$l_pid" "$login_pid" || true
  t=$(($(ticks "$SERVER_PID") - t))
  pg_t=$(($(tree_ticks "$PG_CPU_PID") - pg_t))
  local s503 s303 s429 statuses
  s503=$(awk '/^Status 503:/ { print $3 }' "$dir/wrk-logins.txt")
  s303=$(awk '/^Status 303:/ { print $3 }' "$dir/wrk-logins.txt")
  statuses=$(awk '/^Status [0-9]+:/ { printf "%s%s %s", (n++ ? ", " : ""), $2, $3 }' "$dir/wrk-logins.txt")
  read_wrk "$dir/wrk-logins.txt" "logins"
  local total=$REQUESTS
  row "$engine-5-logins" "$engine" 5 "logins \`POST /dang-nhap\` ($CONNS connections)" "$RPS" "$P50_MS" "$P99_MS" "$ERRORS" \
    "" "$(rss_mb "$SERVER_PID")" - "" "statuses: ${statuses:-none} (503 = turned away: ${s503:-0}, signed in: ${s303:-0})"
  echo "$engine logins: $RPS req/s, p99 $P99_MS ms, statuses $statuses"
  read_wrk "$dir/wrk-logins-healthz.txt" "/healthz during logins"
  total=$((total + REQUESTS))
  row "$engine-5-healthz" "$engine" 5 "/healthz during the logins (8 connections)" "$RPS" "$P50_MS" "$P99_MS" "$ERRORS" \
    "" "" - "p99<20;errors=0" ""
  echo "$engine /healthz during logins: $RPS req/s, p99 $P99_MS ms"
  read_wrk "$dir/wrk-logins-lookup.txt" "lookup during logins"
  total=$((total + REQUESTS))
  local note="server CPU over the three runs: $(per_request "$t" "$total") ms/req"
  if [[ $engine == postgres && -n $PG_CPU_PID ]]; then note+=", PostgreSQL $(per_request "$pg_t" "$total")"; fi
  row "$engine-5-lookup" "$engine" 5 "lookup page during the logins (8 connections)" "$RPS" "$P50_MS" "$P99_MS" "$ERRORS" \
    "" "" - "p99<20;errors=0" "$note"
  echo "$engine lookup during logins: $RPS req/s, p99 $P99_MS ms"
}

# --- Query plans of the four list queries (DossierStore.summaries and queue), on the same data --------

# The statements as DossierStore builds them (values inline instead of bound): the first page of "my
# dossiers" (20 + 1 rows) and of the agency's list (50 + 1), and the page after it (keyset), for the applicant
# and the agency of this run. Reads "applicant agency my_cursor_id queue_cursor_submitted_at queue_cursor_id"
# from stdin.
list_queries() {
  local q=$1 applicant agency my_id sa sid
  read -r applicant agency my_id sa sid
  local cols="d.id, d.code, p.name AS procedure_name, a.name AS agency_name, d.status, d.created_at, d.submitted_at, d.due_at"
  local joins="FROM dossiers d JOIN procedures p ON p.id = d.procedure_id JOIN agencies a ON a.id = d.agency_id"
  local queue="SELECT $cols, u.display_name AS applicant_name $joins JOIN users u ON u.id = d.applicant_id WHERE d.agency_id = (SELECT id FROM agencies WHERE code = '$AGENCY') AND d.submitted_at IS NOT NULL"
  echo "-- summaries(applicantID:), first page"
  echo "$q SELECT $cols $joins WHERE d.applicant_id = $applicant ORDER BY d.id DESC LIMIT 21;"
  echo "-- summaries(applicantID:), next page (cursor id $my_id)"
  echo "$q SELECT $cols $joins WHERE d.applicant_id = $applicant AND d.id < $my_id ORDER BY d.id DESC LIMIT 21;"
  echo "-- queue(agencyCode:), first page"
  echo "$q $queue ORDER BY d.submitted_at DESC, d.id DESC LIMIT 51;"
  echo "-- queue(agencyCode:), next page (cursor $sa, $sid)"
  echo "$q $queue AND (d.submitted_at, d.id) < ($sa, $sid) ORDER BY d.submitted_at DESC, d.id DESC LIMIT 51;"
}

# The cursors of the second pages: the 20th dossier of the applicant, the 50th of the agency.
CURSOR_SQL="SELECT u.id, a.id,
  (SELECT id FROM dossiers WHERE applicant_id = u.id ORDER BY id DESC LIMIT 1 OFFSET 19),
  (SELECT submitted_at FROM dossiers WHERE agency_id = a.id AND submitted_at IS NOT NULL ORDER BY submitted_at DESC, id DESC LIMIT 1 OFFSET 49),
  (SELECT id FROM dossiers WHERE agency_id = a.id AND submitted_at IS NOT NULL ORDER BY submitted_at DESC, id DESC LIMIT 1 OFFSET 49)
  FROM users u, agencies a WHERE u.email = '%s' AND a.code = '%s'"

explain_sqlite() {
  local db=$1 dir=$2 email=$3
  command -v sqlite3 >/dev/null || apt_install sqlite3 || { log "no sqlite3: no plans"; return 0; }
  # shellcheck disable=SC2059
  sqlite3 -separator ' ' "file:$db?mode=ro" "$(printf "$CURSOR_SQL" "$email" "$AGENCY")" |
    list_queries "EXPLAIN QUERY PLAN" >"$dir/plans.sql"
  {
    echo "### SQLite $(sqlite3 --version | cut -d' ' -f1): EXPLAIN QUERY PLAN"
    echo
    echo '```'
    while IFS= read -r line; do
      if [[ $line == --* ]]; then echo "$line"; else sqlite3 "file:$db?mode=ro" "$line"; fi
    done <"$dir/plans.sql"
    echo '```'
  } >"$dir/plans.md" 2>&1 || true
}

explain_postgres() {
  local url=$1 dir=$2 email=$3
  # shellcheck disable=SC2059
  psql_cmd "$url" -F ' ' -c "$(printf "$CURSOR_SQL" "$email" "$AGENCY")" |
    list_queries "EXPLAIN (ANALYZE, BUFFERS)" >"$dir/plans.sql"
  {
    echo "### PostgreSQL $(psql_cmd "$url" -c 'SHOW server_version' | cut -d' ' -f1): EXPLAIN (ANALYZE, BUFFERS)"
    echo
    echo '```'
    while IFS= read -r line; do
      if [[ $line == --* ]]; then echo "$line"; else psql_cmd "$url" -c "$line"; fi
    done <"$dir/plans.sql"
    echo '```'
  } >"$dir/plans.md" 2>&1 || true
}

# --- Items 3 and 4: bench/mixed.sh -----------------------------------------------------------------

MIXED_FAILED=()
# mixed NAME ARGS... : bench/mixed.sh ARGS with this binary and duration, its outputs in $OUT/NAME.
mixed() {
  local name=$1 rc=0
  shift
  echo "== mixed load ($name): bench/mixed.sh $* =="
  local env=(BENCH_DURATION="$DURATION" MOTCUA_BIN="$BIN" BENCH_OUT_DIR="$OUT/$name")
  if [[ -n $PG_URL ]]; then env+=(BENCH_DATABASE_URL="$PG_URL" BENCH_PG_PID="${PG_CPU_PID:-}"); fi
  env "${env[@]}" bench/mixed.sh "$@" >"$OUT/$name.log" 2>&1 || rc=$?
  tail -n 1 "$OUT/$name.log"
  if ((rc != 0)); then
    MIXED_FAILED+=("$name: bench/mixed.sh $* exited $rc (see $OUT/$name.log)")
  fi
  [[ -f $OUT/$name/results.json ]]
}

# mixed_rows ENGINE ITEM NAME LABEL TARGETS [KINDS...] : rows of a mixed load's results.json (the whole
# load, then each request type in KINDS).
mixed_rows() {
  python3 - "$ROWS" "$@" <<'EOF'
import json, sys
rows, engine, item, name, label, targets, *kinds = sys.argv[1:]
out = sys.argv[1].rsplit("/", 1)[0]
d = json.load(open(f"{out}/{name}/results.json"))
cpu = d.get("cpuMsPerRequest", {})
mem = d.get("memoryMB", {})
portal_rss = [m["hwm"] for k, m in mem.items() if k.startswith("motcua")]
rss = " + ".join(f"{v:.0f}" for v in portal_rss)
parts = ", ".join(f"{k} {v:.3f}" for k, v in cpu.items() if k != "portal" and v is not None)
note = f"CPU ms/req: {parts}" if parts else ""
if "nginx worker" in mem:
    note += f"; nginx RSS {mem['nginx worker']['hwm']:.0f} MB"
if d.get("failures"):
    note += "; FAILED: " + " / ".join(d["failures"])[:300]
def fmt(v):
    return "" if v is None else f"{v}"
with open(rows, "a") as f:
    f.write("\t".join([f"{engine}-{item}-{name}", engine, item, f"{label}: all requests", f"{d['rps']:.1f}", fmt(d["p50"]),
                       fmt(d["p99"]), str(d["errors"]), fmt(cpu.get("portal") and round(cpu["portal"], 3)), rss, "-",
                       targets, note]) + "\n")
    for kind in kinds:
        k = d["kinds"].get(kind)
        if k is None:
            continue
        f.write("\t".join([f"{engine}-{item}-{name}-{kind}", engine, item, f"{label}: {kind}", f"{k['rps']:.1f}",
                           f"{k['p50']}", f"{k['p99']}", str(k["errors"]), "", "", "-",
                           "p99<100" if item == "3" and kind != "login (POST, bcrypt)" else "", ""]) + "\n")
EOF
}

WRITE_STEPS=("submission: create draft" "submission: upload PDF" "submission: submit" "desk: accept" "login (POST, bcrypt)")

# --- Run -----------------------------------------------------------------------------------------------

echo "issue 16 benchmark: items ${ITEMS:1:-1}, engines ${ENGINES:1:-1}, $BUILD_KIND binary $BIN_INFO"
echo "wrk ${DURATION}s per run; bcrypt cost $MOTCUA_BCRYPT_COST; output $OUT"
: >"$OUT/notes.md"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
# busy_elsewhere : the processes using more than 10 % of a core right now (over 1 s): other work on the
# machine weighs on every figure, so the report names it.
busy_elsewhere() {
  top -b -n 2 -d 1 -w 200 2>/dev/null | awk '/^top -/ { block++ } block == 2 && $1 ~ /^[0-9]+$/ && $9 + 0 > 10 { printf "%s%s (%s %%)", (n++ ? ", " : ""), $12, $9 }'
}
BUSY_BEFORE=$(busy_elsewhere || true)
# Other work during the run: every 5 s, the processes above 10 % of a core that are not this benchmark's.
OWN_COMMANDS='^(motcua|wrk|postgres|nginx|python3|curl|sqlite3|psql|top|bash|timeout|awk|time|sleep)$'
(
  deadline=$((SECONDS + 3600))
  while ((SECONDS < deadline)); do
    top -b -n 2 -d 1 -w 200 2>/dev/null | awk -v own="$OWN_COMMANDS" \
      '/^top -/ { block++ } block == 2 && $1 ~ /^[0-9]+$/ && $9 + 0 > 10 && $12 !~ own { print $12, $9 }'
    sleep 4
  done
) >"$OUT/other-processes.txt" 2>/dev/null &
OTHER_SAMPLER=$!

for engine in sqlite postgres; do
  has_engine "$engine" || continue
  if has_item 1 || has_item 2 || has_item 5; then reads_engine "$engine"; fi
done

if has_item 3 && has_engine sqlite; then
  mixed mixed-sqlite && mixed_rows sqlite 3 mixed-sqlite "mixed load, one process, SQLite" "errors=0" "${WRITE_STEPS[@]}"
fi
if has_item 4 && has_engine postgres; then
  need_postgres
  mixed mixed-pg --postgres && mixed_rows postgres 4 mixed-pg "mixed load, one process direct, PostgreSQL" \
    "errors=0;p99<50;rps>=0.5*@sqlite-3-mixed-sqlite" "${WRITE_STEPS[@]}"
  for n in 1 2 3; do
    targets="errors=0;p99<50"
    if ((n > 1)); then targets+=";rps>=0.9*@postgres-4-mixed-nginx1"; fi
    mixed "mixed-nginx$n" --nginx --processes "$n" &&
      mixed_rows postgres 4 "mixed-nginx$n" "mixed load, nginx + $n process$( ((n > 1)) && echo es), PostgreSQL" "$targets"
  done
fi

# --- Report ----------------------------------------------------------------------------------------

REPORT=$OUT/results.md
{
  echo "# Issue 16 benchmark $STAMP"
  echo
  echo "$BUILD_KIND binary $BIN_INFO; $(nproc) cores shared by wrk, the servers, PostgreSQL and nginx; bcrypt cost $MOTCUA_BCRYPT_COST;"
  echo "wrk ${DURATION}s per run (2 s warm-up), $CONNS connections (2 threads) for the reads and the logins, 64 for the mixed loads."
  echo "Load average before: $LOAD_BEFORE; after: $(cut -d' ' -f1-3 /proc/loadavg). Total time $((SECONDS - T_START)) s."
  echo "Processes busy (> 10 % of a core) when the run started: ${BUSY_BEFORE:-none}; at its end: $(busy_elsewhere || true)."
  kill "$OTHER_SAMPLER" 2>/dev/null || true
  echo "Other processes seen above 10 % of a core during the run (sampled every 5 s; samples, highest %): $(
    awk '{ n[$1]++; if ($2 + 0 > m[$1]) m[$1] = $2 + 0 } END { for (k in n) printf "%s%s %d, %.0f %%", (c++ ? "; " : ""), k, n[k], m[k] }' \
      "$OUT/other-processes.txt")"
  echo
  cat "$OUT/notes.md"
  echo
  python3 bench/issue16_report.py "$ROWS"
  if ((${#MIXED_FAILED[@]})); then
    echo
    echo "Mixed loads that reported a failure (their rows are in the table when they produced figures):"
    printf -- '- %s\n' "${MIXED_FAILED[@]}"
  fi
} >"$REPORT"
for engine in sqlite postgres; do
  if [[ -f $OUT/$engine/plans.md ]]; then { echo; cat "$OUT/$engine/plans.md"; } >>"$OUT/plans.md"; fi
done
bench_publish "$REPORT" "table, rows.tsv, raw wrk outputs, mixed loads, query plans (plans.md), server logs"
