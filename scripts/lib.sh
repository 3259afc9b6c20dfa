# shellcheck shell=bash
# Small helpers shared by scripts/test and bench/*.sh. Source it; it defines functions only.

log() { printf '%s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Runs a command as root: directly when we are root, through sudo otherwise.
as_root() {
  if [[ $EUID -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

# apt_install PKG... : installs Debian packages, running `apt-get update` first (once per process).
# apt's chatter goes to a log that is shown only when apt fails.
_MOTCUA_APT_UPDATED=0
apt_install() {
  local aptlog rc=0
  aptlog=$(mktemp -t motcua-apt.XXXXXX)
  if [[ $_MOTCUA_APT_UPDATED -eq 0 ]]; then
    log "apt-get update"
    as_root apt-get update -q >"$aptlog" 2>&1 || rc=$?
    _MOTCUA_APT_UPDATED=1
  fi
  if [[ $rc -eq 0 ]]; then
    log "apt-get install $*"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" \
      >>"$aptlog" 2>&1 || rc=$?
  fi
  if [[ $rc -ne 0 ]]; then tail -n 40 "$aptlog" >&2; fi
  rm -f "$aptlog"
  return "$rc"
}

# Prints a TCP port on 127.0.0.1 that is free right now.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# wait_for_url URL SECONDS [PID] : waits until URL answers 2xx; fails after SECONDS,
# or at once if PID is given and that process has exited.
wait_for_url() {
  local url=$1 secs=$2 pid=${3:-} deadline=$((SECONDS + $2))
  while ((SECONDS < deadline)); do
    if curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; then return 0; fi
    if [[ -n $pid ]] && ! kill -0 "$pid" 2>/dev/null; then
      log "process $pid exited while waiting for $url"
      return 1
    fi
    sleep 0.2
  done
  log "no answer from $url after ${secs}s"
  return 1
}

# stop_pid PID [SECONDS] : SIGTERM, wait up to SECONDS (default 10), then SIGKILL.
stop_pid() {
  local pid=$1 secs=${2:-10} i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < secs * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.1
  done
  log "process $pid did not stop after ${secs}s: SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# ensure_venv_requirements NAME REQUIREMENTS "MODULES…": makes the repo's ignored .venv/ when it is
# missing (or its interpreter is gone) and installs REQUIREMENTS into it when they changed (a stamp per
# NAME) or a module cannot be imported. PYTHON picks the interpreter for a new venv.
ensure_venv_requirements() {
  local name=$1 reqs=$2 modules=$3 venv=.venv want stamp
  stamp=$venv/.$name-requirements.sha256
  if ! "$venv/bin/python" -c '' 2>/dev/null; then
    log "== Creating $venv =="
    rm -rf "$venv"
    if ! "${PYTHON:-python3}" -m venv "$venv" 2>/dev/null; then
      # Debian's python3 makes venvs only with python3-venv.
      rm -rf "$venv"
      apt_install python3-venv || die "could not install python3-venv"
      "${PYTHON:-python3}" -m venv "$venv" || die "could not create $venv"
    fi
  fi
  want=$(sha256sum "$reqs" | cut -d' ' -f1)
  if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]] || ! "$venv/bin/python" -c "import ${modules// /, }" 2>/dev/null; then
    log "== Installing $reqs into $venv =="
    "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$reqs" || die "pip install failed"
    echo "$want" >"$stamp"
  fi
}

# Debian's Chromium and its driver, for the Selenium suites.
ensure_chromium() {
  if [[ ! -x /usr/bin/chromium || ! -x /usr/bin/chromedriver ]]; then
    log "== Installing chromium and chromium-driver =="
    apt_install chromium chromium-driver || die "could not install chromium/chromium-driver"
  fi
}

# ensure_motcua_bin : sets MOTCUA_BIN, when empty, to the debug build of this work tree;
# dies when it is not an executable.
ensure_motcua_bin() {
  if [[ -z ${MOTCUA_BIN:-} ]]; then
    MOTCUA_BIN="$(swift build --show-bin-path)/motcua"
  fi
  [[ -x $MOTCUA_BIN ]] || die "no motcua binary at $MOTCUA_BIN (build first, or set MOTCUA_BIN)"
}

# exec_pytest_suite NAME "MODULES…" [PYTEST-ARGS…] : what tests/NAME/run.sh of a Selenium suite does: Debian's
# Chromium, the venv with tests/NAME/requirements.txt (MODULES must import), then `exec pytest -q tests/NAME`:
# pytest gets the caller's PID, so a SIGTERM sent to it (scripts/test's trap) reaches pytest, which then stops
# the server and Chromium. Run from the repository's root.
exec_pytest_suite() {
  local name=$1 modules=$2 t0=$SECONDS
  shift 2
  ensure_chromium
  ensure_venv_requirements "$name" "tests/$name/requirements.txt" "$modules"
  if ((SECONDS - t0 > 1)); then log "$name suite set up in $((SECONDS - t0))s"; fi
  # No __pycache__ in the work tree; Selenium must never look for drivers on the network.
  export PYTHONDONTWRITEBYTECODE=1 SE_OFFLINE=true
  unset DATABASE_URL
  exec .venv/bin/python -m pytest -q "tests/$name" "$@"
}

# run_within DEADLINE LEAST OUT CMD… : runs CMD (stdin /dev/null, stdout and stderr to OUT, shown as they come)
# under `timeout` for what is left until DEADLINE (a time in $SECONDS), at least LEAST seconds, SIGKILLed LEAST
# seconds after the SIGTERM. In the background, so that a SIGTERM to the script is handled at once: meanwhile
# RUN_PID and RUN_TAIL_PID are set, for the script's trap to stop. Returns CMD's status (124 or 137: out of time).
RUN_PID=""
RUN_TAIL_PID=""
run_within() {
  local deadline=$1 least=$2 out=$3 left rc=0
  shift 3
  left=$((deadline - SECONDS))
  if ((left < least)); then left=$least; fi
  : >"$out"
  timeout --kill-after="$least" "$left" "$@" </dev/null >"$out" 2>&1 &
  RUN_PID=$!
  tail -n +1 -s 0.2 --pid="$RUN_PID" -f "$out" &
  RUN_TAIL_PID=$!
  wait "$RUN_PID" || rc=$?
  wait "$RUN_TAIL_PID" 2>/dev/null || true
  RUN_PID="" RUN_TAIL_PID=""
  return "$rc"
}
