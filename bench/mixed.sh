#!/usr/bin/env bash
# Mixed load: see bench/README.md ("Mixed load").
#
#   bench/mixed.sh            one portal process on SQLite, 60 s at 64 connections
#   bench/mixed.sh --nginx    Debian's nginx in front of two portal processes sharing one PostgreSQL 15
#                             database (a throwaway cluster), round robin; the same load, then sessions and
#                             dossier codes checked across the processes
#   bench/mixed.sh --ci       the short form for the test command (10 s, still 64 connections); combines
#                             with --nginx
#   bench/mixed.sh --nginx --processes N   N portal processes behind nginx (default 2; 1 is allowed)
#   bench/mixed.sh --postgres one portal process on PostgreSQL, without nginx
#
# Catalog browsing, public lookups by real dossier codes, logins (CSRF cookie + field, bcrypt), submissions
# with a PDF through the JSON API, and the desk accepting submitted dossiers, together, with wrk and
# bench/mixed.lua (one flow per connection). Reports req/s and p50/p99 per request type and the servers'
# peak memory; exits 1 on any error (an unexpected status, a socket error, a lost answer) or when the
# database is inconsistent afterwards (dossier codes repeated or not consecutive, submissions or desk
# decisions missing). The last line reads `mixed load: N requests, E errors, ...`. The CPU time each part
# used during the load (portal processes, PostgreSQL, nginx, wrk; from /proc) is reported per request.
#
# Environment:
#   BENCH_DURATION=60           seconds of load (10 with --ci)
#   BENCH_MIX=catalog=26,lookup=8,login=6,submit=16,desk=8
#                               connections per kind of client; their sum is the number of connections
#   BENCH_DESK=0                no desk decisions (for a binary without the staff API): their connections
#                               browse the catalog instead
#   BENCH_CITIZENS=8            citizens signed up for the logins and the submissions
#   BENCH_TIMEOUT=10            seconds wrk waits for an answer (a slower one is a socket error)
#   BENCH_EVENT_LOOPS=share     event loops per portal process: the cores divided among the processes (at
#                               least one each, as docs/deploy.md advises), a number, or "default" (NIO's:
#                               one per core in every process)
#   MOTCUA_BCRYPT_COST=10       bcrypt cost of the servers (their default is 11); reported
#   MOTCUA_BIN=PATH             the binary to load (default: the release build, built unless BENCH_SKIP_BUILD=1)
#   BENCH_DATABASE_URL=postgres://…   with --nginx: use this PostgreSQL server (a fresh database is made in
#                               it and dropped afterwards) instead of starting a throwaway cluster
#   BENCH_PG_PID=PID            with BENCH_DATABASE_URL: its postmaster, to count PostgreSQL's CPU time
#   BENCH_OUT_DIR=DIR           write the outputs there instead of bench/out/mixed-…
#   BENCH_PRELOAD_DOSSIERS=N    (one process on SQLite) fill the database with N generated dossiers
#                               (bench/gen_dossiers.py, over the last 365 days) before the load
#   BENCH_BACKUP=1              run `motcua backup` of the live database BENCH_BACKUP_DELAY (default 5) seconds
#                               into the load; its wall time, peak RSS and row counts are reported, and the run
#                               fails if it fails; a backup longer than the load is waited for
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

usage() { sed -n '2,/^set -euo/{/^#/s/^# \{0,1\}//p}' "$0"; }

NGINX=0
CI=0
USE_PG=0
PROCESSES=""
while (($#)); do
  case $1 in
    --nginx) NGINX=1; USE_PG=1 ;;
    --postgres) USE_PG=1 ;;
    --processes) PROCESSES=${2:-}; shift ;;
    --ci) CI=1 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
  shift
done

if [[ -n $PROCESSES ]]; then
  ((NGINX)) || die "--processes needs --nginx"
  [[ $PROCESSES =~ ^[1-9]$ ]] || die "--processes takes 1 to 9"
else
  PROCESSES=$((NGINX ? 2 : 1))
