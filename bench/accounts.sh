#!/usr/bin/env bash
# Accounts benchmark: see bench/README.md ("Accounts benchmark").
#
#   bench/accounts.sh
#
# Environment:
#   BENCH_DURATION=15          seconds of load per endpoint (after a 2 s warm-up)
#   BENCH_CONNECTIONS=32       wrk connections (threads: 2)
#   BENCH_LOGIN_SAMPLES=20     sequential logins timed per bcrypt cost
#   BENCH_COSTS="10 11 12"     bcrypt costs (MOTCUA_BCRYPT_COST) for the sequential login timings
#   BENCH_SKIP_BUILD=1         use the release binary already built
#   MOTCUA_BIN=PATH            benchmark this binary instead (no build)
#   MOTCUA_BCRYPT_COST         cost of the load run (default: the server's own, 11)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

DURATION=${BENCH_DURATION:-15}
CONNS=${BENCH_CONNECTIONS:-32}
THREADS=2
WARMUP=2
SAMPLES=${BENCH_LOGIN_SAMPLES:-20}
read -r -a COSTS <<<"${BENCH_COSTS:-10 11 12}"
# Logins with an unknown address, timed per cost (each a failure: the server blocks an IP after 30
# failed logins in 15 min, so 3 costs x 8 stay under it).
UNKNOWN_SAMPLES=8
PASSWORD=Hoa-sen-no-2026

# SQLite in a fresh data dir; no SMTP: the server logs its mail ("Mail (no SMTP configured)").
unset DATABASE_URL MOTCUA_SMTP_HOST MOTCUA_SMTP_PORT MOTCUA_SMTP_SECURITY MOTCUA_SMTP_USERNAME MOTCUA_SMTP_PASSWORD
LOAD_COST=${MOTCUA_BCRYPT_COST:-}
unset MOTCUA_BCRYPT_COST

# shellcheck source=bench/setup.sh
source bench/setup.sh
bench_setup accounts

# start_accounts_server [COST] : start_server (bench/setup.sh) with this server's public URL, and with
# MOTCUA_BCRYPT_COST=COST when given.
start_accounts_server() {
  local -a env=(MOTCUA_PUBLIC_URL="$BASE")
  [[ -n ${1:-} ]] && env+=(MOTCUA_BCRYPT_COST="$1")
  start_server "${env[@]}"
}

# --- HTTP as a browser does: cookies in a jar, the _csrf field of the form ---------------------

