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

t0=$SECONDS
ensure_chromium

ensure_venv_requirements browser "$REQS" "selenium selenium_axe_python pytest requests aiosmtpd pytest_timeout"
if ((SECONDS - t0 > 1)); then log "browser suite set up in $((SECONDS - t0))s"; fi

# No __pycache__ in the work tree; Selenium must never look for drivers on the network.
export PYTHONDONTWRITEBYTECODE=1 SE_OFFLINE=true
unset DATABASE_URL
# exec: pytest gets this PID, so a SIGTERM sent to it (scripts/test's trap) reaches pytest, which
# then stops the server and Chromium.
exec "$VENV/bin/python" -m pytest -q tests/browser "$@"