fi
DURATION=${BENCH_DURATION:-$((CI ? 10 : 60))}
# Event loops of each portal process (NIO_SINGLETON_GROUP_LOOP_COUNT), as docs/deploy.md advises: the cores
# shared among the processes, at least one each. BENCH_EVENT_LOOPS=N sets another number; "default" leaves
# NIO's own, one per core in every process.
EVENT_LOOPS=${BENCH_EVENT_LOOPS:-share}
case $EVENT_LOOPS in
  share) EVENT_LOOPS=$(( $(nproc) / PROCESSES > 0 ? $(nproc) / PROCESSES : 1 )) ;;
  default) EVENT_LOOPS="" ;;
  *) [[ $EVENT_LOOPS =~ ^[1-9][0-9]*$ ]] || die "BENCH_EVENT_LOOPS takes share, default or a number" ;;
esac
MIX=${BENCH_MIX:-catalog=26,lookup=8,login=6,submit=16,desk=8}
if [[ ${BENCH_DESK:-1} == 0 ]]; then
  # The desk's connections browse the catalog instead.
  MIX=$(awk -v RS=, -v ORS=, -F= '
    { n[$1] = $2; order[++k] = $1 }
    END { n["catalog"] += n["desk"]; n["desk"] = 0; for (i = 1; i <= k; i++) printf "%s=%d%s", order[i], n[order[i]], (i < k ? "," : "") }' <<<"$MIX")
  MIX=${MIX%,}
fi
CONNS=$(tr ',' '\n' <<<"$MIX" | awk -F= '{ s += $2 } END { print s + 0 }')
((CONNS > 0)) || die "BENCH_MIX has no connections: $MIX"
CITIZENS=${BENCH_CITIZENS:-8}
TIMEOUT=${BENCH_TIMEOUT:-10}
SETUP_DOSSIERS=20
BCRYPT_COST=${MOTCUA_BCRYPT_COST:-10}
STAFF_EMAIL=tiepnhan.tai@example.vn
STAFF_PASSWORD=Tiep-nhan-tai-2026
AGENCY=000.00.08.H06
PG_VERSION=15
PG_BIN=/usr/lib/postgresql/$PG_VERSION/bin

# Fresh data, no SMTP (the servers log their mail, and the set-up reads the verification links there).
unset DATABASE_URL MOTCUA_SMTP_HOST MOTCUA_SMTP_PORT MOTCUA_SMTP_SECURITY MOTCUA_SMTP_USERNAME MOTCUA_SMTP_PASSWORD

# shellcheck source=bench/setup.sh
source bench/setup.sh
NAME=mixed
if ((NGINX)); then
  NAME=mixed-nginx
  if ((PROCESSES != 2)); then NAME=mixed-nginx$PROCESSES; fi
elif ((USE_PG)); then
  NAME=mixed-pg
fi
bench_setup "$NAME"
# The throwaway cluster (postgres) and nginx's workers (www-data) must reach their folders in here.
chmod 711 "$WORK_DIR"

BACKEND_PIDS=()   # motcua processes (SERVER_PID is the first, for bench_cleanup)
SAMPLER_PIDS=()
NGINX_PID=""
PGDATA=""
PG_PID=""
PG_URL=""         # postgres://… of the server (throwaway or BENCH_DATABASE_URL)
DB_NAME=""        # the database made in it
DATABASE_URL_MIXED=""

# shellcheck disable=SC2317  # reached through the trap
mixed_cleanup() {
  local rc=$? pid
  trap - EXIT INT TERM
  set +e
  for pid in "${SAMPLER_PIDS[@]}"; do stop_pid "$pid" 2; done
  if [[ -n $NGINX_PID ]]; then stop_pid "$NGINX_PID" 10; fi
  for pid in "${BACKEND_PIDS[@]}"; do stop_pid "$pid" 20; done
  SERVER_PID=""
  if [[ -n ${BENCH_DATABASE_URL:-} && -n $DB_NAME ]]; then
    psql_cmd "$PG_URL" -c "DROP DATABASE IF EXISTS $DB_NAME" >/dev/null 2>&1 || log "could not drop database $DB_NAME"
  fi
  stop_postgres
  (exit "$rc")
  bench_cleanup
}
trap mixed_cleanup EXIT


# --- motcua ---------------------------------------------------------------------------------------

# start_backend PORT LOG : starts `motcua serve` on PORT (shared data dir; DATABASE_URL when set), waits
# until it is ready, appends its PID to BACKEND_PIDS.
start_backend() {
  local port=$1 logfile=$2 pid
  local -a env=(MOTCUA_PUBLIC_URL="$BASE" MOTCUA_BCRYPT_COST="$BCRYPT_COST")
  [[ -n $EVENT_LOOPS ]] && env+=(NIO_SINGLETON_GROUP_LOOP_COUNT="$EVENT_LOOPS")
  [[ -n $DATABASE_URL_MIXED ]] && env+=(DATABASE_URL="$DATABASE_URL_MIXED")
  echo "--- start $(date -u +%FT%TZ) on port $port" >>"$logfile"
  env "${env[@]}" "$BIN" serve --host 127.0.0.1 --port "$port" --data-dir "$DATA_DIR" >>"$logfile" 2>&1 &
  pid=$!
  BACKEND_PIDS+=("$pid")
  [[ -n $SERVER_PID ]] || SERVER_PID=$pid
  if ! wait_for_url "http://127.0.0.1:$port/readyz" 90 "$pid"; then
    tail -n 40 "$logfile" >&2 || true
    die "motcua did not become ready on port $port (log: $logfile)"
  fi
}

stop_backends() {
  local pid
  for pid in "${BACKEND_PIDS[@]}"; do stop_pid "$pid" 20; done
  BACKEND_PIDS=()
  SERVER_PID=""
}

# sample_memory PID FILE : every 0.5 s, "SECONDS VmRSS_kB VmHWM_kB" of PID, until it exits (at most 2 h).
sample_memory() {
  local pid=$1 file=$2
  (
    deadline=$((SECONDS + 7200))
    while ((SECONDS < deadline)) && [[ -r /proc/$pid/status ]]; do
      awk -v t="$(date +%s.%N)" '/^VmRSS:/ { r = $2 } /^VmHWM:/ { h = $2 } END { if (r != "") print t, r, h }' \
        "/proc/$pid/status" >>"$file" 2>/dev/null || true
      sleep 0.5
    done
  ) &
  SAMPLER_PIDS+=("$!")
}

# --- nginx -------------------------------------------------------------------------------------

# start_nginx PORT BACKEND_PORT... : Debian's nginx in the foreground (its PID tracked) under a temp prefix,
# round robin over the backends.
start_nginx() {
  local port=$1 prefix=$WORK_DIR/nginx b user=""
  shift
  if ! command -v nginx >/dev/null; then
    # Debian's package starts nginx (on port 80) when it installs it, unless policy-rc.d says no.
    local policy=/usr/sbin/policy-rc.d made=0
    if [[ ! -e $policy ]]; then
      printf '#!/bin/sh\nexit 101\n' | as_root tee "$policy" >/dev/null && as_root chmod 755 "$policy" && made=1
    fi
    apt_install nginx || { ((made)) && as_root rm -f "$policy"; die "could not install nginx"; }
    if ((made)); then as_root rm -f "$policy"; fi
  fi
  mkdir -p "$prefix/tmp"
  chmod 755 "$prefix"
  if [[ $EUID -eq 0 ]]; then user="user www-data;"; fi
  {
    echo "$user"
    cat <<EOF
worker_processes 1;
daemon off;
pid $prefix/nginx.pid;
error_log $prefix/error.log warn;
events { worker_connections 2048; }
http {
  access_log off;
  client_body_temp_path $prefix/tmp/body;
  proxy_temp_path $prefix/tmp/proxy;
  fastcgi_temp_path $prefix/tmp/fastcgi;
  uwsgi_temp_path $prefix/tmp/uwsgi;
  scgi_temp_path $prefix/tmp/scgi;
  client_max_body_size 110m;
  upstream motcua {
EOF
    for b in "$@"; do echo "    server 127.0.0.1:$b max_fails=0;"; done
    cat <<EOF
    keepalive 64;
  }
  server {
    listen 127.0.0.1:$port;
    location / {
      proxy_pass http://motcua;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$http_host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      # A failed backend must show as an error, not be hidden by a retry on the other one.
      proxy_next_upstream off;
      proxy_read_timeout 60s;
    }
  }
}
EOF
  } >"$prefix/nginx.conf"
  nginx -t -q -e "$prefix/error.log" -c "$prefix/nginx.conf" -p "$prefix/" || die "nginx rejects $prefix/nginx.conf"
  nginx -e "$prefix/error.log" -c "$prefix/nginx.conf" -p "$prefix/" >"$prefix/stdout.log" 2>&1 &
  NGINX_PID=$!
  wait_for_url "http://127.0.0.1:$port/readyz" 30 "$NGINX_PID" || { cat "$prefix/error.log" >&2; die "nginx did not start"; }
}

# --- 1. Servers and data -------------------------------------------------------------------------

t0=$SECONDS
LOGS=()
if ((USE_PG)); then
  if [[ -n ${BENCH_DATABASE_URL:-} ]]; then
    PG_URL=$BENCH_DATABASE_URL
  else
    ensure_postgres
    start_postgres
  fi
  DB_NAME=motcua_mixed_$$
  psql_cmd "$PG_URL" -c "CREATE DATABASE $DB_NAME" >/dev/null
  DATABASE_URL_MIXED="${PG_URL%/*}/$DB_NAME"
fi
if ((NGINX)); then
  # BASE (nginx) from bench_setup is the public address of every process.
  BACKEND_PORTS=()
  LETTERS=(a b c d e f g h i)
  for ((i = 0; i < PROCESSES; i++)); do
    p=$(free_port)
    while [[ $p == "$PORT" || " ${BACKEND_PORTS[*]} " == *" $p "* ]]; do p=$(free_port); done
    BACKEND_PORTS+=("$p")
    LOGS+=("$OUT/server-${LETTERS[$i]}.log")
  done
  # First start: migrations and the demo catalog; then the desk's account, made while no server runs.
  start_backend "${BACKEND_PORTS[0]}" "${LOGS[0]}"
  stop_backends
  DATABASE_URL=$DATABASE_URL_MIXED "$BIN" create-user --data-dir "$DATA_DIR" --email "$STAFF_EMAIL" --name "Cán bộ Tiếp Nhận" \
    --role receptionist --agency "$AGENCY" --password "$STAFF_PASSWORD" >"$OUT/create-user.log" 2>&1 ||
    { cat "$OUT/create-user.log" >&2; die "create-user failed"; }
  for ((i = 0; i < PROCESSES; i++)); do start_backend "${BACKEND_PORTS[$i]}" "${LOGS[$i]}"; done
  start_nginx "$PORT" "${BACKEND_PORTS[@]}"
  WORD=$( ((PROCESSES == 1)) && echo "one motcua process" || echo "$PROCESSES motcua processes")
  LOOPS_WORD=${EVENT_LOOPS:-"NIO's default number of"}
  DESCRIPTION="nginx $(nginx -v 2>&1 | sed 's/.*nginx\///') (1 worker, round robin, keepalive) in front of $WORD (ports ${BACKEND_PORTS[*]}; $LOOPS_WORD event loops each) sharing PostgreSQL $(psql_cmd "$PG_URL" -c 'SHOW server_version' | cut -d' ' -f1) and one data dir"
else
  LOGS=("$OUT/server.log")
  local_env=()
  if ((USE_PG)); then local_env=(DATABASE_URL="$DATABASE_URL_MIXED"); fi
  start_backend "$PORT" "${LOGS[0]}"
  stop_backends
  env "${local_env[@]}" "$BIN" create-user --data-dir "$DATA_DIR" --email "$STAFF_EMAIL" --name "Cán bộ Tiếp Nhận" \
    --role receptionist --agency "$AGENCY" --password "$STAFF_PASSWORD" >"$OUT/create-user.log" 2>&1 ||
    { cat "$OUT/create-user.log" >&2; die "create-user failed"; }
  if [[ -n ${BENCH_PRELOAD_DOSSIERS:-} ]]; then
    ((USE_PG)) && die "BENCH_PRELOAD_DOSSIERS is for one process on SQLite"
    echo "== Preload: $BENCH_PRELOAD_DOSSIERS dossiers (bench/gen_dossiers.py) =="
    python3 bench/gen_dossiers.py --data-dir "$DATA_DIR" --dossiers "$BENCH_PRELOAD_DOSSIERS" --days 365 --motcua-bin "$BIN" \
      --out "$WORK_DIR/preload.json" >"$OUT/preload.log" 2>&1 || { tail -n 20 "$OUT/preload.log" >&2; die "preload failed"; }
    tail -n 1 "$OUT/preload.log"
  fi
  start_backend "$PORT" "${LOGS[0]}"
  DESCRIPTION="one motcua process on SQLite"
  if [[ -n ${BENCH_PRELOAD_DOSSIERS:-} ]]; then DESCRIPTION+=" with $BENCH_PRELOAD_DOSSIERS preloaded dossiers"; fi
  if ((USE_PG)); then
    DESCRIPTION="one motcua process (no nginx) on PostgreSQL $(psql_cmd "$PG_URL" -c 'SHOW server_version' | cut -d' ' -f1)"
  fi
fi
echo "== $DESCRIPTION; $BIN =="

SAMPLES=$OUT/samples
mkdir -p "$SAMPLES"
CONFIG=$WORK_DIR/mixed-config.lua
LOG_ARGS=()
for l in "${LOGS[@]}"; do LOG_ARGS+=(--log "$l"); done
python3 bench/mixed_setup.py prepare --base "$BASE" "${LOG_ARGS[@]}" --out "$CONFIG" --samples-dir "$SAMPLES" \
  --mix "$MIX" --citizens "$CITIZENS" --dossiers "$SETUP_DOSSIERS" --agency "$AGENCY" \
  --staff-email "$STAFF_EMAIL" --staff-password "$STAFF_PASSWORD" ||
  die "could not prepare the load (server logs: ${LOGS[*]})"
echo "ready in $((SECONDS - t0))s"

# --- 2. Load ---------------------------------------------------------------------------------------

MEM_ARGS=()
if ((NGINX)); then
  for ((i = 0; i < PROCESSES; i++)); do
    sample_memory "${BACKEND_PIDS[$i]}" "$OUT/memory-${LETTERS[$i]}.txt"
    MEM_ARGS+=(--memory "motcua ${LETTERS[$i]^^}=$OUT/memory-${LETTERS[$i]}.txt")
  done
  NGINX_WORKER=$(awk '{ print $1 }' "/proc/$NGINX_PID/task/$NGINX_PID/children" 2>/dev/null || true)
  if [[ -n $NGINX_WORKER ]]; then
    sample_memory "$NGINX_WORKER" "$OUT/memory-nginx.txt"
    MEM_ARGS+=(--memory "nginx worker=$OUT/memory-nginx.txt")
  fi
else
  sample_memory "$SERVER_PID" "$OUT/memory.txt"
  MEM_ARGS=(--memory "motcua=$OUT/memory.txt")
fi

# --- CPU time of each part during the load, from /proc (clock ticks) ---------------------------------

CLK_TCK=$(getconf CLK_TCK)
# ticks PID : utime + stime of PID.
ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
# tree_ticks PID : PID's utime + stime + the reaped children's (cutime + cstime) + its live children's
# utime + stime: a parent whose workers come and go (PostgreSQL's backends, nginx's worker).
tree_ticks() {
  local pid=$1 total child
  [[ -r /proc/$pid/stat ]] || { echo 0; return; }
  total=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 + $14 + $15 }' "/proc/$pid/stat")
  for child in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do
    total=$((total + $(ticks "$child")))
  done
  echo "$total"
}
# cpu_snapshot : "label ticks" lines for the portal processes, PostgreSQL and nginx.
cpu_snapshot() {
  local portal=0 pid
  for pid in "${BACKEND_PIDS[@]}"; do portal=$((portal + $(ticks "$pid"))); done
  echo "portal $portal"
  local pg=${PG_PID:-${BENCH_PG_PID:-}}
  if ((USE_PG)) && [[ -n $pg ]]; then echo "postgres $(tree_ticks "$pg")"; fi
  if [[ -n $NGINX_PID ]]; then echo "nginx $(tree_ticks "$NGINX_PID")"; fi
}

