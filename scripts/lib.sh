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
