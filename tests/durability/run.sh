#!/usr/bin/env bash
# Durability of MotCua: continuous submissions over the JSON API while `motcua serve` is SIGKILLed at
# random moments and restarted (tests/durability/kill_loop.py), then, when the binary has
# `motcua backup`, a backup under load restored into a fresh directory/database and checked
# (tests/durability/backup_restore.py), then VNPay's IPNs for 30 dossiers delivered while the server is
# SIGKILLed and restarted (tests/durability/payment_kill.py). See tests/durability/README.md.
#
#   tests/durability/run.sh
#
# Installs what it needs when missing: a venv in .venv/ (shared with the other suites) with
# tests/durability/requirements.txt. Every server binds 127.0.0.1 on a free port and is stopped by its
# PID (and SIGKILLed by the kernel should this script's Python die first). The kill loop's last line,
# `durability: 20 kills survived, N acknowledged submissions, 0 lost, 0 orphans, 0 duplicate codes`,
# is printed again last (with the seconds taken), after the backup/restore and payments lines. Exit
# status: non-zero on any finding.
#
# Environment:
#   MOTCUA_BIN            the motcua binary (default: $(swift build --show-bin-path)/motcua)
#   DATABASE_URL          PostgreSQL: URL of a fresh, empty database on a cluster running with fsync=on
#                         (durability means nothing with fsync=off); unset: SQLite in the work dir
#   KILLS                 SIGKILLs of the server (default 20)
#   DURABILITY_WORKERS    citizens submitting at once (default 4)
#   DURABILITY_MIN_RUN, DURABILITY_MAX_RUN   seconds of load before each kill, drawn uniformly (0.5, 3)
#   DURABILITY_SEED       seed of the kill moments (default: random)
#   DURABILITY_TIMEOUT    seconds for everything (default 900)
#   DURABILITY_BACKUP     auto (default: when `motcua backup --help` describes the command), 1 (required),
#                         0 (skip); DURABILITY_BACKUP_OFFLINE=1 backs up with the server stopped
#   DURABILITY_PAYMENTS   1 (default): the payment loop (payment_kill.py) after the others; 0 skips it
#   PAYMENT_KILLS         SIGKILLs while IPNs are in flight (default 9); PAYMENT_DOSSIERS dossiers paid (30)
#   DURABILITY_KEEP       1: keep the work dir (data, logs, state.json) even when everything passed
#   PYTHON                interpreter for a new venv (default python3)
# On failure the server logs and state.json are copied to .build/durability/.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

VENV=.venv
REQS=tests/durability/requirements.txt
BUDGET=${DURABILITY_TIMEOUT:-900}
ARTIFACTS=.build/durability

t0=$SECONDS
ensure_venv_requirements durability "$REQS" "requests"
if [[ -n ${DATABASE_URL:-} ]] && ! command -v psql >/dev/null && [[ ! -x /usr/lib/postgresql/15/bin/psql ]]; then
  apt_install postgresql-client || die "could not install postgresql-client (psql)"
fi
if ((SECONDS - t0 > 1)); then log "durability tests set up in $((SECONDS - t0))s"; fi

ensure_motcua_bin

