#!/usr/bin/env bash
# Smoke test of the built `motcua` binary, as an operator uses it: start on a fresh data directory,
# answer pages, stop cleanly on SIGTERM, start again without re-migrating; import-catalog refuses a bad
# file (exit 65, every problem listed) and accepts a good one.
#
#   scripts/smoke.sh BIN            (DATABASE_URL set: the same against PostgreSQL)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

BIN=${1:?usage: scripts/smoke.sh BIN}
WORK=$(mktemp -d -t motcua-smoke.XXXXXX)
PID=""
# shellcheck disable=SC2317  # reached through the trap
cleanup() {
  if [[ -n $PID ]]; then stop_pid "$PID" 5; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

METRICS_TOKEN=smoke-metrics-token-$RANDOM$RANDOM
fail() { echo "SMOKE FAIL: $*"; [[ -f $WORK/server.log ]] && tail -n 20 "$WORK/server.log"; exit 1; }
check() { local what=$1; shift; if "$@"; then echo "ok - $what"; else fail "$what"; fi; }

start() {
  PORT=$(free_port)
  MOTCUA_METRICS_TOKEN=$METRICS_TOKEN "$BIN" serve --host 127.0.0.1 --port "$PORT" --data-dir "$WORK/data" >>"$WORK/server.log" 2>&1 &
  PID=$!
  wait_for_url "http://127.0.0.1:$PORT/readyz" 60 "$PID" || fail "server did not become ready"
}

stop_with_sigterm() {
  kill -TERM "$PID"
  local rc=0
  timeout 15 tail --pid="$PID" -f /dev/null || fail "server did not stop within 15 s of SIGTERM"
  wait "$PID" || rc=$?
  PID=""
  check "exits 0 on SIGTERM (got $rc)" test "$rc" -eq 0
}

start
URL="http://127.0.0.1:$PORT"
check "home page in Vietnamese" bash -c "curl -fsS '$URL/' | grep -q 'Sở Nội vụ tỉnh Sơn La'"
check "search ignores diacritics" bash -c "curl -fsS '$URL/thu-tuc?q=NANG+BAC+LUONG' | grep -q 'Nâng bậc lương'"
check "API answers" bash -c "curl -fsS '$URL/api/v1/procedures?perPage=1' | grep -q '\"total\":32'"
check "404 page in Vietnamese" bash -c "curl -sS '$URL/khong-co' | grep -q 'Không tìm thấy trang'"
check "metrics need their token" bash -c "test \"\$(curl -s -o /dev/null -w '%{http_code}' '$URL/metrics')\" = 401"
check "metrics exported with the token" bash -c "curl -fsS -H 'Authorization: Bearer $METRICS_TOKEN' '$URL/metrics' | grep -q 'motcua_http_requests_total'"
check "first start migrated and loaded the demo catalog" grep -q "Loaded the demo catalog" "$WORK/server.log"
check "demo staff logins printed at start" grep -q "quantri.h52@motcua.demo" "$WORK/server.log"
stop_with_sigterm
migrations_applied=$(grep -c 'Applied migration' "$WORK/server.log")
start
check "second start applies no migration" test "$(grep -c 'Applied migration' "$WORK/server.log")" -eq "$migrations_applied"
stop_with_sigterm

# import-catalog: a bad file is refused whole, with every problem named; a good one is imported.
mkdir -p "$WORK/catalog"
cat >"$WORK/catalog/bad.json" <<'JSON'
{"formatVersion": 1,
 "agencies": [{"code": "not a code", "name": "X", "province": "Y"}],
 "fields": [{"code": "f", "name": "F"}],
 "procedures": [{"code": "9.1", "name": "", "agencyCode": "000.00.00.H00", "fieldCode": "f",
   "onlineLevel": "full", "applicantTypes": ["individual"], "processingDays": 5, "fees": [{"description": "Phí", "amount": -1}],
   "steps": ["Nộp"], "requiredDocuments": [], "resultDelivery": ["desk"],
   "process": [{"name": "Tiếp nhận", "unit": "Bộ phận tiếp nhận và trả kết quả", "role": "receptionist", "days": 0.5},
     {"name": "Thẩm định", "unit": "Phòng Công chức, viên chức", "role": "processor", "days": 3},
     {"name": "Phê duyệt", "unit": "Lãnh đạo Sở", "role": "leader", "days": 1},
     {"name": "Trả kết quả", "unit": "Bộ phận tiếp nhận và trả kết quả", "role": "receptionist", "days": 0.5}]}]}
JSON
rc=0
"$BIN" import-catalog --data-dir "$WORK/data" "$WORK/catalog/bad.json" >"$WORK/import.out" 2>&1 || rc=$?
check "bad catalog exits 65 (got $rc)" test "$rc" -eq 65
for path in 'agencies\[0\].code' 'procedures\[0\].name' 'procedures\[0\].agencyCode' 'procedures\[0\].fees\[0\].amount'; do
  check "problem reported at $path" grep -q "$path" "$WORK/import.out"
done
sed 's/"not a code"/"000.00.00.H00"/; s/"name": ""/"name": "Thủ tục thử"/; s/"amount": -1/"amount": 0/' \
  "$WORK/catalog/bad.json" >"$WORK/catalog/good.json"
check "good catalog imports" bash -c "'$BIN' import-catalog --data-dir '$WORK/data' '$WORK/catalog/good.json' | grep -q '1 new'"
check "re-import updates" bash -c "'$BIN' import-catalog --data-dir '$WORK/data' '$WORK/catalog/good.json' | grep -q '0 new and 1 updated'"
# create-user: staff account with a generated password; a second time is refused.
check "create-user prints a generated password" bash -c "'$BIN' create-user --data-dir '$WORK/data' --email cv.moi@sonla.gov.vn \
  --name 'Lò Thị Mai' --role processor --agency 000.00.07.H52 | grep -q 'Password (shown once)'"
rc=0
"$BIN" create-user --data-dir "$WORK/data" --email cv.moi@sonla.gov.vn --name X --role processor --agency 000.00.07.H52 \
  >/dev/null 2>&1 || rc=$?
check "create-user refuses a taken e-mail (exit 65, got $rc)" test "$rc" -eq 65
# Bad settings stop the start with the variable named and exit code 78 (EX_CONFIG), never a silent default.
for setting in "MOTCUA_PORT=abc" "MOTCUA_SMTP_HOST=smtp.example.vn MOTCUA_SMTP_PORT=abc" "LOG_LEVEL=verbose" \
  "DATABASE_URL=postgres://u@127.0.0.1/db?sslmode=requir" "MOTCUA_MAIL_FROM=not-an-address"; do
  rc=0
  env $setting "$BIN" serve --data-dir "$WORK/data" >"$WORK/config.out" 2>&1 || rc=$?
  variable=${setting##* }
  check "$setting is refused with exit 78 (got $rc)" test "$rc" -eq 78
  check "$setting: the message names ${variable%%=*}" grep -q "${variable%%=*}" "$WORK/config.out"
done
echo "smoke: all checks passed"