# csrf_of JAR PATH : GETs PATH with the jar (which gets the motcua_csrf cookie), prints the form's _csrf.
csrf_of() {
  local jar=$1 path=$2 token
  token=$(curl -sS --max-time 10 -c "$jar" -b "$jar" "$BASE$path" |
    sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
  [[ -n $token ]] || die "no _csrf field on $path"
  printf '%s' "$token"
}

# cookie_of JAR NAME : prints a cookie's value from a curl cookie jar.
cookie_of() {
  awk -v n="$2" '$6 == n { v = $7 } END { print v }' "$1"
}

# register EMAIL CCCD : registers an individual account through POST /dang-ky; verifies its address
# with the link the server logged (login works unverified too: a missing link is only reported).
register() {
  local email=$1 cccd=$2 jar="$WORK_DIR/register-$1.jar" csrf status before link token
  csrf=$(csrf_of "$jar" /dang-ky)
  before=$(grep -c 'xac-thuc-email?ma=' "$OUT/server.log" || true)
  status=$(curl -sS --max-time 30 -o "$WORK_DIR/register.html" -w '%{http_code}' -c "$jar" -b "$jar" "$BASE/dang-ky" \
    --data-urlencode "_csrf=$csrf" --data-urlencode kind=individual \
    --data-urlencode "full_name=Người Đo Tải" --data-urlencode "citizen_id=$cccd" \
    --data-urlencode date_of_birth=1990-05-17 --data-urlencode phone=0912345678 \
    --data-urlencode "email=$email" --data-urlencode "address=12 Chu Văn An, Sơn La" \
    --data-urlencode "password=$PASSWORD" --data-urlencode "password_confirmation=$PASSWORD")
  if [[ $status != 200 ]] || ! grep -q 'Kiểm tra hộp thư' "$WORK_DIR/register.html"; then
    die "registering $email answered $status (page: $(sed -n 's/.*<h1>\(.*\)<\/h1>.*/\1/p' "$WORK_DIR/register.html"))"
  fi
  # The mail goes out from a background loop every ~2 s: wait for its line in the log.
  link=""
  for _ in $(seq 1 50); do
    if (($(grep -c 'xac-thuc-email?ma=' "$OUT/server.log" || true) > before)); then
      link=$(grep -o 'xac-thuc-email?ma=[A-Za-z0-9_-]*' "$OUT/server.log" | tail -n 1)
      break
    fi
    sleep 0.2
  done
  if [[ -z $link ]]; then
    log "no verification mail for $email in the server log after 10 s: $email stays unverified"
    return 0
  fi
  token=${link#*ma=}
  csrf=$(csrf_of "$jar" "/xac-thuc-email?ma=$token")
  status=$(curl -sS --max-time 10 -o "$WORK_DIR/verify.html" -w '%{http_code}' -c "$jar" -b "$jar" "$BASE/xac-thuc-email" \
    --data-urlencode "_csrf=$csrf" --data-urlencode "ma=$token")
  grep -q 'Đã xác thực' "$WORK_DIR/verify.html" || log "verifying $email answered $status without 'Đã xác thực'"
}

# login JAR EMAIL PASSWORD : POST /dang-nhap with the jar's CSRF cookie; prints "STATUS SECONDS".
login() {
  local jar=$1 csrf
  csrf=$(cookie_of "$jar" motcua_csrf)
  curl -sS --max-time 30 -o /dev/null -w '%{http_code} %{time_total}\n' -c "$jar" -b "$jar" "$BASE/dang-nhap" \
    --data-urlencode "_csrf=$csrf" --data-urlencode "email=$2" --data-urlencode "password=$3"
}

# median_ms FILE : median of the seconds in FILE (one per line), in ms.
median_ms() {
  sort -g "$1" | awk '{ v[NR] = $1 } END { if (NR == 0) { print "n/a"; exit } m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.1f", m * 1000 }'
}

# timed_logins EMAIL PASSWORD N EXPECT OUTFILE [distinct] : N sequential logins, each answer checked;
# with "distinct", EMAIL gets -1, -2, … before the @ (unknown addresses, one try each).
timed_logins() {
  local email=$1 password=$2 n=$3 expect=$4 outfile=$5 distinct=${6:-} jar="$WORK_DIR/timed.jar" i status secs addr
  : >"$outfile"
  rm -f "$jar"
  csrf_of "$jar" /dang-nhap >/dev/null
  for ((i = 1; i <= n; i++)); do
    addr=$email
    [[ -n $distinct ]] && addr="${email%@*}-$i@${email#*@}"
    read -r status secs < <(login "$jar" "$addr" "$password")
    [[ $status == "$expect" ]] || die "login $i of $addr answered $status, expected $expect"
    echo "$secs" >>"$outfile"
    # A fresh CSRF cookie for the next try if this one was rotated.
    [[ -n $(cookie_of "$jar" motcua_csrf) ]] || csrf_of "$jar" /dang-nhap >/dev/null
  done
}

# --- 1. A user, signed in ---------------------------------------------------------------------

echo "== Preparing: fresh SQLite data dir, one registered and verified user =="
start_accounts_server "$LOAD_COST"
echo "server pid $SERVER_PID on $BASE ($BIN)"
[[ $(curl -sS -o /dev/null -w '%{http_code}' "$BASE/dang-ky") == 200 ]] ||
  die "GET /dang-ky does not answer 200: $BIN has no account pages (stale release build? unset BENCH_SKIP_BUILD)"

EMAIL=bench.login@example.vn
register "$EMAIL" 001190000001
JAR=$WORK_DIR/user.jar
csrf_of "$JAR" /dang-nhap >/dev/null
read -r status _ < <(login "$JAR" "$EMAIL" "$PASSWORD")
[[ $status == 303 ]] || die "login of $EMAIL answered $status, expected 303"
SESSION=$(cookie_of "$JAR" motcua_session)
CSRF=$(cookie_of "$JAR" motcua_csrf)
[[ -n $SESSION && -n $CSRF ]] || die "no motcua_session/motcua_csrf cookie after login (jar: $(cat "$JAR"))"
COOKIE="motcua_session=$SESSION; motcua_csrf=$CSRF"
status=$(curl -sS -o "$WORK_DIR/account.html" -w '%{http_code}' -H "Cookie: $COOKIE" "$BASE/tai-khoan")
[[ $status == 200 ]] || die "GET /tai-khoan with the session cookie answered $status, expected 200"
if grep -q 'Đã xác thực' "$WORK_DIR/account.html"; then
  echo "user $EMAIL verified and signed in"
else
  echo "user $EMAIL signed in (NOT verified)"
fi

# The login form as wrk posts it: the same CSRF cookie and field every time.
urlenc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }
LOGIN_BODY="_csrf=$(urlenc "$CSRF")&email=$(urlenc "$EMAIL")&password=$(urlenc "$PASSWORD")"

# --- 2. Load ----------------------------------------------------------------------------------

# name|method|path|expected status|connections|warm-up|cookie|body
# The login rows get no warm-up: the server goes on hashing the warm-up's passwords after wrk has
# closed those connections (bcrypt is not cancelled), which would eat the first seconds of the run.
# The server is warm anyway (the pages before, the logins above).
ENDPOINTS=(
  "/healthz|GET|/healthz|200|$CONNS|yes||"
  "GET /dang-nhap (login page)|GET|/dang-nhap|200|$CONNS|yes||"
  "GET /tai-khoan (signed in)|GET|/tai-khoan|200|$CONNS|yes|$COOKIE|"
  "POST /dang-nhap (login)|POST|/dang-nhap|303|$CONNS|no|motcua_csrf=$CSRF|$LOGIN_BODY"
  "POST /dang-nhap (login), $THREADS connections|POST|/dang-nhap|303|$THREADS|no|motcua_csrf=$CSRF|$LOGIN_BODY"
)

echo "== Load: wrk -t$THREADS -c$CONNS -d${DURATION}s --latency (warm-up ${WARMUP}s each but the logins) =="
RESULTS=()
i=0
for spec in "${ENDPOINTS[@]}"; do
  IFS='|' read -r name method path expect conns warm cookie body <<<"$spec"
  i=$((i + 1))
  raw="$OUT/wrk-$i.txt"
  export BENCH_METHOD=$method BENCH_EXPECT=$expect BENCH_COOKIE=$cookie BENCH_BODY=$body
  if [[ $warm == yes ]]; then
    timeout $((WARMUP + 30)) wrk -t"$THREADS" -c"$conns" -d"${WARMUP}s" --timeout 10s -s bench/accounts.lua "$BASE$path" >/dev/null
  else
    # Let the previous run's backlog drain.
    sleep 5
  fi
  timeout $((DURATION + 60)) wrk -t"$THREADS" -c"$conns" -d"${DURATION}s" --timeout 10s --latency \
    -s bench/accounts.lua "$BASE$path" >"$raw"
  read_wrk "$raw" "$name"
  parsed="$RPS $P50_MS $P99_MS $ERRORS"
  RESULTS+=("$name|$parsed")
  echo "$name: $parsed (req/s p50-ms p99-ms errors)"
done
unset BENCH_METHOD BENCH_EXPECT BENCH_COOKIE BENCH_BODY

# Still signed in after all that (a lost session would have shown as unexpected 303s too).
status=$(curl -sS -o /dev/null -w '%{http_code}' -H "Cookie: $COOKIE" "$BASE/tai-khoan")
[[ $status == 200 ]] || log "after the load, GET /tai-khoan with the session cookie answers $status"
SESSIONS=$(grep -c '<tr><td>' <(curl -sS -H "Cookie: $COOKIE" "$BASE/tai-khoan") || true)

# --- 3. One login at a time, per bcrypt cost ---------------------------------------------------

echo "== Sequential logins: $SAMPLES per bcrypt cost (${COSTS[*]}), a user registered at each cost =="
COST_ROWS=()
for cost in "${COSTS[@]}"; do
  stop_server
  start_accounts_server "$cost"
  email="bench.cost$cost@example.vn"
  register "$email" "0011900000$(printf '%02d' "$cost")"
  timed_logins "$email" "$PASSWORD" "$SAMPLES" 303 "$OUT/logins-cost$cost.txt"
  timed_logins "khong.co.tai.khoan.cost$cost@example.vn" "$PASSWORD" "$UNKNOWN_SAMPLES" 401 \
    "$OUT/unknown-cost$cost.txt" distinct
  ok=$(median_ms "$OUT/logins-cost$cost.txt")
  unknown=$(median_ms "$OUT/unknown-cost$cost.txt")
  COST_ROWS+=("$cost $ok $unknown")
  echo "cost $cost: login median ${ok} ms, unknown address median ${unknown} ms"
done

# --- 4. Tables --------------------------------------------------------------------------------

IFS='|' read -r _ BASE_RPS _ <<<"${RESULTS[0]}"
BASE_RPS=${BASE_RPS%% *}
TABLE="$OUT/results.md"
{
  echo "# Accounts benchmark $STAMP"
  echo
  echo "SQLite, $BIN, wrk -t$THREADS -c$CONNS (unless said) -d${DURATION}s --latency on $(nproc) cores; bcrypt cost of the"
  echo "load run: ${LOAD_COST:-server default (11)}. One registered, verified user; the login rows post its form"
  echo "(email, password, _csrf + motcua_csrf cookie) and each success makes a session ($SESSIONS sessions listed after the load)."
  echo
  echo "| endpoint | req/s | p50 (ms) | p99 (ms) | ratio to /healthz req/s | errors |"
  echo "|---|---:|---:|---:|---:|---:|"
  for r in "${RESULTS[@]}"; do
    IFS='|' read -r name parsed <<<"$r"
    read -r rps p50 p99 errors <<<"$parsed"
    ratio=$(awk -v a="$rps" -v b="$BASE_RPS" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }')
    # shellcheck disable=SC2016  # backticks are Markdown
    printf '| `%s` | %.1f | %.2f | %.2f | %s | %d |\n' "$name" "$rps" "$p50" "$p99" "$ratio" "$errors"
  done
  echo
  echo "errors: socket errors (timeouts at 10 s included) and answers with another status than expected"
  echo "(200; 303 for the login)."
  echo
  echo "## Login time per bcrypt cost"
  echo
  echo "$SAMPLES sequential logins (curl, one at a time, POST /dang-nhap → 303) of a user registered while"
  echo "MOTCUA_BCRYPT_COST had that value (a login checks the stored hash, made at the cost in force when the"
  echo "password was set), and $UNKNOWN_SAMPLES logins with unknown addresses (→ 401), median time."
  echo
  echo "| MOTCUA_BCRYPT_COST | login, median (ms) | unknown address, median (ms) |"
  echo "|---:|---:|---:|"
  for r in "${COST_ROWS[@]}"; do
    read -r cost ok unknown <<<"$r"
    printf '| %s | %s | %s |\n' "$cost" "$ok" "$unknown"
  done
  echo
  echo "An unknown address should take as long as a known one (the server checks a decoy hash so that the"
  echo "time does not tell which addresses have accounts)."
} >"$TABLE"

bench_publish "$TABLE" "raw wrk outputs, login timings and server log"
