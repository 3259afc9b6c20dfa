# shellcheck shell=bash
# Shared set-up and helpers of the benchmarks, sourced after scripts/lib.sh (the one copy of each):
#   bench_setup NAME   makes WORK_DIR (removed on exit, with the server stopped), installs wrk and curl if
#                      missing, finds or builds the release binary (BIN), and sets OUT, DATA_DIR, PORT, BASE,
#                      SERVER_LOG.
#   start_server [VAR=VALUE...], stop_server   the one `motcua serve` of a benchmark (SERVER_PID)
#   parse_wrk FILE     req/s, p50, p99, errors and requests of a wrk --latency run
#   read_wrk FILE WHAT parse_wrk into RPS P50_MS P99_MS ERRORS REQUESTS, once the server is known to outlive the load
#   bench_verdict MET, bench_publish REPORT WHAT, bench_strict_exit   the end of a report with targets
# Honours MOTCUA_BIN, BENCH_SKIP_BUILD, BENCH_BUILD_TIMEOUT and BENCH_OUT_DIR (where the outputs go).

SERVER_PID=""
# start_server's settings; a script may change them after bench_setup.
SERVER_LOG=""              # default: $OUT/server.log
SERVER_READY_SECONDS=60    # how long start_server waits for /readyz
SERVER_STOP_SECONDS=20     # how long stop_server waits after SIGTERM before SIGKILL

# shellcheck disable=SC2317  # reached through the trap
bench_cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ -n $SERVER_PID ]]; then stop_pid "$SERVER_PID" 10; fi
  rm -rf "$WORK_DIR"
  exit "$rc"
}

bench_setup() {
  local name=$1
  WORK_DIR=$(mktemp -d -t "motcua-bench-$name.XXXXXX")
  trap bench_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  for tool in wrk curl python3; do
    if ! command -v "$tool" >/dev/null; then
      case $tool in
        wrk | curl) apt_install "$tool" ;;
        *) die "$tool is needed" ;;
      esac
    fi
  done

  if [[ -n ${MOTCUA_BIN:-} ]]; then
    BIN=$MOTCUA_BIN
  else
    if [[ ${BENCH_SKIP_BUILD:-0} != 1 ]]; then
      echo "== Building motcua (release) =="
      timeout "${BENCH_BUILD_TIMEOUT:-3600}" swift build -c release --product motcua
    fi
    BIN="$(swift build -c release --show-bin-path)/motcua"
  fi
  [[ -x $BIN ]] || die "no motcua binary at $BIN (build it, or unset BENCH_SKIP_BUILD)"

  STAMP=$(date -u +%Y%m%d-%H%M%S)
  OUT=${BENCH_OUT_DIR:-bench/out/$name-$STAMP}  # BENCH_OUT_DIR: a caller (bench/issue16.sh) gathers the outputs
  mkdir -p "$OUT"
  DATA_DIR=$WORK_DIR/data
  mkdir -p "$DATA_DIR"
  PORT=$(free_port)
  BASE=http://127.0.0.1:$PORT  # used by the sourcing script
  export BASE
  SERVER_LOG=$OUT/server.log
  BENCH_NAME=$name
}

# start_server [VAR=VALUE...] : starts `motcua serve` on PORT with DATA_DIR (and that environment), its
# output appended to SERVER_LOG after a "--- start" line; waits up to SERVER_READY_SECONDS for /readyz,
# else shows the end of the log and dies.
start_server() {
  echo "--- start $(date -u +%FT%TZ)${*:+ with $*}" >>"$SERVER_LOG"
  env "$@" "$BIN" serve --host 127.0.0.1 --port "$PORT" --data-dir "$DATA_DIR" >>"$SERVER_LOG" 2>&1 &
  SERVER_PID=$!
  if ! wait_for_url "$BASE/readyz" "$SERVER_READY_SECONDS" "$SERVER_PID"; then
    tail -n 40 "$SERVER_LOG" >&2 || true
    die "server did not become ready on $BASE (log: $SERVER_LOG)"
  fi
}

# stop_server : SIGTERM to the server, SIGKILL after SERVER_STOP_SECONDS.
stop_server() {
  stop_pid "$SERVER_PID" "$SERVER_STOP_SECONDS"
  SERVER_PID=""
}

# parse_wrk FILE : prints "REQ_PER_SEC P50_MS P99_MS ERRORS REQUESTS" from the output of wrk --latency.
# ERRORS = socket errors (connect + read + write + timeout) + answers with a wrong status: the
# "Unexpected status: N" line of a Lua script that checks each answer against the one status expected
# (bench/accounts.lua, bench/dossiers.lua: every other status, so every non-2xx/3xx one too) when the
# output has that line, else wrk's own "Non-2xx or 3xx responses: N" (counting both would count a 500 twice).
# Fails (printing "parse-error") when req/s or the latency distribution is missing.
parse_wrk() {
  awk '
    function ms(v,   n, u) {
      n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
      if (u == "us") return n / 1000
      if (u == "ms") return n
      if (u == "s")  return n * 1000
      if (u == "m")  return n * 60000
      if (u == "h")  return n * 3600000
      return -1
    }
    /^Requests\/sec:/ { rps = $2 }
    /Latency Distribution/ { dist = 1 }
    dist && $1 == "50%" { p50 = ms($2) }
    dist && $1 == "99%" { p99 = ms($2); dist = 0 }
    / requests in / { requests = $1 }
    /Non-2xx or 3xx responses:/ { non2xx3xx += $NF }
    /^Unexpected status:/ { unexpected += $3; checked = 1 }
    /Socket errors:/ {
      line = $0; sub(/.*Socket errors:/, "", line)
      k = split(line, parts, ",")
      for (i = 1; i <= k; i++) { split(parts[i], kv, " "); socket += kv[2] }
    }
    END {
      if (rps == "" || p99 == "") { print "parse-error"; exit 1 }
      printf "%s %.3f %.3f %d %d\n", rps, p50, p99, socket + (checked ? unexpected : non2xx3xx), requests
    }' "$1"
}

