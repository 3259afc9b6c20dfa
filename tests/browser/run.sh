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

# exec: pytest gets this PID, so a SIGTERM sent to it (scripts/test's trap) reaches pytest, which
# then stops the server and Chromium.
exec_pytest_suite browser "selenium selenium_axe_python pytest requests aiosmtpd pytest_timeout" "$@"