sleep 1
echo "== Load: wrk -t$CONNS -c$CONNS -d${DURATION}s --timeout ${TIMEOUT}s -s bench/mixed.lua ($MIX) =="
cpu_snapshot >"$WORK_DIR/cpu-before.txt"
WRK_TIME=()
if [[ -x /usr/bin/time ]]; then WRK_TIME=(/usr/bin/time -f '%U %S' -o "$WORK_DIR/wrk-time.txt"); fi
# A preloaded database: what was submitted and accepted before the load is not the load's.
BEFORE_ARGS=(--setup-dossiers "$SETUP_DOSSIERS")
if [[ -n ${BENCH_PRELOAD_DOSSIERS:-} ]]; then
  BEFORE_ARGS=(--setup-dossiers "$(sqlite3 "$DATA_DIR/motcua.sqlite" 'SELECT COUNT(*) FROM dossiers WHERE code IS NOT NULL')"
    --accepted-before "$(sqlite3 "$DATA_DIR/motcua.sqlite" 'SELECT COUNT(*) FROM dossiers WHERE status = 2')")
fi
BACKUP_PID=""
if [[ ${BENCH_BACKUP:-0} == 1 ]]; then
  # The backup reads the live database (a snapshot without the write lock) while the load writes.
  (
    sleep "${BENCH_BACKUP_DELAY:-5}"
    date +%s.%N >"$WORK_DIR/backup-start.txt"
    rc=0
    env ${DATABASE_URL_MIXED:+DATABASE_URL="$DATABASE_URL_MIXED"} /usr/bin/time -v -o "$OUT/backup-time.txt" \
      "$BIN" backup --data-dir "$DATA_DIR" --output "$WORK_DIR/backup" >"$OUT/backup.log" 2>&1 || rc=$?
    date +%s.%N >"$WORK_DIR/backup-end.txt"
    echo "$rc" >"$WORK_DIR/backup-rc.txt"
  ) &
  BACKUP_PID=$!