# read_wrk FILE WHAT : after the load of WHAT (wrk's output in FILE), dies unless the server is still up and FILE
# parses; sets RPS P50_MS P99_MS ERRORS REQUESTS (parse_wrk's fields).
read_wrk() {
  local parsed
  kill -0 "$SERVER_PID" 2>/dev/null || die "server died while loading $2 (log: $SERVER_LOG)"
  parsed=$(parse_wrk "$1") || die "could not read wrk output $1"
  # shellcheck disable=SC2034  # read by the sourcing script
  read -r RPS P50_MS P99_MS ERRORS REQUESTS <<<"$parsed"
}

# --- The end of a report with targets (MISSES: one line per target missed) -------------------------

# bench_verdict MET : "Targets met: MET" when MISSES is empty, else "Targets missed:" and a "- " line a miss.
bench_verdict() {
  if ((${#MISSES[@]} == 0)); then
    echo "Targets met: $1"
  else
    echo "Targets missed:"
    printf -- '- %s\n' "${MISSES[@]}"
  fi
}

# bench_publish REPORT WHAT : copies REPORT to bench/out/NAME-latest.md and prints it, then "WHAT: $OUT/".
bench_publish() {
  cp "$1" "bench/out/$BENCH_NAME-latest.md"
  echo
  cat "$1"
  echo
  echo "$2: $OUT/"
}

# bench_strict_exit : exits 1 when BENCH_STRICT=1 and a target was missed.
bench_strict_exit() {
  if [[ ${BENCH_STRICT:-0} == 1 && ${#MISSES[@]} -gt 0 ]]; then exit 1; fi
}

# --- PostgreSQL for the benches, as scripts/test makes it: Debian's postgresql-15, a throwaway cluster ---
# Callers set PG_VERSION, PG_BIN and WORK_DIR; start_postgres sets PG_ROOT, PGDATA, PG_PID and PG_URL.

psql_cmd() {
  local psql=psql
  [[ -x $PG_BIN/psql ]] && psql=$PG_BIN/psql
  "$psql" "$1" -XAtq -v ON_ERROR_STOP=1 "${@:2}"
}

# Runs a PostgreSQL tool as the postgres user (initdb refuses root).
as_pg() {
  if [[ $EUID -eq 0 ]]; then
    (cd "$PG_ROOT" && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

ensure_postgres() {
  if [[ -x $PG_BIN/initdb && -x $PG_BIN/pg_ctl && -x $PG_BIN/postgres ]] && id postgres >/dev/null 2>&1; then
    return 0
  fi
  log "== Installing PostgreSQL $PG_VERSION =="
  # No default cluster: this script makes its own throwaway one.
  as_root mkdir -p /etc/postgresql-common/createcluster.d
  echo 'create_main_cluster = false' | as_root tee /etc/postgresql-common/createcluster.d/motcua.conf >/dev/null
  apt_install "postgresql-$PG_VERSION"
  [[ -x $PG_BIN/initdb ]] || die "postgresql-$PG_VERSION installed but $PG_BIN/initdb is missing"
}

start_postgres() {
  local port
  PG_ROOT=$WORK_DIR/pg
  mkdir -p "$PG_ROOT"
  PGDATA=$PG_ROOT/data
  if [[ $EUID -eq 0 ]]; then chown postgres: "$PG_ROOT"; fi
  if ! as_pg "$PG_BIN/initdb" -D "$PGDATA" -A trust -U postgres --encoding=UTF8 --locale=C.UTF-8 \
    >"$PG_ROOT/initdb.log" 2>&1; then
    rm -rf "$PGDATA"
    as_pg "$PG_BIN/initdb" -D "$PGDATA" -A trust -U postgres --encoding=UTF8 --locale=C \
      >"$PG_ROOT/initdb.log" 2>&1 || { cat "$PG_ROOT/initdb.log" >&2; die "initdb failed"; }
  fi
  port=$(free_port)
  # fsync stays on: the figures are those of a database that keeps what it acknowledges.
  if ! as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$PG_ROOT/server.log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $PGDATA -c max_connections=300" >/dev/null; then
    cat "$PG_ROOT/server.log" >&2 || true
    die "PostgreSQL did not start"
  fi
  PG_PID=$(head -n1 "$PGDATA/postmaster.pid")
  PG_URL="postgres://postgres@127.0.0.1:$port/postgres"
}

# shellcheck disable=SC2317  # reached through the trap
stop_postgres() {
  if [[ -n $PGDATA && -f $PGDATA/postmaster.pid ]]; then
    as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -m fast -w -t 20 stop >/dev/null 2>&1 || true
  fi
  if [[ -n $PG_PID ]]; then
    local i
    for ((i = 0; i < 50; i++)); do kill -0 "$PG_PID" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$PG_PID" 2>/dev/null; then
      kill -QUIT "$PG_PID" 2>/dev/null || true
      sleep 1
      kill -KILL "$PG_PID" 2>/dev/null || true
    fi
  fi
  PGDATA="" PG_PID=""
}
