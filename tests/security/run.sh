#!/usr/bin/env bash
# Security suite of MotCua: stored/reflected XSS in every free-text field (HTML parsed, JSON decoded, and
# the main pages in Debian's Chromium), slow and stalled uploads, polyglot uploads, against a real
# `motcua serve` that the suite starts itself (free port on 127.0.0.1, temp data dir, SQLite, demo data).
#
#   tests/security/run.sh [PYTEST-ARGS...]     e.g. -k polyglot, -x, -m "not backoffice", -m "not runs_last"
#
# Installs what it needs when missing: chromium + chromium-driver (apt), a venv in .venv/ (shared with the
# browser and API suites) with tests/security/requirements.txt. Runs `pytest -q tests/security`; its
# closing line is the summary, and the exit status is pytest's.
#
# The check that stalled connections get closed (marked runs_last) waits up to STALL_LIMIT + GRACE
# (60 + 15 s) after its probes opened; the probes open early, so the wait overlaps the rest of the suite.
#
# Environment:
#   MOTCUA_BIN                     the motcua binary to serve (default: .build/debug/motcua)
#   MOTCUA_SECURITY_STALL_LIMIT    seconds a stalled connection may stay open (default 60)
#   MOTCUA_SECURITY_STALL_GRACE    extra seconds allowed (default 15)
#   MOTCUA_SECURITY_KEEP=1         keep the server's temp directory (its log) and print where it is
#   PYTHON                         interpreter for a new venv (default: python3)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

# exec: pytest gets this PID, so a SIGTERM sent to it reaches pytest, which then stops the server and Chromium.
exec_pytest_suite security "selenium pytest requests pytest_timeout" "$@"
