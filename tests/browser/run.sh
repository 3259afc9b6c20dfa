#!/usr/bin/env bash
# Browser suite of MotCua: Selenium + Debian's Chromium against a real `motcua serve`.
#
#   tests/browser/run.sh [PYTEST-ARGS...]     e.g. -k keyboard, -x, --lf is off (no cache)
#
# Installs what it needs when missing: chromium + chromium-driver (apt), a venv in .venv/ with
# tests/browser/requirements.txt (pip, skipped when already satisfied). Then runs
# `pytest -q tests/browser` and exits with pytest's code.
#
# Environment:
#   MOTCUA_BIN                the motcua binary to serve (default: .build/debug/motcua)
#   MOTCUA_BROWSER_ARTIFACTS  where failure screenshots go (default: .build/browser-artifacts)
#   PYTHON                    interpreter for a new venv (default: python3)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

VENV=.venv
REQS=tests/browser/requirements.txt
STAMP=$VENV/.browser-requirements.sha256

t0=$SECONDS
if [[ ! -x /usr/bin/chromium || ! -x /usr/bin/chromedriver ]]; then
  log "== Installing chromium and chromium-driver =="
  apt_install chromium chromium-driver || die "could not install chromium/chromium-driver"
fi

make_venv() {
  log "== Creating $VENV =="
  rm -rf "$VENV"
  if ! "${PYTHON:-python3}" -m venv "$VENV" 2>/dev/null; then
    # Debian's python3 makes venvs only with python3-venv.
    rm -rf "$VENV"
    apt_install python3-venv || die "could not install python3-venv"
    "${PYTHON:-python3}" -m venv "$VENV" || die "could not create $VENV"
  fi
}
# A venv whose interpreter is gone (made by another python) is made again.
if ! "$VENV/bin/python" -c '' 2>/dev/null; then make_venv; fi
want=$(sha256sum "$REQS" | cut -d' ' -f1)
if [[ ! -f $STAMP || $(cat "$STAMP") != "$want" ]] || ! "$VENV/bin/python" -c 'import selenium, selenium_axe_python, pytest, requests, aiosmtpd' 2>/dev/null; then
  log "== Installing $REQS into $VENV =="
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$REQS" || die "pip install failed"
  echo "$want" >"$STAMP"
fi
if ((SECONDS - t0 > 1)); then log "browser suite set up in $((SECONDS - t0))s"; fi

# No __pycache__ in the work tree; Selenium must never look for drivers on the network.
export PYTHONDONTWRITEBYTECODE=1 SE_OFFLINE=true
unset DATABASE_URL
# exec: pytest gets this PID, so a SIGTERM sent to it (scripts/test's trap) reaches pytest, which
# then stops the server and Chromium.
exec "$VENV/bin/python" -m pytest -q tests/browser "$@"