fi
MIXED_CONFIG=$CONFIG timeout $((DURATION + TIMEOUT + 60)) "${WRK_TIME[@]}" wrk -t"$CONNS" -c"$CONNS" -d"${DURATION}s" --timeout "${TIMEOUT}s" --latency \
  -s bench/mixed.lua "$BASE" >"$OUT/wrk.txt" 2>&1 || { cat "$OUT/wrk.txt" >&2; die "wrk failed"; }
cpu_snapshot >"$WORK_DIR/cpu-after.txt"
# CPU milliseconds of each part during the load, for mixed_report.py (--cpu LABEL=MS).
CPU_ARGS=()
while read -r label before; do
  after=$(awk -v l="$label" '$1 == l { print $2 }' "$WORK_DIR/cpu-after.txt")
  CPU_ARGS+=(--cpu "$label=$(( (after - before) * 1000 / CLK_TCK ))")
done <"$WORK_DIR/cpu-before.txt"
if [[ -s $WORK_DIR/wrk-time.txt ]]; then
  CPU_ARGS+=(--cpu "wrk=$(awk '{ printf "%d", ($1 + $2) * 1000 }' "$WORK_DIR/wrk-time.txt")")
fi
sleep 1
for pid in "${BACKEND_PIDS[@]}"; do
  kill -0 "$pid" 2>/dev/null || die "a motcua process died during the load (logs: ${LOGS[*]})"