export PYTHONDONTWRITEBYTECODE=1
WORK=$(mktemp -d -t motcua-durability.XXXXXX)
RC=0
# shellcheck disable=SC2317  # reached through the trap
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  # the Python step and the tail of its output, while run_within runs them
  if [[ -n $RUN_PID ]]; then stop_pid "$RUN_PID" 30; fi
  if [[ -n $RUN_TAIL_PID ]]; then stop_pid "$RUN_TAIL_PID" 2; fi
  if [[ $rc -ne 0 || $RC -ne 0 ]]; then
    mkdir -p "$ARTIFACTS"
    rm -f "$ARTIFACTS"/*
    cp "$WORK"/*.log "$WORK"/state.json "$WORK"/payments-state.json "$ARTIFACTS"/ 2>/dev/null || true
    log "logs and state.json of the failed run: $ARTIFACTS/"
  fi
  if [[ ${DURABILITY_KEEP:-0} == 1 ]]; then
    log "work dir kept: $WORK"
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

DEADLINE=$((SECONDS + BUDGET))
DB_ARGS=()
if [[ -n ${DATABASE_URL:-} ]]; then DB_ARGS=(--database-url "$DATABASE_URL"); fi
SEED_ARGS=()
if [[ -n ${DURABILITY_SEED:-} ]]; then SEED_ARGS=(--seed "$DURABILITY_SEED"); fi

# step NAME LOG PYTHON-ARGS... : one Python step under what is left of the time budget (at least 30 s), in the
# background so that a SIGTERM to this script is handled at once (the trap stops it; Python then stops its server).
step() {
  local name=$1 out=$2 rc=0
  shift 2
  run_within "$DEADLINE" 30 "$out" "$VENV/bin/python" "$@" || rc=$?
  if [[ $rc -eq 124 || $rc -eq 137 ]]; then echo "!! $name: stopped after the time budget (DURABILITY_TIMEOUT=$BUDGET s)"; fi
  return "$rc"
}

DB_NAME=SQLite
if [[ -n ${DATABASE_URL:-} ]]; then DB_NAME=PostgreSQL; fi
echo "== Kill loop: ${KILLS:-20} SIGKILLs under submissions, on $DB_NAME =="
step "kill loop" "$WORK/kill-loop.out" tests/durability/kill_loop.py --bin "$MOTCUA_BIN" --work "$WORK" \
  "${DB_ARGS[@]}" --kills "${KILLS:-20}" --workers "${DURABILITY_WORKERS:-4}" \
  --min-run "${DURABILITY_MIN_RUN:-0.5}" --max-run "${DURABILITY_MAX_RUN:-3}" \
  "${SEED_ARGS[@]}" --time-limit "$((BUDGET * 2 / 3))" || RC=$?
KILL_LINE=$(grep -a '^durability: ' "$WORK/kill-loop.out" | tail -n1 || true)

BACKUP=${DURABILITY_BACKUP:-auto}
BACKUP_LINE="backup/restore: skipped (DURABILITY_BACKUP=0)"
if [[ $BACKUP != 0 ]]; then
  if ! "$MOTCUA_BIN" backup --help 2>&1 | grep -q 'USAGE: motcua backup'; then
    BACKUP_LINE="backup/restore: skipped (this motcua has no backup command)"
    if [[ $BACKUP == 1 ]]; then BACKUP_LINE="backup/restore: FAILED (this motcua has no backup command)"; RC=1; fi
  elif [[ ! -f $WORK/state.json ]]; then
    BACKUP_LINE="backup/restore: skipped (the kill loop left no state.json)"
  else
    echo
    echo "== Backup${DURABILITY_BACKUP_OFFLINE:+ (offline)} and restore into a fresh data dir${DATABASE_URL:+ and database} =="
    OFFLINE=()
    if [[ ${DURABILITY_BACKUP_OFFLINE:-0} == 1 ]]; then OFFLINE=(--offline); fi
    brc=0
    step "backup/restore" "$WORK/backup-restore.out" tests/durability/backup_restore.py --bin "$MOTCUA_BIN" \
      --work "$WORK" "${DB_ARGS[@]}" "${OFFLINE[@]}" || brc=$?
    BACKUP_LINE=$(grep -a '^backup/restore: ' "$WORK/backup-restore.out" | tail -n1 || true)
    if [[ -z $BACKUP_LINE ]]; then BACKUP_LINE="backup/restore: FAILED (exit $brc)"; fi
    if [[ $RC -eq 0 ]]; then RC=$brc; fi
  fi
fi

PAYMENT_LINE="payments: skipped (DURABILITY_PAYMENTS=0)"
if [[ ${DURABILITY_PAYMENTS:-1} != 0 ]]; then
  echo
  echo "== Payments: ${PAYMENT_KILLS:-9} SIGKILLs while VNPay's IPNs are in flight, on $DB_NAME =="
  prc=0
  step "payments" "$WORK/payments.out" tests/durability/payment_kill.py --bin "$MOTCUA_BIN" --work "$WORK" \
    "${DB_ARGS[@]}" --kills "${PAYMENT_KILLS:-9}" --dossiers "${PAYMENT_DOSSIERS:-30}" "${SEED_ARGS[@]}" || prc=$?
  PAYMENT_LINE=$(grep -a '^payments: ' "$WORK/payments.out" | tail -n1 || true)
  if [[ -z $PAYMENT_LINE ]]; then PAYMENT_LINE="payments: FAILED (exit $prc)"; fi
  if [[ $RC -eq 0 ]]; then RC=$prc; fi
fi

echo
echo "$BACKUP_LINE"
echo "$PAYMENT_LINE"
echo "${KILL_LINE:-durability: FAILED (exit $RC, no summary)}; $((SECONDS - t0)) s"
exit "$RC"
