# shellcheck shell=bash
# Shared set-up of the benchmarks, sourced after scripts/lib.sh:
#   bench_setup NAME   makes WORK_DIR (removed on exit, with the server stopped), installs wrk and curl if
#                      missing, finds or builds the release binary (BIN), and sets OUT, DATA_DIR, PORT, BASE.
# Honours MOTCUA_BIN, BENCH_SKIP_BUILD and BENCH_BUILD_TIMEOUT.

SERVER_PID=""

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
  OUT=bench/out/$name-$STAMP
  mkdir -p "$OUT"
  DATA_DIR=$WORK_DIR/data
  mkdir -p "$DATA_DIR"
  PORT=$(free_port)
  BASE=http://127.0.0.1:$PORT  # used by the sourcing script
  export BASE
}