done
for pid in "${SAMPLER_PIDS[@]}"; do stop_pid "$pid" 2; done
SAMPLER_PIDS=()
BACKUP_NOTE=""
if [[ -n $BACKUP_PID ]]; then
  WRK_END=$(date +%s.%N)
  wait "$BACKUP_PID" || true
  [[ $(cat "$WORK_DIR/backup-rc.txt" 2>/dev/null) == 0 ]] || { cat "$OUT/backup.log" >&2; die "the backup during the load failed"; }
  # Rows per table from the backup's manifest: the snapshot's dossiers, events and files.
  BACKUP_NOTE=$(python3 - "$WORK_DIR/backup/manifest.json" "$OUT/backup-time.txt" "$WORK_DIR/backup-start.txt" "$WORK_DIR/backup-end.txt" "$WRK_END" <<'PY'
import json, re, sys
manifest = json.load(open(sys.argv[1]))
rows = {t["name"]: t["rows"] for t in manifest["tables"]}
timing = open(sys.argv[2]).read()
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", timing).group(1))
start, end = (float(open(p).read()) for p in sys.argv[3:5])
wrk_end = float(sys.argv[5])
within = "inside the load" if end <= wrk_end else f"the whole load ran during it; it went on {end - wrk_end:.0f} s after"
print(f"backup during the load: {end - start:.1f} s ({within}), peak RSS {rss / 1024:.0f} MiB; "
      f"{rows.get('dossiers', 0):,} dossiers, {rows.get('dossier_events', 0):,} events, "
      f"{rows.get('dossier_attachments', 0):,} attachment rows, {len(manifest['files']):,} stored files")
PY
) || die "could not read the backup's manifest"
  echo "$BACKUP_NOTE"
fi

# --- 3. Checks after the load ----------------------------------------------------------------------

BUILD_KIND="release build"
# A debug build serves several times slower: its figures say nothing about the portal's speed.
if grep -qa '/debug/motcua_MotCua.resources' "$BIN"; then BUILD_KIND="DEBUG build: figures not representative"; fi
SHARED="wrk and the server"
if ((NGINX)); then
  SHARED="wrk, nginx, the servers and PostgreSQL"
elif ((USE_PG)); then
  SHARED="wrk, the server and PostgreSQL"
fi
NOTES=("$DESCRIPTION; $BIN ($BUILD_KIND, $(date -u -r "$BIN" +%FT%TZ))"
  "MOTCUA_BCRYPT_COST=$BCRYPT_COST (server default 11); $CITIZENS citizens; $(nproc) cores shared by $SHARED")
if ((NGINX && PROCESSES > 1)); then
  # Sessions are in the database: a login on one process holds on the other, a logout on one ends it on both.
  python3 bench/mixed_setup.py sessions --email nguoi.do.tai.01@example.vn --password Hoa-sen-no-2026 \
    "http://127.0.0.1:${BACKEND_PORTS[0]}" "http://127.0.0.1:${BACKEND_PORTS[1]}" || die "sessions differ between the processes"
  NOTES+=("sessions: a login on either of the first two processes is valid on the other, a logout on one ends the session on both (checked on each backend port)")
  for ((i = 0; i < PROCESSES; i++)); do
    n=$(grep -c 'path=' "${LOGS[$i]}" || true)
    NOTES+=("process $((i + 1)) logged $n requests")
  done
fi
if [[ -n $BACKUP_NOTE ]]; then NOTES+=("$BACKUP_NOTE"); fi
ERROR_LINES=$(cat "${LOGS[@]}" | grep -acE '^[^ ]+ (error|critical) ' || true)
NOTES+=("server log lines at level error or critical: $ERROR_LINES")
stop_backends

DB_ARGS=()
if ((USE_PG)); then
  psql_cmd "$DATABASE_URL_MIXED" -F '|' -c "SELECT code, status FROM dossiers WHERE code IS NOT NULL" >"$WORK_DIR/codes.txt"
  psql_cmd "$DATABASE_URL_MIXED" -F '|' -c \
    "SELECT a.code, s.day, s.last_value FROM dossier_sequences s JOIN agencies a ON a.id = s.agency_id" >"$WORK_DIR/sequences.txt"
  DB_ARGS=(--pg-dump "$WORK_DIR")
else
  DB_ARGS=(--sqlite "$DATA_DIR/motcua.sqlite")
fi

NOTE_ARGS=()
for n in "${NOTES[@]}"; do NOTE_ARGS+=(--note "$n"); done
TITLE="Mixed load $STAMP"
if ((NGINX)); then
  PLURAL=""
  if ((PROCESSES > 1)); then PLURAL=es; fi
  TITLE+=" (nginx, $PROCESSES process$PLURAL, PostgreSQL)"
elif ((USE_PG)); then
  TITLE+=" (one process, PostgreSQL)"
fi
rc=0
python3 bench/mixed_report.py --samples "$SAMPLES" --wrk "$OUT/wrk.txt" --duration "$DURATION" --connections "$CONNS" \
  "${MEM_ARGS[@]}" "${CPU_ARGS[@]}" "${DB_ARGS[@]}" --json "$OUT/results.json" "${BEFORE_ARGS[@]}" --title "$TITLE" "${NOTE_ARGS[@]}" \
  --out "$OUT/results.md" >"$WORK_DIR/report.txt" || rc=$?
cp "$OUT/results.md" "bench/out/$NAME-latest.md"
echo
sed '$d' "$WORK_DIR/report.txt"
echo "raw wrk output, samples, memory and server logs: $OUT/"
tail -n 1 "$WORK_DIR/report.txt"
exit "$rc"
